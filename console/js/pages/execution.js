// Execution detail: the definition as a graph coloured by what happened, the selected state's
// input and output, the event history, a Stop button; polled every second while it runs.
import { get, post } from "../api.js";
import { h, formatDate, formatDuration, between, statusBadge, arnName, pretty, errorBox } from "../dom.js";
import { renderGraph } from "../graph.js";
import { analyse } from "../history.js";

const LEGEND = [["succeeded", "Succeeded"], ["failed", "Failed"], ["caught", "Caught"],
  ["running", "Running"], ["notreached", "Not reached"]];

export function executionPage(arn) {
  return async (ctx) => {
    let selected = null;
    let data = await get("execution", { arn });
    const head = h("div");
    const graphBox = h("div.graph-box");
    const side = h("aside.state-panel", { id: "state-panel" });
    const events = h("div.scroll");
    const message = h("div");

    const render = () => {
      const ex = data.execution;
      const definition = JSON.parse(data.stateMachine.definition);
      const { states, edges } = analyse(data.events, ex.status);
      const childLinks = new Map();
      for (const [name, s] of states) {
        if (s.childArn) childLinks.set(name, { href: "#/execution/" + encodeURIComponent(s.childArn), label: arnName(s.childArn) });
      }
      const running = ex.status === "RUNNING";
      head.replaceChildren(
        h("div.toolbar", {},
          h("h1", {}, ex.name), statusBadge(ex.status),
          running ? h("button.danger", { id: "stop", onclick: stop }, "Stop") : null),
        h("dl.facts", {},
          h("dt", {}, "State machine"), h("dd", {}, h("a", { href: "#/state-machine/" + encodeURIComponent(ex.stateMachineArn) }, arnName(ex.stateMachineArn))),
          h("dt", {}, "Started"), h("dd", {}, formatDate(ex.startDate)),
          h("dt", {}, "Duration"), h("dd", {}, formatDuration(between(ex.startDate, ex.stopDate)) + (running ? " (running)" : "")),
          ex.error ? [h("dt", {}, "Error"), h("dd", {}, ex.error + (ex.cause ? ": " + ex.cause : ""))] : null,
          h("dt", {}, "ARN"), h("dd.arn", {}, ex.executionArn)),
        h("ul.legend", {}, LEGEND.map(([cls, label]) => h("li", {}, h("span.swatch.st-" + cls), label))));
      graphBox.replaceChildren(renderGraph(definition, {
        statuses: states,
        taken: (from, to) => edges.has(from + "->" + to) ||
          (to === "#end" && ["succeeded", "caught"].includes(states.get(from)?.status)),
        onSelect: (name) => { selected = name; showState(states, childLinks); },
        childLinks,
      }));
      showState(states, childLinks);
      events.replaceChildren(eventTable(data.events));
    };

    const showState = (states, childLinks) => {
      if (!selected) {
        side.replaceChildren(h("p.muted", {}, "Select a state to see its input and output."));
        return;
      }
      const s = states.get(selected);
      const child = childLinks.get(selected);
      // replaceChildren would print a null as "null": the optional lines are filtered out.
      side.replaceChildren(...[
        h("h2", {}, selected),
        h("p", {}, s ? h("span.badge.st-" + s.status, {}, s.status) : h("span.badge.st-notreached", {}, "not reached")),
        child ? h("p", {}, "Started execution ", h("a", { href: child.href }, child.label)) : null,
        s && s.error ? h("p.error", {}, s.error + (s.cause ? ": " + s.cause : "")) : null,
        h("h3", {}, "Input"), h("pre.json", { id: "state-input" }, s && s.input !== undefined ? pretty(s.input) : "—"),
        h("h3", {}, "Output"), h("pre.json", { id: "state-output" }, s && s.output !== undefined ? pretty(s.output) : "—"),
      ].filter(Boolean));
    };

    const stop = async () => {
      if (!confirm("Stop this execution?")) return;
      try {
        await post("stop", { executionArn: arn });
        data = await get("execution", { arn });
        render();
      } catch (error) {
        message.replaceChildren(errorBox(error));
      }
    };

    render();
    ctx.every(1000, async () => {
      if (data.execution.status !== "RUNNING") return;
      try {
        const next = await get("execution", { arn });
        if (!ctx.alive) return;
        data = next;
        render();
      } catch { /* keep the last view; the next poll tries again */ }
    });
    return h("section", {}, head, message,
      h("div.split", {}, graphBox, side),
      h("h2", {}, "Events"), events);
  };
}

function eventTable(events) {
  const detail = (e) => {
    for (const [key, value] of Object.entries(e)) {
      if (key.endsWith("EventDetails")) return value;
    }
    return null;
  };
  const start = events.length ? events[0].timestamp : null;
  return h("table.list.events", { id: "events" },
    h("thead", {}, h("tr", {}, ["ID", "Type", "Step", "Elapsed", "Time", "Details"].map((t) => h("th", {}, t)))),
    h("tbody", {}, events.map((e) => {
      const d = detail(e);
      const text = d ? pretty(Object.fromEntries(Object.entries(d).filter(([k]) => k !== "name"))) : "";
      return h("tr", { class: /Failed|TimedOut|Aborted/.test(e.type) ? "bad" : "" },
        h("td", {}, e.id), h("td", {}, e.type), h("td", {}, d && d.name ? d.name : ""),
        h("td.nowrap", {}, formatDuration(between(start, e.timestamp))),
        h("td.nowrap", {}, formatDate(e.timestamp)),
        h("td", {}, text && text !== "{}" ? h("details", {}, h("summary", {}, "show"), h("pre.json", {}, text)) : ""));
    })));
}
