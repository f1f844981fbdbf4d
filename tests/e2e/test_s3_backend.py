"""End-to-end tests of the S3 object store backend against a real S3-compatible server.

Starts s3rver (npm, installed from tests/servers/package-lock.json by
scripts/install-test-servers.sh) on 127.0.0.1 and a free port, creates the seed's bucket with
boto3, uploads the starter project's decision CSV, points a project at the server
("object_store": {"type": "s3", ...}) and runs `autoretrain check` and `run` on it: the
decision read from S3 and both branches, a missing key (NoSuchKey in the decision function's
error), unknown credentials (403, AccessDenied), a refused connection, the endpoint from
AWS_ENDPOINT_URL_S3, and getObject/putObject/listObjectsV2/headObject tasks. s3rver does not verify SigV4 signatures
(only the access key id); the signing is checked by src/aws/s3_object_store_test.cc against
the server-side verifier.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
import unittest

from test_cli_support import BUCKET, DECISION_KEY, SOURCE_DIR, TempDirTestCase, autoretrain

S3RVER = SOURCE_DIR / "tests" / "servers" / "node_modules" / "s3rver" / "bin" / "s3rver.js"
TRIGGER = "creditcard-auto-retraining-trigger"
ACCESS_KEY = "S3RVER"  # s3rver's built-in account
SECRET_KEY = "S3RVER"

try:
    import boto3
    from botocore.config import Config
except ImportError:  # pragma: no cover - scripts/install-deps.sh installs python3-boto3
    boto3 = None


def require_s3rver(test_case):
    missing = []
    if not shutil.which("node"):
        missing.append("node")
    if not S3RVER.is_file():
        missing.append(f"{S3RVER} (run scripts/install-test-servers.sh)")
    if boto3 is None:
        missing.append("boto3 (python3-boto3)")
    if not missing:
        return
    message = "S3 end-to-end tests need " + ", ".join(missing)
    if os.environ.get("CI"):
        test_case.fail(message)  # CI installs them: their absence is a broken setup
    raise unittest.SkipTest(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3BackendTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        require_s3rver(self)
        self.server = subprocess.Popen(
            ["node", str(S3RVER), "-d", str(self.tmp / "s3rver-data"), "-a", "127.0.0.1",
             "-p", "0", "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(self.stop_server)
        seen = []
        match = None
        while match is None and len(seen) < 20:  # it prints a blank line first
            line = self.server.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        self.assertIsNotNone(match, f"s3rver did not start: {''.join(seen)!r}")
        self.endpoint = f"http://127.0.0.1:{match.group(1)}"
        self.s3 = boto3.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}))
        self.s3.create_bucket(Bucket=BUCKET)

        self.project = self.init_project(fast_pipeline=True)
        self.local_decision = self.project / "buckets" / BUCKET / DECISION_KEY
        self.csv = self.local_decision.read_bytes()
        # The local copy goes away: whatever check reads now comes from S3.
        shutil.rmtree(self.project / "buckets")
        self.configure({"type": "s3", "endpoint_url": self.endpoint, "path_style": True})
        self.env = self.clean_env()

    def stop_server(self):
        self.server.terminate()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.server.stdout.close()

    def clean_env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(HOME=str(self.tmp), AWS_ACCESS_KEY_ID=ACCESS_KEY,
                   AWS_SECRET_ACCESS_KEY=SECRET_KEY, AWS_EC2_METADATA_DISABLED="true")
        env.update(extra)
        return env

    def configure(self, object_store):
        path = self.project / "autoretrain.json"
        config = json.loads(path.read_text())
        if object_store is None:
            config.pop("object_store", None)
        else:
            config["object_store"] = object_store
        path.write_text(json.dumps(config, indent=2))

    def check(self, expected_exit, env=None):
        proc = autoretrain("check", "--project", self.project, "--json", env=env or self.env)
        self.assertEqual(proc.returncode, expected_exit,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def upload_decision(self, data):
        self.s3.put_object(Bucket=BUCKET, Key=DECISION_KEY, Body=data)

    def test_check_reads_the_decision_from_s3_and_branches(self):
        self.upload_decision(self.csv)
        self.assertIn(b"YES", self.csv)
        report = self.check(0)
        self.assertEqual(report["decision"], "YES")
        self.assertEqual(report["branch"], "TriggerTrainingPipeline")
        self.assertEqual(report["pipeline"]["status"], "SUCCEEDED")

        self.upload_decision(b"retraining_required\nNO\n")
        report = self.check(0)
        self.assertEqual(report["decision"], "NO")
        self.assertEqual(report["branch"], "NoRetrainingNeeded")
        self.assertIsNone(report["pipeline"])
        self.assertFalse((self.project / "buckets").exists())

    def test_missing_key_reaches_the_decision_function_as_no_such_key(self):
        report = self.check(1)
        trigger = report["trigger"]
        self.assertEqual(trigger["status"], "FAILED")
        self.assertEqual(trigger["error"], "NoSuchKey")
        cause = json.loads(trigger["cause"])
        self.assertEqual(cause["errorType"], "NoSuchKey")
        self.assertIn(f"GetObject s3://{BUCKET}/{DECISION_KEY} at {self.endpoint}",
                      cause["errorMessage"])
        self.assertIn("HTTP 404 NoSuchKey", cause["errorMessage"])
        self.assertIsNone(report["decision"])

    def test_missing_bucket_is_no_such_bucket(self):
        self.s3.delete_bucket(Bucket=BUCKET)
        report = self.check(1)
        self.assertEqual(report["trigger"]["error"], "NoSuchBucket")

    def test_unknown_access_key_is_a_403_access_denied(self):
        self.upload_decision(self.csv)
        report = self.check(1, env=self.clean_env(AWS_ACCESS_KEY_ID="AKIAUNKNOWNKEY000000"))
        self.assertEqual(report["trigger"]["error"], "AccessDenied")
        message = json.loads(report["trigger"]["cause"])["errorMessage"]
        self.assertIn("HTTP 403 InvalidAccessKeyId", message)
        self.assertIn("AKIAUNKNOWNKEY000000", message)
        self.assertNotIn(SECRET_KEY + "\"", message)

    def test_no_credentials_is_named(self):
        self.upload_decision(self.csv)
        env = self.clean_env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        report = self.check(1, env=env)
        self.assertEqual(report["trigger"]["error"], "NoCredentials")

    def test_endpoint_from_aws_endpoint_url_s3(self):
        self.upload_decision(b"retraining_required\nno\n")
        self.configure({"type": "s3"})
        report = self.check(0, env=self.clean_env(AWS_ENDPOINT_URL_S3=self.endpoint))
        self.assertEqual(report["decision"], "NO")

    def test_refused_connection_is_named(self):
        self.configure({"type": "s3", "endpoint_url": f"http://127.0.0.1:{free_port()}"})
        started = time.monotonic()
        report = self.check(1)
        self.assertEqual(report["trigger"]["error"], "HttpConnectionRefused")
        self.assertLess(time.monotonic() - started, 60)

    def test_invalid_configuration_names_the_field(self):
        self.configure({"type": "s3", "endpoint_url": "localhost:9000"})
        proc = autoretrain("check", "--project", self.project, env=self.env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("object_store.endpoint_url", proc.stderr)

    def test_get_and_put_object_tasks(self):
        self.upload_decision(self.csv)
        definition = {
            "StartAt": "Read",
            "States": {
                "Read": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket": BUCKET, "Key": DECISION_KEY},
                    "ResultSelector": {"body.$": "$.Body", "length.$": "$.ContentLength",
                                       "etag.$": "$.ETag"},
                    "ResultPath": "$.read",
                    "Next": "Write",
                },
                "Write": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                    "Parameters": {"Bucket": BUCKET, "Key": "copies/decision.csv",
                                   "Body.$": "$.read.body"},
                    "ResultPath": "$.write",
                    "Next": "List",
                },
                "List": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2",
                    "Parameters": {"Bucket": BUCKET, "Prefix": "copies/"},
                    "ResultPath": "$.list",
                    "Next": "Head",
                },
                "Head": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:headObject",
                    "Parameters": {"Bucket": BUCKET, "Key": "copies/decision.csv"},
                    "ResultPath": "$.head",
                    "Next": "Missing",
                },
                "Missing": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket": BUCKET, "Key": "no/such/key"},
                    "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"],
                               "ResultPath": "$.missing", "Next": "Done"}],
                    "Next": "Done",
                },
                "Done": {"Type": "Succeed"},
            },
        }
        (self.project / "state_machines" / "s3_tasks.asl.json").write_text(json.dumps(definition))
        config = json.loads((self.project / "autoretrain.json").read_text())
        config["state_machines"]["s3-tasks"] = {"definition": "state_machines/s3_tasks.asl.json"}
        (self.project / "autoretrain.json").write_text(json.dumps(config))

        proc = autoretrain("run", "--project", self.project, "s3-tasks", "--json", env=self.env)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        output = json.loads(json.loads(proc.stdout)["output"])
        self.assertEqual(output["read"]["body"], self.csv.decode())
        self.assertEqual(output["read"]["length"], len(self.csv))
        head = self.s3.head_object(Bucket=BUCKET, Key=DECISION_KEY)
        self.assertEqual(output["read"]["etag"], head["ETag"])
        copy = self.s3.get_object(Bucket=BUCKET, Key="copies/decision.csv")
        self.assertEqual(copy["Body"].read(), self.csv)
        self.assertEqual(output["write"]["ETag"], copy["ETag"])
        self.assertEqual(output["list"]["KeyCount"], 1)
        self.assertEqual([c["Key"] for c in output["list"]["Contents"]], ["copies/decision.csv"])
        self.assertEqual(output["list"]["Contents"][0]["Size"], len(self.csv))
        self.assertFalse(output["list"]["IsTruncated"])
        self.assertEqual(output["head"]["ContentLength"], len(self.csv))
        self.assertEqual(output["head"]["ETag"], copy["ETag"])
        self.assertEqual(output["missing"]["Error"], "S3.NoSuchKeyException")
        self.assertIn("Error Code: NoSuchKey", output["missing"]["Cause"])


if __name__ == "__main__":
    unittest.main()
