"""End-to-end tests of `autoretrain check`: the seed's trigger on a project made by `init`."""

import json
import os
import shutil
import subprocess
import unittest

from test_cli_support import BIN, BUCKET, TempDirTestCase, autoretrain

TRIGGER = "creditcard-auto-retraining-trigger"


class CheckYesRunsTheRealPipelineTest(TempDirTestCase):
    def test_yes_trains_and_stores_a_model(self):
        project = self.init_project()
        report = self.check_json(project, 0)
        self.assertEqual(report["decision"], "YES")
        self.assertEqual(report["branch"], "TriggerTrainingPipeline")
        trigger = report["trigger"]
        self.assertEqual(trigger["status"], "SUCCEEDED")
        self.assertIn(f":execution:{TRIGGER}:", trigger["executionArn"])
        trigger_output = json.loads(trigger["output"])
        pipeline = report["pipeline"]
        self.assertEqual(pipeline["status"], "SUCCEEDED", pipeline)
        self.assertEqual(pipeline["executionArn"], trigger_output["ExecutionArn"])
        self.assertIn(":execution:creditcard-training-pipeline:", pipeline["executionArn"])
        self.assertEqual(json.loads(pipeline["input"]),
                         {"run": "all", "triggered_by": "monitoring", "reason": "auto_retraining"})

        models = project / "buckets" / BUCKET / "models"
        latest = json.loads((models / "latest.json").read_text())
        self.assertEqual(latest["version"], pipeline["name"])
        self.assertTrue((models / pipeline["name"] / "model.json").is_file())
        self.assertTrue((models / pipeline["name"] / "metrics.json").is_file())
        self.assertEqual(json.loads(pipeline["output"])["version"], pipeline["name"])

    def test_plain_output(self):
        project = self.init_project(fast_pipeline=True)
        proc = self.run_ok("check", "--project", project)
        self.assertRegex(proc.stdout, r"Decision: +YES")
        self.assertRegex(proc.stdout, r"Branch: +TriggerTrainingPipeline")
        self.assertRegex(proc.stdout, r"Trigger: +SUCCEEDED +arn:aws:states:us-east-1:")
        self.assertRegex(proc.stdout, r"Pipeline: +SUCCEEDED +arn:aws:states:.*:execution:"
                                      r"creditcard-training-pipeline:")

    def test_project_from_environment_and_current_directory(self):
        project = self.init_project(fast_pipeline=True)
        self.write_decision(project, "retraining_required\nNO\n")
        env = dict(os.environ, AUTORETRAIN_PROJECT=str(project))
        proc = autoretrain("check", "--json", env=env, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["decision"], "NO")
        env.pop("AUTORETRAIN_PROJECT")
        proc = autoretrain("check", "--json", env=env, cwd=project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout)["branch"], "NoRetrainingNeeded")


class CheckDecisionValuesTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)

    def assert_decision(self, data, decision):
        self.write_decision(self.project, data)
        report = self.check_json(self.project, 0)
        self.assertEqual(report["decision"], decision)
        self.assertEqual(report["trigger"]["status"], "SUCCEEDED")
        if decision == "YES":
            self.assertEqual(report["branch"], "TriggerTrainingPipeline")
            self.assertEqual(report["pipeline"]["status"], "SUCCEEDED")
            self.assertEqual(json.loads(report["pipeline"]["output"]), {"trained": True})
        else:
            self.assertEqual(report["branch"], "NoRetrainingNeeded")
            self.assertIsNone(report["pipeline"])
            self.assertEqual(json.loads(report["trigger"]["output"]),
                             {"decision": {"decision": "NO"}})
        return report

    def test_no_starts_nothing(self):
        self.assert_decision("retraining_required\nNO\n", "NO")
        proc = self.run_ok("check", "--project", self.project)
        self.assertRegex(proc.stdout, r"Pipeline: +none started")
        self.assertFalse((self.project / "buckets" / BUCKET / "models").exists())

    def test_lowercase_yes(self):
        self.assert_decision("retraining_required\nyes\n", "YES")

    def test_padded_mixed_case(self):
        self.assert_decision("retraining_required\n  Yes \r\n", "YES")

    def test_bom_and_crlf(self):
        self.assert_decision(b"\xef\xbb\xbfretraining_required\r\nNO\r\n", "NO")

    def test_quoted_field_with_extra_columns(self):
        self.assert_decision('retraining_required,score\r\n"yes",0.93\r\n', "YES")


