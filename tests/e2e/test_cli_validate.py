"""End-to-end tests of `autoretrain validate` (docs/cli.md#validate): a fresh starter project
passes every check; a broken one names each broken part with its fix, and exits 1; nothing is
started or recorded by the dry run."""

import json
import shutil

from test_cli_support import SEED_DIR, TempDirTestCase, autoretrain

DECISION = "buckets/mlops-creditcard/monitoring_outputs/retraining_decision/retraining_decision.csv"


class ValidateTest(TempDirTestCase):
    def init(self):
        project = self.tmp / "p"
        proc = autoretrain("init", project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return project

    def validate(self, project, code):
        proc = autoretrain("validate", "--project", project, "--json")
        self.assertEqual(proc.returncode, code, proc.stdout + proc.stderr)
        return {c["name"]: c for c in json.loads(proc.stdout)["checks"]}

    def test_the_starter_project_passes_and_nothing_is_recorded(self):
        project = self.init()
        checks = self.validate(project, 0)
        self.assertTrue(all(c["passed"] for c in checks.values()), checks)
        yes = checks["trigger dry run (creditcard-auto-retraining-trigger, decision YES)"]
        self.assertIn("creditcard-training-pipeline", yes["detail"])
        no = checks["trigger dry run (creditcard-auto-retraining-trigger, decision NO)"]
        self.assertEqual(no["detail"], "ends without starting anything")
        self.assertIn("next: ", checks["schedule (weekly-retraining-check)"]["detail"])
        listed = autoretrain("executions", "list", "--json", "--project", project)
        self.assertEqual(json.loads(listed.stdout)["executions"], [])
        table = autoretrain("validate", "--project", project)
        self.assertEqual(table.returncode, 0)
        self.assertTrue(table.stdout.startswith("PASS  decision file"), table.stdout)
        self.assertIn("All checks passed.", table.stdout)

    def test_alert_destinations_are_checked_without_sending(self):
        import http.server
        import os
        import threading

        received = []

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_HEAD(self):
                received.append(self.command)
                self.send_response(405)  # webhooks take POST only; still, it answers
                self.end_headers()

            def do_POST(self):
                received.append(self.command)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        project = self.init()
        config = json.loads((project / "autoretrain.json").read_text())
        config["alerts"] = {"slack": [{"webhook_url_env": "HOOK"}, {"webhook_url_env": "UNSET"},
                                      {"webhook_url_env": "DOWN"}]}
        config["integrations"] = {"sns": {"topics": [{"name": "alerts", "subscriptions": [
            {"protocol": "http", "endpoint": url + "/sns"}]}]}}
        (project / "autoretrain.json").write_text(json.dumps(config))
        env = dict(os.environ, HOOK=url + "/services/secret", DOWN="http://127.0.0.1:9/x")
        env.pop("UNSET", None)
        proc = autoretrain("validate", "--project", project, "--json", env=env)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        checks = {c["name"]: c for c in json.loads(proc.stdout)["checks"]}
        hook = checks["alert destination (Slack webhook in $HOOK)"]
        self.assertTrue(hook["passed"], hook)
        self.assertNotIn("secret", json.dumps(hook))
        unset = checks["alert destination (Slack webhook in $UNSET)"]
        self.assertFalse(unset["passed"])
        self.assertIn("export UNSET=", unset["fix"])
        down = checks["alert destination (Slack webhook in $DOWN)"]
        self.assertFalse(down["passed"])
        self.assertIn("HttpConnectionRefused", down["detail"])
        self.assertTrue(checks["alert destination (SNS topic alerts, http)"]["passed"])
        self.assertEqual(received, ["HEAD", "HEAD"])  # nothing was posted

    def test_a_broken_project_names_each_broken_part(self):
        project = self.init()
        (project / DECISION).write_text("retraining_required\nMAYBE\n")
        # The seed's trigger byte for byte: its pipeline ARN is still the placeholder.
        shutil.copy(SEED_DIR / "retraining_trigger.asl.json",
                    project / "state_machines" / "retraining_trigger.asl.json")
        (project / "state_machines" / "training_pipeline.asl.json").write_text(
            '{"StartAt": "Nowhere", "States": {}}')
        checks = self.validate(project, 1)
        decision = checks["decision file (check_retraining_decision)"]
        self.assertFalse(decision["passed"])
        self.assertIn("InvalidDecisionValue", decision["detail"])
        self.assertIn("docs/decision-files.md", decision["fix"])
        pipeline = checks["definition (creditcard-training-pipeline)"]
        self.assertFalse(pipeline["passed"])
        self.assertIn("must contain at least one state", pipeline["detail"])
        yes = checks["trigger dry run (creditcard-auto-retraining-trigger, decision YES)"]
        self.assertFalse(yes["passed"])
        self.assertIn("PASTE_YOUR_MAIN_PIPELINE_ARN_HERE", yes["detail"])
        self.assertIn("placeholder", yes["fix"])
        self.assertTrue(checks[
            "trigger dry run (creditcard-auto-retraining-trigger, decision NO)"]["passed"])
        table = autoretrain("validate", "--project", project)
        self.assertEqual(table.returncode, 1)
        self.assertIn("FAIL  decision file", table.stdout)
        self.assertIn("      fix: ", table.stdout)
        self.assertIn("Some checks failed.", table.stdout)

    def test_a_missing_or_stale_decision_fails_with_its_fix(self):
        project = self.init()
        (project / DECISION).unlink()
        checks = self.validate(project, 1)
        missing = checks["decision file (check_retraining_decision)"]
        self.assertIn("NoSuchKey", missing["detail"])
        self.assertIn("have the monitoring job write", missing["fix"])

        config = json.loads((project / "autoretrain.json").read_text())
        config.setdefault("functions", {})["check_retraining_decision"] = {
            "builtin": "check_retraining_decision", "max_age_hours": 24}
        (project / "autoretrain.json").write_text(json.dumps(config))
        (project / DECISION).write_text(
            "retraining_required,monitored_at\nYES,2020-01-01T00:00:00Z\n")
        stale = self.validate(project, 1)["decision file (check_retraining_decision)"]
        self.assertIn("stale", stale["detail"])
        self.assertIn("max_age_hours", stale["fix"])

    def test_an_invalid_project_exits_2(self):
        proc = autoretrain("validate", "--project", self.tmp / "nowhere")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("does not exist", proc.stderr)
