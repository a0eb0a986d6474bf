// The passage viewer for text documents: the text around a cited passage, with the passage highlighted.

import { ApiError, request } from "./api.js";
import { commandIn, el, messageWithCode, timeElement, whereText } from "./format.js";

const article = document.getElementById("document");
const status = document.getElementById("status");

/** Split text by code points, because the API's offsets count code points and JS strings count UTF-16 units. */
function splitAt(text, start, end) {
  const points = Array.from(text);
  return [points.slice(0, start).join(""), points.slice(start, end).join(""), points.slice(end).join("")];
}

function render(chunk) {
  const [before, passage, after] = splitAt(chunk.context, chunk.highlight_start, chunk.highlight_end);
  document.getElementById("loading")?.remove();
  const where = whereText(chunk);
  const meta = [
    chunk.committee ? el("span", { class: "committee" }, chunk.committee) : null,
    chunk.meeting_date ? el("span", {}, "Meeting ", timeElement(chunk.meeting_date)) : null,
    where ? el("span", {}, where.charAt(0).toUpperCase() + where.slice(1)) : null,
  ].filter(Boolean);
  const title = chunk.title || chunk.source || "Untitled document";
  document.title = `${title}: committee papers`;
  const mark = el("mark", { id: "passage", tabindex: "-1" }, passage);
  article.replaceChildren(
    el("h1", {}, title),
    el("p", { class: "meta" }, meta.flatMap((part, i) => (i ? [el("span", { "aria-hidden": "true" }, " · "), part] : [part]))),
    chunk.section ? el("p", { class: "section-name" }, "Section: ", el("strong", {}, chunk.section)) : "",
    el("p", { class: "actions" },
      el("a", { href: `/documents/${encodeURIComponent(chunk.document_id)}/file`, id: "whole-file" }, "Open the whole file"),
      el("span", { "aria-hidden": "true" }, " · "),
      el("a", { href: "./" }, "Ask or search the papers")),
    el("h2", { class: "visually-hidden" }, "The passage in its context"),
    el("div", { class: "context", id: "context" }, before.trimStart(), mark, after.trimEnd()),
  );
  article.setAttribute("aria-busy", "false");
  status.textContent = `Showing the cited passage from ${title}.`;
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
}

function fail(error) {
  document.getElementById("loading")?.remove();
  const command = commandIn(error.message);
  article.replaceChildren(el("div", { class: "notice notice-error", id: "error" },
    el("h1", {}, error.noIndex ? "There is no index to read from yet" : "This passage cannot be shown"),
    el("p", {}, messageWithCode(error.message)),
    command ? el("pre", {}, el("code", {}, command)) : null,
    el("p", {}, el("a", { href: "./" }, "Go to the search page"))));
  article.setAttribute("aria-busy", "false");
  status.textContent = error.message;
}

async function start() {
  const params = new URLSearchParams(location.search);
  const chunkId = params.get("chunk");
  try {
    if (!chunkId) throw new ApiError("This address names no passage: it needs ?chunk=ID, as in a citation link.", 400);
    render(await request(`/chunks/${encodeURIComponent(chunkId)}`));
  } catch (error) {
    fail(error instanceof ApiError ? error : new ApiError(String(error.message || error), 0));
  }
  document.body.dataset.ready = "true";
}

start();
