// The definition of a state machine drawn as a graph (SVG), laid out here: states in layers
// top to bottom by their distance from StartAt, Parallel and Map states as containers with
// their branches laid out inside, Choice edges labelled with their rule, Catch edges dashed.
// Edge labels never overlap each other, states or child links (placeLabels). Optionally each
// state is coloured by what happened to it (statuses from history.js).
import { svg } from "./dom.js";

const NODE_W = 200, NODE_H = 44, GAP_X = 28, GAP_Y = 58, PAD = 16, HEAD = 30, CIRCLE = 14;
// Edge labels: their line height, the longest text drawn (the whole rule is in a tooltip), and
// the font of `svg.graph .edge-label` in console.css (for measuring).
const LABEL_H = 14, LABEL_CHARS = 42, LABEL_FONT_PX = 11;
// The room on the right of a layout for the edges that go back up, and their labels; the
// distance between two such edges' vertical runs and between their horizontal runs in a gap.
const BACK_W = 140, LANE_X = 8, LANE_Y = 5;

const OPERATORS = {
  StringEquals: "==", NumericEquals: "==", BooleanEquals: "==", TimestampEquals: "==",
  StringLessThan: "<", NumericLessThan: "<", TimestampLessThan: "<",
  StringGreaterThan: ">", NumericGreaterThan: ">", TimestampGreaterThan: ">",
  StringLessThanEquals: "<=", NumericLessThanEquals: "<=", TimestampLessThanEquals: "<=",
  StringGreaterThanEquals: ">=", NumericGreaterThanEquals: ">=",
  TimestampGreaterThanEquals: ">=", StringMatches: "matches",
};
const TESTS = {
  IsPresent: "is present", IsNull: "is null", IsString: "is string", IsNumeric: "is numeric",
  IsBoolean: "is boolean", IsTimestamp: "is timestamp",
};

// A Choice rule as text: `$.decision == "YES"`, `($.a > 1) and ($.b is present)`, ...
export function ruleText(rule) {
  if (!rule || typeof rule !== "object") return "";
  if (typeof rule.Condition === "string") return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, "");
  if (Array.isArray(rule.And)) return rule.And.map((r) => `(${ruleText(r)})`).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => `(${ruleText(r)})`).join(" or ");
  if (rule.Not) return `not (${ruleText(rule.Not)})`;
  for (const [key, value] of Object.entries(rule)) {
    const path = key.endsWith("Path") && key !== "Variable";
    const name = path ? key.slice(0, -4) : key;
    if (OPERATORS[name]) {
      return `${rule.Variable} ${OPERATORS[name]} ${path ? value : JSON.stringify(value)}`;
    }
    if (TESTS[name]) return `${rule.Variable} ${value ? "" : "not "}${TESTS[name]}`;
  }
  return "rule";
}

// The transitions out of a state: [{to, kind: next|choice|default|catch, label}].
function transitions(state) {
  const out = [];
  if (state.Type === "Choice") {
    for (const rule of state.Choices || []) out.push({ to: rule.Next, kind: "choice", label: ruleText(rule) });
    if (state.Default) out.push({ to: state.Default, kind: "default", label: "Default" });
  } else if (state.Next) {
    out.push({ to: state.Next, kind: "next", label: "" });
  }
  for (const c of state.Catch || []) {
    out.push({ to: c.Next, kind: "catch", label: "Catch " + (c.ErrorEquals || []).join(", ") });
  }
  return out;
}

const isEnd = (s) => s.End === true || s.Type === "Succeed" || s.Type === "Fail";

function branchesOf(state) {
  if (state.Type === "Parallel") return state.Branches || [];
  if (state.Type === "Map") {
    const inner = state.ItemProcessor || state.Iterator;
    return inner ? [inner] : [];
  }
  return [];
}

