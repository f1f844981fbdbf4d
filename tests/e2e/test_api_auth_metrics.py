"""End-to-end tests of `autoretrain serve --credentials-file` (SigV4 authentication of every
API request and of /metrics, AWS's errors for unsigned, unknown-key and wrongly signed requests,
non-loopback listening once authentication is on, the metrics token, warnings for secrets files
other users may read) and of GET /metrics (Prometheus text whose counters move with executions
and requests) - docs/api.md."""

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request

from api_support import AWS_CLI, SYSTEM_PYTHON, ApiTestCase, client_env
from test_cli_support import PIPELINE_ARN, autoretrain

# Calls list_state_machines with the given key id and secret; prints {"ok"} or the error.
SIGNED_SCRIPT = r"""
import json, sys
import boto3
from botocore.config import Config
endpoint, key, secret = sys.argv[1:4]
client = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="eu-west-1",
                      aws_access_key_id=key, aws_secret_access_key=secret,
                      config=Config(retries={"max_attempts": 1}))
try:
    client.list_state_machines()
    print(json.dumps({"ok": True}))
except client.exceptions.ClientError as e:
    print(json.dumps({"error": e.response["Error"]["Code"],
                      "message": e.response["Error"].get("Message", ""),
                      "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}))
"""

# GETs argv[1] signed with key argv[2] and secret argv[3] (as `curl --aws-sigv4` would); prints
# the body, or exits 1 with the HTTP status.
SIGNED_GET_SCRIPT = r"""
import sys, urllib.error, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, key, secret = sys.argv[1:4]
request = AWSRequest(method="GET", url=url)
SigV4Auth(Credentials(key, secret), "states", "eu-west-1").add_auth(request)
try:
    with urllib.request.urlopen(urllib.request.Request(url, headers=dict(request.headers.items())),
                                timeout=30) as answer:
        sys.stdout.write(answer.read().decode())
except urllib.error.HTTPError as e:
    sys.exit(f"HTTP {e.code}")
"""

METRICS_TOKEN = "9c1f4e2a7b3d5c6e8f0a1b2c3d4e5f60"

CREDENTIALS = """# keys the test server accepts
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = secret

[profile ci]
aws_access_key_id=AKIDCI
aws_secret_access_key=ci-secret
region = eu-west-1
"""


