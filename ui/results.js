// Renders GET /search: a ranked list of passages with snippets, the count and the filters applied.

import { passageMeta } from "./answer.js";
import {
  councilLinks, el, highlightTerms, queryTerms, quoteInPassage, snippet, sourceLink, whereText,
} from "./format.js";

const DOC_TYPE_NAMES = {
  agenda: "Agenda", minutes: "Minutes", report: "Report", appendix: "Appendix",
  presentation: "Presentation", pack: "Agenda pack",
};

/** "committee Cabinet, type minutes, from 2025-01-01" for the count line. */
export function describeFilters(params) {
  const words = [];
  if (params.committee) words.push(params.committee);
  if (params.doc_type) words.push(DOC_TYPE_NAMES[params.doc_type] || params.doc_type);
  if (params.date_from && params.date_to) words.push(`meetings ${params.date_from} to ${params.date_to}`);
  else if (params.date_from) words.push(`meetings from ${params.date_from}`);
  else if (params.date_to) words.push(`meetings up to ${params.date_to}`);
  return words.join("; ");
}

function alternates(result) {
  if (!result.alternates?.length) return null;
  return el("p", { class: "alternates" }, "Same text also in: ",
    result.alternates.map((alt, i) => [
      i ? ", " : "",
      sourceLink(alt.url, [alt.title || alt.source || "another document",
        whereText(alt) ? `, ${whereText(alt)}` : ""]),
    ]));
}

function resultItem(result, rank, terms) {
  return el(
    "li",
    { class: "card result", value: rank },
    el("h3", { class: "card-title" },
      sourceLink(result.url, result.title || result.source || "Untitled document"),
      el("span", { class: "doc-type" }, DOC_TYPE_NAMES[result.doc_type] || result.doc_type)),
    passageMeta(result),
    el("p", { class: "snippet" }, result.highlight
      // the passage around its sentences closest to the query, those in <mark>
      ? quoteInPassage(result.text, result.highlight.text, terms)
      : highlightTerms(snippet(result.text, terms), terms)),
    councilLinks(result),
    alternates(result),
  );
}

/** Replace the container's content with a /search response; returns a one-line summary for the status. */
export function renderResults(container, data, params) {
  const terms = queryTerms(data.query);
  const filters = describeFilters(params);
  const noun = data.count === 1 ? "passage" : "passages";
  const summary = `${data.count} ${noun} for “${data.query}”${filters ? ` (${filters})` : ""}`;
  container.replaceChildren(el("h2", { class: "list-heading", id: "result-count" }, summary));
  if (!data.count) {
    container.append(el("div", { class: "notice notice-empty" },
      el("p", {}, filters
        ? "Nothing matches with these filters. Clear a filter or widen the dates."
        : "Nothing matches. Try other words.")));
    return summary;
  }
  container.append(el("ol", { class: "result-list", id: "search-results" },
    data.results.map((r, i) => resultItem(r, i + 1, terms))));
  return summary;
}
