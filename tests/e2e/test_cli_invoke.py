"""End-to-end tests of `autoretrain invoke`: each built-in function run on one event from the
command line, Lambda-style (result JSON on stdout, a failure as errorType/errorMessage with
exit 1), with the project's object store and history table, and used as a command function
by a state machine that `autoretrain run` executes."""

import json

from test_cli_support import BIN, TempDirTestCase, autoretrain

YES_HIGH = {"retraining_required": "YES", "severity": "HIGH"}


class InvokeTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.tmp / "project"
        self.run_ok("init", self.project, "--template", "policy")

    def invoke(self, *args, input_text=None):
        return autoretrain("invoke", *args, "--project", self.project, input_text=input_text)

    def test_the_decision_function_reads_the_projects_decision_file(self):
        self.write_decision(self.project, "retraining_required\nno\n")
        proc = self.invoke("check_retraining_decision", input_text="")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), {"retraining_required": "NO"})
        # The event's bucket and key override the configured location, as in the seed.
        proc = self.invoke("check_retraining_decision", "--payload",
                           json.dumps({"bucket": "mlops-creditcard", "key": "missing.csv"}))
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["errorType"], "NoSuchKey")
        self.assertIn("NoSuchKey", proc.stderr)

    def test_the_policy_evaluates_an_event_from_stdin_and_records_nothing(self):
        event = {"model": "creditcard", "decision": YES_HIGH, "evaluation_id": "by-hand"}
        proc = self.invoke("evaluate_retraining_policy", input_text=json.dumps(event))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        result = json.loads(proc.stdout)
        self.assertEqual(result["model"], "creditcard")
        self.assertEqual(result["decision"], "YES")
        self.assertIn(result["verdict"], ("RETRAIN", "NEEDS_APPROVAL"))
        self.assertEqual(result["item"]["sk"]["S"].rsplit("#", 1)[1], "by-hand")
        self.assertEqual({r["rule"] for r in result["reasons"]} >= {"decision", "cooldown"}, True)
        history = json.loads(self.run_ok("history", "creditcard", "--project", self.project,
                                         "--json").stdout)
        self.assertEqual(history["records"], [])  # the state machine writes the item, not invoke

    def test_failures_are_reported_as_lambda_reports_them(self):
        proc = self.invoke("evaluate_retraining_policy", "--payload", '{"model": "creditcard"}')
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        error = json.loads(proc.stdout)
        self.assertEqual(error["errorType"], "InvalidPolicyRequest")
        self.assertIn("decision", error["errorMessage"])

        proc = self.invoke("train_everything", input_text="")
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertIn("no built-in function named 'train_everything'", proc.stderr)
        self.assertIn("evaluate_retraining_policy", proc.stderr)

        proc = self.invoke("check_retraining_decision", "--payload", "{not json")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--payload: not valid JSON", proc.stderr)
        payload = self.tmp / "event.json"
        payload.write_text("{}")
        proc = self.invoke("check_retraining_decision", "--payload", "{}",
                           "--payload-file", str(payload))
        self.assertEqual(proc.returncode, 2)
        self.assertIn("excludes", proc.stderr)

    def test_events_are_limited_to_six_megabytes_as_lambda_limits_them(self):
        limit = 6 * 1024 * 1024
        # A JSON string padded to exactly the limit is accepted (the function then finds no
        # model named by it), one byte more is refused before it is parsed, from each source.
        at_limit = json.dumps({"model": "x" * (limit - len('{"model": ""}'))})
        self.assertEqual(len(at_limit), limit)
        proc = self.invoke("evaluate_retraining_policy", input_text=at_limit)
        self.assertEqual(proc.returncode, 1, proc.stderr[-500:])
        self.assertEqual(json.loads(proc.stdout)["errorType"], "InvalidPolicyRequest")
        over = at_limit + " "
        event = self.tmp / "event.json"
        event.write_text(over)
        for args, stdin, source in ((("--payload-file", str(event)), None, "--payload-file"),
                                    ((), over, "the event on stdin")):
            proc = self.invoke("evaluate_retraining_policy", *args, input_text=stdin)
            self.assertEqual(proc.returncode, 2, proc.stderr[-500:])
            self.assertEqual(proc.stdout, "")
            self.assertIn(source, proc.stderr)
            self.assertIn("larger than 6291456 bytes", proc.stderr)

    def test_a_built_in_serves_as_another_projects_command_function(self):
        definition = self.tmp / "evaluate.asl.json"
        definition.write_text(json.dumps({
            "StartAt": "Evaluate",
            "States": {"Evaluate": {
                "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "policy",
                               "Payload": {"model": "creditcard", "decision.$": "$.decision"}},
                "OutputPath": "$.Payload.verdict", "End": True}}}))
        command = f"{BIN} invoke evaluate_retraining_policy --project {self.project}"
        proc = self.run_ok("run", definition, "--function", f"policy={command}",
                           "--input", json.dumps({"decision": {"retraining_required": "NO"}}))
        self.assertEqual(json.loads(proc.stdout), "SKIP")


if __name__ == "__main__":
    import unittest
    unittest.main()
