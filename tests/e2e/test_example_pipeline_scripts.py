"""End-to-end test of the example training pipeline's command functions (templates/project).

Runs each script as `autoretrain` does: a real process in a temporary copy of the starter
project, the event JSON on stdin, the result JSON on stdout, AUTORETRAIN_BUCKETS_DIR set. The
events are built from the Configure state of the template's training_pipeline.asl.json, so the
test exercises the settings the pipeline really uses. Standard library only:

    python3 -m unittest tests/e2e/test_example_pipeline_scripts.py
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "templates" / "project"
BUCKET = "mlops-creditcard"
RUN_ID = "test-run-1"
VERSION = "test-run-1"
REQUEST = {"run": "all", "triggered_by": "monitoring", "reason": "auto_retraining"}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class ExamplePipelineScriptsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="autoretrain-example-")
        cls.project = Path(cls.tmp) / "project"
        shutil.copytree(TEMPLATE, cls.project)
        cls.buckets = cls.project / "buckets"
        cls.definition = json.loads(
            (cls.project / "state_machines" / "training_pipeline.asl.json").read_text())
        cls.config = cls.definition["States"]["Configure"]["Parameters"]["config"]

        # The happy path, in pipeline order; each step's result feeds the next like the ASL does.
        c = cls.config
        cls.prepared = cls.invoke_ok("prepare_data", {
            "bucket": c["bucket"], "data_key": c["data_key"], "run_id": RUN_ID,
            "test_fraction": c["test_fraction"], "split_salt": c["split_salt"]})
        cls.trained = cls.invoke_ok("train_model", {
            "bucket": c["bucket"], "train_key": cls.prepared["train_key"],
            "features_key": cls.prepared["features_key"], "run_id": RUN_ID,
            "epochs": c["epochs"], "learning_rate": c["learning_rate"], "l2": c["l2"]})
        cls.evaluated = cls.invoke_ok("evaluate_model", {
            "bucket": c["bucket"], "test_key": cls.prepared["test_key"],
            "model_key": cls.trained["model_key"], "run_id": RUN_ID, "min_auc": c["min_auc"]})
        cls.stored = cls.invoke_ok("store_model", {
            "bucket": c["bucket"], "model_key": cls.trained["model_key"],
            "metrics_key": cls.evaluated["metrics_key"], "version": VERSION, "request": REQUEST})

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # --- helpers ---

    @classmethod
    def invoke(cls, function, event, env=None, raw_stdin=None):
        """Run functions/<function>.py; returns (exit code, parsed stdout, stderr)."""
        if env is None:
            env = dict(os.environ, AUTORETRAIN_BUCKETS_DIR=str(cls.buckets))
        proc = subprocess.run(
            [sys.executable, f"functions/{function}.py"],
            input=raw_stdin if raw_stdin is not None else json.dumps(event),
            cwd=cls.project, env=env, capture_output=True, text=True, timeout=60)
        # stdout must hold exactly one JSON document whatever happened; logs go to stderr.
        return proc.returncode, json.loads(proc.stdout), proc.stderr

    @classmethod
    def invoke_ok(cls, function, event):
        code, result, stderr = cls.invoke(function, event)
        if code != 0:
            raise AssertionError(f"{function} failed ({code}): {result}\n{stderr}")
        return result

    def assert_error(self, function, event, error_type, **kwargs):
        code, result, _ = self.invoke(function, event, **kwargs)
        self.assertNotEqual(code, 0)
        self.assertEqual(set(result), {"errorType", "errorMessage"})
        self.assertEqual(result["errorType"], error_type, result["errorMessage"])
        return result

    def obj(self, key):
        return self.buckets / BUCKET / key

    # --- happy path ---

    def test_prepare_data_splits_every_row_once(self):
        raw = read_csv(self.obj(self.config["data_key"]))
        train = read_csv(self.obj(self.prepared["train_key"]))
        test = read_csv(self.obj(self.prepared["test_key"]))
        self.assertEqual(self.prepared["train_key"], f"training/{RUN_ID}/train.csv")
        self.assertEqual(self.prepared["rows"],
                         {"total": len(raw), "train": len(train), "test": len(test)})
        train_ids = {r["transaction_id"] for r in train}
        test_ids = {r["transaction_id"] for r in test}
        self.assertFalse(train_ids & test_ids)
        self.assertEqual(train_ids | test_ids, {r["transaction_id"] for r in raw})
        self.assertAlmostEqual(len(test) / len(raw), self.config["test_fraction"], delta=0.03)
        # Labels survive the split unchanged.
        labels = {r["transaction_id"]: r["is_fraud"] for r in raw}
        self.assertTrue(all(labels[r["transaction_id"]] == r["is_fraud"] for r in train + test))

    def test_prepare_data_standardizes_with_training_statistics(self):
        train = read_csv(self.obj(self.prepared["train_key"]))
        for name in self.prepared["features"]:
            values = [float(r[name]) for r in train]
            mean = sum(values) / len(values)
            std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
            self.assertAlmostEqual(mean, 0.0, delta=1e-4, msg=name)
            self.assertAlmostEqual(std, 1.0, delta=1e-4, msg=name)

    def test_prepare_data_split_is_deterministic(self):
        again = self.invoke_ok("prepare_data", {
            "bucket": BUCKET, "data_key": self.config["data_key"], "run_id": "test-run-again",
            "split_salt": self.config["split_salt"], "test_fraction": self.config["test_fraction"]})
        for key in ("train_key", "test_key"):
            self.assertEqual(self.obj(again[key]).read_bytes(),
                             self.obj(self.prepared[key]).read_bytes())

    def test_train_model_beats_the_base_rate(self):
        model = json.loads(self.obj(self.trained["model_key"]).read_text())
        n = len(self.prepared["features"])
        self.assertEqual(model["features"], self.prepared["features"])
        self.assertEqual([len(model[k]) for k in ("weights", "feature_means", "feature_stds")],
                         [n, n, n])
        self.assertTrue(all(math.isfinite(w) for w in model["weights"]))
        # A model that only knew the fraud rate would have the entropy of the base rate as loss.
        p = self.prepared["fraud_rate"]["train"]
        base_loss = -(p * math.log(p) + (1 - p) * math.log(1 - p))
        self.assertLess(self.trained["final_loss"], 0.9 * base_loss)
        self.assertTrue(0 < self.trained["threshold"] < 1)

    def test_evaluate_model_auc_passes_threshold_and_is_correct(self):
        self.assertGreater(self.evaluated["auc"], self.config["min_auc"])
        for name in ("precision", "recall", "f1"):
            self.assertGreater(self.evaluated[name], 0.0, name)
            self.assertLessEqual(self.evaluated[name], 1.0, name)
        # Recompute AUC independently: the fraction of (fraud, legit) pairs ranked correctly.
        model = json.loads(self.obj(self.trained["model_key"]).read_text())
        scores = {0: [], 1: []}
        for r in read_csv(self.obj(self.prepared["test_key"])):
            z = model["bias"] + sum(w * float(r[f]) for w, f in zip(model["weights"],
                                                                     model["features"]))
            scores[int(r["is_fraud"])].append(z)
        wins = sum((p > q) + 0.5 * (p == q) for p in scores[1] for q in scores[0])
        self.assertAlmostEqual(self.evaluated["auc"], wins / (len(scores[1]) * len(scores[0])),
                               places=5)
        confusion = self.evaluated["confusion"]
        self.assertEqual(sum(confusion.values()), self.evaluated["test_rows"])
        self.assertEqual(confusion["tp"] + confusion["fn"], len(scores[1]))
        metrics = json.loads(self.obj(self.evaluated["metrics_key"]).read_text())
        self.assertEqual(metrics["auc"], self.evaluated["auc"])
        self.assertIn(f"minimum {self.config['min_auc']}", self.evaluated["summary"])

    def test_store_model_publishes_version_and_latest(self):
        prefix = f"models/{VERSION}"
        self.assertEqual(self.stored["model_uri"], f"s3://{BUCKET}/{prefix}/model.json")
        self.assertEqual(self.obj(f"{prefix}/model.json").read_text(),
                         self.obj(self.trained["model_key"]).read_text())
        self.assertEqual(json.loads(self.obj(f"{prefix}/metrics.json").read_text())["auc"],
                         self.evaluated["auc"])
        latest = json.loads(self.obj("models/latest.json").read_text())
        self.assertEqual(latest["version"], VERSION)
        self.assertEqual(latest["model"], self.stored["model_uri"])
        self.assertEqual(latest["request"], REQUEST)
        self.assertEqual(latest["auc"], self.evaluated["auc"])

    def test_scripts_leave_no_bytecode_in_the_project(self):
        self.assertEqual(list(self.project.rglob("__pycache__")), [])

    def test_definition_tasks_name_existing_functions(self):
        states = self.definition["States"]
        tasks = [s for s in states.values() if s["Type"] == "Task"]
        self.assertEqual([t["Parameters"]["FunctionName"] for t in tasks],
                         ["prepare_data", "train_model", "evaluate_model", "store_model"])
        for task in tasks:
            self.assertEqual(task["Resource"], "arn:aws:states:::lambda:invoke")
            self.assertTrue((self.project / "functions" /
                             f"{task['Parameters']['FunctionName']}.py").is_file())
        fail = states["ModelQualityBelowThreshold"]
        self.assertEqual((fail["Type"], fail["Error"]), ("Fail", "ModelQualityBelowThreshold"))

    # --- failures: an error object on stdout and a non-zero exit ---

    def test_missing_field_is_invalid_event(self):
        result = self.assert_error("prepare_data", {"bucket": BUCKET, "data_key": "x.csv"},
                                   "InvalidEvent")
        self.assertIn("run_id", result["errorMessage"])

    def test_run_id_cannot_escape_the_bucket(self):
        self.assert_error("train_model", {
            "bucket": BUCKET, "train_key": self.prepared["train_key"],
            "features_key": self.prepared["features_key"], "run_id": "../../outside"},
            "InvalidEvent")
        self.assertFalse((Path(self.tmp) / "outside").exists())

    def test_stdin_that_is_not_json_is_invalid_event(self):
        self.assert_error("evaluate_model", None, "InvalidEvent", raw_stdin="{not json")

    def test_missing_object_is_no_such_key(self):
        self.assert_error("prepare_data", {
            "bucket": BUCKET, "data_key": "data/absent.csv", "run_id": "test-missing"},
            "NoSuchKey")

    def test_missing_buckets_dir_is_configuration_error(self):
        env = {k: v for k, v in os.environ.items() if k != "AUTORETRAIN_BUCKETS_DIR"}
        self.assert_error("prepare_data", {
            "bucket": BUCKET, "data_key": self.config["data_key"], "run_id": "test-noenv"},
            "ConfigurationError", env=env)

    def test_dataset_without_required_column_is_invalid_dataset(self):
        rows = read_csv(self.obj(self.config["data_key"]))[:50]
        bad = self.obj("data/bad.csv")
        with open(bad, "w", newline="", encoding="utf-8") as f:
            columns = [c for c in rows[0] if c != "merchant_risk"]
            writer = csv.DictWriter(f, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        result = self.assert_error("prepare_data", {
            "bucket": BUCKET, "data_key": "data/bad.csv", "run_id": "test-bad"},
            "InvalidDataset")
        self.assertIn("merchant_risk", result["errorMessage"])
        self.assertFalse(self.obj("training/test-bad").exists())

    def test_failed_store_leaves_latest_untouched(self):
        before = self.obj("models/latest.json").read_bytes()
        self.assert_error("store_model", {
            "bucket": BUCKET, "model_key": self.trained["model_key"],
            "metrics_key": "training/absent/metrics.json", "version": "test-failed"},
            "NoSuchKey")
        self.assertEqual(self.obj("models/latest.json").read_bytes(), before)
        self.assertFalse(self.obj("models/test-failed").exists())


if __name__ == "__main__":
    unittest.main()
