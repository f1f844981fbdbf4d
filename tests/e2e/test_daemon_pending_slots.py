"""End-to-end test: schedule slots that are pending when `autoretrain serve` is killed with
SIGKILL (docs/schedules.md#pending-slots-across-restarts) fire after the restart, exactly once:

- a slot held by overlap BUFFER_ONE (its schedule's previous execution still runs) fires once
  that execution ends, not before;
- a slot waiting to retry a start that failed with a transient error is retried at once, its
  earlier attempts counted.

Both keep the execution name of their slot. The previous execution of the held schedule is
started through the API under the name of the schedule's slot a minute earlier, so that the
test need not wait a minute for two slots of a rate(1 minute) schedule; it waits in a command
function until the test creates a file.

The transient error is a fault the test injects from another process: it holds the read locks
of the database's WAL index (bytes 123-127 of the -shm file, SQLite's documented WAL format),
so the daemon's reads of the store, and with them its starts, fail with StoreError after
SQLite's own retries (about 10 s). A write lock would not do: `serve` keeps running executions
without recording them when the store cannot be written, so no start fails for it.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from test_cli_support import DaemonTestCase

ACCOUNT = "arn:aws:states:us-east-1:123456789012"
QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
GATED = {"StartAt": "Gate", "States": {"Gate": {
    "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:gate",
    "ResultPath": None, "End": True}}}
# Returns once the file "release" exists in the project folder (the function's folder).
GATE_PY = """
import os, sys, time
sys.stdin.read()
while not os.path.exists("release"):
    time.sleep(0.05)
print("{}")
"""
# Holds every read lock of a WAL database's index until its stdin closes.
HOLD_READ_LOCKS_PY = """
import fcntl, os, sys
fd = os.open(sys.argv[1] + "-shm", os.O_RDWR)
for byte in range(123, 128):
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte)
print("held", flush=True)
sys.stdin.read()
"""


def whole_second(t):
    return t.replace(microsecond=0)


def stamp(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


class PendingSlotsTest(DaemonTestCase):
    def write_project(self, held_slot, retried_slot):
        project = self.tmp / "project"
        (project / "data").mkdir(parents=True)
        (project / "gate.py").write_text(GATE_PY)
        (project / "quick.asl.json").write_text(json.dumps(QUICK))
        (project / "gated.asl.json").write_text(json.dumps(GATED))
        previous = held_slot - datetime.timedelta(minutes=1)
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"quick": {"definition": "quick.asl.json"},
                               "gated": {"definition": "gated.asl.json"}},
            "functions": {"gate": {"command": ["python3", "gate.py"], "timeout_seconds": 600}},
            "schedules": {
                # Slots at `previous` (already passed when serve starts), `held_slot`, ...
                "held": {"expression": "rate(1 minute)", "state_machine": "gated",
                         "start_date": previous.strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "overlap": "BUFFER_ONE"},
                "retried": {"expression": f"at({retried_slot.strftime('%Y-%m-%dT%H:%M:%S')})",
                            "state_machine": "quick"},
            },
        }))
        return project

    def api(self, endpoint, operation, body):
        request = urllib.request.Request(
            endpoint, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/x-amz-json-1.0",
                     "X-Amz-Target": f"AWSStepFunctions.{operation}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def hold_read_locks(self, database):
        holder = subprocess.Popen([sys.executable, "-c", HOLD_READ_LOCKS_PY, str(database)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.addCleanup(holder.wait)
        self.addCleanup(holder.stdin.close)
        self.addCleanup(holder.stdout.close)
        self.assertEqual(holder.stdout.readline().strip(), "held")
        return holder

    def fired(self, proc, execution_name):
        return [e for e in self.log_events(proc)
                if e["event"] == "fired" and e["execution_name"] == execution_name]

    def wait_for_fired(self, proc, execution_name, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.fired(proc, execution_name) if condition(e)]
            if found:
                return found[-1]
            self.assertIsNone(proc.poll(), f"serve exited: {self.log_events(proc)}")
            time.sleep(0.05)
        self.fail(f"no such fired line for {execution_name}: {self.log_events(proc)}")

    def test_held_and_retrying_slots_fire_once_after_a_sigkill(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        held_slot = whole_second(now + datetime.timedelta(seconds=10))
        retried_slot = held_slot + datetime.timedelta(seconds=4)
        project = self.write_project(held_slot, retried_slot)
        previous_name = f"held-{stamp(held_slot - datetime.timedelta(minutes=1))}"
        held_name, retried_name = f"held-{stamp(held_slot)}", f"retried-{stamp(retried_slot)}"

        first = self.serve(project)
        endpoint = self.wait_for_event(first, "started")[0]["api"]
        previous_arn = self.api(endpoint, "StartExecution", {
            "stateMachineArn": f"{ACCOUNT}:stateMachine:gated", "name": previous_name,
            "input": "{}"})["executionArn"]
        self.wait_for_fired(first, held_name, lambda e: e.get("buffered"))
        # Every start fails while the test holds the store's read locks.
        holder = self.hold_read_locks(project / "data" / "autoretrain.db")
        retry = self.wait_for_fired(first, retried_name, lambda e: "retry_at" in e)
        self.assertEqual(retry["error"], "StoreError")
        os.killpg(first.pid, signal.SIGKILL)  # with the gate function it was running
        first.wait()
        holder.stdin.close()
        holder.wait()

        state = json.loads((project / "data" / "scheduler-state.json").read_text())
        pending = {p["execution_name"]: p for p in state["pending"]}
        self.assertEqual(pending[held_name]["state"], "held")
        self.assertEqual(pending[held_name]["waiting_for"], previous_arn)
        self.assertEqual(pending[retried_name]["state"], "retry")
        attempts_before = pending[retried_name]["attempts"]
        self.assertGreaterEqual(attempts_before, 1)

        second = self.serve(project)
        second_endpoint = self.wait_for_event(second, "started")[0]["api"]
        retried = self.wait_for_fired(second, retried_name, lambda e: "execution_arn" in e)
        self.assertTrue(retried["resumed"])
        self.assertEqual(retried["attempts"], attempts_before + 1)  # earlier attempts count
        # The previous execution was resumed and still waits at its gate: the slot stays held.
        described = self.api(second_endpoint, "DescribeExecution", {"executionArn": previous_arn})
        self.assertEqual(described["status"], "RUNNING")
        self.assertEqual([e for e in self.fired(second, held_name) if "execution_arn" in e], [])
        (project / "release").write_text("")
        held = self.wait_for_fired(second, held_name, lambda e: "execution_arn" in e)
        self.assertTrue(held["resumed"])
        self.assertEqual(self.api(second_endpoint, "DescribeExecution",
                                  {"executionArn": previous_arn})["status"], "SUCCEEDED")
        self.assertEqual(self.api(second_endpoint, "DescribeExecution",
                                  {"executionArn": held["execution_arn"]})["name"], held_name)
        second.send_signal(signal.SIGTERM)
        self.assertEqual(second.wait(timeout=30), 0)

        # Each slot started once across both daemons, under its own name; nothing is pending.
        for name in (held_name, retried_name):
            starts = [e for proc in (first, second) for e in self.fired(proc, name)
                      if "execution_arn" in e or e.get("already_fired")]
            self.assertEqual(len(starts), 1, starts)
            self.assertTrue(starts[0]["execution_arn"].endswith(":" + name))
        state = json.loads((project / "data" / "scheduler-state.json").read_text())
        self.assertNotIn("pending", state)
