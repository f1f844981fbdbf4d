"""End-to-end tests of `autoretrain executions` and of the history `check` records."""

import json
import sqlite3

from test_cli_support import TempDirTestCase, autoretrain

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
