"""End-to-end tests of `autoretrain executions` and of the history `check` records."""

import json
import os
import signal
import sqlite3
import subprocess
import time

from test_cli_support import BIN, TempDirTestCase, autoretrain

TRIGGER = "creditcard-auto-retraining-trigger"
PIPELINE = "creditcard-training-pipeline"


class ExecutionsTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.run_ok("check", "--project", self.project)
        self.write_decision(self.project, "retraining_required\nNO\n")
        self.run_ok("check", "--project", self.project)

    def json_of(self, *args):
        proc = self.run_ok("executions", *args, "--project", self.project, "--json")
        return json.loads(proc.stdout)

    def test_database_in_the_data_folder(self):
        self.assertTrue((self.project / "data" / "autoretrain.db").is_file())

    def test_list_newest_first_with_statuses(self):
        executions = self.json_of("list")["executions"]
        machines = [e["stateMachineArn"].rsplit(":", 1)[1] for e in executions]
        self.assertEqual(sorted(machines), sorted([TRIGGER, TRIGGER, PIPELINE]))
        starts = [e["startDate"] for e in executions]
        self.assertEqual(starts, sorted(starts, reverse=True))
        self.assertEqual(machines[0], TRIGGER)  # the NO check started nothing, and came last
        for e in executions:
            self.assertEqual(e["status"], "SUCCEEDED")
            self.assertEqual(set(e), {"executionArn", "stateMachineArn", "name", "status",
                                      "startDate", "stopDate"})
        table = self.run_ok("executions", "list", "--project", self.project).stdout
        self.assertRegex(table.splitlines()[0], r"^NAME +STATUS +START +STOP +STATE MACHINE$")
        self.assertEqual(len(table.splitlines()), 4)
        self.assertIn(executions[0]["name"], table.splitlines()[1])

    def test_filters_and_pagination(self):
        only = self.json_of("list", "--state-machine", PIPELINE)["executions"]
        self.assertEqual(len(only), 1)
        self.assertEqual(self.json_of("list", "--status", "FAILED")["executions"], [])
        self.assertEqual(len(self.json_of("list", "--status", "SUCCEEDED")["executions"]), 3)
        seen, token = [], None
        while True:
            args = ["list", "--max-results", "1"] + (["--next-token", token] if token else [])
            page = self.json_of(*args)
            self.assertEqual(len(page["executions"]), 1)
            seen.append(page["executions"][0]["executionArn"])
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(seen, [e["executionArn"] for e in self.json_of("list")["executions"]])
        proc = autoretrain("executions", "list", "--project", self.project, "--next-token", "zz")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("Invalid Token", proc.stderr)

    def test_describe_by_arn_and_by_name(self):
        pipeline = self.json_of("list", "--state-machine", PIPELINE)["executions"][0]
        by_arn = self.json_of("describe", pipeline["executionArn"])
        by_name = self.json_of("describe", pipeline["name"])
        self.assertEqual(by_arn, by_name)
        self.assertEqual(by_arn["status"], "SUCCEEDED")
        self.assertEqual(json.loads(by_arn["output"]), {"trained": True})
        self.assertEqual(json.loads(by_arn["input"])["triggered_by"], "monitoring")
        text = self.run_ok("executions", "describe", pipeline["name"], "--project",
                           self.project).stdout
        self.assertRegex(text, r"Status: +SUCCEEDED")

    def test_history_json_and_table(self):
        trigger = self.json_of("list", "--state-machine", TRIGGER)["executions"][0]
        events = self.json_of("history", trigger["executionArn"])["events"]
        self.assertEqual((events[0]["id"], events[0]["previousEventId"], events[0]["type"]),
                         (1, 0, "ExecutionStarted"))
        self.assertEqual(events[-1]["type"], "ExecutionSucceeded")
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
        self.assertIn("ChoiceStateEntered", [e["type"] for e in events])
        reverse = self.json_of("history", trigger["name"], "--reverse")["events"]
        self.assertEqual(reverse, events[::-1])
        page = self.json_of("history", trigger["name"], "--max-results", "2")
        self.assertEqual(page["events"], events[:2])
        rest = self.json_of("history", trigger["name"], "--next-token", page["nextToken"])
        self.assertEqual(rest["events"], events[2:])
        table = self.run_ok("executions", "history", trigger["name"], "--project",
                            self.project).stdout.splitlines()
        self.assertRegex(table[0], r"^ID +TYPE +STEP +ELAPSED \(ms\) +TIMESTAMP$")
        self.assertRegex(table[2], r"^2 +TaskStateEntered +ReadRetrainingDecision +\d+ +20")
        self.assertEqual(len(table), len(events) + 1)

    def test_unknown_names_and_projects_exit_2(self):
        proc = autoretrain("executions", "describe", "no-such-run", "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no execution named 'no-such-run'", proc.stderr)
        proc = autoretrain("executions", "list", "--project", self.project,
                           "--state-machine", "nope")
        self.assertEqual(proc.returncode, 2)
        self.assertIn(TRIGGER, proc.stderr)
        proc = autoretrain("executions", "list", "--project", self.tmp / "missing")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("does not exist", proc.stderr)
        proc = autoretrain("executions", "list", "--project", self.project, "--status", "DONE")
        self.assertEqual(proc.returncode, 2)


