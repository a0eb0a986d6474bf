// Renders POST /ask: the answer with its citation markers, the cited passages, or an honest "not found".

import {
  councilLinks, el, formatDate, pagesText, quoteInPassage, snippet, sourceLink, highlightTerms, queryTerms, timeElement, whereText,
} from "./format.js";

/** Where a citation points, in words: "Title, 9 January 2025, page 12 (printed 10)". */
function citationLabel(citation) {
  const parts = [citation.title || citation.source || "Untitled document"];
  if (citation.meeting_date) parts.push(formatDate(citation.meeting_date));
  const pages = whereText(citation);
  if (pages) parts.push(pages);
  return parts.join(", ");
}

/** The answer text with each [n] turned into a link to that citation's source. */
function answerParagraph(answer, citations) {
  const byMarker = new Map(citations.map((c) => [c.marker, c]));
  const paragraph = el("p", { class: "answer-text" });
  let last = 0;
  for (const match of answer.matchAll(/\s*\[(\d+)\]/g)) {
    paragraph.append(answer.slice(last, match.index));
    const citation = byMarker.get(Number(match[1]));
    if (citation) {
      paragraph.append(
        " ",
        el("sup", { class: "marker" },
          sourceLink(citation.url, `[${citation.marker}]`, `Source ${citation.marker}: ${citationLabel(citation)}`)),
      );
    } else {
      paragraph.append(match[0]);
    }
    last = match.index + match[0].length;
  }
  paragraph.append(answer.slice(last));
  return paragraph;
}

/** The facts that place a passage: committee, meeting date, pages (with printed labels), section. */
export function passageMeta(item) {
  const parts = [];
  if (item.committee) parts.push(el("span", { class: "committee" }, item.committee));
  if (item.meeting_date) parts.push(el("span", {}, "Meeting ", timeElement(item.meeting_date)));
  const where = whereText(item);
  if (where) parts.push(el("span", { class: "pages" }, where.charAt(0).toUpperCase() + where.slice(1)));
  if (item.section) parts.push(el("span", { class: "section" }, `Section: ${item.section}`));
  return el("p", { class: "meta" }, parts.flatMap((part, i) => (i ? [el("span", { "aria-hidden": "true" }, " · "), part] : [part])));
}

function citedPassage(citation, passage, terms) {
  const item = { ...passage, ...citation, committee: passage?.committee, section: passage?.section };
  return el(
    "li",
    { class: "card citation", id: `citation-${citation.marker}` },
    el("h3", { class: "card-title" },
      el("span", { class: "marker-badge", "aria-hidden": "true" }, `[${citation.marker}]`),
      el("span", { class: "visually-hidden" }, `Source ${citation.marker}: `),
      sourceLink(citation.url, citation.title || citation.source || "Untitled document")),
    passageMeta(item),
    el("blockquote", { class: "passage" }, quoteInPassage(passage?.text || citation.quote, citation.quote, terms)),
    el("p", { class: "open-source" },
      sourceLink(citation.url, `Open ${citation.url.includes("#page=") ? pagesText(citation.page_start) : "the passage"}`,
        `Open source ${citation.marker}: ${citationLabel(citation)}`)),
    councilLinks(citation),
  );
}

/** The passages found when they do not answer: shown, and labelled as the nearest ones, not an answer. */
function nearestPassages(passages, question, note) {
  if (!passages.length) return null;
  const terms = queryTerms(question);
  return el(
    "section",
    { class: "nearest", id: "nearest", "aria-labelledby": "nearest-heading" },
    el("h3", { id: "nearest-heading" }, `Nearest passages (${passages.length})`),
    el("p", { class: "hint" }, note || "The nearest passages found; they do not answer the question."),
    el("ol", { class: "result-list" }, passages.map((p) =>
      el("li", { class: "card" },
        el("h4", { class: "card-title" }, sourceLink(p.url, p.title || p.source || "Untitled document")),
        passageMeta(p),
        el("p", { class: "snippet" }, highlightTerms(snippet(p.text, terms), terms))))),
  );
}

/** Where an item was on a meeting's agenda, for a decision question no recorded decision answers. */
function agendaItems(items) {
  if (!items.length) return null;
  return el(
    "section",
    { class: "agenda-items", id: "agenda-items", "aria-labelledby": "agenda-heading" },
    el("h3", { id: "agenda-heading" }, "Where it was on the agenda (newest first)"),
    el("ol", { class: "result-list" }, items.map((item) => {
      const pages = item.pack_pages
        ? pagesText(item.pack_pages[0], item.pack_pages[1], null, "agenda")
        : pagesText(item.page_start, item.page_end);
      const label = [item.item_number ? `Item ${item.item_number}` : "", item.item_title || ""].filter(Boolean).join(": ");
      return el("li", { class: "card agenda-item" },
        el("h4", { class: "card-title" }, sourceLink(item.url, label || item.title || "Agenda item")),
        el("p", { class: "meta" },
          item.committee ? el("span", { class: "committee" }, item.committee) : "",
          item.meeting_date ? el("span", {}, " · Meeting ", timeElement(item.meeting_date)) : "",
          pages ? el("span", { class: "pages" }, ` · ${pages.charAt(0).toUpperCase()}${pages.slice(1)}`) : ""),
        el("p", { class: "hint" }, item.title || item.source || ""));
    })),
  );
}

/** "How sure: 83%" — the answerability model's probability that the passages answer the question. */
function confidenceText(confidence) {
  return typeof confidence === "number" ? ` Confidence that the papers answer this: ${Math.round(confidence * 100)}%.` : "";
}

/** Replace the container's content with an /ask response; returns a one-line summary for the status. */
export function renderAnswer(container, data) {
  container.replaceChildren();
  if (!data.answered) {
    const noResolution = (data.agenda_items || []).length > 0;
    container.append(
      el("div", { class: "notice notice-empty", id: "not-found" },
        el("h2", {}, noResolution ? "No recorded resolution" : "Not found in the papers"),
        el("p", { class: "coverage" }, data.answer),
        el("p", { class: "hint" }, noResolution
          ? "Minutes of a later meeting may record it once they are indexed."
          : "Try other words, remove filters, or search the passages instead.")),
      agendaItems(data.agenda_items || []) || "",
      nearestPassages(data.passages || [], data.question, data.passages_note) || "",
    );
    return data.answer;
  }
  const passages = new Map((data.passages || []).map((p) => [p.chunk_id, p]));
  const generated = data.mode === "generative";
  container.append(
    el("article", { class: "answer", id: "answer", "aria-labelledby": "answer-heading" },
      el("h2", { id: "answer-heading" }, "Answer"),
      answerParagraph(data.answer, data.citations),
      el("p", { class: "hint" }, generated
        ? `Written by a language model from the passages below; searched ${data.searched}.${confidenceText(data.confidence)}`
        : `Sentences quoted from the papers; searched ${data.searched}.${confidenceText(data.confidence)}`)),
    el("h2", { class: "list-heading" }, `Cited passages (${data.citations.length})`),
    el("ol", { class: "result-list citations", id: "citations" },
      data.citations.map((c) => citedPassage(c, passages.get(c.chunk_id), queryTerms(data.question)))),
  );
  const count = data.citations.length;
  return `Answer found, citing ${count} passage${count === 1 ? "" : "s"}.`;
}
