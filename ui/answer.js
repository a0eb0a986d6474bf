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

function nearestPassages(passages, question) {
  if (!passages.length) return null;
  const terms = queryTerms(question);
  return el(
    "details",
    { class: "nearest" },
    el("summary", {}, `Show the ${passages.length} closest passages anyway (they do not answer the question)`),
    el("ol", { class: "result-list" }, passages.map((p) =>
      el("li", { class: "card" },
        el("h3", { class: "card-title" }, sourceLink(p.url, p.title || p.source || "Untitled document")),
        passageMeta(p),
        el("p", { class: "snippet" }, highlightTerms(snippet(p.text, terms), terms))))),
  );
}

/** Replace the container's content with an /ask response; returns a one-line summary for the status. */
export function renderAnswer(container, data) {
  container.replaceChildren();
  if (!data.answered) {
    container.append(
      el("div", { class: "notice notice-empty", id: "not-found" },
        el("h2", {}, "Not found in the papers"),
        el("p", {}, data.answer),
        el("p", { class: "hint" }, "Try other words, remove filters, or search the passages instead.")),
      nearestPassages(data.passages || [], data.question) || "",
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
        ? `Written by a language model from the passages below; searched ${data.searched}.`
        : `Sentences quoted from the papers; searched ${data.searched}.`)),
    el("h2", { class: "list-heading" }, `Cited passages (${data.citations.length})`),
    el("ol", { class: "result-list citations", id: "citations" },
      data.citations.map((c) => citedPassage(c, passages.get(c.chunk_id), queryTerms(data.question)))),
  );
  const count = data.citations.length;
  return `Answer found, citing ${count} passage${count === 1 ? "" : "s"}.`;
}
