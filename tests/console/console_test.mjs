// The web console in a real browser: Debian's chromium driven by playwright-core. Starts
// `autoretrain serve` itself (a starter project without credentials, then the policy template
// with a credentials file), opens every page at 1280x800 and 390x844, runs the seed trigger
// with a YES decision and checks that the graph colours the TriggerTrainingPipeline branch and
// links to the pipeline execution it started, checks that a Choice's edge labels do not
// overlap, stops an execution, signs in, approves a pending retraining and sees its pipeline's
// duration, checks that nothing is loaded from another origin, measures the first page and
// saves screenshots to $AUTORETRAIN_CONSOLE_SCREENSHOTS (default build/console-screenshots).
//
// Exit status: 0 passed, 1 failed, 77 skipped (no chromium or no node_modules: run
// scripts/install-deps.sh and scripts/install-test-servers.sh).
import { spawn, spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

// Skipped (ctest SKIP) when a prerequisite is missing; on CI, where the install scripts provide
// them, a missing one is a failure.
const SKIP = process.env.CI ? 1 : 77;
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const CHROMIUM = process.env.AUTORETRAIN_CHROMIUM || "/usr/bin/chromium";
const BIN = process.env.AUTORETRAIN_BIN || path.join(repo, "build/release/autoretrain");
const SHOTS = process.env.AUTORETRAIN_CONSOLE_SCREENSHOTS || path.join(repo, "build/console-screenshots");
const KEY = { id: "AKIDCONSOLETEST", secret: "console-test-secret-key" };

if (!fs.existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} not found (apt-get install chromium; scripts/install-deps.sh)`);
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  console.log("SKIP: tests/console/node_modules has no playwright-core (scripts/install-test-servers.sh)");
  process.exit(SKIP);
}
assert.ok(fs.existsSync(BIN), `no autoretrain binary at ${BIN}: build it or set AUTORETRAIN_BIN`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "console-test-"));
fs.mkdirSync(SHOTS, { recursive: true });
const daemons = [];  // [{proc, log}] of every serve started: their stderr is printed on failure
const step = (text) => console.log(`- ${text}`);

function autoretrain(...args) {
  const run = spawnSync(BIN, args, { encoding: "utf8" });
  assert.equal(run.status, 0, `autoretrain ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

// Starts `autoretrain serve` on a free port; resolves with {url, console, proc} once it logs
// "started".
function serve(project, extra = []) {
  const proc = spawn(BIN, ["serve", "--project", project, "--listen", "127.0.0.1:0", ...extra],
    { stdio: ["ignore", "ignore", "pipe"] });
  const log = [];
  daemons.push({ proc, log });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start:\n" + log.join("\n"))), 60000);
    readline.createInterface({ input: proc.stderr }).on("line", (line) => {
      log.push(line);
      let event;
      try { event = JSON.parse(line); } catch { return; }
      if (event.event === "started") {
        clearTimeout(timer);
        resolve({ url: event.api, console: event.console, proc, log });
      }
    });
    proc.on("exit", (code) => reject(new Error(`serve exited ${code}:\n${log.join("\n")}`)));
  });
}

async function stop(daemon) {
  if (daemon.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => daemon.proc.on("exit", resolve));
  daemon.proc.kill("SIGTERM");
  await exited;
}

