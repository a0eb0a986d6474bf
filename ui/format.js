// Small DOM and text helpers shared by the pages: elements, dates, pages, snippets and highlighting.

const STOP_WORDS = new Set(
  ("a an and are as at be by did do does for from had has have how in is it its me of on or our so that the " +
    "their them then there these they this to was we were what when where which who whom why will with about " +
    "any can could would should been being into not but council committee meeting").split(" "),
);

/** Create an element: el("a", {href, class: "x"}, "text", child). Attributes with null/false are skipped. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** "2025-01-09" → "9 January 2025"; anything unparseable is returned as given. */
export function formatDate(iso) {
  if (!iso) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return iso;
  const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
    .format(date);
}

/** A <time> element for a meeting date. */
export function timeElement(iso) {
  return iso ? el("time", { datetime: iso.slice(0, 10) }, formatDate(iso)) : null;
}

/** "page 12", "pages 12–13", with the printed label when it differs: "page 12 (printed 10)"; pages known
 * only from the agenda (a text pack) read "pack pages 5–16 (from the agenda)". */
export function pagesText(pageStart, pageEnd, pageLabel, pageSource) {
  if (!pageStart) return "";
  const plural = pageEnd && pageEnd !== pageStart;
  const numbers = plural ? `${pageStart}–${pageEnd}` : `${pageStart}`;
  // A text pack's pages come from the agenda's page ranges for the item: the passage is somewhere in them.
  if (pageSource === "agenda") return `pack page${plural ? "s" : ""} ${numbers} (from the agenda)`;
  const printed = pageLabel && String(pageLabel) !== String(pageStart) ? ` (printed ${pageLabel})` : "";
  return `page${plural ? "s" : ""} ${numbers}${printed}`;
}

/** Where a passage sits when a document has no pages: "lines 120–141". */
export function linesText(lineStart, lineEnd) {
  if (!lineStart) return "";
  return lineEnd && lineEnd !== lineStart ? `lines ${lineStart}–${lineEnd}` : `line ${lineStart}`;
}

/** Where an item (result, citation, decision, commitment, chunk) sits: its pages, the agenda's pack pages
 * for a text pack's citation, or its lines. */
export function whereText(item) {
  if (item.page_start) {
    return pagesText(item.page_start, item.page_end, item.page_label ?? item.page_label_start, item.page_source);
  }
  if (item.pack_pages) return pagesText(item.pack_pages[0], item.pack_pages[1], null, "agenda");
  return linesText(item.line_start, item.line_end);
}

/** The content words of a query, for highlighting (stop words and one-letter words left out). */
export function queryTerms(query) {
  const words = (query || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  return [...new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)))];
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A regex matching any term at a word start (so "transport" also marks "transported"), or null. */
export function termsPattern(terms) {
  if (!terms.length) return null;
  const stems = terms.map((t) => escapeRegExp(t.length > 4 ? t.replace(/(ing|ed|es|s)$/, "") : t));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${stems.join("|")})[\\p{L}\\p{N}]*`, "giu");
}

/** Text with the query's words wrapped in <mark> (or another tag), as a fragment. */
export function highlightTerms(text, terms, tag = "mark") {
  const fragment = document.createDocumentFragment();
  const pattern = termsPattern(terms);
  if (!pattern) {
    fragment.append(text);
    return fragment;
  }
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) fragment.append(text.slice(last, match.index));
    fragment.append(el(tag, { class: tag === "mark" ? null : "term" }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}

function collapse(text) {
  return text.replace(/\s+/g, " ").trim();
}

/** The stretch of a passage (about maxChars long) with the most query words, with … where it was cut. */
export function snippet(text, terms, maxChars = 360) {
  const flat = collapse(text);
  if (flat.length <= maxChars) return flat;
  const pattern = termsPattern(terms);
  const hits = pattern ? [...flat.matchAll(pattern)].map((m) => m.index) : [];
  let best = 0;
  let bestCount = -1;
  for (const start of hits) {
    const count = hits.filter((p) => p >= start && p < start + maxChars - 40).length;
    if (count > bestCount) {
      best = start;
      bestCount = count;
    }
  }
  let start = Math.max(0, best - 60);
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  let end = Math.min(flat.length, start + maxChars);
  if (end < flat.length) end = flat.lastIndexOf(" ", end) > start ? flat.lastIndexOf(" ", end) : end;
  return `${start > 0 ? "… " : ""}${flat.slice(start, end)}${end < flat.length ? " …" : ""}`;
}

/**
 * A passage around a quote, with the quote in <mark> (found ignoring differences in white space) and the
 * question's words in bold around it.
 */
export function quoteInPassage(passage, quote, terms = [], aroundChars = 220) {
  const flat = collapse(passage || "");
  const needle = collapse(quote || "");
  const at = needle ? flat.indexOf(needle) : -1;
  if (at < 0) return el("span", {}, el("mark", {}, needle || flat));
  let start = Math.max(0, at - aroundChars);
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start;
  let end = Math.min(flat.length, at + needle.length + aroundChars);
  if (end < flat.length) end = Math.max(at + needle.length, flat.lastIndexOf(" ", end));
  return el(
    "span",
    {},
    start > 0 ? "… " : "",
    highlightTerms(flat.slice(start, at), terms, "strong"),
    el("mark", {}, needle),
    highlightTerms(flat.slice(at + needle.length, end), terms, "strong"),
    end < flat.length ? " …" : "",
  );
}

/** A message with `backticked` commands shown as code, so a build command can be read and copied. */
export function messageWithCode(message) {
  const fragment = document.createDocumentFragment();
  message.split(/(`[^`]+`)/).forEach((part) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) fragment.append(el("code", {}, part.slice(1, -1)));
    else if (part) fragment.append(part);
  });
  return fragment;
}

/** The first `backticked` command in a message, or null. */
export function commandIn(message) {
  const match = /`([^`]+)`/.exec(message || "");
  return match ? match[1] : null;
}

/** "on the council's site": the publisher's own copy of a harvested document (at its page for a PDF), and
 * its meeting page; null when the document did not come from a council's site. */
export function councilLinks(item) {
  if (!item.source_url) return null;
  const page = item.page_start && /\.pdf($|\?)/i.test(item.source_url) && item.page_source !== "agenda"
    ? `#page=${item.page_start}` : "";
  return el("p", { class: "council-source" },
    el("a", { href: `${item.source_url}${page}`, rel: "noopener external", target: "_blank", class: "council-link" },
      "on the council's site"),
    item.meeting_url ? [" · ", el("a", { href: item.meeting_url, rel: "noopener external", target: "_blank" },
      "the meeting's page")] : null);
}

/** A link to a cited source; sources open in a new tab so the answer stays in place. */
export function sourceLink(url, children, label) {
  return el(
    "a",
    {
      href: url, target: "_blank", rel: "noopener", class: "source-link",
      "aria-label": label ? `${label} (opens in a new tab)` : null,
    },
    children,
    el("span", { class: "visually-hidden" }, " (opens in a new tab)"),
  );
}
