"""End-to-end tests of `autoretrain lambda`, the Lambda custom runtime (docs/deploy.md).

A Runtime API emulation (http.server on 127.0.0.1, a free port) hands out invocations the way
Lambda does (GET /2018-06-01/runtime/invocation/next with the Lambda-Runtime-* headers) and
records what the runtime posts back (/response, /error, /runtime/init/error). The runtime runs
the starter project's decision function (--project) over its local bucket. Cold start (process
start to the first /next) and per-invocation time (event handed out to outcome received) are
measured and printed.
"""

import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
import unittest
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from test_cli_support import BIN, TempDirTestCase, autoretrain

API = "/2018-06-01"


class RuntimeApiEmulation:
    """Lambda's Runtime API, one invocation at a time, on 127.0.0.1:<free port>."""

    def __init__(self):
        self.invocations = queue.Queue()
        self.outcomes = queue.Queue()  # (kind, request_id, body, headers, time)
        self.first_next = None
        self.handed_out = {}  # request_id -> time the event was handed out
        emulation = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != API + "/runtime/invocation/next":
                    self.send_error(404)
                    return
                if emulation.first_next is None:
                    emulation.first_next = time.monotonic()
                try:
                    request_id, event, deadline_ms = emulation.invocations.get(timeout=30)
                except queue.Empty:
                    self.send_error(500, "no invocation")
                    return
                body = event.encode("utf-8")
                self.send_response(200)
                self.send_header("Lambda-Runtime-Aws-Request-Id", request_id)
                self.send_header("Lambda-Runtime-Deadline-Ms", str(deadline_ms))
                self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                                 "arn:aws:lambda:us-east-1:123456789012:function:"
                                 "check_retraining_decision")
                self.send_header("Lambda-Runtime-Trace-Id", "Root=1-0-0;Sampled=0")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                emulation.handed_out[request_id] = time.monotonic()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                parts = self.path[len(API):].strip("/").split("/")
                if parts[:2] == ["runtime", "init"] and parts[2:] == ["error"]:
                    emulation.outcomes.put(("init_error", None, body, dict(self.headers),
                                            time.monotonic()))
                elif parts[:2] == ["runtime", "invocation"] and len(parts) == 4 and \
                        parts[3] in ("response", "error"):
                    emulation.outcomes.put((parts[3], parts[2], body, dict(self.headers),
                                            time.monotonic()))
                else:
                    self.send_error(404)
                    return
                self.send_response(202)
                self.send_header("Content-Length", "16")
                self.end_headers()
                self.wfile.write(b'{"status":"OK"}\n')

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.server.server_address[1]}"

    def invoke(self, event, deadline_in_ms=30000):
        request_id = str(uuid.uuid4())
        deadline = int(time.time() * 1000) + deadline_in_ms
        self.invocations.put((request_id, event, deadline))
        return request_id

    def outcome(self, timeout=30):
        return self.outcomes.get(timeout=timeout)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class LambdaRuntimeTest(TempDirTestCase):

    def setUp(self):
        super().setUp()
        self.api = RuntimeApiEmulation()
        self.addCleanup(self.api.close)
        self.project = self.init_project()

    def start(self, *args, env_extra=None):
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=self.api.endpoint,
                   NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
        env.update(env_extra or {})
        started = time.monotonic()
        proc = subprocess.Popen([BIN, "lambda", *map(str, args)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc, started

    def finish(self, proc):
        out, err = proc.communicate(timeout=60)
        return proc.returncode, out, err

    def expect(self, request_id, kind):
        got_kind, got_id, body, headers, _ = self.api.outcome()
        self.assertEqual((got_kind, got_id), (kind, request_id), body)
        return json.loads(body), headers

    def test_success_handled_unhandled_and_timeout(self):
        proc, _ = self.start("--project", self.project, "--max-invocations", 5)
        # Success: the seed's decision file says YES.
        self.write_decision(self.project, "retraining_required\nyes\n")
        rid = self.api.invoke("{}")
        body, _ = self.expect(rid, "response")
        self.assertEqual(body, {"retraining_required": "YES"})
        # A handled error: the function reports the missing decision file.
        self.write_decision(self.project, "retraining_required\n").unlink()
        rid = self.api.invoke("{}")
        body, headers = self.expect(rid, "error")
        self.assertEqual(body["errorType"], "NoSuchKey")
        self.assertIn("retraining_decision.csv", body["errorMessage"])
        self.assertEqual(headers.get("Lambda-Runtime-Function-Error-Type"), "NoSuchKey")
        # Unhandled errors: a bad event (not JSON; a bucket that is not a string).
        rid = self.api.invoke("{this is not json")
        body, _ = self.expect(rid, "error")
        self.assertEqual(body["errorType"], "Runtime.UnmarshalError")
        rid = self.api.invoke('{"bucket": 5}')
        body, _ = self.expect(rid, "error")
        self.assertEqual(body["errorType"], "InvalidDecisionRequest")
        # Timeout: the deadline passed before the runtime got the event.
        self.write_decision(self.project, "retraining_required\nNO\n")
        rid = self.api.invoke("{}", deadline_in_ms=-1000)
        body, _ = self.expect(rid, "error")
        self.assertEqual(body["errorType"], "Sandbox.Timedout")
        self.assertIn("deadline", body["errorMessage"])
        code, _, err = self.finish(proc)
        self.assertEqual(code, 0, err)
        self.assertEqual(err.count("autoretrain lambda: "), 5, err)

    def test_cold_start_and_per_invocation_time(self):
        self.write_decision(self.project, "retraining_required\nYES\n")
        count = 50
        proc, started = self.start("--project", self.project, "--max-invocations", count)
        durations = []
        for _ in range(count):
            rid = self.api.invoke("{}")
            kind, got, _, _, at = self.api.outcome()
            self.assertEqual((kind, got), ("response", rid))
            durations.append((at - self.api.handed_out[rid]) * 1000)
        code, _, err = self.finish(proc)
        self.assertEqual(code, 0, err)
        cold_ms = (self.api.first_next - started) * 1000
        durations.sort()
        p95 = durations[int(0.95 * (len(durations) - 1))]
        print(f"\nlambda runtime: cold start (exec to first /next) {cold_ms:.1f} ms; "
              f"per invocation median {statistics.median(durations):.2f} ms, p95 {p95:.2f} ms, "
              f"max {durations[-1]:.2f} ms over {count}", file=sys.stderr)
        # Times are printed for BENCHMARKS.md, not asserted (shared machines are noisy).
        self.assertEqual(len(durations), count)

    def test_a_function_that_cannot_be_set_up_is_an_init_error(self):
        proc, _ = self.start("--project", self.project, "--function", "train_model")
        kind, _, body, headers, _ = self.api.outcome()
        self.assertEqual(kind, "init_error")
        error = json.loads(body)
        self.assertEqual(error["errorType"], "UnknownFunction")
        self.assertIn("train_model", error["errorMessage"])
        self.assertEqual(headers.get("Lambda-Runtime-Function-Error-Type"), "UnknownFunction")
        code, _, err = self.finish(proc)
        self.assertEqual(code, 1)
        self.assertIn("not a built-in decision function", err)

    def test_without_the_runtime_api_it_says_where_it_runs(self):
        env = dict(os.environ)
        env.pop("AWS_LAMBDA_RUNTIME_API", None)
        proc = autoretrain("lambda", env=env)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("AWS_LAMBDA_RUNTIME_API is not set", proc.stderr)

    def test_package_writes_a_bootstrap_zip_that_runs(self):
        out = self.tmp / "package"
        proc = autoretrain("lambda", "package", "--output", out)
        if os.environ.get("AUTORETRAIN_SANITIZE") == "ON":
            # The sanitizers' runtime and the shared libstdc++ need a newer glibc than al2023's:
            # the error says what to package instead, and the package can still be written.
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("GlibcTooNew", proc.stderr)
            self.assertIn("make release", proc.stderr)
            proc = autoretrain("lambda", "package", "--output", out, "--allow-newer-glibc")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        report = json.loads(proc.stdout)
        if os.environ.get("AUTORETRAIN_SANITIZE") != "ON":
            # The Release binary and everything it bundles run on al2023's glibc 2.34.
            needed = tuple(map(int, report["glibc_required"].split(".")))
            self.assertLessEqual(needed, (2, 34), report)
            self.assertNotIn("libstdc++.so.6", report["bundled_libraries"])
        self.assertEqual(report["runtime"], "provided.al2023")
        with zipfile.ZipFile(report["zip"]) as archive:
            self.assertIsNone(archive.testzip())
            names = archive.namelist()
            self.assertEqual(names[:2], ["bootstrap", "autoretrain"])
            self.assertEqual(names[2:], ["lib/" + name for name in report["bundled_libraries"]])
            for name in ("bootstrap", "autoretrain"):
                self.assertEqual(archive.getinfo(name).external_attr >> 16, 0o100755, name)
            self.assertEqual(archive.read("autoretrain"), Path(BIN).read_bytes())
            self.assertNotIn("lib/libc.so.6", names)
            root = self.tmp / "task"
            archive.extractall(root)
        for name in ("bootstrap", "autoretrain"):
            os.chmod(root / name, 0o755)  # zipfile does not restore modes
        # Lambda runs ./bootstrap in LAMBDA_TASK_ROOT; no S3 answers here, so the invocation
        # fails, which shows the launcher started the runtime loop with the bundled libraries.
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=self.api.endpoint,
                   LAMBDA_TASK_ROOT=str(root), AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
                   AWS_ENDPOINT_URL_S3="http://127.0.0.1:9", AWS_MAX_ATTEMPTS="1",
                   NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
        boot = subprocess.Popen([str(root / "bootstrap")], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            rid = self.api.invoke("{}")
            kind, got, body, _, _ = self.api.outcome()
            self.assertEqual((kind, got), ("error", rid), body)
            self.assertIn("127.0.0.1:9", json.loads(body)["errorMessage"])
        finally:
            boot.kill()
            boot.communicate()


if __name__ == "__main__":
    unittest.main()
