// The definition of a state machine drawn as a graph (SVG), laid out here: states in layers
// top to bottom by their distance from StartAt, Parallel and Map states as containers with
// their branches laid out inside, Choice edges labelled with their rule, Catch edges dashed.
// Optionally each state is coloured by what happened to it (statuses from history.js).
import { svg } from "./dom.js";

const NODE_W = 200, NODE_H = 44, GAP_X = 28, GAP_Y = 58, PAD = 16, HEAD = 30, CIRCLE = 14;

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
  let width = 0;
  for (const row of rows) {
    if (!row) continue;
    width = Math.max(width, row.reduce((s, n) => s + n.w, 0) + GAP_X * (row.length - 1));
  }
  width += 2 * PAD + 140;  // room on the right for edges that go back up
  let y = PAD;
  for (const row of rows) {
    if (!row) continue;
    const rowW = row.reduce((s, n) => s + n.w, 0) + GAP_X * (row.length - 1);
    const rowH = Math.max(...row.map((n) => n.h));
    let x = PAD + (width - 140 - 2 * PAD - rowW) / 2;
    for (const n of row) { n.x = x; n.y = y + (rowH - n.h) / 2; x += n.w + GAP_X; }
    y += rowH + GAP_Y;
  }
  const all = [start, ...nodes.values(), end];
  const edges = [];
  if (states[machine.StartAt]) edges.push({ from: start, to: nodes.get(machine.StartAt), kind: "next", label: "" });
  for (const n of nodes.values()) {
    for (const t of transitions(n.state)) {
      if (nodes.has(t.to)) edges.push({ from: n, to: nodes.get(t.to), kind: t.kind, label: t.label });
    }
    if (isEnd(n.state)) edges.push({ from: n, to: end, kind: "next", label: "" });
  }
  return { w: width, h: y - GAP_Y + PAD, nodes: all, edges };
}

function edgePath(e, rightX) {
  const x1 = e.from.x + e.from.w / 2, y1 = e.from.y + e.from.h;
  const x2 = e.to.x + e.to.w / 2, y2 = e.to.y;
  if (e.to.level <= e.from.level) {  // back up: around the right side
    const sx = e.from.x + e.from.w, sy = e.from.y + e.from.h / 2;
    const tx = e.to.x + e.to.w, ty = e.to.y + e.to.h / 2;
    const ox = rightX - 20;
    return { d: `M${sx},${sy} C${ox},${sy} ${ox},${ty} ${tx},${ty}`, lx: ox - 10, ly: (sy + ty) / 2 };
  }
  const my = (y1 + y2) / 2;
  // Labels sit just above the target, where edges out of one Choice state are apart.
  return { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`, lx: x2, ly: y2 - 10, middle: true };
}

// Draws `g` (a layout) into the SVG group `parent` at (ox, oy).
function draw(parent, g, ox, oy, opts) {
  const group = svg("g", { transform: `translate(${ox},${oy})` });
  parent.append(group);
  const edgeLayer = svg("g", { class: "edges" });
  const nodeLayer = svg("g", { class: "nodes" });
  group.append(edgeLayer, nodeLayer);
  for (const e of g.edges) {
    const p = edgePath(e, g.w);
    const taken = opts.taken && opts.taken(e.from.name, e.to.name);
    edgeLayer.append(svg("path", {
      d: p.d, class: `edge e-${e.kind}${taken ? " taken" : ""}`, "marker-end": "url(#arrow)",
      "data-from": e.from.name, "data-to": e.to.name,
    }));
    if (e.label) {
      const text = e.label.length > 42 ? e.label.slice(0, 41) + "…" : e.label;
      edgeLayer.append(svg("text", { x: p.middle ? p.lx : p.lx + 4, y: p.ly - 3, class: `edge-label l-${e.kind}`,
        "text-anchor": p.middle ? "middle" : null,
        "data-from": e.from.name, "data-to": e.to.name }, svg("title", {}, e.label), text));
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
