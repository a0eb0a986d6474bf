// The API client: JSON in and out, every failure turned into an ApiError with a readable message.

export class ApiError extends Error {
  /** status is the HTTP status, or 0 when the server could not be reached. */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }

  /** True when the server runs but has no index to search (the message then names the build command). */
  get noIndex() {
    return this.status === 503;
  }
}

/** Fetch a JSON resource; throws ApiError for network failures and for any non-2xx answer. */
export async function request(path, { method = "GET", body, signal } = {}) {
  const init = { method, signal, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(`Cannot reach the server at ${location.origin}. Is it running?`, 0);
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const message = payload && typeof payload.error === "string"
      ? payload.error
      : `The server answered ${response.status} ${response.statusText || ""}`.trim();
    throw new ApiError(message, response.status);
  }
  if (payload === null) throw new ApiError("The server sent an answer that is not JSON.", response.status);
  return payload;
}

/** A query string from an object, leaving out empty values. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== "") search.set(key, String(value).trim());
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
