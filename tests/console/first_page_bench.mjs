// The console's first page, measured (not a test): for each autoretrain binary given, serves
// a starter project and loads /console/#/executions in chromium N times (default 10), each
// time in a fresh browser context (nothing cached), then once more in that context ("cached":
// whatever the binary lets the browser keep; since the page became one response that carries
// its data, nothing is kept and the second load differs only by a warm context). Prints the
// minimum and median of each, and the requests each load sent to the server. Binaries
// alternate, so that a busy machine slows them alike.
//
//   node tests/console/first_page_bench.mjs build/release/autoretrain [OTHER_BINARY...]
//   N=20 node tests/console/first_page_bench.mjs ...
//
// The figure is the page's own mark (body[data-first-page-ms]: navigation start to the
// executions list in the page), as console_test.mjs prints it. BENCHMARKS.md has the results.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.AUTORETRAIN_CHROMIUM || "/usr/bin/chromium";
const N = Number(process.env.N || 10);
const binaries = process.argv.slice(2);
if (!binaries.length) {
  console.error("usage: node tests/console/first_page_bench.mjs AUTORETRAIN_BINARY...");
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "console-first-page-"));
const servers = [];
try {
  for (const [i, binary] of binaries.entries()) {
    const project = path.join(tmp, `project-${i}`);
    spawnSync(binary, ["init", project], { stdio: "ignore" });
    const proc = spawn(binary, ["serve", "--project", project, "--listen", "127.0.0.1:0"],
      { stdio: ["ignore", "ignore", "pipe"] });
    const started = await new Promise((resolve, reject) => {
      proc.on("exit", (code) => reject(new Error(`${binary} serve exited ${code}`)));
      readline.createInterface({ input: proc.stderr }).on("line", (line) => {
        try {
          const event = JSON.parse(line);
          if (event.event === "started") resolve(event);
        } catch { /* not a JSON line */ }
      });
    });
    servers.push({ binary, proc, url: started.console, cold: [], cached: [] });
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  // One load: {ms, requests} (requests the server answered; the cache's answers not counted).
  const load = async (page, url) => {
    let requests = 0;
    const count = (response) => { if (!response.fromServiceWorker() && response.url().startsWith(url)) requests++; };
    page.on("response", count);
    await page.goto("about:blank");
    await page.goto(url + "#/executions");
    await page.waitForSelector("body[data-first-page-ms]");
    const ms = Number(await page.getAttribute("body", "data-first-page-ms"));
    const cachedFiles = await page.evaluate(() =>
      performance.getEntriesByType("resource").filter((e) => e.transferSize === 0).length);
    page.off("response", count);
    return { ms, requests: requests - cachedFiles };
  };
  for (let i = 0; i < N; ++i) {
    for (const server of servers) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto("about:blank");  // the context's renderer is up before the clock starts
      const cold = await load(page, server.url);
      const cached = await load(page, server.url);
      server.cold.push(cold.ms);
      server.cached.push(cached.ms);
      server.coldRequests = cold.requests;
      server.cachedRequests = cached.requests;
      await context.close();
    }
  }
  await browser.close();
  const summary = (values) => {
    const sorted = values.slice().sort((a, b) => a - b);
    return `min ${sorted[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms`;
  };
  for (const s of servers) {
    console.log(`${s.binary}: nothing cached ${summary(s.cold)} (${s.coldRequests} requests); ` +
      `cached ${summary(s.cached)} (${s.cachedRequests} requests); ${N} loads each`);
  }
} finally {
  for (const server of servers) server.proc.kill("SIGTERM");
  fs.rmSync(tmp, { recursive: true, force: true });
}
