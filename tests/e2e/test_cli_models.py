"""End-to-end tests of many models in one project: each model names its decision file and
pipeline in autoretrain.json, and the one shipped policy trigger runs for any of them, through
`autoretrain check --model`, `check.model` and schedules that name a model, fired by one
daemon (200 models at one slot, too). Each model gets its own verdicts, history and version
numbers; versions continue
without a gap after the daemon is killed and restarted; and the same definitions keep the
history in DynamoDB (dynalite) when integrations.dynamodb says so."""

import datetime
import json
import os
import signal
import time

from test_cli_support import (BUCKET, DECISION_KEY, FAST_PIPELINE, DaemonTestCase, autoretrain,
                              start_dynalite)

TRIGGER = "creditcard-policy-retraining-trigger"
ACCOUNT = "arn:aws:states:us-east-1:123456789012"


class ManyModelsTest(DaemonTestCase):
    def project_with_models(self):
        """The policy starter with a fast creditcard pipeline and a second model, fraud, with
        its own decision file and pipeline."""
        project = self.tmp / "project"
        self.run_ok("init", project, "--template", "policy")
        for name in ("training_pipeline", "fraud_pipeline"):
            (project / "state_machines" / f"{name}.asl.json").write_text(
                json.dumps(FAST_PIPELINE))
        path = project / "autoretrain.json"
        config = json.loads(path.read_text())
        config["state_machines"]["fraud-training-pipeline"] = {
            "definition": "state_machines/fraud_pipeline.asl.json"}
        config["models"]["fraud"] = {
            "decision": {"bucket": "ml-monitoring", "key": "fraud/decision.csv"},
            "pipeline": "fraud-training-pipeline",
            "policy": {"min_severity": "HIGH"},
        }
        path.write_text(json.dumps(config))
        self.write_model_decision(project, "fraud", "YES,HIGH")
        return project, config

    def write_model_decision(self, project, model, row):
        path = (project / "buckets" / "ml-monitoring" / "fraud" / "decision.csv"
                if model == "fraud" else project / "buckets" / BUCKET / DECISION_KEY)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"retraining_required,severity\n{row}\n")

    def without_cooldown(self, project, config):
        config["models"]["creditcard"]["policy"].update(cooldown_hours=0, max_retrainings=None)
        (project / "autoretrain.json").write_text(json.dumps(config))

    def at_slot(self, seconds):
        at = (datetime.datetime.now(datetime.timezone.utc)
              + datetime.timedelta(seconds=seconds)).replace(microsecond=0)
        return f"at({at.strftime('%Y-%m-%dT%H:%M:%S')})"

    def wait_for_versions(self, project, count, proc=None):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = [r for r in self.history(project, "creditcard") if r.get("status") == "SUCCEEDED"]
            if len(done) >= count:
                return done
            time.sleep(0.3)
        self.fail(f"never {count} retrainings: {self.history(project, 'creditcard')} "
                  f"{self.log_events(proc) if proc else ''}")

    def history(self, project, model):
        out = self.run_ok("history", model, "--project", project, "--json").stdout
        return json.loads(out)["records"]

    def test_check_model_runs_the_trigger_with_that_models_decision_and_pipeline(self):
        project, _ = self.project_with_models()
        self.write_model_decision(project, "creditcard", "NO,NONE")
        report = json.loads(self.run_ok("check", "--project", project, "--model", "fraud",
                                        "--json").stdout)
        self.assertEqual(report["pipeline"]["stateMachineArn"],
                         f"{ACCOUNT}:stateMachine:fraud-training-pipeline")
        self.assertEqual(report["pipeline"]["status"], "SUCCEEDED")
        trigger_input = json.loads(report["trigger"]["input"])
        self.assertEqual(trigger_input["model"], "fraud")
        self.assertEqual(trigger_input["decision_location"],
                         {"bucket": "ml-monitoring", "key": "fraud/decision.csv"})
        fraud = self.history(project, "fraud")
        self.assertEqual([(r["verdict"], r.get("version")) for r in fraud], [("RETRAIN", 1)])
        self.assertEqual(fraud[0]["severity"], "HIGH")
        self.assertEqual(self.history(project, "creditcard"), [])

        # The configured check (check.model: creditcard) reads creditcard's file: NO.
        plain = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertIsNone(plain["pipeline"])
        self.assertEqual(json.loads(plain["trigger"]["input"])["model"], "creditcard")
        self.assertEqual([r["verdict"] for r in self.history(project, "creditcard")], ["SKIP"])

        # A MEDIUM fraud decision is below fraud's min_severity, while creditcard (LOW)
        # retrains on it: each model applies its own policy, and versions count per model.
        self.write_model_decision(project, "fraud", "YES,MEDIUM")
        self.write_model_decision(project, "creditcard", "YES,MEDIUM")
        skipped = json.loads(self.run_ok("check", "--project", project, "--model", "fraud",
                                         "--json").stdout)
        self.assertIsNone(skipped["pipeline"])
        self.assertIn("severity", self.history(project, "fraud")[0]["summary"])
        retrained = json.loads(self.run_ok("check", "--project", project, "--json").stdout)
        self.assertEqual(retrained["pipeline"]["stateMachineArn"],
                         f"{ACCOUNT}:stateMachine:creditcard-training-pipeline")
        self.assertEqual(self.history(project, "creditcard")[0]["version"], 1)

    def test_a_model_without_pipeline_or_unknown_is_refused_with_the_field_to_fix(self):
        project, config = self.project_with_models()
        unknown = autoretrain("check", "--project", project, "--model", "churn")
        self.assertEqual(unknown.returncode, 2)
        self.assertIn("--model churn: autoretrain.json: models: no model named 'churn'",
                      unknown.stderr)
        del config["models"]["fraud"]["pipeline"]
        config["schedules"]["fraud-daily"] = {"expression": "rate(1 day)", "model": "fraud"}
        (project / "autoretrain.json").write_text(json.dumps(config))
        proc = autoretrain("validate", "--project", project)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn("schedules.fraud-daily.model: models.fraud.pipeline: not set", proc.stderr)

    def test_validate_checks_each_models_decision_file_and_pipeline(self):
        project, _ = self.project_with_models()
        (project / "buckets" / "ml-monitoring" / "fraud" / "decision.csv").unlink()
        checks = json.loads(autoretrain("validate", "--project", project, "--json").stdout)
        by_name = {c["name"]: c for c in checks["checks"]}
        self.assertFalse(checks["passed"])
        self.assertFalse(by_name["decision file (model fraud)"]["passed"])
        self.assertIn("s3://ml-monitoring/fraud/decision.csv", by_name["decision file (model fraud)"]["fix"])
        self.assertTrue(by_name["pipeline (model fraud)"]["passed"])
        self.assertTrue(by_name["trigger dry run (" + TRIGGER + ", decision YES)"]["passed"],
                        by_name)

    def test_one_daemon_fires_each_models_schedule_with_its_input(self):
        project, config = self.project_with_models()
        at = (datetime.datetime.now(datetime.timezone.utc)
              + datetime.timedelta(seconds=3)).replace(microsecond=0)
        slot = at.strftime("%Y-%m-%dT%H:%M:%S")
        config["schedules"] = {
            "fraud-soon": {"expression": f"at({slot})", "model": "fraud"},
            "creditcard-soon": {"expression": f"at({slot})", "model": "creditcard"},
        }
        (project / "autoretrain.json").write_text(json.dumps(config))
        proc = self.serve(project, "--no-api")
        self.wait_for_event(proc, "started")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.history(project, "fraud") and self.history(project, "creditcard"):
                fraud, creditcard = self.history(project, "fraud"), self.history(project, "creditcard")
                if fraud[0].get("status") == "SUCCEEDED" and creditcard[0].get("status") == "SUCCEEDED":
                    break
            time.sleep(0.3)
        else:
            self.fail(f"both models never retrained: {self.log_events(proc)}")
        executions = json.loads(self.run_ok("executions", "list", "--project", project,
                                            "--json").stdout)["executions"]
        pipelines = sorted(e["stateMachineArn"].rsplit(":", 1)[1] for e in executions
                           if "pipeline" in e["stateMachineArn"])
        self.assertEqual(pipelines, ["creditcard-training-pipeline", "fraud-training-pipeline"])

    def test_one_daemon_runs_hundreds_of_models(self):
        project, config = self.project_with_models()
        (project / "state_machines" / "training_pipeline.asl.json").write_text(
            json.dumps(FAST_PIPELINE))
        models = [f"model-{i:03d}" for i in range(200)]
        config["schedules"] = {}
        for i, model in enumerate(models):
            key = f"{model}/decision.csv"
            decision = project / "buckets" / "ml-monitoring" / key
            decision.parent.mkdir(parents=True, exist_ok=True)
            # Every third model's monitoring job found nothing: those must not retrain.
            decision.write_text("retraining_required,severity\n" +
                                ("NO,NONE\n" if i % 3 == 0 else "YES,HIGH\n"))
            config["models"][model] = {
                "decision": {"bucket": "ml-monitoring", "key": key},
                "pipeline": "creditcard-training-pipeline",
                "policy": {"min_severity": "MEDIUM"}}
            config["schedules"][f"{model}-check"] = {"expression": self.at_slot(4),
                                                     "model": model}
        (project / "autoretrain.json").write_text(json.dumps(config))
        proc = self.serve(project, "--no-api")
        self.wait_for_event(proc, "started")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            records = json.loads(self.run_ok("history", "--project", project, "--json",
                                             "--limit", "1000").stdout)["records"]
            if len(records) == len(models) and all(
                    r["verdict"] == "SKIP" or r.get("status") == "SUCCEEDED" for r in records):
                break
            time.sleep(0.5)
        else:
            self.fail(f"{len(records)} of {len(models)} models evaluated: "
                      f"{self.log_events(proc)[-5:]}")
        by_model = {r["model"]: r for r in records}
        self.assertEqual(sorted(by_model), models)  # each model once, none mixed up
        for i, model in enumerate(models):
            record = by_model[model]
            if i % 3 == 0:
                self.assertEqual(record["verdict"], "SKIP", record)
            else:
                self.assertEqual((record["verdict"], record["status"], record["version"]),
                                 ("RETRAIN", "SUCCEEDED", 1), record)
        pipelines = json.loads(self.run_ok(
            "executions", "list", "--project", project, "--json", "--max-results", "1000",
            "--state-machine", "creditcard-training-pipeline").stdout)["executions"]
        self.assertEqual(len(pipelines), len([m for i, m in enumerate(models) if i % 3]))

    def test_versions_continue_without_gaps_across_a_daemon_restart(self):
        project, config = self.project_with_models()
        self.write_model_decision(project, "creditcard", "YES,HIGH")
        config["schedules"] = {"first": {"expression": self.at_slot(3), "model": "creditcard"}}
        self.without_cooldown(project, config)
        proc = self.serve(project, "--no-api")
        self.wait_for_versions(project, 1, proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        config["schedules"] = {"second": {"expression": self.at_slot(3), "model": "creditcard"}}
        (project / "autoretrain.json").write_text(json.dumps(config))
        again = self.serve(project, "--no-api")
        done = self.wait_for_versions(project, 2, again)
        self.assertEqual(sorted(r["version"] for r in done), [1, 2])

    def test_a_decision_queued_behind_a_running_retraining_starts_when_it_ends(self):
        project, config = self.project_with_models()
        self.write_model_decision(project, "creditcard", "YES,HIGH")
        # A pipeline that takes a few seconds, so that the second schedule fires while it runs.
        (project / "state_machines" / "training_pipeline.asl.json").write_text(json.dumps({
            "StartAt": "Train", "States": {"Train": {"Type": "Wait", "Seconds": 5, "End": True}}}))
        config["models"]["creditcard"]["policy"]["while_running"] = "queue"
        config["schedules"] = {"first": {"expression": self.at_slot(3), "model": "creditcard"},
                               "second": {"expression": self.at_slot(5), "model": "creditcard"}}
        self.without_cooldown(project, config)
        proc = self.serve(project, "--no-api")
        done = self.wait_for_versions(project, 2, proc)
        records = self.history(project, "creditcard")
        self.assertEqual(len(records), 2, records)
        first, second = sorted(records, key=lambda r: r["version"])
        self.assertEqual((first["version"], second["version"]), (1, 2))
        self.assertEqual(second["verdict"], "RETRAIN")
        self.assertIn("queued behind ended", second["summary"])
        queued = next(r for r in second["reasons"] if r["rule"] == "running")
        self.assertEqual(queued["outcome"], "PASS")
        # v2 started after v1 ended: it waited in the queue, not beside it.
        self.assertGreaterEqual(second["started_at"], first["finished_at"])
        self.assertEqual({r["status"] for r in done}, {"SUCCEEDED"})
        executions = json.loads(self.run_ok("executions", "list", "--project", project,
                                            "--json").stdout)["executions"]
        triggers = [e for e in executions if e["stateMachineArn"].endswith(":" + TRIGGER)]
        self.assertEqual(len(triggers), 3, triggers)  # two schedules and the queued start

    def test_the_same_trigger_keeps_its_history_and_versions_in_dynamodb(self):
        import boto3
        endpoint = start_dynalite(self)
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        table = "autoretrain-retraining-history"
        client.create_table(  # as docs/retraining-policy.md gives it
            TableName=table,
            AttributeDefinitions=[{"AttributeName": "model", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "model", "KeyType": "HASH"},
                       {"AttributeName": "sk", "KeyType": "RANGE"}],
            BillingMode="PAY_PER_REQUEST")
        project, config = self.project_with_models()
        self.write_model_decision(project, "creditcard", "YES,HIGH")
        config["integrations"] = {"dynamodb": {"backend": "remote", "endpoint_url": endpoint}}
        self.without_cooldown(project, config)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret")
        for _ in range(2):
            proc = autoretrain("check", "--project", project, "--json", env=env)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        items = client.query(TableName=table, KeyConditionExpression="model = :m",
                             ExpressionAttributeValues={":m": {"S": "creditcard"}},
                             ConsistentRead=True)["Items"]
        counter = [i for i in items if i["sk"]["S"] == "#version"]
        self.assertEqual(counter[0]["last_version"], {"N": "2"})
        evaluations = [i for i in items if i["sk"]["S"] != "#version"]
        self.assertEqual(sorted(i["version"]["N"] for i in evaluations), ["1", "2"])
        self.assertEqual({i["status"]["S"] for i in evaluations}, {"SUCCEEDED"})
        # `history` reads the same table from DynamoDB; the project's own store has none of it.
        listed = autoretrain("history", "creditcard", "--project", project, "--json", env=env)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual(sorted(r["version"] for r in json.loads(listed.stdout)["records"]),
                         [1, 2])


if __name__ == "__main__":
    import unittest
    unittest.main()
