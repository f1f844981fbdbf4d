// The console's entry: the session (sign-in form when the server has credentials), the
// hash router (#/executions, #/execution/ARN, #/state-machines, #/state-machine/ARN,
// #/retraining, #/schedules) and the page lifecycle (a page's timers stop when another opens).
import { get, post, setCsrf } from "./api.js";
import { h, errorBox } from "./dom.js";
import { executionsPage } from "./pages/executions.js";
import { executionPage } from "./pages/execution.js";
import { stateMachinesPage, stateMachinePage } from "./pages/state_machines.js";
import { retrainingPage } from "./pages/retraining.js";
import { schedulesPage } from "./pages/schedules.js";

const main = document.getElementById("main");
let current = null;  // {stop()} of the open page
let session = null;
let firstRender = true;

const ROUTES = [
  [/^\/executions$/, "executions", () => executionsPage()],
  [/^\/execution\/(.+)$/, "executions", (m) => executionPage(decodeURIComponent(m[1]))],
  [/^\/state-machines$/, "state-machines", () => stateMachinesPage()],
  [/^\/state-machine\/(.+)$/, "state-machines", (m) => stateMachinePage(decodeURIComponent(m[1]))],
  [/^\/retraining$/, "retraining", () => retrainingPage()],
  [/^\/schedules$/, "schedules", () => schedulesPage()],
];

// The open page's context: whether it is still the open page, and its timers.
export class PageContext {
  constructor() { this.alive = true; this.timers = []; }
  every(ms, fn) { this.timers.push(setInterval(fn, ms)); }
  stop() { this.alive = false; this.timers.forEach(clearInterval); }
}

async function route() {
  if (current) current.stop();
  if (!session || (session.authRequired && !session.signedIn)) return showSignIn();
  const path = location.hash.replace(/^#/, "") || "/executions";
  for (const [pattern, nav, page] of ROUTES) {
    const m = path.match(pattern);
    if (!m) continue;
    for (const a of document.querySelectorAll("#nav a")) {
      a.classList.toggle("active", a.dataset.page === nav);
    }
    const ctx = new PageContext();
    current = ctx;
    try {
      const content = await page(m)(ctx);
      if (!ctx.alive) return;
      main.replaceChildren(content);
    } catch (error) {
      if (ctx.alive && error.status !== 401) main.replaceChildren(errorBox(error));
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
  main.replaceChildren(form);
  id.focus();
}

async function start() {
  try {
    session = await get("session");
    setCsrf(session.csrf);
  } catch (error) {
    main.replaceChildren(errorBox(error));
    return;
  }
  showWho();
  window.addEventListener("hashchange", route);
  window.addEventListener("signin", () => {
    session = { authRequired: true, signedIn: false };
    if (current) current.stop();
    showWho();
    showSignIn();
  });
  route();
}

start();