// Lays out one machine (States, StartAt): {w, h, nodes, edges}, positions relative to it.
function layout(machine) {
  const states = machine.States || {};
  const names = Object.keys(states);
  // Layers: BFS distance from StartAt; unreachable states go below.
  const level = new Map();
  const queue = [];
  if (states[machine.StartAt]) { level.set(machine.StartAt, 1); queue.push(machine.StartAt); }
  while (queue.length) {
    const name = queue.shift();
    for (const t of transitions(states[name])) {
      if (states[t.to] && !level.has(t.to)) { level.set(t.to, level.get(name) + 1); queue.push(t.to); }
    }
  }
  let maxLevel = Math.max(0, ...level.values());
  for (const name of names) if (!level.has(name)) level.set(name, ++maxLevel);
  // Sizes: containers hold their branches side by side.
  const nodes = new Map();
  for (const name of names) {
    const state = states[name];
    const inner = branchesOf(state).map(layout);
    let w = NODE_W, h = NODE_H;
    if (inner.length) {
      w = Math.max(NODE_W, inner.reduce((sum, b) => sum + b.w, 0) + GAP_X * (inner.length - 1) + 2 * PAD);
      h = HEAD + Math.max(...inner.map((b) => b.h)) + PAD;
    }
    nodes.set(name, { name, state, type: state.Type, w, h, inner, level: level.get(name) });
  }
  // Rows: the start circle (level 0), the states' levels, the end circle.
  const rows = [];
  for (const node of nodes.values()) (rows[node.level] ||= []).push(node);
  const start = { name: "#start", type: "Start", w: CIRCLE * 2, h: CIRCLE * 2, level: 0 };
  const end = { name: "#end", type: "End", w: CIRCLE * 2, h: CIRCLE * 2, level: maxLevel + 1 };
  rows[0] = [start];
  rows[maxLevel + 1] = [end];
  const edges = [];
  if (states[machine.StartAt]) edges.push({ from: start, to: nodes.get(machine.StartAt), kind: "next", label: "" });
  for (const n of nodes.values()) {
    for (const t of transitions(n.state)) {
      if (nodes.has(t.to)) edges.push({ from: n, to: nodes.get(t.to), kind: t.kind, label: t.label, text: shorten(t.label) });
    }
    if (isEnd(n.state)) edges.push({ from: n, to: end, kind: "next", label: "" });
  }
  // How each edge runs (edgeShape): down to a lower row, across to another state of its row
  // (through the gap below the row), in a loop on its own state, or around (by the room on the
  // right side) to a higher row, or to a lower one when going straight down would cross a
  // state in between (decided once the states are placed). Runs that share a gap or the right
  // side get lanes of their own (assigned once the states are placed).
  for (const e of edges) {
    if (e.to.level > e.from.level) e.route = "down";
    else if (e.to === e.from) e.route = "self";
    else if (e.to.level === e.from.level) e.route = "across";
    else e.route = "around";
  }
  // The gap below a row holds the labels of the edges that leave it downwards or across: a
  // line each and two to spare (for a child link), though placeLabels shares lines where it can.
  const labelsBelow = [];
  for (const e of edges) {
    if (e.label && (e.route === "down" || e.route === "across")) {
      labelsBelow[e.from.level] = (labelsBelow[e.from.level] || 0) + 1;
    }
  }
  let width = 0;
  for (const row of rows) {
    if (!row) continue;
    width = Math.max(width, row.reduce((s, n) => s + n.w, 0) + GAP_X * (row.length - 1));
  }
  width += 2 * PAD + BACK_W;
  const gaps = [];  // [{top, bottom}] of the gap below each row, by level
  let y = PAD;
  rows.forEach((row, r) => {
    if (!row) return;
    const rowW = row.reduce((s, n) => s + n.w, 0) + GAP_X * (row.length - 1);
    const rowH = Math.max(...row.map((n) => n.h));
    let x = PAD + (width - BACK_W - 2 * PAD - rowW) / 2;
    for (const n of row) { n.x = x; n.y = y + (rowH - n.h) / 2; x += n.w + GAP_X; }
    const gap = Math.max(GAP_Y, LABEL_H * ((labelsBelow[r] || 0) + 3));
    gaps[r] = { top: y + rowH, bottom: y + rowH + gap };
    y += rowH + gap;
  });
  for (const e of edges) {
    if (e.route !== "down" || e.to.level === e.from.level + 1) continue;
    const between = rows.slice(e.from.level + 1, e.to.level).flat().filter(Boolean);
    if (downCurvePoints(e).some(([x, y]) => between.some((n) =>
      x > n.x - 4 && x < n.x + n.w + 4 && y > n.y - 4 && y < n.y + n.h + 4))) {
      e.route = "around";
    }
  }
  // Lanes: the run in the gap below the source's row (across and around), the vertical run on
  // the right and the run in the gap above the target's row (around).
  const below = [], above = [];
  let side = 0;
  for (const e of edges) {
    if (e.route === "across" || e.route === "around") {
      e.belowLane = below[e.from.level] = (below[e.from.level] ?? -1) + 1;
    }
    if (e.route === "around") {
      e.sideLane = side++;
      e.aboveLane = above[e.to.level] = (above[e.to.level] ?? -1) + 1;
    }
  }
  return { w: width, h: gaps[maxLevel + 1].top + PAD, nodes: [start, ...nodes.values(), end], edges, gaps };
}

