// Renders GET /decisions as a timeline by meeting date and GET /commitments as a filterable list.

import { el, formatDate, sourceLink, timeElement, whereText } from "./format.js";

function sourceLine(item) {
  const where = whereText(item);
  const name = item.title || item.source || "the source document";
  return el("p", { class: "open-source" }, "Source: ",
    sourceLink(item.url, `${name}${where ? `, ${where}` : ""}`));
}

function badge(text, kind) {
  return text ? el("span", { class: `badge badge-${kind}` }, text) : null;
}

function statusClass(status) {
  return (status || "unknown").toLowerCase().replace(/[^a-z]+/g, "-");
}

function decisionItem(decision) {
  const item = [decision.item_number ? `Item ${decision.item_number}` : "", decision.item_title || ""]
    .filter(Boolean).join(": ");
  // The quote is shown only when it says more than the decision's text (PDF line breaks aside).
  const flat = (text) => (text || "").replace(/\s+/g, " ").trim();
  const quote = decision.quote && flat(decision.quote) !== flat(decision.text) ? decision.quote : null;
  return el(
    "li",
    { class: "card decision" },
    el("p", { class: "badges" }, badge(decision.kind, "kind"),
      badge(decision.outcome, `outcome badge-${statusClass(decision.outcome)}`)),
    item ? el("h4", { class: "card-title" }, item) : null,
    el("p", { class: "decision-text" }, decision.text),
    quote ? el("blockquote", { class: "passage" }, quote) : null,
    sourceLine(decision),
  );
}

/** Decisions grouped by meeting, oldest first; returns a summary for the status line. */
export function renderDecisions(container, data, params) {
  const results = data.results || [];
  const topic = params.q ? ` about “${params.q}”` : "";
  const summary = `${results.length} decision${results.length === 1 ? "" : "s"}${topic}`;
  container.replaceChildren(el("h2", { class: "list-heading", id: "result-count" }, summary));
  if (!results.length) {
    container.append(el("div", { class: "notice notice-empty" },
      el("p", {}, "No recorded decisions match. Try a broader topic or remove filters.")));
    return summary;
  }
  const meetings = new Map();
  for (const decision of results) {
    const key = `${decision.meeting_date || "9999"}|${decision.committee || ""}`;
    if (!meetings.has(key)) meetings.set(key, []);
    meetings.get(key).push(decision);
  }
  const keys = [...meetings.keys()].sort();
  container.append(el("ol", { class: "timeline", id: "timeline" }, keys.map((key) => {
    const group = meetings.get(key);
    const first = group[0];
    return el("li", { class: "timeline-meeting" },
      el("h3", { class: "timeline-date" },
        first.meeting_date ? timeElement(first.meeting_date) : "Undated",
        first.committee ? el("span", { class: "committee" }, first.committee) : null),
      el("ul", { class: "result-list" }, group.map(decisionItem)));
  })));
  return summary;
}

function commitmentItem(commitment) {
  return el(
    "li",
    { class: "card commitment" },
    el("p", { class: "badges" }, badge(commitment.status || "status unknown",
      `status badge-${statusClass(commitment.status)}`)),
    el("h3", { class: "card-title" }, commitment.what),
    el("dl", { class: "facts" },
      commitment.who ? [el("dt", {}, "Owner"), el("dd", {}, commitment.who)] : null,
      commitment.due ? [el("dt", {}, "Due"), el("dd", {}, /^\d{4}-\d{2}-\d{2}/.test(commitment.due)
        ? formatDate(commitment.due) : commitment.due)] : null,
      commitment.meeting_date ? [el("dt", {}, "Agreed"), el("dd", {}, timeElement(commitment.meeting_date),
        commitment.item_title ? `, ${commitment.item_title}` : "")] : null,
      commitment.status_note ? [el("dt", {}, "Progress"), el("dd", {}, commitment.status_note)] : null),
    commitment.quote ? el("blockquote", { class: "passage" }, commitment.quote) : null,
    sourceLine(commitment),
  );
}

/** Commitments in the API's order (most relevant first for a topic, else newest meeting first);
 * returns a summary for the status line. */
export function renderCommitments(container, data, params) {
  const results = data.results || [];
  const filters = [params.status && `status ${params.status}`, params.owner && `owner ${params.owner}`,
    params.committee].filter(Boolean).join("; ");
  const summary = `${results.length} commitment${results.length === 1 ? "" : "s"}${params.q ? ` about “${params.q}”` : ""}` +
    (filters ? ` (${filters})` : "");
  container.replaceChildren(el("h2", { class: "list-heading", id: "result-count" }, summary));
  if (!results.length) {
    container.append(el("div", { class: "notice notice-empty" },
      el("p", {}, "No commitments match. Try another status or owner.")));
    return summary;
  }
  container.append(el("ol", { class: "result-list", id: "commitment-list" }, results.map(commitmentItem)));
  return summary;
}

/** Add newly seen statuses and owners to the filter choices (the API has no list of them). */
export function learnChoices(results, statusSelect, ownerList) {
  const statuses = new Set([...statusSelect.options].map((o) => o.value));
  const owners = new Set([...ownerList.options].map((o) => o.value));
  for (const item of results || []) {
    if (item.status && !statuses.has(item.status)) {
      statuses.add(item.status);
      statusSelect.append(el("option", { value: item.status }, item.status));
    }
    if (item.who && !owners.has(item.who)) {
      owners.add(item.who);
      ownerList.append(el("option", { value: item.who }));
    }
  }
}
