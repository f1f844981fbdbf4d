// Executions: every execution of every state machine (newest first) with a status filter
// and a search by name.
import { get } from "../api.js";
import { h, formatDate, formatDuration, between, statusBadge, arnName } from "../dom.js";

const STATUSES = ["", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

export function executionsPage() {
  return async (ctx) => {
    const params = new URLSearchParams(location.hash.split("?")[1] || "");
    const status = h("select", { name: "status", "aria-label": "Status" },
      STATUSES.map((s) => h("option", { value: s, selected: s === (params.get("status") || "") }, s || "All statuses")));
    const name = h("input", { name: "name", type: "search", placeholder: "Search by name",
      "aria-label": "Search by name", value: params.get("name") || "" });
    const body = h("div");
    const load = async () => {
      const list = await get("executions", { status: status.value, name: name.value.trim() });
      if (!ctx.alive) return;
      body.replaceChildren(table(list));
    };
    let timer = null;
    name.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 200); });
    status.addEventListener("change", load);
    await load();
    ctx.every(5000, () => load().catch(() => {}));
    return h("section", {},
      h("div.toolbar", {}, h("h1", {}, "Executions"), status, name,
        h("button", { onclick: load }, "Refresh")),
      body);
  };
}

function table(list) {
  const rows = list.executions.map((e) => h("tr", { "data-status": e.status },
    h("td", {}, h("a", { href: "#/execution/" + encodeURIComponent(e.executionArn) }, e.name)),
    h("td", {}, h("a", { href: "#/state-machine/" + encodeURIComponent(e.stateMachineArn) }, arnName(e.stateMachineArn))),
    h("td", {}, statusBadge(e.status)),
    h("td.nowrap", {}, formatDate(e.startDate)),
    h("td.nowrap", {}, formatDuration(between(e.startDate, e.stopDate)))));
  if (!rows.length) return h("p.muted", {}, "No executions match.");
  return h("div.scroll", {}, h("table.list", { id: "executions" },
    h("thead", {}, h("tr", {}, ["Name", "State machine", "Status", "Started", "Duration"].map((t) => h("th", {}, t)))),
    h("tbody", {}, rows)),
  list.truncated ? h("p.muted", {}, "Showing the newest 500.") : null);
}
