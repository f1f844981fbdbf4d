"""Shared helpers for the `autoretrain` CLI end-to-end tests (test_cli_*.py); holds no tests.

The binary comes from AUTORETRAIN_BIN (ctest sets it), the repository from
AUTORETRAIN_SOURCE_DIR (default: two levels above this file). Standard library only.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("AUTORETRAIN_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SEED_DIR = SOURCE_DIR.parent / "shared" / "seed"
BIN = os.environ.get("AUTORETRAIN_BIN", "")

BUCKET = "mlops-creditcard"
DECISION_KEY = "monitoring_outputs/retraining_decision/retraining_decision.csv"
PIPELINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:creditcard-training-pipeline"

# A pipeline that finishes at once: tests of the decision file swap it in for the real one,
# which trains a model (its own tests run it for real).
FAST_PIPELINE = {
    "StartAt": "Done",
    "States": {"Done": {"Type": "Pass", "Result": {"trained": True}, "End": True}},
}


DYNALITE = SOURCE_DIR / "tests" / "servers" / "node_modules" / "dynalite"


def start_dynalite(test_case):
    """Starts dynalite (npm, tests/servers) on a free 127.0.0.1 port, stopped at cleanup, and
    returns its endpoint URL. Skips the test when node, dynalite or boto3 is missing (fails on
    CI, where scripts/install-test-servers.sh installs them)."""
    try:
        import boto3  # noqa: F401  (the tests that need dynalite read it with boto3)
        has_boto3 = True
    except ImportError:  # pragma: no cover - scripts/install-deps.sh installs python3-boto3
        has_boto3 = False
    missing = [name for name, ok in (("node", shutil.which("node")),
                                     (str(DYNALITE), DYNALITE.is_dir()),
                                     ("boto3", has_boto3)) if not ok]
    if missing:
        message = "this test needs " + ", ".join(missing)
        if os.environ.get("CI"):
            test_case.fail(message)
        raise unittest.SkipTest(message)
    server = subprocess.Popen(
        ["node", "-e",
         "var s = require(process.argv[1])({createTableMs: 0});"
         "s.listen(0, '127.0.0.1', function() { console.log(s.address().port) })",
         str(DYNALITE)], stdout=subprocess.PIPE, text=True)
    test_case.addCleanup(server.stdout.close)
    test_case.addCleanup(server.wait)
    test_case.addCleanup(server.kill)
    return f"http://127.0.0.1:{server.stdout.readline().strip()}"


def require_binary(test_case):
    if not BIN or not os.access(BIN, os.X_OK):
        raise unittest.SkipTest("AUTORETRAIN_BIN is not set to the built autoretrain binary")


def autoretrain(*args, cwd=None, input_text=None, env=None, timeout=300):
    """Runs the binary; returns the CompletedProcess (text mode)."""
    return subprocess.run(
        [BIN, *map(str, args)], cwd=cwd, input=input_text, env=env, capture_output=True,
        text=True, timeout=timeout)


class TempDirTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory self.tmp (a Path)."""

    def setUp(self):
        require_binary(self)
        self.tmp = Path(tempfile.mkdtemp(prefix="autoretrain-cli-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def run_ok(self, *args, **kwargs):
        proc = autoretrain(*args, **kwargs)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    def init_project(self, name="project", fast_pipeline=False):
        project = self.tmp / name
        self.run_ok("init", project)
        if fast_pipeline:
            (project / "state_machines" / "training_pipeline.asl.json").write_text(
                json.dumps(FAST_PIPELINE))
        return project

    def write_decision(self, project, data):
        """Replaces the decision CSV with `data` (bytes or str, written exactly)."""
        path = project / "buckets" / BUCKET / DECISION_KEY
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def check_json(self, project, expected_exit):
        proc = autoretrain("check", "--project", project, "--json")
        self.assertEqual(proc.returncode, expected_exit,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout)


class DaemonTestCase(TempDirTestCase):
    """Runs `autoretrain serve` and reads its JSON log lines; no tests of its own."""

    def serve(self, project, *extra):
        """Starts the daemon (in its own process group); its stderr goes to a file."""
        log = open(self.tmp / f"serve-{time.monotonic_ns()}.log", "w+")
        self.addCleanup(log.close)
        if "--listen" not in extra and "--no-api" not in extra:
            extra = (*extra, "--listen", "127.0.0.1:0")  # never collide on the default port
        proc = subprocess.Popen([BIN, "serve", "--project", str(project), *extra],
                                stdout=subprocess.DEVNULL, stderr=log, text=True,
                                start_new_session=True)

        def kill():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.addCleanup(kill)
        proc.log = log
        return proc

    def log_events(self, proc):
        proc.log.flush()
        proc.log.seek(0)
        return [json.loads(line) for line in proc.log.read().splitlines()
                if line.startswith("{") and line.endswith("}")]

    def wait_for_event(self, proc, event, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.log_events(proc) if e["event"] == event]
            if found:
                return found
            self.assertIsNone(proc.poll(), f"serve exited: {self.log_events(proc)}")
            time.sleep(0.1)
        self.fail(f"no {event!r} event in {self.log_events(proc)}")
