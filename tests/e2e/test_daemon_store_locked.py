"""End-to-end: `serve` while its database cannot be written. Another process holds SQLite's
write lock past the daemon's 5 s busy timeout; a StartExecution in that time is refused
(InternalFailure naming StoreLocked) rather than accepted and never stored, and once the lock is
released the next start is accepted and stored: the daemon goes on recording by itself
(docs/durability.md, "When the store cannot be written"). An execution that ends while the
lock is held is written as ended once it is released, though nothing else happens."""

import json
import sqlite3
import time

from api_support import ACCOUNT_ARN, ApiTestCase
from test_crash_recovery import FUNCTION_ARN

PIPELINE = f"{ACCOUNT_ARN}:stateMachine:creditcard-training-pipeline"

# A command function that says it started (gate.started), waits until gate.open exists, and
# returns its event.
GATE_PY = """\
import json, pathlib, sys, time
event = json.load(sys.stdin)
pathlib.Path("gate.started").touch()
while not pathlib.Path("gate.open").exists():
    time.sleep(0.05)
print(json.dumps(event))
"""


class StoreLockedTest(ApiTestCase):
    def start(self, name):
        return self.boto({"op": "start_execution",
                          "params": {"stateMachineArn": PIPELINE, "name": name}})[0]

    def warnings(self):
        return [e["message"] for e in self.log_events(self.proc) if e["event"] == "warning"]

    def test_a_start_the_store_cannot_take_is_refused_and_recording_resumes(self):
        project = self.init_project(fast_pipeline=True)
        self.start_api(project)
        self.assertIn("ok", self.start("before"))

        holder = sqlite3.connect(project / "data" / "autoretrain.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # SQLite's write lock, held by another process
        try:
            refused = self.start("while-locked")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertEqual(refused.get("error"), "InternalFailure", refused)
        self.assertEqual(refused["status"], 500)
        self.assertIn("StoreLocked", refused["message"])
        self.assertTrue(any("cannot be saved" in w for w in self.warnings()), self.warnings())

        after = self.start("after")
        self.assertIn("ok", after)
        results = self.boto(
            {"op": "wait_execution", "params": {"executionArn": after["ok"]["executionArn"]}},
            {"op": "describe_execution", "params": {"executionArn": after["ok"]["executionArn"]}},
            {"op": "describe_execution",
             "params": {"executionArn": f"{ACCOUNT_ARN}:execution:creditcard-training-pipeline:"
                                        "while-locked"}})
        self.assertEqual(results[1]["ok"]["status"], "SUCCEEDED", results)
        self.assertEqual(results[2].get("error"), "ExecutionDoesNotExist", results)
        self.assertTrue(any("saved in" in w and "again" in w for w in self.warnings()),
                        self.warnings())

        # What was accepted is in the database itself, so it outlives the daemon.
        with sqlite3.connect(project / "data" / "autoretrain.db") as db:
            names = {row[0] for row in db.execute("SELECT name FROM executions")}
        self.assertLessEqual({"before", "after"}, names)
        self.assertNotIn("while-locked", names)

    def test_an_end_the_store_refused_is_written_by_an_idle_daemon(self):
        project = self.init_project()
        # The execution ends when the test says so: its one task is a command function that
        # waits for a file the test creates once it holds the lock (a Wait of a few seconds
        # could end before the lock was taken on a loaded machine).
        (project / "gate.py").write_text(GATE_PY)
        config = json.loads((project / "autoretrain.json").read_text())
        config["functions"]["gate"] = {"command": ["python3", "gate.py"], "timeout_seconds": 120}
        (project / "autoretrain.json").write_text(json.dumps(config))
        (project / "state_machines" / "training_pipeline.asl.json").write_text(json.dumps({
            "StartAt": "Train",
            "States": {"Train": {"Type": "Task", "Resource": f"{FUNCTION_ARN}gate",
                                 "Next": "Done"},
                       "Done": {"Type": "Pass", "Result": {"trained": True}, "End": True}}}))
        self.start_api(project)
        arn = self.start("ends-while-locked")["ok"]["executionArn"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (project / "gate.started").exists():
            time.sleep(0.05)  # the task runs: its start is stored
        self.assertTrue((project / "gate.started").exists(), self.warnings())
        holder = sqlite3.connect(project / "data" / "autoretrain.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:  # the execution ends; its end's write fails (5 s busy timeout)
            (project / "gate.open").touch()
            while time.monotonic() < deadline and not any(
                    "cannot be saved" in w for w in self.warnings()):
                time.sleep(0.1)
            self.assertTrue(any("cannot be saved" in w for w in self.warnings()),
                            self.warnings())
            self.assertEqual(self.boto_ok("describe_execution", executionArn=arn)["status"],
                             "RUNNING")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        # Nothing else is started or written: the daemon's own retry stores the end.
        while time.monotonic() < deadline:
            described = self.boto_ok("describe_execution", executionArn=arn)
            if described["status"] != "RUNNING":
                break
            time.sleep(0.2)
        self.assertEqual(described["status"], "SUCCEEDED", self.warnings())
        self.assertEqual(json.loads(described["output"]), {"trained": True})
        events = self.boto_ok("get_execution_history", executionArn=arn)["events"]
        self.assertEqual(events[-1]["type"], "ExecutionSucceeded")
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
