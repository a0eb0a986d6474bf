// The page controller: modes, forms, the URL (so a search can be shared) and the calls to the API.

import { renderAnswer } from "./answer.js";
import { ApiError, queryString, request } from "./api.js";
import { learnChoices, renderCommitments, renderDecisions } from "./browse.js";
import { commandIn, el, messageWithCode } from "./format.js";
import { renderResults } from "./results.js";

const FILTERS = ["council", "committee", "doc_type", "date_from", "date_to"];
const MODES = {
  ask: { form: "query-form", params: ["q", ...FILTERS], heading: "Ask the committee papers" },
  search: { form: "query-form", params: ["q", ...FILTERS], heading: "Search the committee papers" },
  decisions: { form: "decisions-form", params: ["q", "committee", "date_from", "date_to"] },
  commitments: { form: "commitments-form", params: ["q", "status", "owner", "committee"] },
};
const $ = (id) => document.getElementById(id);
const results = $("results");
const status = $("status");
let mode = "ask";
let inflight = null;
const documentTitles = new Map(); // document id → title, from GET /documents, for records that carry no title

/** The mode and parameters in the address bar. */
function readUrl() {
  const search = new URLSearchParams(location.search);
  const wanted = search.get("mode");
  const urlMode = MODES[wanted] && isAvailable(wanted) ? wanted : "ask";
  const params = {};
  for (const name of MODES[urlMode].params) params[name] = search.get(name) || "";
  return { mode: urlMode, params };
}

function writeUrl(newMode, params, replace = false) {
  const url = `${location.pathname}${queryString({ mode: newMode === "ask" ? "" : newMode, ...params })}`;
  if (url === `${location.pathname}${location.search}`) return;
  history[replace ? "replaceState" : "pushState"](null, "", url);
}

function isAvailable(name) {
  const link = document.querySelector(`[data-mode="${name}"]`);
  return Boolean(link) && !link.closest("li").hidden;
}

function formOf(name) {
  return $(MODES[name].form);
}

/** The values of a mode's form, by parameter name. */
function readForm(name) {
  const form = formOf(name);
  const params = {};
  for (const param of MODES[name].params) params[param] = (form.elements[param]?.value || "").trim();
  return params;
}

function fillForm(name, params) {
  const form = formOf(name);
  for (const param of MODES[name].params) {
    const field = form.elements[param];
    if (!field) continue;
    const value = params[param] || "";
    if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
      field.append(el("option", { value }, value)); // a shared link may name a choice we have not loaded
    }
    field.value = value;
  }
  if (name === "ask" || name === "search") updateFilterSummary();
}

function updateFilterSummary() {
  const active = FILTERS.filter((f) => $("query-form").elements[f].value).length;
  $("filters-active").textContent = active ? `(${active} on)` : "";
  if (active) $("filters").open = true;
}

