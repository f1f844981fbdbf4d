// Small DOM helpers shared by the pages: element building, formatting of dates, durations
// and statuses. Nothing here talks to the server.

// h("tag.class", {attr: value, onclick: fn}, child, ...): an element. Children may be
// strings, nodes, arrays or null (skipped).
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// An SVG element with attributes.
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, value);
  }
  append(el, children);
  return el;
}

// Dates come as epoch seconds (the Step Functions API) or ISO 8601 text (the ledger).
export function toDate(value) {
  if (value === null || value === undefined || value === "") return null;
  return typeof value === "number" ? new Date(value * 1000) : new Date(value);
}

export function formatDate(value) {
  const d = toDate(value);
  if (!d || isNaN(d)) return "";
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return "";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// Seconds between two API dates (the second absent: now).
export function between(start, stop) {
  const a = toDate(start), b = stop ? toDate(stop) : new Date();
  return a ? (b - a) / 1000 : null;
}

export function statusBadge(status) {
  return h("span.badge.s-" + String(status || "none").toLowerCase(), {}, status || "—");
}

// The last part of an ARN (a state machine's or an execution's name).
export function arnName(arn) {
  const parts = String(arn || "").split(":");
  return parts[parts.length - 1];
}

// Pretty JSON for a value or JSON text.
export function pretty(value) {
  if (typeof value === "string") {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

export function errorBox(error) {
  return h("div.error", { role: "alert" }, h("strong", {}, error.error || "Error"), ": ",
    error.message || String(error));
}
