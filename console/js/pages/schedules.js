// Schedules: each schedule of the project with its expression, time zone, next fire times
// and the executions its last slots started.
import { get } from "../api.js";
import { h, formatDate, statusBadge } from "../dom.js";

export function schedulesPage() {
  return async () => {
    const { schedules } = await get("schedules");
    if (!schedules.length) {
      return h("section", {}, h("h1", {}, "Schedules"),
        h("p.muted", {}, "The project defines no schedules (\"schedules\" in autoretrain.json)."));
    }
    return h("section", {}, h("h1", {}, "Schedules"),
      h("div.cards", { id: "schedules" }, schedules.map((s) => h("article.card", { "data-schedule": s.name },
        h("h2", {}, s.name, s.enabled ? null : h("span.badge.s-aborted", {}, "DISABLED")),
        h("dl.facts", {},
          h("dt", {}, "Expression"), h("dd", {}, h("code", {}, s.expression)),
          h("dt", {}, "Time zone"), h("dd", {}, s.timezone),
          h("dt", {}, "Starts"), h("dd", {}, s.stateMachineArn
            ? h("a", { href: "#/state-machine/" + encodeURIComponent(s.stateMachineArn) }, s.stateMachine)
            : s.stateMachine)),
        h("h3", {}, "Next fire times (UTC)"),
        s.nextError ? h("p.error", {}, s.nextError)
          : s.next.length ? h("ol.times", {}, s.next.map((t) => h("li", {}, t.replace("T", " ").replace(".000Z", " UTC"))))
            : h("p.muted", {}, "None."),
        h("h3", {}, "Last executions"),
        s.last.length ? h("table.list", {}, h("tbody", {}, s.last.map((e) => h("tr", {},
          h("td", {}, h("a", { href: "#/execution/" + encodeURIComponent(e.executionArn) }, e.name)),
          h("td", {}, statusBadge(e.status)), h("td.nowrap", {}, formatDate(e.startDate))))))
          : h("p.muted", {}, "None yet.")))));
  };
}