/** Show one mode's panel and label its form for that mode. */
function setMode(name) {
  mode = name;
  for (const link of document.querySelectorAll("[data-mode]")) {
    if (link.dataset.mode === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  for (const panel of document.querySelectorAll("[data-panel]")) {
    panel.hidden = !panel.dataset.panel.split(" ").includes(name);
  }
  if (name === "ask" || name === "search") {
    const asking = name === "ask";
    $("query-heading").textContent = MODES[name].heading;
    $("q-label").textContent = asking ? "Your question" : "Search for";
    $("q-hint").textContent = asking
      ? "Answers quote the papers and link to the page they come from."
      : "Finds passages by meaning and by their words, best first.";
    $("query-submit").textContent = asking ? "Ask" : "Search";
    if (!asking && !matchMedia("(max-width: 36rem)").matches) $("filters").open = true;  // phones: results first
  }
  document.title = `${name === "ask" ? "Ask" : name[0].toUpperCase() + name.slice(1)}: committee papers`;
}

function setStatus(text) {
  status.textContent = text;
}

/** Show a failure in the results area; an empty index gets its build command spelled out. */
function showError(error) {
  results.replaceChildren();
  const command = commandIn(error.message);
  if (error instanceof ApiError && error.noIndex) {
    results.append(el("div", { class: "notice notice-error", id: "error" },
      el("h2", {}, "There is no index to search yet"),
      el("p", {}, messageWithCode(error.message)),
      command ? [el("p", {}, "Build it by running this in the project folder, then reload this page:"),
        el("pre", {}, el("code", {}, command))] : null));
    setStatus("There is no index to search yet.");
    return;
  }
  const heading = error.status === 0 ? "The server cannot be reached" : "The request failed";
  results.append(el("div", { class: "notice notice-error", id: "error" },
    el("h2", {}, heading), el("p", {}, messageWithCode(error.message))));
  setStatus(`${heading}: ${error.message}`);
}

function apiCall(name, params, signal) {
  if (name === "ask") {
    const body = { question: params.q };
    for (const f of FILTERS) if (params[f]) body[f] = params[f];
    return request("/ask", { method: "POST", body, signal });
  }
  if (name === "search") return request(`/search${queryString({ ...params, k: 20 })}`, { signal });
  return request(`/${name}${queryString(params)}`, { signal });
}

const LOADING = {
  ask: "Looking for an answer in the papers…",
  search: "Searching the papers…",
  decisions: "Loading decisions…",
  commitments: "Loading commitments…",
};

/** Show a mode's response in the results area; returns the summary for the status line. */
function render(name, data, params) {
  if (name === "ask") return renderAnswer(results, data);
  if (name === "search") return renderResults(results, data, params);
  for (const record of data.results || []) record.title ||= documentTitles.get(record.document_id);
  if (name === "decisions") return renderDecisions(results, data, params);
  learnChoices(data.results, $("c-status"), $("c-owners"));
  return renderCommitments(results, data, params);
}

/** Run the current mode with these parameters and render what comes back. */
async function run(name, params) {
  if ((name === "ask" || name === "search") && !params.q) {
    showProblem(name === "ask" ? "Type a question first." : "Type what to search for first.");
    return;
  }
  showProblem("");
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  results.setAttribute("aria-busy", "true");
  results.replaceChildren(el("p", { class: "loading", id: "loading" }, LOADING[name]));
  setStatus(LOADING[name]);
  try {
    const data = await apiCall(name, params, controller.signal);
    if (controller.signal.aborted) return;
    setStatus(render(name, data, params));
  } catch (error) {
    if (error.name === "AbortError") return;
    showError(error instanceof ApiError ? error : new ApiError(String(error.message || error), 0));
  } finally {
    if (inflight === controller) {
      inflight = null;
      results.setAttribute("aria-busy", "false");
    }
  }
}

function showProblem(text) {
  const problem = $("q-problem");
  problem.textContent = text;
  problem.hidden = !text;
  $("q").setAttribute("aria-invalid", text ? "true" : "false");
  if (text) $("q").focus();
}

/** Submit a mode's form: record it in the URL and run it. */
function submit(name) {
  const params = readForm(name);
  writeUrl(name, params);
  run(name, params);
}

/** Switch mode from the navigation, carrying the question or topic over. */
function switchTo(name) {
  const carried = readForm(mode).q;
  setMode(name);
  const params = readForm(name);
  if (carried && !params.q) {
    formOf(name).elements.q.value = carried;
    params.q = carried;
  }
  writeUrl(name, params);
  results.replaceChildren();
  setStatus("");
  if (params.q || name === "decisions" || name === "commitments") run(name, params);
}

/** Put the page in the state its address describes and run that query, unless there is nothing to search. */
function restoreFromUrl(runIt = true) {
  const state = readUrl();
  setMode(state.mode);
  fillForm(state.mode, state.params);
  results.replaceChildren();
  setStatus("");
  const runnable = state.params.q || state.mode === "decisions" || state.mode === "commitments";
  if (runnable && runIt) run(state.mode, state.params);
}

async function checkHealth() {
  try {
    const health = await request("/health");
    $("corpus").textContent = `${health.documents} documents, ${health.chunks.toLocaleString("en-GB")} passages indexed`;
    if (health.max_query_chars) $("q").maxLength = health.max_query_chars; // the API's own limit
    return true;
  } catch (error) {
    const box = $("index-problem");
    const command = commandIn(error.message);
    box.replaceChildren(
      el("h2", {}, error.noIndex ? "There is no index to search yet" : "The search service is not answering"),
      el("p", {}, messageWithCode(error.message)),
      ...(command ? [el("p", {}, "Build it by running this in the project folder, then reload this page:"),
        el("pre", {}, el("code", {}, command))] : []),
    );
    box.hidden = false;
    $("corpus").textContent = error.noIndex ? "No index" : "Service unavailable";
    return false;
  }
}

function addOptions(select, names) {
  const known = new Set([...select.options].map((o) => o.value));
  for (const name of names) if (!known.has(name)) select.append(el("option", { value: name }, name));
}

async function loadCommittees() {
  try {
    const data = await request("/documents");
    for (const document of data.documents) documentTitles.set(document.document_id, document.title);
    const committees = [...new Set(data.documents.map((d) => d.committee).filter(Boolean))].sort();
    for (const id of ["committee", "d-committee", "c-committee"]) addOptions($(id), committees);
    const councils = [...new Set(data.documents.map((d) => d.council).filter(Boolean))].sort();
    addOptions($("council"), councils);
    // One council's papers need no council filter; the field shows when there is a choice (or one is set).
    $("council-field").hidden = councils.length < 2 && !$("council").value;
  } catch {
    // The committee lists stay at "All committees"; the health notice already explains a missing index.
  }
}

function wireEvents() {
  for (const link of document.querySelectorAll("[data-mode]")) {
    link.addEventListener("click", (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (link.dataset.mode !== mode) switchTo(link.dataset.mode);
    });
  }
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submit(mode);
  });
  for (const name of ["decisions", "commitments"]) {
    formOf(name).addEventListener("submit", (event) => {
      event.preventDefault();
      submit(name);
    });
  }
  // In search mode a changed filter re-runs the search at once; asking waits for the next question.
  for (const name of FILTERS) {
    $(name).addEventListener("change", () => {
      updateFilterSummary();
      if (mode === "search" && $("q").value.trim()) submit("search");
    });
  }
  for (const id of ["c-status", "c-committee", "d-committee"]) {
    $(id).addEventListener("change", () => submit(mode));
  }
  $("clear-filters").addEventListener("click", () => {
    for (const name of FILTERS) $(name).value = "";
    updateFilterSummary();
    if (mode === "search" && $("q").value.trim()) submit("search");
  });
  window.addEventListener("popstate", () => restoreFromUrl());
}

async function start() {
  wireEvents();
  const [healthy] = await Promise.all([checkHealth(), loadCommittees()]);
  restoreFromUrl(healthy);
  document.body.dataset.ready = "true"; // for tests: the page has restored its state
}

start();