// A Step Functions call to the daemon, signed with SigV4 when `key` is given.
async function sfn(base, operation, input, key) {
  const body = JSON.stringify(input);
  const host = new URL(base).host;
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const headers = {
    "content-type": "application/x-amz-json-1.0",
    "host": host,
    "x-amz-date": amzDate,
    "x-amz-target": "AWSStepFunctions." + operation,
  };
  if (key) {
    const sha = (text) => createHash("sha256").update(text).digest("hex");
    const hmac = (k, text) => createHmac("sha256", k).update(text).digest();
    const names = Object.keys(headers).sort();
    const canonical = ["POST", "/", "", ...names.map((n) => `${n}:${headers[n]}`), "",
      names.join(";"), sha(body)].join("\n");
    const scope = `${amzDate.slice(0, 8)}/us-east-1/states/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha(canonical)].join("\n");
    let signingKey = hmac("AWS4" + key.secret, amzDate.slice(0, 8));
    for (const part of ["us-east-1", "states", "aws4_request"]) signingKey = hmac(signingKey, part);
    const signature = createHmac("sha256", signingKey).update(toSign).digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${key.id}/${scope}, ` +
      `SignedHeaders=${names.join(";")}, Signature=${signature}`;
  }
  delete headers.host;
  const response = await fetch(base + "/", { method: "POST", headers, body });
  const text = await response.text();
  assert.equal(response.status, 200, `${operation}: ${text}`);
  return JSON.parse(text);
}

async function waitFor(what, fn, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Fails the test when the page asks for anything outside the daemon's origin or raises an
// error; prints requests that fail or are refused, so that a page that never shows what a
// step waits for says why.
function watch(page, origin, seen) {
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin + "/") && !url.startsWith("data:")) seen.push(url);
  });
  page.on("pageerror", (error) => { console.log("page error: " + error.message); failed = true; });
  page.on("requestfailed", (request) => {
    const why = request.failure()?.errorText;
    if (why !== "net::ERR_ABORTED") console.log(`request failed: ${request.url()}: ${why}`);  // not a page left
  });
  page.on("response", (response) => {
    if (response.status() >= 400) console.log(`answered ${response.status()}: ${response.url()}`);
  });
}

// Waits for `selector`; on a timeout the error also tells what the page shows instead.
async function waitShown(page, selector, options) {
  try {
    return await page.waitForSelector(selector, options);
  } catch (error) {
    const shown = await page.evaluate(() => document.querySelector("main")?.innerText).catch((e) => e.message);
    throw new Error(`${error.message}\n${page.url()} shows: ${String(shown).slice(0, 600)}`);
  }
}

// A Choice whose rules share targets, a Catch to a lower row and one to a state of its own row
// (past the state between them), and a Choice looping back (the graph test).
const CHOICES = { StartAt: "Route", States: {
  Route: { Type: "Choice", Choices: [
    { Variable: "$.kind", StringEquals: "fraud-model-a", Next: "TrainA" },
    { Variable: "$.kind", StringEquals: "fraud-model-b", Next: "TrainB" },
    { And: [{ Variable: "$.drift", NumericGreaterThan: 0.3 }, { Variable: "$.severity", StringEquals: "HIGH" }],
      Next: "TrainA" },
    { Variable: "$.score", NumericLessThanEquals: 0.5, Next: "TrainB" },
    { Variable: "$.override", IsPresent: true, Next: "Skip" }],
  Default: "Skip" },
  TrainA: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "train" },
    Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Skip" }], Next: "Again" },
  TrainB: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "train" },
    Catch: [{ ErrorEquals: ["States.ALL"], Next: "Done" }], End: true },
  Skip: { Type: "Succeed" },
  Again: { Type: "Choice", Choices: [{ Variable: "$.again", BooleanEquals: true, Next: "Route" }], Default: "Done" },
  Done: { Type: "Succeed" } } };

// The graph's edge labels, and each pair of them (or label and state) whose boxes overlap.
async function labelCollisions(page) {
  return page.evaluate(() => {
    const boxes = (selector) => [...document.querySelectorAll(selector)].map((el) =>
      ({ name: el.dataset.from ? `label ${el.dataset.from}->${el.dataset.to}` : `state ${el.parentNode.dataset.state}`,
        r: el.getBoundingClientRect() }));
    const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const labels = boxes("svg.graph text.edge-label");
    // Parallel and Map states hold their branches' labels: only plain states count.
    const states = boxes("svg.graph g.node:not(.t-parallel):not(.t-map) > rect");
    const collisions = [];
    labels.forEach((a, i) => {
      for (const b of [...labels.slice(i + 1), ...states]) {
        if (overlap(a.r, b.r)) collisions.push(`${a.name} / ${b.name}`);
      }
    });
    return { count: labels.length, collisions };
  });
}

