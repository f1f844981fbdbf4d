// Calls to the console's JSON API (/console/api/...). The session cookie travels by itself;
// calls that change something carry the CSRF token the session gave.

let csrf = "";
let sessionAnswer = null;

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
  if (!response.ok) {
    const error = new ApiError(response.status, parsed);
    if (response.status === 401 && route !== "sign-in") window.dispatchEvent(new Event("signin"));
    throw error;
  }
  return parsed;
}

export const get = (route, params) => {
  const query = params ? "?" + new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== "")).toString() : "";
  return call("GET", route + query);
};
// A change: sent once the session's CSRF token is known (sign-in needs none).
export const post = async (route, body) => {
  if (route !== "sign-in") await loadSession().catch(() => {});
  return call("POST", route, body || {});
};