# A state machine whose first task runs a command function that sleeps: its execution stays
# RUNNING until it is stopped.
SLOW = {
    "StartAt": "Sleep",
    "States": {
        "Sleep": {"Type": "Task",
                  "Resource": "arn:aws:lambda:us-east-1:123456789012:function:slow",
                  "Next": "After"},
        "After": {"Type": "Pass", "End": True},
    },
}
SLOW_ARN = "arn:aws:states:us-east-1:123456789012:execution:slow:"


class StopTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)

    def executions(self, *args):
        proc = self.run_ok("executions", *args, "--project", self.project, "--json")
        return json.loads(proc.stdout)

    def start_slow(self, name):
        """Runs SLOW as execution `name` in the background until its task is running and the
        store has it RUNNING; returns what kills the run (also called at cleanup)."""
        # The function runs in a process group of its own: it leaves its pid for kill().
        pid_file = self.project / f"{name}.pid"
        (self.project / "slow.sh").write_text(
            "#!/bin/sh\necho $$ > \"$1\"\nexec sleep 60\n")
        (self.project / "slow.asl.json").write_text(json.dumps(SLOW))
        proc = subprocess.Popen(
            [BIN, "run", "slow.asl.json", "--project", self.project, "--name", name,
             "--function", f"slow=sh slow.sh {pid_file}"],
            cwd=self.project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def kill():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text()), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
                pid_file.unlink()

        self.addCleanup(kill)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if pid_file.exists() and (self.project / "data" / "autoretrain.db").exists():
                listed = self.executions("list", "--status", "RUNNING")["executions"]
                if any(e["name"] == name for e in listed):
                    return kill
            self.assertIsNone(proc.poll(), "the run ended before it could be stopped")
            time.sleep(0.1)
        self.fail(f"execution {name} never showed up as RUNNING")

    def test_stop_a_running_execution(self):
        kill = self.start_slow("to-stop")
        stopped = self.executions("stop", "to-stop", "--error", "Manual", "--cause",
                                  "stopped by the test")
        self.assertEqual(set(stopped), {"stopDate"})
        kill()
        described = self.executions("describe", SLOW_ARN + "to-stop")
        self.assertEqual(described["status"], "ABORTED")
        self.assertEqual(described["stopDate"], stopped["stopDate"])
        self.assertEqual((described["error"], described["cause"]),
                         ("Manual", "stopped by the test"))
        self.assertNotIn("output", described)
        events = self.executions("history", "to-stop")["events"]
        self.assertEqual(events[-1]["type"], "ExecutionAborted")
        self.assertEqual(events[-1]["id"], len(events))
        self.assertEqual(events[-1]["previousEventId"], len(events) - 1)
        self.assertEqual(events[-1]["timestamp"], stopped["stopDate"])
        self.assertEqual(events[-1]["executionAbortedEventDetails"],
                         {"error": "Manual", "cause": "stopped by the test"})
        self.assertEqual(
            [e["name"] for e in self.executions("list", "--status", "ABORTED")["executions"]],
            ["to-stop"])
        # Stopping it again is not an error and changes nothing.
        again = self.run_ok("executions", "stop", "to-stop", "--project", self.project).stdout
        self.assertEqual(again.strip(), f"{SLOW_ARN}to-stop had already finished: ABORTED at "
                                        f"{stopped['stopDate']}")
        self.assertEqual(self.executions("history", "to-stop")["events"], events)

    def test_stop_without_error_or_cause_prints_what_it_did(self):
        kill = self.start_slow("plain")
        out = self.run_ok("executions", "stop", SLOW_ARN + "plain", "--project",
                          self.project).stdout
        kill()
        described = self.executions("describe", "plain")
        self.assertEqual(out.strip(), f"stopped {SLOW_ARN}plain at {described['stopDate']}")
        self.assertEqual(described["status"], "ABORTED")
        self.assertNotIn("error", described)
        self.assertNotIn("cause", described)
        last = self.executions("history", "plain", "--reverse", "--max-results", "1")["events"]
        self.assertEqual(last[0]["type"], "ExecutionAborted")
        self.assertEqual(last[0]["executionAbortedEventDetails"], {})

    def test_stop_a_finished_execution_changes_nothing(self):
        self.run_ok("check", "--project", self.project)
        pipeline = self.executions("list", "--state-machine", PIPELINE)["executions"][0]
        history = self.executions("history", pipeline["name"])["events"]
        stopped = self.executions("stop", pipeline["name"], "--error", "Late")
        self.assertEqual(stopped, {"stopDate": pipeline["stopDate"]})
        out = self.run_ok("executions", "stop", pipeline["executionArn"], "--project",
                          self.project).stdout
        self.assertEqual(out.strip(), f"{pipeline['executionArn']} had already finished: "
                                      f"SUCCEEDED at {pipeline['stopDate']}")
        described = self.executions("describe", pipeline["name"])
        self.assertEqual(described["status"], "SUCCEEDED")
        self.assertNotIn("error", described)
        self.assertEqual(self.executions("history", pipeline["name"])["events"], history)

    def test_unknown_execution_and_bad_arguments_exit_2(self):
        # Nothing recorded yet: there is no database, and nothing to stop.
        proc = autoretrain("executions", "stop", SLOW_ARN + "nope", "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(f"Execution Does Not Exist: '{SLOW_ARN}nope'", proc.stderr)
        self.assertFalse((self.project / "data" / "autoretrain.db").exists())
        self.run_ok("check", "--project", self.project)
        proc = autoretrain("executions", "stop", "nope", "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no execution named 'nope'", proc.stderr)
        proc = autoretrain("executions", "stop", "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        trigger = self.executions("list", "--state-machine", TRIGGER)["executions"][0]
        proc = autoretrain("executions", "stop", trigger["name"], "--error", "x" * 257,
                           "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("'error' failed to satisfy constraint", proc.stderr)

    def test_locked_database_exits_1(self):
        self.run_ok("check", "--project", self.project)
        trigger = self.executions("list", "--state-machine", TRIGGER)["executions"][0]
        db = sqlite3.connect(self.project / "data" / "autoretrain.db", isolation_level=None)
        self.addCleanup(db.close)
        db.execute("BEGIN EXCLUSIVE")
        proc = autoretrain("executions", "stop", trigger["executionArn"], "--project",
                           self.project)
        db.execute("ROLLBACK")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("autoretrain.db", proc.stderr)


class UnusableDatabaseTest(TempDirTestCase):
    def assert_check_warns(self, project, error):
        proc = autoretrain("check", "--project", project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stdout, r"Pipeline: +SUCCEEDED")
        warnings = [l for l in proc.stderr.splitlines() if "warning" in l]
        self.assertEqual(len(warnings), 1, proc.stderr)
        self.assertIn(str(project / "data" / "autoretrain.db"), warnings[0])
        self.assertIn(error, warnings[0])

    def test_locked_database(self):
        project = self.init_project(fast_pipeline=True)
        self.run_ok("check", "--project", project)
        db = sqlite3.connect(project / "data" / "autoretrain.db", isolation_level=None)
        self.addCleanup(db.close)
        db.execute("BEGIN EXCLUSIVE")
        self.assert_check_warns(project, "StoreLocked")
        db.execute("ROLLBACK")

    def test_not_a_database(self):
        project = self.init_project(fast_pipeline=True)
        (project / "data").mkdir()
        (project / "data" / "autoretrain.db").write_bytes(b"not a database" * 100)
        self.assert_check_warns(project, "StoreCorrupt")