def metric(text, name, **labels):
    """The value of the series `name{labels}` in Prometheus text, or 0 when absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search("^" + pattern + "$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


class AuthenticationTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.credentials = self.tmp / "api-credentials"
        self.credentials.write_text(CREDENTIALS)
        os.chmod(self.credentials, 0o600)

    def start(self, *extra):
        self.proc = self.serve(self.project, "--credentials-file", str(self.credentials), *extra)
        started = self.wait_for_event(self.proc, "started")[0]
        self.endpoint = started["api"]
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        return started

    def get_metrics(self, authorization=None):
        """GET /metrics with the Authorization header given: the text, or the HTTP status."""
        headers = {"Authorization": authorization} if authorization else {}
        request = urllib.request.Request(self.endpoint + "/metrics", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.read().decode()
        except urllib.error.HTTPError as e:
            return e.code

    def signed_get(self, path, key, secret):
        proc = subprocess.run([SYSTEM_PYTHON, "-c", SIGNED_GET_SCRIPT, self.endpoint + path, key,
                               secret], capture_output=True, text=True, env=client_env(),
                              timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def signed(self, key, secret):
        proc = subprocess.run([SYSTEM_PYTHON, "-c", SIGNED_SCRIPT, self.endpoint, key, secret],
                              capture_output=True, text=True, env=client_env(), timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_signed_requests_are_served_and_others_refused_as_aws_does(self):
        started = self.start()
        self.assertEqual(started["authentication"], "sigv4")
        # Both keys of the file, from any region.
        self.assertEqual(self.signed("AKIDEXAMPLE", "secret"), {"ok": True})
        self.assertEqual(self.signed("AKIDCI", "ci-secret"), {"ok": True})
        wrong = self.signed("AKIDEXAMPLE", "not-the-secret")
        self.assertEqual(wrong["error"], "InvalidSignatureException")
        self.assertEqual(wrong["status"], 400)
        self.assertIn("signature we calculated does not match", wrong["message"])
        unknown = self.signed("AKIDUNKNOWN", "secret")
        self.assertEqual(unknown["error"], "UnrecognizedClientException")
        self.assertEqual(unknown["status"], 400)
        self.assertEqual(unknown["message"], "The security token included in the request is "
                                             "invalid.")
        # The AWS CLI signs too.
        listed = self.aws_json("list-state-machines")
        self.assertIn("stateMachines", listed)
        # --no-sign-request: an unsigned request.
        proc = subprocess.run([AWS_CLI, "stepfunctions", "list-activities", "--no-sign-request",
                               "--endpoint-url", self.endpoint], capture_output=True, text=True,
                              env=client_env(), timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("MissingAuthenticationToken", proc.stderr)
        raw = self.raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                       b"X-Amz-Target: AWSStepFunctions.ListActivities\r\nContent-Length: 2\r\n"
                       b"Connection: close\r\n\r\n{}")
        self.assertIn(b"HTTP/1.1 403", raw)
        self.assertIn(b"MissingAuthenticationTokenException", raw)
        # Health needs no signature (load balancers); metrics need one, as the API does.
        with urllib.request.urlopen(self.endpoint + "/healthz", timeout=10) as answer:
            self.assertEqual(json.loads(answer.read())["status"], "ok")
        self.assertEqual(self.get_metrics(), 403)
        self.assertIn(b"MissingAuthenticationTokenException",
                      self.raw(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        text = self.signed_get("/metrics", "AKIDCI", "ci-secret")
        self.assertEqual(metric(text, "autoretrain_api_requests_total",
                                operation="ListStateMachines", status="400"), 2)
        self.assertEqual(metric(text, "autoretrain_api_requests_total",
                                operation="ListActivities", status="403"), 2)
        # The secrets are never logged; the file is its owner's only, so no warning either.
        log = "\n".join(json.dumps(e) for e in self.log_events(self.proc))
        self.assertNotIn("ci-secret", log)
        self.assertNotIn('"warning"', log)

    def test_metrics_take_the_token_and_exposed_secrets_files_are_warned_about(self):
        token_file = self.tmp / "metrics-token"
        token_file.write_text(METRICS_TOKEN + "\n")
        os.chmod(self.credentials, 0o644)
        os.chmod(token_file, 0o640)
        self.start("--metrics-token-file", str(token_file))
        warnings = [e["message"] for e in self.log_events(self.proc) if e["event"] == "warning"]
        self.assertEqual(len(warnings), 2, warnings)
        self.assertIn(f"'{self.credentials}' holds secrets but any user may read or change it "
                      f"(mode 0644): allow its owner only, with `chmod 600 {self.credentials}`",
                      warnings)
        self.assertIn("its group may read or change it (mode 0640)", warnings[1])
        self.assertNotIn(METRICS_TOKEN, "".join(warnings))
        self.assertIn("autoretrain_api_requests_total",
                      self.get_metrics("Bearer " + METRICS_TOKEN))
        # Any other Authorization is checked as a signature: IncompleteSignatureException.
        for wrong in ("Bearer " + METRICS_TOKEN[:-1], "Bearer", METRICS_TOKEN):
            self.assertEqual(self.get_metrics(wrong), 400, wrong)
        self.assertEqual(self.get_metrics(), 403)
        # The token opens /metrics only.
        request = urllib.request.Request(
            self.endpoint + "/", data=b"{}", headers={
                "Authorization": "Bearer " + METRICS_TOKEN,
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "AWSStepFunctions.ListStateMachines"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        self.assertEqual(refused.exception.code, 400)  # IncompleteSignature, as AWS answers

    def test_an_invalid_metrics_token_file_is_refused(self):
        token_file = self.tmp / "metrics-token"
        token_file.write_text("too short\n")
        proc = autoretrain("serve", "--project", self.project, "--listen", "127.0.0.1:0",
                           "--credentials-file", self.credentials, "--metrics-token-file",
                           token_file, timeout=30)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn(f"--metrics-token-file: metrics token file '{token_file}': the token has a "
                      "space", proc.stderr)
        self.assertNotIn("too short", proc.stderr)
        proc = autoretrain("serve", "--project", self.project, "--metrics-token-file",
                           token_file, timeout=30)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--credentials-file", proc.stderr)

    def test_non_loopback_addresses_are_allowed_with_authentication(self):
        started = self.start("--listen", "0.0.0.0:0")
        self.assertTrue(started["api"].startswith("http://0.0.0.0:"), started)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.assertEqual(self.signed("AKIDEXAMPLE", "secret"), {"ok": True})

    def test_an_invalid_credentials_file_is_refused(self):
        for text, expected in (
                ("[default]\naws_access_key_id = AK\n", "no aws_secret_access_key"),
                ("# nothing\n", "no access key"),
                ("aws_access_key_id = AK\n", "before any [NAME] section"),
                ("[a]\naws_access_key_id=K\naws_secret_access_key=s\n"
                 "[b]\naws_access_key_id=K\naws_secret_access_key=t\n", "is in both")):
            self.credentials.write_text(text)
            proc = autoretrain("serve", "--project", self.project, "--listen", "127.0.0.1:0",
                               "--credentials-file", self.credentials, timeout=30)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("--credentials-file", proc.stderr)
            self.assertIn(expected, proc.stderr)
            self.assertNotIn("secret_access_key=s", proc.stderr)
        proc = autoretrain("serve", "--project", self.project, "--credentials-file",
                           self.tmp / "missing", timeout=30)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("cannot read the credentials file", proc.stderr)


class MetricsTest(ApiTestCase):
    def scrape(self):
        with urllib.request.urlopen(self.endpoint + "/metrics", timeout=10) as answer:
            self.assertTrue(answer.headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            return answer.read().decode()

    def test_counters_move_with_executions_and_requests(self):
        project = self.init_project(fast_pipeline=True)
        self.start_api(project)
        before = self.scrape()
        self.assertIn("# TYPE autoretrain_executions_started_total counter", before)
        self.assertIn("# TYPE autoretrain_api_request_duration_seconds histogram", before)
        self.assertEqual(metric(before, "autoretrain_executions_running"), 0)
        calls = [{"op": "start_execution", "params": {"stateMachineArn": PIPELINE_ARN,
                                                      "name": f"run-{i}"}} for i in range(3)]
        calls += [{"op": "wait_execution",
                   "params": {"executionArn": PIPELINE_ARN.replace(
                       "stateMachine", "execution") + f":run-{i}"}} for i in range(3)]
        calls.append({"op": "describe_execution",
                      "params": {"executionArn": PIPELINE_ARN + "-missing"}})
        results = self.boto(*calls)
        for result in results[3:6]:
            self.assertEqual(result["ok"]["status"], "SUCCEEDED", result)
        deadline = time.monotonic() + 10
        while True:
            after = self.scrape()
            machine = "creditcard-training-pipeline"
            if (metric(after, "autoretrain_executions_finished_total", state_machine=machine,
                       status="SUCCEEDED") >= 3 or time.monotonic() > deadline):
                break
            time.sleep(0.1)
        self.assertEqual(metric(after, "autoretrain_executions_started_total",
                                state_machine=machine), 3)
        self.assertEqual(metric(after, "autoretrain_executions_finished_total",
                                state_machine=machine, status="SUCCEEDED"), 3)
        self.assertEqual(metric(after, "autoretrain_api_requests_total",
                                operation="StartExecution", status="200"), 3)
        self.assertEqual(metric(after, "autoretrain_api_requests_total",
                                operation="DescribeExecution", status="400"), 1)
        self.assertGreaterEqual(metric(after, "autoretrain_api_requests_total",
                                       operation="DescribeExecution", status="200"), 3)
        count = metric(after, "autoretrain_api_request_duration_seconds_count")
        self.assertGreaterEqual(count, 7)
        self.assertEqual(metric(after, "autoretrain_api_request_duration_seconds_bucket",
                                le="+Inf"), count)
        self.assertEqual(metric(after, "autoretrain_executions_running"), 0)
        proc = subprocess.run(["curl", "-s", "-X", "POST", self.endpoint + "/metrics"],
                              capture_output=True, text=True, timeout=30)
        self.assertIn("MethodNotAllowedException", proc.stdout)