// The geometry of an edge in layout `g`: its path, and where its label may go: `xAt(y)`, the
// edge's x at height y in the gap below its source's row (a downward edge, following its curve,
// or one across its row, at the middle of its run under the row), or `loopX`, the x right of
// which the label of an edge going around sits, near `midY`. No edge runs through a state:
// the ones that stay in their row or go around leave their source from below and reach their
// target through the gaps and the room on the right, never along a row.
function edgeShape(e, g) {
  const from = e.from, to = e.to;
  if (e.route === "self") {  // a small loop on the state's right side
    const sx = from.x + from.w, cy = from.y + from.h / 2, ox = sx + 30;
    return { d: `M${sx},${cy - 8} C${ox},${cy - 22} ${ox},${cy + 22} ${sx},${cy + 8}`,
      loopX: sx + 22.5, midY: cy };
  }
  if (e.route === "across" || e.route === "around") {
    const x1 = from.x + from.w * 0.75, y1 = from.y + from.h;
    const below = g.gaps[from.level].top + 10 + LANE_Y * e.belowLane;
    if (e.route === "across") {  // down into the gap, along it, up into the target
      const x2 = to.x + to.w * 0.75, y2 = to.y + to.h;
      return { d: `M${x1},${y1} L${x1},${below} L${x2},${below} L${x2},${y2}`,
        xAt: () => (x1 + x2) / 2, runY: below };
    }
    // down into the gap, right to the room on the right, up (or down) to the gap above the
    // target's row, left above the target, down into it
    const loopX = g.w - BACK_W - PAD + 14 + LANE_X * e.sideLane;
    const above = g.gaps[to.level - 1].bottom - 10 - LANE_Y * e.aboveLane;
    const x2 = to.x + to.w * 0.75;
    return { d: `M${x1},${y1} L${x1},${below} L${loopX},${below} L${loopX},${above} L${x2},${above} L${x2},${to.y}`,
      loopX, midY: (below + above) / 2 };
  }
  const [x1, y1, x2, y2, my] = downCurve(e);
  return { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`,
    xAt: (y) => curveXAt([x1, y1, x2, y2, my], y) };
}

// A downward edge's cubic curve, from the middle of its source's bottom to the middle of its
// target's top: [x1, y1, x2, y2, my] (both control points at height my).
function downCurve(e) {
  const x1 = e.from.x + e.from.w / 2, y1 = e.from.y + e.from.h;
  const x2 = e.to.x + e.to.w / 2, y2 = e.to.y;
  return [x1, y1, x2, y2, (y1 + y2) / 2];
}

// 49 points along a downward edge's curve.
function downCurvePoints(e) {
  const [x1, y1, x2, y2, my] = downCurve(e);
  const points = [];
  for (let i = 0; i <= 48; ++i) points.push([bezier(x1, x1, x2, x2, i / 48), bezier(y1, my, my, y2, i / 48)]);
  return points;
}

// The x where a downward edge's curve crosses height y (the curve's y grows with t).
function curveXAt([x1, y1, x2, y2, my], y) {
  let lo = 0, hi = 1;
  for (let i = 0; i < 30; ++i) {
    const t = (lo + hi) / 2;
    if (bezier(y1, my, my, y2, t) < y) lo = t; else hi = t;
  }
  return bezier(x1, x1, x2, x2, (lo + hi) / 2);
}

let measureContext = null;
// The width of `text` in the edge labels' font.
function textWidth(text) {
  if (!measureContext) {
    measureContext = document.createElement("canvas").getContext("2d");
    measureContext.font = `${LABEL_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  }
  return measureContext.measureText(text).width;
}

// A label as drawn: at most LABEL_CHARS characters and, given `width`, as many as fit in it.
function shorten(label, width) {
  let text = label.length > LABEL_CHARS ? label.slice(0, LABEL_CHARS - 1) + "…" : label;
  while (width !== undefined && text.length > 2 && textWidth(text) > width) text = text.slice(0, -2) + "…";
  return text;
}

// One coordinate of a cubic Bézier curve with control values a, b, c, d at t in [0, 1].
const bezier = (a, b, c, d, t) => (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * d;

const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

// Where each labelled edge of `g` puts its label: {text, x, y (baseline), anchor} by edge, so
// that no two labels overlap and none covers a state or a child link (`linked`: names of states
// that carry one under them). The label of an edge running down or across its row sits on it,
// in the gap below its source's row, on the lowest line where it collides with nothing; that
// gap has a line per label, so there is always one. A label of an edge going around (or
// looping on its own state) sits right of its vertical run, as close to its middle as it can,
// shortened to fit in the room left there.
function placeLabels(g, linked) {
  const taken = [];
  for (const n of g.nodes) {
    taken.push({ x1: n.x, x2: n.x + n.w, y1: n.y, y2: n.y + n.h });
    if (linked.has(n.name)) taken.push({ x1: n.x, x2: n.x + NODE_W, y1: n.y + n.h, y2: n.y + n.h + LABEL_H + 4 });
  }
  const free = (box) => box.x1 >= 0 && box.x2 <= g.w && !taken.some((t) => overlaps(t, box));
  const placed = new Map();
  const labelled = g.edges.filter((e) => e.label);
  const inGap = labelled.filter((e) => e.route === "down" || e.route === "across");
  const beside = labelled.filter((e) => e.route === "around" || e.route === "self");
  for (const e of inGap) {
    const shape = edgeShape(e, g);
    const gap = g.gaps[e.from.level];
    const w = textWidth(e.text) + 4;
    // Lines from the gap's bottom up, or for a run across, from just under it down.
    const bases = [];
    if (shape.runY === undefined) {
      for (let base = gap.bottom - 6; base - LABEL_H + 2 >= gap.top; base -= LABEL_H) bases.push(base);
    } else {
      for (let base = shape.runY + LABEL_H; base + 3 <= gap.bottom; base += LABEL_H) bases.push(base);
      if (!bases.length) bases.push(shape.runY + LABEL_H);
    }
    let best = null;
    for (const base of bases) {
      const cx = Math.min(Math.max(shape.xAt(base - LABEL_H / 2), w / 2 + 2), g.w - w / 2 - 2);
      const box = { x1: cx - w / 2, x2: cx + w / 2, y1: base - LABEL_H + 2, y2: base + 3 };
      best ||= { text: e.text, x: cx, y: base, anchor: "middle", box };
      if (free(box)) { best = { text: e.text, x: cx, y: base, anchor: "middle", box }; break; }
    }
    taken.push(best.box);
    placed.set(e, best);
  }
  for (const e of beside) {
    const shape = edgeShape(e, g);
    const x1 = shape.loopX + 4;
    const text = shorten(e.label, g.w - x1 - 8);
    const w = textWidth(text) + 4;
    let best = null;
    for (let step = 0; step < 2 * g.h / LABEL_H && !best; ++step) {
      const dy = (step % 2 ? -1 : 1) * Math.ceil(step / 2) * LABEL_H;
      const base = shape.midY + dy;
      const box = { x1, x2: x1 + w, y1: base - LABEL_H + 2, y2: base + 3 };
      if (box.y1 >= 0 && box.y2 <= g.h && free(box)) best = { text, x: x1 + 2, y: base, anchor: "start", box };
    }
    best ||= { text, x: x1 + 2, y: shape.midY, anchor: "start", box: null };
    if (best.box) taken.push(best.box);
    placed.set(e, best);
  }
  return placed;
}

// Draws `g` (a layout) into the SVG group `parent` at (ox, oy).
function draw(parent, g, ox, oy, opts) {
  const group = svg("g", { transform: `translate(${ox},${oy})` });
  parent.append(group);
  const edgeLayer = svg("g", { class: "edges" });
  const nodeLayer = svg("g", { class: "nodes" });
  const labelLayer = svg("g", { class: "labels" });
  group.append(edgeLayer, nodeLayer, labelLayer);
  const labels = placeLabels(g, new Set(opts.childLinks ? opts.childLinks.keys() : []));
  for (const e of g.edges) {
    const taken = opts.taken && opts.taken(e.from.name, e.to.name);
    edgeLayer.append(svg("path", {
      d: edgeShape(e, g).d, class: `edge e-${e.kind}${taken ? " taken" : ""}`, "marker-end": "url(#arrow)",
      "data-from": e.from.name, "data-to": e.to.name,
    }));
    const at = labels.get(e);
    if (at) {
      labelLayer.append(svg("text", { x: at.x, y: at.y, class: `edge-label l-${e.kind}`, "text-anchor": at.anchor,
        "data-from": e.from.name, "data-to": e.to.name }, svg("title", {}, e.label), at.text));
    }
  }
  for (const n of g.nodes) {
    if (n.type === "Start" || n.type === "End") {
      nodeLayer.append(svg("circle", { cx: n.x + CIRCLE, cy: n.y + CIRCLE, r: CIRCLE, class: "terminal" }),
        svg("text", { x: n.x + CIRCLE, y: n.y + CIRCLE + 4, class: "terminal-label" }, n.type));
      continue;
    }
    const status = opts.statuses ? (opts.statuses.get(n.name)?.status || "notreached") : "none";
    const node = svg("g", { class: `node t-${n.type.toLowerCase()} st-${status}`,
      "data-state": n.name, "data-status": status, tabindex: "0", role: "button" });
    node.append(svg("rect", { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6 }));
    const label = n.name.length > 26 && !n.inner.length ? n.name.slice(0, 25) + "…" : n.name;
    const ty = n.y + 19;
    node.append(svg("text", { x: n.x + 10, y: ty, class: "node-name" }, svg("title", {}, n.name), label));
    node.append(n.inner.length
      ? svg("text", { x: n.x + n.w - 10, y: ty, class: "node-type", "text-anchor": "end" },
        n.type === "Map" ? "Map (each item)" : "Parallel")
      : svg("text", { x: n.x + 10, y: ty + 15, class: "node-type" }, n.type));
    if (opts.onSelect) {
      node.addEventListener("click", (ev) => { ev.stopPropagation(); opts.onSelect(n.name, n.state); });
      node.addEventListener("keydown", (ev) => { if (ev.key === "Enter") opts.onSelect(n.name, n.state); });
    }
    nodeLayer.append(node);
    const child = opts.childLinks && opts.childLinks.get(n.name);
    if (child) {
      const link = svg("a", { href: child.href, class: "child-link", "data-child-of": n.name });
      const label = child.label.length > 24 ? child.label.slice(0, 23) + "…" : child.label;
      link.append(svg("text", { x: n.x + 10, y: n.y + n.h + 14 }, svg("title", {}, child.label), "→ " + label));
      nodeLayer.append(link);
    }
    let bx = n.x + PAD;
    for (const b of n.inner) {
      draw(nodeLayer, b, bx, n.y + HEAD, opts);
      bx += b.w + GAP_X;
    }
  }
}

// An <svg> of `definition` (the parsed ASL object). opts: {statuses: Map(name -> {status}),
// taken(from, to) -> bool, onSelect(name, state), childLinks: Map(name -> {href, label})}.
export function renderGraph(definition, opts = {}) {
  const g = layout(definition);
  const root = svg("svg", { class: "graph", viewBox: `0 0 ${g.w} ${g.h}`, width: g.w, height: g.h,
    role: "img", "aria-label": "state machine graph" });
  root.append(svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
  svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
  draw(root, g, 0, 0, opts);
  return root;
}
