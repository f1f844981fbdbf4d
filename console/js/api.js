// Calls to the console's JSON API (/console/api/...). The session cookie travels by itself;
// calls that change something carry the CSRF token the session gave.

let csrf = "";
let sessionAnswer = null;
// The server's answers to the first page's calls, written into the page
// ({route: {status, body}}, docs/console.md#the-first-page), so that the first page needs no
// request of its own. Each is taken once, in place of asking; the first read that has none
// (another page opened first) drops the rest, which would be old by the time they are used.
let preloaded = readPreloaded();

function readPreloaded() {
  try {
    return JSON.parse(document.getElementById("preloaded").textContent);
  } catch {
    return {};  // a page without them (not served by autoretrain): every call asks
  }
}

export function setCsrf(token) { csrf = token || ""; }

// GET session, asked once (again after a failure): {authRequired, signedIn, csrf?,
// accessKeyId?}. Keeps its CSRF token.
export function loadSession() {
  sessionAnswer ||= get("session").then((session) => { setCsrf(session.csrf); return session; },
    (error) => { sessionAnswer = null; throw error; });
  return sessionAnswer;
}

// Thrown for a non-2xx answer: {status, error, message} from the server's JSON.
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.error = body.error || `HTTP ${status}`;
  }
}

async function call(method, route, body) {
  const { status, parsed } = method === "GET" && Object.hasOwn(preloaded, route)
    ? takePreloaded(route) : await send(method, route, body);
  if (status < 200 || status > 299) {
    if (status === 401 && route !== "sign-in") window.dispatchEvent(new Event("signin"));
    throw new ApiError(status, parsed);
  }
  return parsed;
}

function takePreloaded(route) {
  const { status, body } = preloaded[route];
  delete preloaded[route];
  return { status, parsed: body };
}

async function send(method, route, body) {
  if (method === "GET") preloaded = {};
  const headers = { "Accept": "application/json" };
  if (method === "POST") {
    headers["Content-Type"] = "application/json";
    headers["X-Console-Csrf"] = csrf;
  }
  const response = await fetch("api/" + route, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = {};
  try { parsed = await response.json(); } catch { /* not JSON: keep {} */ }
  return { status: response.status, parsed };
}

// A read: `params` without their empty values as the query ("executions", not "executions?").
export const get = (route, params) => {
  const query = new URLSearchParams(
    Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== "")).toString();
  return call("GET", query ? route + "?" + query : route);
};
// A change: sent once the session's CSRF token is known (sign-in needs none).
export const post = async (route, body) => {
  if (route !== "sign-in") await loadSession().catch(() => {});
  return call("POST", route, body || {});
};
