// Retraining: per model, a timeline chart of the evaluated decisions (by severity, coloured by
// the policy's verdict) and of the retrainings they started (bars from the pipeline's start to
// its end, coloured by its status, labelled with the version and the duration), the records as
// a table, and the retraining waiting for approval with Approve and Reject buttons.
import { get, post } from "../api.js";
import { h, svg, formatDate, formatDuration, statusBadge, errorBox, arnName } from "../dom.js";

const SEVERITIES = ["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

export function retrainingPage() {
  return async (ctx) => {
    const section = h("section", {}, h("h1", {}, "Retraining"));
    const body = h("div");
    section.append(body);
    const load = async () => {
      const { models } = await get("retraining");
      if (!ctx.alive) return;
      body.replaceChildren(...(models.length ? models.map((m) => modelView(m, load))
        : [h("p.muted", {}, "The project defines no models (\"models\" in autoretrain.json).")]));
    };
    await load();
    ctx.every(5000, () => load().catch(() => {}));
    return section;
  };
}

function modelView(model, reload) {
  return h("article.card.model", { "data-model": model.model },
    h("h2", {}, model.model, model.approvalRequired ? h("span.badge.s-pending", {}, "approval required") : null),
    model.error ? h("p.error", {}, model.error) : null,
    model.pending ? pendingView(model, reload) : null,
    model.pendingError ? h("p.error", {}, model.pendingError) : null,
    model.records.length ? timeline(model.records) : h("p.muted", {}, "No evaluations recorded yet."),
    model.records.length ? recordTable(model.records) : null);
}

function pendingView(model, reload) {
  const reason = h("input", { name: "reason", placeholder: "Reason (optional)", "aria-label": "Reason" });
  const message = h("div");
  const answer = (approve) => async () => {
    try {
      await post(approve ? "approve" : "reject",
        { model: model.model, evaluationId: model.pending.evaluationId, reason: reason.value });
      await reload();
    } catch (error) {
      message.replaceChildren(errorBox(error));
    }
  };
  return h("div.pending", { id: "pending-" + model.model },
    h("h3", {}, "Waiting for approval"),
    h("p", {}, h("code", {}, model.pending.evaluationId), " — ", model.pending.summary),
    h("div.toolbar", {}, reason,
      h("button.primary", { onclick: answer(true), "data-action": "approve" }, "Approve"),
      h("button.danger", { onclick: answer(false), "data-action": "reject" }, "Reject")),
    message);
}

const VERDICT_CLASS = { RETRAIN: "v-retrain", SKIP: "v-skip", QUEUE: "v-queue", NEEDS_APPROVAL: "v-approval" };

function timeline(records) {
  // As wide as the window allows (up to 900), so that its text keeps its size on a phone.
  const W = Math.max(340, Math.min(900, window.innerWidth - 60));
  const H = 230, L = 80, R = 20, laneTop = 20, laneStep = 22, barY = 150;
  const times = [];
  for (const r of records) {
    times.push(Date.parse(r.evaluatedAt));
    if (r.startedAt) times.push(Date.parse(r.startedAt));
    if (r.finishedAt) times.push(Date.parse(r.finishedAt));
  }
  let t0 = Math.min(...times), t1 = Math.max(...times, Date.now());
  if (t1 - t0 < 60000) t0 = t1 - 60000;
  const pad = (t1 - t0) * 0.03;
  t0 -= pad; t1 += pad;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const chart = svg("svg", { class: "timeline", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "retraining timeline", preserveAspectRatio: "xMinYMin meet" });
  SEVERITIES.forEach((s, i) => {
    const y = laneTop + (SEVERITIES.length - 1 - i) * laneStep;
    chart.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "gridline" }),
      svg("text", { x: L - 8, y: y + 4, class: "axis-label", "text-anchor": "end" }, s));
  });
  chart.append(svg("text", { x: L - 8, y: barY + 14, class: "axis-label", "text-anchor": "end" }, "retraining"));
  // Ticks: the time of day when the chart spans less than a day, else the date too.
  const tick = (t) => {
    const text = formatDate(new Date(t).toISOString());
    return t1 - t0 < 86400000 ? text.slice(11) : text.slice(0, 16);
  };
  const ticks = W < 600 ? 2 : 4;
  for (let i = 0; i <= ticks; ++i) {
    const t = t0 + ((t1 - t0) * i) / ticks;
    chart.append(svg("text", { x: x(t), y: H - 8, class: "axis-label",
      "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" }, tick(t)));
  }
  for (const r of records) {
    const sev = SEVERITIES.indexOf(r.severity || "NONE");
    const y = laneTop + (SEVERITIES.length - 1 - Math.max(0, sev)) * laneStep;
    const cx = x(Date.parse(r.evaluatedAt));
    const title = `${formatDate(r.evaluatedAt)} ${r.decision} ${r.severity || ""} → ${r.verdict}: ${r.summary}`;
    chart.append(svg("circle", { cx, cy: y, r: 6, class: `decision ${VERDICT_CLASS[r.verdict] || ""} ${r.decision === "YES" ? "yes" : "no"}`,
      "data-evaluation": r.evaluationId }, svg("title", {}, title)));
    if (r.startedAt || (r.status && r.status !== "REJECTED")) {
      // Without start and end times recorded, a short bar at the evaluation.
      const xs = r.startedAt ? x(Date.parse(r.startedAt)) : cx;
      const xe = r.finishedAt ? x(Date.parse(r.finishedAt)) : r.startedAt ? x(Date.now()) : cx;
      const width = Math.max(6, xe - xs);
      chart.append(svg("line", { x1: cx, x2: xs + 3, y1: y, y2: barY, class: "link-line" }),
        svg("rect", { x: xs, y: barY, width, height: 20, rx: 3, class: "bar b-" + String(r.status || "").toLowerCase() },
          svg("title", {}, `v${r.version ?? "?"} ${r.status} ${formatDuration(r.durationSeconds)}`)),
        // Near the right edge the label ends at the edge instead of starting at the bar.
        svg("text", { x: xs > W - R - 90 ? W - 2 : xs + 2, y: barY + 34, class: "bar-label",
          "text-anchor": xs > W - R - 90 ? "end" : "start" },
        [r.version ? "v" + r.version : "", formatDuration(r.durationSeconds)].filter(Boolean).join(" · ")));
    }
  }
  const legend = h("ul.legend", {}, [["v-retrain", "RETRAIN"], ["v-skip", "SKIP"], ["v-queue", "QUEUE"],
    ["v-approval", "NEEDS_APPROVAL"]].map(([c, l]) => h("li", {}, h("span.dot." + c), l)),
  h("li", {}, h("span.dot.hollow"), "decision NO"),
  [["b-succeeded", "pipeline succeeded"], ["b-failed", "failed or rejected"], ["b-running", "running"],
    ["b-queued", "queued or awaiting approval"]].map(([c, l]) => h("li", {}, h("span.bar-swatch." + c), l)));
  return h("div.chart", {}, chart, legend);
}

function recordTable(records) {
  return h("div.scroll", {}, h("table.list.records", {},
    h("thead", {}, h("tr", {}, ["Evaluated", "Decision", "Severity", "Verdict", "Version", "Pipeline", "Duration"].map((t) => h("th", {}, t)))),
    h("tbody", {}, records.slice(0, 50).map((r) => h("tr", { "data-evaluation": r.evaluationId },
      h("td.nowrap", {}, formatDate(r.evaluatedAt)),
      h("td", {}, r.decision + (r.stale ? " (stale)" : "")),
      h("td", {}, r.severity || ""),
      h("td", { title: r.summary }, r.verdict),
      h("td", {}, r.version ? "v" + r.version : ""),
      h("td", {}, r.status ? statusBadge(r.status) : "",
        r.executionArn ? [" ", h("a", { href: "#/execution/" + encodeURIComponent(r.executionArn) }, arnName(r.executionArn))] : null),
      h("td.nowrap", {}, formatDuration(r.durationSeconds)))))));
}
