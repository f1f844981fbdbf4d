"""End-to-end tests of the retraining policy through `autoretrain run` on a project.

The project configures a model's policy ("models") and the built-in evaluate_retraining_policy
reads the history the state machine itself writes with dynamodb:putItem/updateItem into the
project's local table store, across separate processes: a HIGH decision retrains, a second
one within the cooldown is skipped, a CRITICAL one lifts the cooldown; an unknown model is
refused when "retraining.unknown_models" is "reject"; a bad policy names the field;
`autoretrain history` shows every evaluation; the shipped policy trigger versions retrainings
and waits at the approval gate for `autoretrain approve|reject`.
"""

import datetime
import json
import subprocess
import time

from test_cli_support import BIN, TempDirTestCase, autoretrain

TABLE = "autoretrain-retraining-history"

# Evaluate, record the evaluation, and when it retrains, record the (instant) pipeline's success.
POLICY_LOOP = {
    "StartAt": "Evaluate",
    "States": {
        "Evaluate": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "evaluate_retraining_policy",
                           "Payload": {"model.$": "$.model", "decision.$": "$.decision",
                                       "evaluation_id.$": "$$.Execution.Name"}},
            "ResultSelector": {"policy.$": "$.Payload"}, "Next": "Record"},
        "Record": {
            "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": TABLE, "Item.$": "$.policy.item"},
            "ResultPath": None, "Next": "Retrain?"},
        "Retrain?": {"Type": "Choice", "Default": "Done",
                     "Choices": [{"Variable": "$.policy.retrain", "BooleanEquals": True,
                                  "Next": "PipelineSucceeded"}]},
        "PipelineSucceeded": {
            "Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": {"TableName": TABLE,
                           "Key": {"model.$": "$.policy.item.model", "sk.$": "$.policy.item.sk"},
                           "UpdateExpression": "SET #status = :done",
                           "ExpressionAttributeNames": {"#status": "status"},
                           "ExpressionAttributeValues": {":done": {"S": "SUCCEEDED"}}},
            "ResultPath": None, "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"verdict.$": "$.policy.verdict",
                                                 "reasons.$": "$.policy.reasons"},
                 "End": True},
    },
}

COUNT_HISTORY = {
    "StartAt": "Query",
    "States": {"Query": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
        "Parameters": {"TableName": TABLE, "KeyConditionExpression": "model = :m",
                       "ExpressionAttributeValues": {":m": {"S": "creditcard"}}},
        "ResultSelector": {"Count.$": "$.Count"}, "End": True}},
}


class PolicyTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project()
        self.configure({"models": {"creditcard": {"policy": {
            "cooldown_hours": 24, "cooldown_override": "CRITICAL"}}}})
        self.loop = self.tmp / "policy.asl.json"
        self.loop.write_text(json.dumps(POLICY_LOOP))

    def configure(self, sections):
        path = self.project / "autoretrain.json"
        config = json.loads(path.read_text())
        config.update(sections)
        path.write_text(json.dumps(config, indent=2))

    def evaluate(self, severity, model="creditcard", expected_exit=0):
        run_input = {"model": model,
                     "decision": {"retraining_required": "YES", "severity": severity}}
        proc = autoretrain("run", self.loop, "--project", self.project, "--json", "--input",
                           json.dumps(run_input))
        self.assertEqual(proc.returncode, expected_exit,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        result = json.loads(proc.stdout)
        return json.loads(result["output"]) if expected_exit == 0 else result

    @staticmethod
    def outcome(output, rule):
        return next(r["outcome"] for r in output["reasons"] if r["rule"] == rule)

    def test_cooldown_blocks_and_critical_overrides_across_processes(self):
        first = self.evaluate("HIGH")
        self.assertEqual(first["verdict"], "RETRAIN", first)
        second = self.evaluate("HIGH")
        self.assertEqual(second["verdict"], "SKIP", second)
        self.assertEqual(self.outcome(second, "cooldown"), "BLOCK")
        third = self.evaluate("CRITICAL")
        self.assertEqual(third["verdict"], "RETRAIN", third)
        self.assertEqual(self.outcome(third, "cooldown"), "OVERRIDE")
        # Every evaluation is in the history, retrain or not.
        proc = autoretrain("run", self.write(COUNT_HISTORY), "--project", self.project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), {"Count": 3})
        # `autoretrain history` shows them, latest first, with why and what became of them.
        proc = autoretrain("history", "creditcard", "--project", self.project, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        records = json.loads(proc.stdout)["records"]
        self.assertEqual([r["verdict"] for r in records], ["RETRAIN", "SKIP", "RETRAIN"])
        self.assertEqual([r.get("status") for r in records], ["SUCCEEDED", None, "SUCCEEDED"])
        self.assertEqual(records[0]["severity"], "CRITICAL")
        self.assertIn("cooldown", records[1]["summary"])
        table = autoretrain("history", "--project", self.project)
        self.assertEqual(table.returncode, 0, table.stderr)
        lines = table.stdout.splitlines()
        self.assertEqual(lines[0].split()[:5], ["MODEL", "EVALUATED", "DECISION", "SEVERITY",
                                                "VERDICT"])
        self.assertEqual(len(lines), 4)
        empty = autoretrain("history", "churn", "--project", self.project)
        self.assertEqual(empty.returncode, 0, empty.stderr)
        self.assertIn("No retraining history for model churn", empty.stdout)

    def test_unknown_models_are_refused_when_configured(self):
        self.assertEqual(self.evaluate("HIGH", model="churn")["verdict"], "RETRAIN")
        self.configure({"retraining": {"unknown_models": "reject"}})
        failed = self.evaluate("HIGH", model="fraud", expected_exit=1)
        self.assertEqual(failed["error"], "UnknownModel", failed)

    def test_a_bad_policy_names_the_field(self):
        self.configure({"models": {"creditcard": {"policy": {"cooldown_hours": -1}}},
                        "retraining": {"history_table": "x"}})
        proc = autoretrain("run", self.loop, "--project", self.project)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("models.creditcard.policy.cooldown_hours: expected an integer", proc.stderr)
        self.assertIn("retraining.history_table: expected a DynamoDB table name", proc.stderr)

    def test_the_policy_template_versions_retrainings_and_respects_the_cooldown(self):
        project = self.tmp / "policy-project"
        self.run_ok("init", project, "--template", "policy")
        first = self.run_ok("check", "--project", project, "--json")
        report = json.loads(first.stdout)
        self.assertEqual(report["pipeline"]["status"], "SUCCEEDED", report)
        second = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertIsNone(second.get("pipeline"), second)  # cooldown: nothing started
        records = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
        records = records["records"]
        self.assertEqual([r["verdict"] for r in records], ["SKIP", "RETRAIN"])
        retrained = records[1]
        self.assertEqual(retrained["version"], 1)
        self.assertEqual(retrained["status"], "SUCCEEDED")
        self.assertEqual(retrained["execution_arn"], report["pipeline"]["executionArn"])
        self.assertIn("finished_at", retrained)
        self.assertGreaterEqual(retrained["duration_seconds"], 0)
        # The example pipeline's output (its metrics, where it stored the model) is recorded.
        self.assertGreaterEqual(retrained["pipeline_output"]["auc"], 0.75)
        self.assertIn("model_uri", retrained["pipeline_output"])
        # How the alerts went is on the record: no Slack webhook and no topic configured.
        self.assertEqual(retrained["alert"], {"delivered": [], "failed": []})
        self.assertIn("skipped", retrained["sns_alert"])
        self.assertIn("cooldown", records[0]["summary"])
        checks = json.loads(autoretrain("validate", "--project", project, "--json").stdout)
        self.assertTrue(checks["passed"], checks)

    def test_the_policy_template_publishes_to_the_alert_topic_before_the_pipeline(self):
        project = self.tmp / "sns-project"
        self.run_ok("init", project, "--template", "policy")
        path = project / "autoretrain.json"
        config = json.loads(path.read_text())
        config["alerts"] = {"sns_topic": "alertz"}
        config.setdefault("integrations", {})["sns"] = {"topics": [{"name": "alerts"}]}
        path.write_text(json.dumps(config))
        wrong = autoretrain("check", "--project", project)
        self.assertEqual(wrong.returncode, 2, wrong.stderr)
        self.assertIn("alerts.sns_topic: 'alertz' is neither a topic of integrations.sns.topics",
                      wrong.stderr)
        self.assertIn("did you mean 'alerts'", wrong.stderr)

        config["alerts"] = {"sns_topic": "alerts"}
        path.write_text(json.dumps(config))
        self.write_decision(project, "retraining_required,severity\nYES,HIGH\n")
        report = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertEqual(report["pipeline"]["status"], "SUCCEEDED", report)
        topic = "arn:aws:sns:us-east-1:123456789012:alerts"
        self.assertEqual(json.loads(report["trigger"]["input"])["alert_topic_arn"], topic)
        lines = (project / "data" / "sns-messages.jsonl").read_text().splitlines()
        self.assertEqual(len(lines), 1, lines)
        published = json.loads(lines[0])
        self.assertEqual(published["TopicArn"], topic)
        message = json.loads(published["Message"])
        self.assertEqual((message["model"], message["verdict"], message["decision"],
                          message["severity"]), ("creditcard", "RETRAIN", "YES", "HIGH"))
        self.assertEqual(message["execution_arn"], report["trigger"]["executionArn"])
        # Published before the pipeline started: the trigger's history has it in that order.
        events = json.loads(self.run_ok("executions", "history", report["trigger"]["executionArn"],
                                        "--project", project, "--json").stdout)["events"]
        entered = [e["stateEnteredEventDetails"]["name"] for e in events
                   if e["type"] == "TaskStateEntered"]
        self.assertLess(entered.index("PublishAlert"), entered.index("RunTrainingPipeline"))
        record = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
        self.assertEqual(record["records"][0]["sns_alert"]["message_id"], published["MessageId"])

    def test_a_stale_decision_does_not_retrain_and_says_why(self):
        project = self.tmp / "stale-project"
        self.run_ok("init", project, "--template", "policy")
        path = project / "autoretrain.json"
        config = json.loads(path.read_text())
        config["functions"]["check_retraining_decision"]["max_age_hours"] = 24
        path.write_text(json.dumps(config))
        three_days_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=3)
        self.write_decision(project, "retraining_required,severity,monitored_at\n"
                            f"YES,CRITICAL,{three_days_ago.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
        stale = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertIsNone(stale.get("pipeline"), stale)  # nothing started on old news
        record = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
        record = record["records"][0]
        self.assertEqual((record["verdict"], record.get("version")), ("SKIP", None))
        freshness = next(r for r in record["reasons"] if r["rule"] == "freshness")
        self.assertEqual(freshness["outcome"], "BLOCK")
        self.assertIn("stale", freshness["message"])

        now = datetime.datetime.now(datetime.timezone.utc)
        self.write_decision(project, "retraining_required,severity,monitored_at\n"
                            f"YES,CRITICAL,{now.strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
        fresh = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertEqual(fresh["pipeline"]["status"], "SUCCEEDED", fresh)

    def start_check_waiting_for_approval(self, project):
        proc = subprocess.Popen([BIN, "check", "--project", str(project), "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the gate has parked its token
            listed = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
            records = listed["records"]
            if records and records[0].get("status") == "PENDING_APPROVAL":
                return proc
            time.sleep(0.1)
        proc.kill()
        out, err = proc.communicate()
        self.fail(f"the check never reached the approval gate:\n{out}\n{err}")

    def approval_project(self, name, timeout_hours=1, on_timeout="reject"):
        """The policy starter with approval required and alerts published to a local topic."""
        project = self.tmp / name
        self.run_ok("init", project, "--template", "policy")
        path = project / "autoretrain.json"
        config = json.loads(path.read_text())
        config["models"]["creditcard"]["policy"]["approval"] = {
            "required": True, "timeout_hours": timeout_hours, "on_timeout": on_timeout}
        config["alerts"] = {"sns_topic": "alerts"}
        config.setdefault("integrations", {})["sns"] = {"topics": [{"name": "alerts"}]}
        path.write_text(json.dumps(config))
        return project

    @staticmethod
    def published_verdicts(project):
        lines = (project / "data" / "sns-messages.jsonl").read_text().splitlines()
        return [json.loads(json.loads(line)["Message"])["verdict"] for line in lines]

    def test_approve_lets_the_waiting_retraining_run(self):
        project = self.approval_project("approve")
        proc = self.start_check_waiting_for_approval(project)
        # The approvers were alerted before the gate waited: that alert is what asks them.
        self.assertEqual(self.published_verdicts(project), ["NEEDS_APPROVAL"])
        nothing = autoretrain("reject", "churn", "--project", project)
        self.assertEqual(nothing.returncode, 2)
        self.assertIn("NoPendingApproval", nothing.stderr)
        answered = self.run_ok("approve", "creditcard", "--project", project, "--by", "alice",
                               "--reason", "drift confirmed", "--json")
        self.assertEqual(json.loads(answered.stdout)["answer"], "APPROVED")
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(json.loads(out)["pipeline"]["status"], "SUCCEEDED")
        record = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
        record = record["records"][0]
        self.assertEqual((record["verdict"], record["status"], record["version"]),
                         ("NEEDS_APPROVAL", "SUCCEEDED", 1))
        # The pipeline is timed from when it started, after the approval, to its end.
        self.assertLess(record["evaluated_at"], record["started_at"])
        self.assertLessEqual(record["started_at"], record["finished_at"])
        self.assertEqual(self.published_verdicts(project), ["NEEDS_APPROVAL"])  # one alert
        # Answered once: nothing waits any more.
        again = autoretrain("approve", "creditcard", "--project", project)
        self.assertEqual(again.returncode, 2, again.stderr)

    def test_reject_ends_the_waiting_retraining_without_a_pipeline(self):
        project = self.approval_project("reject")
        proc = self.start_check_waiting_for_approval(project)
        self.run_ok("reject", "creditcard", "--project", project, "--reason", "false alarm")
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIsNone(json.loads(out)["pipeline"])
        record = json.loads(self.run_ok("history", "--project", project, "--json").stdout)
        self.assertEqual(record["records"][0]["status"], "REJECTED")

    def test_without_an_answer_the_gate_takes_its_configured_default(self):
        for on_timeout, status, pipeline in (("reject", "REJECTED", None),
                                             ("approve", "SUCCEEDED", "SUCCEEDED")):
            with self.subTest(on_timeout=on_timeout):
                # 0.001 h: the gate waits 4 s (3.6 s rounded up to whole seconds).
                project = self.approval_project("timeout-" + on_timeout, 0.001, on_timeout)
                report = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
                self.assertEqual((report.get("pipeline") or {}).get("status"), pipeline, report)
                record = json.loads(self.run_ok("history", "--project", project,
                                                "--json").stdout)["records"][0]
                self.assertEqual((record["verdict"], record["status"]),
                                 ("NEEDS_APPROVAL", status), record)
                events = json.loads(self.run_ok(
                    "executions", "history", report["trigger"]["executionArn"], "--project",
                    project, "--json").stdout)["events"]
                self.assertIn("TaskTimedOut", [e["type"] for e in events])

    def write(self, definition):
        path = self.tmp / "query.asl.json"
        path.write_text(json.dumps(definition))
        return path


if __name__ == "__main__":
    import unittest
    unittest.main()
