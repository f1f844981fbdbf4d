// State machines: the list, and one machine's definition as a graph and as JSON, with its
// latest executions.
import { get } from "../api.js";
import { h, formatDate, statusBadge, pretty } from "../dom.js";
import { renderGraph } from "../graph.js";

export function stateMachinesPage() {
  return async () => {
    const { stateMachines } = await get("state-machines");
    return h("section", {}, h("h1", {}, "State machines"),
      stateMachines.length ? h("div.scroll", {}, h("table.list", { id: "state-machines" },
        h("thead", {}, h("tr", {}, ["Name", "Type", "Created"].map((t) => h("th", {}, t)))),
        h("tbody", {}, stateMachines.map((m) => h("tr", {},
          h("td", {}, h("a", { href: "#/state-machine/" + encodeURIComponent(m.stateMachineArn) }, m.name)),
          h("td", {}, m.type), h("td.nowrap", {}, formatDate(m.creationDate)))))))
        : h("p.muted", {}, "No state machines."));
  };
}

export function stateMachinePage(arn) {
  return async () => {
    const [machine, executions] = await Promise.all([
      get("state-machine", { arn }), get("executions", { stateMachineArn: arn })]);
    const definition = JSON.parse(machine.definition);
    return h("section", {},
      h("div.toolbar", {}, h("h1", {}, machine.name), h("span.muted", {}, machine.type)),
      h("p.arn", {}, machine.stateMachineArn),
      h("div.split", {},
        h("div.graph-box", {}, renderGraph(definition)),
        h("aside.json-panel", {}, h("h2", {}, "Definition"), h("pre.json", { id: "definition" }, pretty(machine.definition)))),
      h("h2", {}, "Latest executions"),
      executions.executions.length ? h("div.scroll", {}, h("table.list", {},
        h("tbody", {}, executions.executions.slice(0, 20).map((e) => h("tr", {},
          h("td", {}, h("a", { href: "#/execution/" + encodeURIComponent(e.executionArn) }, e.name)),
          h("td", {}, statusBadge(e.status)), h("td.nowrap", {}, formatDate(e.startDate)))))))
        : h("p.muted", {}, "No executions yet."));
  };
}