class CheckBadDecisionFileTest(TempDirTestCase):
    """Each bad decision file fails the trigger with a named error; no pipeline starts."""

    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.decision = self.project / "buckets" / BUCKET / (
            "monitoring_outputs/retraining_decision/retraining_decision.csv")

    def assert_fails(self, error, cause_part):
        report = self.check_json(self.project, 1)
        trigger = report["trigger"]
        self.assertEqual(trigger["status"], "FAILED")
        self.assertEqual(trigger["error"], error, trigger)
        cause = json.loads(trigger["cause"])
        self.assertEqual(cause["errorType"], error)
        self.assertIn(cause_part, cause["errorMessage"])
        self.assertIsNone(report["decision"])
        self.assertIsNone(report["branch"])
        self.assertIsNone(report["pipeline"])
        proc = autoretrain("check", "--project", self.project)
        self.assertEqual(proc.returncode, 1)
        self.assertRegex(proc.stdout, r"Trigger: +FAILED")
        self.assertRegex(proc.stdout, rf"error: +{error}")
        self.assertIn(cause_part, proc.stdout)
        return cause["errorMessage"]

    def test_missing_file(self):
        self.decision.unlink()
        self.assert_fails("NoSuchKey", "retraining_decision.csv")

    def test_missing_bucket_directory(self):
        shutil.rmtree(self.project / "buckets" / BUCKET)
        self.assert_fails("NoSuchBucket", BUCKET)

    def test_header_only(self):
        self.decision.write_text("retraining_required\n")
        self.assert_fails("DecisionFileEmpty", "has no data row")

    def test_empty(self):
        self.decision.write_text("")
        self.assert_fails("DecisionFileEmpty", "the file is empty")

    def test_neither_yes_nor_no(self):
        self.decision.write_text("retraining_required\nMAYBE\n")
        self.assert_fails("InvalidDecisionValue", "MAYBE")

    def test_oversized(self):
        self.decision.write_text("retraining_required\nYES\n" + "x" * (1024 * 1024 + 10))
        self.assert_fails("DecisionFileTooLarge", "is larger than 1048576 bytes")

    def test_unreadable(self):
        self.decision.chmod(0)
        self.addCleanup(self.decision.chmod, 0o644)
        if os.geteuid() != 0:
            self.assert_fails("AccessDenied", "retraining_decision.csv")
            return
        # Root reads any file: run the check as an unprivileged user instead, when possible.
        if not shutil.which("setpriv"):
            self.skipTest("running as root without setpriv: permissions do not stop root")
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN]
        probe = subprocess.run([*as_nobody, "--version"], capture_output=True, timeout=60)
        if probe.returncode != 0:
            self.skipTest("running as root and the binary cannot run as an unprivileged user")
        self.tmp.chmod(0o755)
        proc = subprocess.run([*as_nobody, "check", "--project", str(self.project), "--json"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        trigger = json.loads(proc.stdout)["trigger"]
        self.assertEqual(trigger["error"], "AccessDenied", trigger)
        self.assertIn("retraining_decision.csv", json.loads(trigger["cause"])["errorMessage"])


class CheckBadProjectTest(TempDirTestCase):
    def test_not_a_project(self):
        proc = autoretrain("check", "--project", self.tmp)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("autoretrain init", proc.stderr)

    def test_missing_directory(self):
        proc = autoretrain("check", "--project", self.tmp / "nope")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("does not exist", proc.stderr)

    def test_invalid_config_names_each_field(self):
        project = self.init_project(fast_pipeline=True)
        config_path = project / "autoretrain.json"
        config = json.loads(config_path.read_text())
        config["regoin"] = "us-east-1"
        config["functions"]["prepare_data"]["timeout_seconds"] = "soon"
        config["state_machines"]["creditcard-training-pipeline"]["definition"] = "nope.json"
        config_path.write_text(json.dumps(config))
        proc = autoretrain("check", "--project", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("regoin: unknown field (did you mean 'region'?)", proc.stderr)
        self.assertIn("functions.prepare_data.timeout_seconds: expected an integer", proc.stderr)
        self.assertIn("state_machines.creditcard-training-pipeline.definition: file 'nope.json' "
                      "does not exist", proc.stderr)

    def test_config_without_check_section(self):
        project = self.init_project()
        config_path = project / "autoretrain.json"
        config = json.loads(config_path.read_text())
        del config["check"]
        config_path.write_text(json.dumps(config))
        proc = autoretrain("check", "--project", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("check: missing", proc.stderr)

    def test_config_not_json(self):
        project = self.init_project()
        (project / "autoretrain.json").write_text("{ nope")
        proc = autoretrain("check", "--project", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("autoretrain.json: not valid JSON", proc.stderr)

    def test_invalid_trigger_definition(self):
        project = self.init_project()
        (project / "state_machines" / "retraining_trigger.asl.json").write_text(
            json.dumps({"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}))
        proc = autoretrain("check", "--project", project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("retraining_trigger.asl.json: ", proc.stderr)
        self.assertIn("Nope", proc.stderr)

    def test_pipeline_failure_fails_the_check(self):
        project = self.init_project()
        (project / "state_machines" / "training_pipeline.asl.json").write_text(json.dumps({
            "StartAt": "Boom",
            "States": {"Boom": {"Type": "Fail", "Error": "TrainingFailed", "Cause": "no GPU"}}}))
        report = self.check_json(project, 1)
        self.assertEqual(report["trigger"]["status"], "SUCCEEDED")
        self.assertEqual(report["pipeline"]["status"], "FAILED")
        self.assertEqual(report["pipeline"]["error"], "TrainingFailed")
        self.assertEqual(report["pipeline"]["cause"], "no GPU")


if __name__ == "__main__":
    unittest.main()
