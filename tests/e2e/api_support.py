"""Helpers for the HTTP API end-to-end tests (test_api_*.py); holds no tests.

The API is driven with the real clients users run: boto3 (Debian's python3-boto3, run with
/usr/bin/python3, which has it, whatever `python3` on PATH is) and the AWS CLI (/usr/bin/aws,
Debian's awscli), with dummy credentials and --endpoint-url. Both are in scripts/install-deps.sh:
a missing client fails the tests rather than skipping them.
"""

import json
import os
import socket
import subprocess
import time

from test_cli_support import BUCKET, DaemonTestCase  # noqa: F401 (re-exported)

SYSTEM_PYTHON = "/usr/bin/python3"
AWS_CLI = "/usr/bin/aws"
ACCOUNT_ARN = "arn:aws:states:us-east-1:123456789012"
ROLE_ARN = "arn:aws:iam::123456789012:role/StepFunctionsRole"

# Runs a list of boto3 Step Functions calls against ENDPOINT and prints one JSON result per call:
# {"ok": response} or {"error": code, "message": ..., "exception": class name}. The pseudo
# operation "wait_execution" polls describe_execution until the status is not RUNNING.
BOTO_SCRIPT = r"""
import json, sys, time
import boto3
from botocore.config import Config
calls = json.load(sys.stdin)
client = boto3.client("stepfunctions", endpoint_url=sys.argv[1], region_name="us-east-1",
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                      config=Config(retries={"max_attempts": 1}))
out = []
for call in calls:
    op, params = call["op"], call.get("params", {})
    try:
        if op == "wait_execution":
            deadline = time.time() + call.get("timeout", 30)
            while True:
                result = client.describe_execution(**params)
                if result["status"] != "RUNNING" or time.time() > deadline:
                    break
                time.sleep(0.05)
        else:
            result = getattr(client, op)(**params)
        result.pop("ResponseMetadata", None)
        out.append({"ok": result})
    except client.exceptions.ClientError as e:
        out.append({"error": e.response["Error"]["Code"],
                    "message": e.response["Error"].get("Message", ""),
                    "exception": type(e).__name__,
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"]})
print(json.dumps(out, default=str))
"""


def client_env():
    env = dict(os.environ)
    env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret",
               AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return env


class ApiTestCase(DaemonTestCase):
    """A daemon serving the API on a free loopback port: self.endpoint, self.port."""

    def start_api(self, project):
        self.proc = self.serve(project)
        started = self.wait_for_event(self.proc, "started")[0]
        self.endpoint = started["api"]
        self.port = int(self.endpoint.rsplit(":", 1)[1])
        return self.proc

    def boto(self, *calls):
        """Runs boto3 calls (dicts: op, params) in one client process; returns their results."""
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint],
                              input=json.dumps(list(calls)), capture_output=True, text=True,
                              env=client_env(), timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def boto_ok(self, op, **params):
        result = self.boto({"op": op, "params": params})[0]
        self.assertIn("ok", result, result)
        return result["ok"]

    def aws(self, *args):
        """Runs `aws stepfunctions ARGS --endpoint-url ...`; returns the CompletedProcess."""
        return subprocess.run([AWS_CLI, "stepfunctions", *map(str, args), "--endpoint-url",
                               self.endpoint, "--output", "json"],
                              capture_output=True, text=True, env=client_env(), timeout=120)

    def aws_json(self, *args):
        proc = self.aws(*args)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def raw(self, data, read_timeout=10):
        """Sends raw bytes on a new connection; returns everything the server sent back."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as sock:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            chunks = []
            deadline = time.monotonic() + read_timeout
            while time.monotonic() < deadline:
                try:
                    chunk = sock.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
