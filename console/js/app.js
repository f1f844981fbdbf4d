// The console's entry: the session (sign-in form when the server has credentials), the
// hash router (#/executions, #/execution/ARN, #/state-machines, #/state-machine/ARN,
// #/retraining, #/schedules) and the page lifecycle (a page's timers stop when another opens).
// A page asks for its data while the session is being asked for: without a session that call
// is refused (401), which shows the sign-in form, so nothing waits for the session. The build
// puts every module in the page, so that opening a page loads nothing; the executions page's
// first answers come in the page too (docs/console.md#the-first-page).
import { post, setCsrf, loadSession } from "./api.js";
import { h, errorBox } from "./dom.js";

const main = document.getElementById("main");
let current = null;  // {stop()} of the open page
let session = null;  // null until known
let firstRender = true;
const RETRY_MS = 5000;  // a page that failed to load tries again after this

// [path pattern, nav entry, the page's module, its page(module, match) -> (ctx) => element].
const ROUTES = [
  [/^\/executions$/, "executions", () => import("./pages/executions.js"), (p) => p.executionsPage()],
  [/^\/execution\/(.+)$/, "executions", () => import("./pages/execution.js"),
    (p, m) => p.executionPage(decodeURIComponent(m[1]))],
  [/^\/state-machines$/, "state-machines", () => import("./pages/state_machines.js"), (p) => p.stateMachinesPage()],
  [/^\/state-machine\/(.+)$/, "state-machines", () => import("./pages/state_machines.js"),
    (p, m) => p.stateMachinePage(decodeURIComponent(m[1]))],
  [/^\/retraining$/, "retraining", () => import("./pages/retraining.js"), (p) => p.retrainingPage()],
  [/^\/schedules$/, "schedules", () => import("./pages/schedules.js"), (p) => p.schedulesPage()],
];

// The open page's context: whether it is still the open page, and its timers.
export class PageContext {
  constructor() { this.alive = true; this.timers = []; }
  every(ms, fn) { this.timers.push(setInterval(fn, ms)); }
  stop() { this.alive = false; this.timers.forEach(clearInterval); }
}

async function route() {
  if (current) current.stop();
  if (session && session.authRequired && !session.signedIn) return showSignIn();
  const path = location.hash.replace(/^#/, "") || "/executions";
  for (const [pattern, nav, load, page] of ROUTES) {
    const m = path.match(pattern);
    if (!m) continue;
    markNav(nav);
    const ctx = new PageContext();
    current = ctx;
    try {
      const content = await page(await load(), m)(ctx);
      if (!ctx.alive) return;
      main.replaceChildren(content);
    } catch (error) {
      // Refused for want of a session: the sign-in form is shown. Anything else: the error,
      // and when it may pass (the daemon restarting, a server error) another try in a while.
      if (ctx.alive && error.status !== 401) {
        main.replaceChildren(errorBox(error));
        if (!(error.status >= 400 && error.status < 500)) setTimeout(() => { if (ctx.alive) route(); }, RETRY_MS);
      }
    }
    if (firstRender) {
      firstRender = false;
      performance.mark("console-first-page");
      document.body.dataset.firstPageMs = String(Math.round(performance.now()));
    }
    return;
  }
  location.hash = "#/executions";
}

// Highlights the navigation entry `page` (none: null).
function markNav(page) {
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.page === page);
}

function showWho() {
  const who = document.getElementById("who");
  who.replaceChildren();
  if (session && session.authRequired && session.signedIn) {
    who.append(h("span.muted", {}, session.accessKeyId, " "),
      h("button.link", { onclick: signOut }, "Sign out"));
  }
}

async function signOut() {
  try { await post("sign-out"); } catch { /* the session is gone either way */ }
  session = { authRequired: true, signedIn: false };
  showWho();
  showSignIn();
}

function showSignIn() {
  const message = h("div");
  const id = h("input", { name: "accessKeyId", autocomplete: "username", required: true, spellcheck: "false" });
  const secret = h("input", { name: "secretAccessKey", type: "password", autocomplete: "current-password", required: true });
  const form = h("form.signin", {
    onsubmit: async (ev) => {
      ev.preventDefault();
      message.replaceChildren();
      try {
        session = await post("sign-in", { accessKeyId: id.value.trim(), secretAccessKey: secret.value });
        setCsrf(session.csrf);
        secret.value = "";
        showWho();
        route();
      } catch (error) {
        message.replaceChildren(errorBox(error));
      }
    },
  },
  h("h1", {}, "Sign in"),
  h("p.muted", {}, "Use an access key of the server's credentials file (--credentials-file)."),
  h("label", {}, "Access key ID", id),
  h("label", {}, "Secret access key", secret),
  h("button.primary", { type: "submit" }, "Sign in"),
  message);
  markNav(null);
  main.replaceChildren(form);
  id.focus();
}

function start() {
  window.addEventListener("hashchange", route);
  window.addEventListener("signin", () => {
    session = { authRequired: true, signedIn: false };
    if (current) current.stop();
    showWho();
    showSignIn();
  });
  // A failure is the page's to show: its own call fails too, and POSTs ask again.
  loadSession().then((answer) => {
    session ||= answer;  // unless a refused call or a sign-in told first
    showWho();
  }, () => {});
  route();
}

start();