// Each edge of the graph that passes through a state other than its two ends: its path is
// sampled every 2 px, in screen coordinates, against the states' boxes (Parallel and Map
// states hold their branches' edges, so only plain states count).
async function edgesThroughStates(page) {
  return page.evaluate(() => {
    const states = [...document.querySelectorAll("svg.graph g.node:not(.t-parallel):not(.t-map)")]
      .map((node) => ({ name: node.dataset.state, r: node.querySelector("rect").getBoundingClientRect() }));
    const crossings = [];
    for (const path of document.querySelectorAll("svg.graph path.edge")) {
      const ctm = path.getScreenCTM();
      const { from, to } = path.dataset;
      for (let at = 0; at <= path.getTotalLength(); at += 2) {
        const p = path.getPointAtLength(at).matrixTransform(ctm);
        const hit = states.find((s) => s.name !== from && s.name !== to &&
          p.x > s.r.left + 1 && p.x < s.r.right - 1 && p.y > s.r.top + 1 && p.y < s.r.bottom - 1);
        if (hit) { crossings.push(`${from}->${to} through ${hit.name}`); break; }
      }
    }
    return crossings;
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + ".png"), fullPage: true });
}

async function noHorizontalScroll(page, label) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${label}: the page is ${overflow}px wider than the window`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const external = [];
let failed = false;
try {
  // ---- The starter project, no credentials. ----
  const seed = path.join(tmp, "seed");
  autoretrain("init", seed);
  const daemon = await serve(seed);
  const origin = new URL(daemon.url).origin;
  step(`serving ${daemon.console}`);
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await desktop.newPage();
  watch(page, origin, external);
  page.on("dialog", (dialog) => dialog.accept());

  // First page: from navigation start to the executions list on screen. The page is one
  // response that carries the answers to its first calls, so nothing else is asked for before
  // the list is shown (checked). The first load is in a fresh browser context; the best of the
  // five after it is the figure. Measured and printed, not asserted: test machines are shared
  // and noisy (the figures and how to reproduce them are in BENCHMARKS.md).
  const timings = [];
  for (let i = 0; i < 6; ++i) {
    await page.goto("about:blank");
    await page.goto(daemon.console + "#/executions");
    await page.waitForSelector("body[data-first-page-ms]");
    timings.push(Number(await page.getAttribute("body", "data-first-page-ms")));
    const asked = await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((entry) => entry.startTime <= Number(document.body.dataset.firstPageMs)).map((entry) => entry.name));
    assert.deepEqual(asked, [], "the first page asked for more than itself");
  }
  const firstPage = Math.min(...timings.slice(1));
  step(`first page rendered in ${firstPage} ms (fresh context: ${timings[0]} ms; ` +
    `then: ${timings.slice(1).join(", ")} ms)`);
  await shot(page, "01-executions-empty");

  // The seed trigger with the starter's YES decision.
  const config = JSON.parse(fs.readFileSync(path.join(seed, "autoretrain.json"), "utf8"));
  const arnOf = (name) => `arn:aws:states:${config.region}:${config.account_id}:stateMachine:${name}`;
  const trigger = await sfn(daemon.url, "StartExecution",
    { stateMachineArn: arnOf("creditcard-auto-retraining-trigger"), name: "console-yes", input: "{}" });
  step("started the seed trigger " + trigger.executionArn);
  await page.goto(daemon.console + "#/execution/" + encodeURIComponent(trigger.executionArn));
  await page.waitForSelector('g.node[data-state="TriggerTrainingPipeline"][data-status="succeeded"]', { timeout: 60000 });
  for (const [state, status] of [["ReadRetrainingDecision", "succeeded"], ["DecisionChoice", "succeeded"],
    ["TriggerTrainingPipeline", "succeeded"], ["NoRetrainingNeeded", "notreached"]]) {
    assert.equal(await page.getAttribute(`g.node[data-state="${state}"]`, "data-status"), status, state);
  }
  const taken = await page.getAttribute('path.edge[data-from="DecisionChoice"][data-to="TriggerTrainingPipeline"]', "class");
  assert.match(taken, /\btaken\b/, "the YES edge is drawn as taken");
  assert.deepEqual(await edgesThroughStates(page), [], "edges drawn through states");
  const notTaken = await page.getAttribute('path.edge[data-from="DecisionChoice"][data-to="NoRetrainingNeeded"]', "class");
  assert.doesNotMatch(notTaken, /\btaken\b/);
  const rule = await page.textContent('text.edge-label[data-from="DecisionChoice"][data-to="TriggerTrainingPipeline"]');
  assert.ok(rule.includes('$.decision.decision == "YES"'), "the Choice edge carries its rule: " + rule);
  await page.click('g.node[data-state="TriggerTrainingPipeline"]');
  const output = await page.textContent("#state-output");
  assert.ok(output.includes("ExecutionArn"), "the state's output is shown: " + output);
  assert.ok((await page.textContent("#events")).includes("ExecutionSucceeded"));
  await shot(page, "02-execution-seed-trigger");
  // The link to the pipeline the trigger started.
  await page.click('a.child-link[data-child-of="TriggerTrainingPipeline"]');
  await page.waitForFunction(() => location.hash.includes("creditcard-training-pipeline"));
  await page.waitForSelector('g.node[data-status="succeeded"]', { timeout: 120000 });
  step("the trigger's graph links to " + decodeURIComponent(await page.evaluate(() => location.hash)));
  await page.waitForSelector(".badge.s-succeeded", { timeout: 120000 });
  await shot(page, "03-execution-pipeline");

  // Executions: filter and search.
  await page.goto(daemon.console + "#/executions");
  await page.waitForSelector("#executions");
  await page.selectOption('select[name="status"]', "SUCCEEDED");
  await page.fill('input[name="name"]', "console-yes");
  await waitFor("the search", async () => (await page.$$("#executions tbody tr")).length === 1);
  await shot(page, "04-executions-filtered");

  // Stop a running execution.
  const waiting = await sfn(daemon.url, "CreateStateMachine", {
    name: "console-wait", roleArn: `arn:aws:iam::${config.account_id}:role/R`,
    definition: JSON.stringify({ StartAt: "Hold", States: {
      Hold: { Type: "Wait", Seconds: 3600, Next: "Done" },
      Done: { Type: "Parallel", End: true, Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "B", States: { B: { Type: "Map", End: true, ItemProcessor: {
          StartAt: "C", States: { C: { Type: "Pass", End: true } } } } } }] } } }) });
  const held = await sfn(daemon.url, "StartExecution", { stateMachineArn: waiting.stateMachineArn, name: "held" });
  await page.goto(daemon.console + "#/execution/" + encodeURIComponent(held.executionArn));
  await page.waitForSelector('g.node[data-state="Hold"][data-status="running"]');
  assert.ok(await page.$('g.node[data-state="A"]'), "Parallel branches are drawn inside");
  assert.ok(await page.$('g.node[data-state="C"]'), "the Map's processor is drawn inside");
  await shot(page, "05-execution-running");
  await page.click("#stop");
  await page.waitForSelector(".badge.s-aborted");
  step("stopped " + held.executionArn);

  // State machines, schedules. Opened first, the page drops the answers it came with: the
  // executions list opened after it is asked for, and has what started since the page loaded.
  await page.goto("about:blank");
  await page.goto(daemon.console + "#/state-machines");
  await page.waitForSelector("#state-machines");
  const later = await sfn(daemon.url, "StartExecution", { stateMachineArn: waiting.stateMachineArn, name: "later" });
  await page.click('#nav a[data-page="executions"]');
  await page.waitForSelector("#executions");
  assert.ok(await page.$(`#executions a[href="#/execution/${encodeURIComponent(later.executionArn)}"]`),
    "the executions list opened after another page shows an execution started since the page loaded");
  await sfn(daemon.url, "StopExecution", { executionArn: later.executionArn });
  await page.goto(daemon.console + "#/state-machines");
  await page.waitForSelector("#state-machines");
  await page.click('text="creditcard-auto-retraining-trigger"');
  await page.waitForSelector("#definition");
  assert.ok((await page.textContent("#definition")).includes("TriggerTrainingPipeline"));
  assert.ok(await page.$('g.node[data-state="DecisionChoice"]'));
  await shot(page, "06-state-machine");

  // A Choice with several rules, two of them to one state, Catches and a loop back: no edge
  // label may cover another or a state, and no edge may run through a state.
  const choices = await sfn(daemon.url, "CreateStateMachine", {
    name: "console-choices", roleArn: `arn:aws:iam::${config.account_id}:role/R`,
    definition: JSON.stringify(CHOICES) });
  await page.goto(daemon.console + "#/state-machine/" + encodeURIComponent(choices.stateMachineArn));
  await page.waitForSelector('g.node[data-state="Route"]');
  const labels = await labelCollisions(page);
  assert.equal(labels.count, 10, "every rule, default, catch and loop edge is labelled");
  assert.deepEqual(labels.collisions, [], "edge labels overlap");
  assert.deepEqual(await edgesThroughStates(page), [], "edges drawn through states");
  await shot(page, "06-state-machine-choices");
  await page.goto(daemon.console + "#/schedules");
  await page.waitForSelector("#schedules article");
  assert.equal((await page.$$("#schedules ol.times li")).length >= 5, true, "next fire times");
  await shot(page, "07-schedules");

  // A phone-sized window.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  watch(small, origin, external);
  for (const [name, hash] of [["executions", "#/executions"], ["execution", "#/execution/" + encodeURIComponent(trigger.executionArn)],
    ["schedules", "#/schedules"], ["state-machines", "#/state-machines"]]) {
    await small.goto(daemon.console + hash);
    await small.waitForSelector("main section");
    await noHorizontalScroll(small, name);
    await shot(small, `08-phone-${name}`);
  }
  await phone.close();
  await desktop.close();
  await stop(daemon);

  // ---- The policy template with approval required, behind a credentials file. ----
  const policy = path.join(tmp, "policy");
  autoretrain("init", policy, "--template", "policy");
  const policyConfigPath = path.join(policy, "autoretrain.json");
  const policyConfig = JSON.parse(fs.readFileSync(policyConfigPath, "utf8"));
  policyConfig.models.creditcard.policy.approval = { required: true, timeout_hours: 1, on_timeout: "reject" };
  fs.writeFileSync(policyConfigPath, JSON.stringify(policyConfig, null, 2));
  const credentials = path.join(tmp, "credentials");
  fs.writeFileSync(credentials, `[default]\naws_access_key_id = ${KEY.id}\naws_secret_access_key = ${KEY.secret}\n`);
  const secured = await serve(policy, ["--credentials-file", credentials]);
  const securedOrigin = new URL(secured.url).origin;
  const unsigned = await fetch(secured.console + "api/executions");
  assert.equal(unsigned.status, 401, "the console API needs a session");
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await context.newPage();
  watch(p, securedOrigin, external);
  await p.goto(secured.console);
  await p.waitForSelector("form.signin");
  await shot(p, "09-sign-in");
  await p.fill('input[name="accessKeyId"]', KEY.id);
  await p.fill('input[name="secretAccessKey"]', "wrong");
  await p.click('button[type="submit"]');
  await p.waitForSelector("form.signin .error");
  await p.fill('input[name="secretAccessKey"]', KEY.secret);
  await p.click('button[type="submit"]');
  await p.waitForSelector("#who button");  // "Sign out": signed in
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "autoretrain_console");
  assert.ok(session && session.httpOnly && session.sameSite === "Strict", "an HttpOnly SameSite=Strict cookie");
  assert.ok(!secured.log.join("\n").includes(KEY.secret), "the secret is never logged");
  step("signed in as " + KEY.id);

  // The policy check, started as `autoretrain check` would start it.
  const check = policyConfig.check || {};
  const model = policyConfig.models.creditcard;
  const arn = (name) => name.startsWith("arn:") ? name
    : `arn:aws:states:${policyConfig.region}:${policyConfig.account_id}:stateMachine:${name}`;
  let input = check.input;
  if (!input || !input.model) {
    const decisionFn = policyConfig.functions.check_retraining_decision;
    input = { model: "creditcard",
      decision_location: model.decision || { bucket: decisionFn.bucket, key: decisionFn.key },
      pipeline_arn: arn(model.pipeline || "creditcard-training-pipeline") };
  }
  const checked = await sfn(secured.url, "StartExecution",
    { stateMachineArn: arn(check.state_machine || (policyConfig.retraining || {}).trigger ||
      "creditcard-policy-retraining-trigger"), name: "console-check", input: JSON.stringify(input) }, KEY);
  step("started the policy check " + checked.executionArn);
  await p.goto(secured.console + "#/retraining");
  await waitFor("the pending approval", async () => {
    if (await p.$("#pending-creditcard")) return true;
    await p.reload();
    await p.waitForSelector("section h1");
    return false;
  });
  await shot(p, "10-retraining-pending");
  await p.fill("#pending-creditcard input[name=reason]", "checked in the browser test");
  await p.click('#pending-creditcard button[data-action="approve"]');
  await p.waitForSelector("#pending-creditcard", { state: "detached" });
  step("approved the pending retraining");
  const ended = await waitFor("the approved check to end", async () => {
    const described = await sfn(secured.url, "DescribeExecution", { executionArn: checked.executionArn }, KEY);
    return described.status !== "RUNNING" && described;
  }, 120000);
  assert.equal(ended.status, "SUCCEEDED", JSON.stringify(ended));
  await p.reload();
  await waitShown(p, 'article.model[data-model="creditcard"] svg.timeline rect.bar');
  const row = await p.textContent('table.records tbody tr[data-evaluation="console-check"]');
  assert.ok(row.includes("NEEDS_APPROVAL") && row.includes("v1"), "the record shows the approved version: " + row);
  const duration = await p.textContent('table.records tbody tr[data-evaluation="console-check"] td:last-child');
  assert.match(duration, /^\d/, "the approved retraining shows its pipeline's duration: " + row);
  await shot(p, "11-retraining-timeline");
  await p.goto(secured.console + "#/execution/" + encodeURIComponent(checked.executionArn));
  await p.waitForSelector('g.node[data-state="AskForApproval"][data-status="succeeded"]');
  await shot(p, "12-execution-policy-check");
  const phone2 = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone2.addCookies(cookies);
  const sp = await phone2.newPage();
  watch(sp, securedOrigin, external);
  await sp.goto(secured.console + "#/retraining");
  await waitShown(sp, "svg.timeline");
  await noHorizontalScroll(sp, "retraining");
  await shot(sp, "13-phone-retraining");
  await context.close();
  await stop(secured);

  assert.deepEqual(external, [], "requests left the daemon's origin");
  assert.ok(!failed, "a page raised an error (see above)");
  console.log(`PASS: console browser test; first page ${firstPage} ms; screenshots in ${SHOTS}`);
} catch (error) {
  failed = true;
  console.error("FAIL:", error);
  // A daemon that died (a sanitizer report, say) or logged why it refused something.
  for (const { proc, log } of daemons) {
    const state = proc.exitCode === null && proc.signalCode === null ? "running"
      : `exited (code ${proc.exitCode}, signal ${proc.signalCode})`;
    console.error(`serve ${proc.pid}, ${state}; the end of its log:\n${log.slice(-30).join("\n")}`);
  }
} finally {
  await browser.close().catch(() => {});
  for (const { proc } of daemons) if (proc.exitCode === null) proc.kill("SIGKILL");
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
