"""End-to-end tests of TestState over the HTTP API of `autoretrain serve` (docs/api.md): Pass,
Choice, Fail and Task states (the Task really runs the project's decision function through the
task router), with their status, output, nextState, error and inspectionData, as boto3 calls it.
Debian's boto3 predates TestState: there the request is signed with its botocore (SigV4Auth)
and sent as the JSON 1.0 request a newer SDK sends; a newer boto3 on PATH (`python3`) is also
run with its own test_state."""

import json
import shutil
import subprocess

from api_support import ROLE_ARN, SYSTEM_PYTHON, ApiTestCase, client_env

# Runs TestState for each request read from stdin; prints {"ok": response} or {"error", ...}.
TEST_STATE_SCRIPT = r"""
import json, sys, urllib.request, urllib.error
import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
endpoint = sys.argv[1]
client = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                      config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))
native = hasattr(client, "test_state")

def raw(params):
    request = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(params), headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "AWSStepFunctions.TestState"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "states", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(endpoint + "/", data=request.body,
                                      headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared, timeout=60) as answer:
            return {"ok": json.loads(answer.read())}
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        return {"error": body["__type"].split("#")[-1], "message": body.get("message", "")}

out = []
for params in json.load(sys.stdin):
    if not native:
        out.append(raw(params))
        continue
    try:
        result = client.test_state(**params)
        result.pop("ResponseMetadata", None)
        out.append({"ok": result})
    except client.exceptions.ClientError as e:
        out.append({"error": e.response["Error"]["Code"],
                    "message": e.response["Error"].get("Message", "")})
print(json.dumps({"native": native, "results": out}))
"""

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"


def request(state, state_input=None, **extra):
    params = {"definition": json.dumps(state), "roleArn": ROLE_ARN}
    if state_input is not None:
        params["input"] = json.dumps(state_input)
    params.update(extra)
    return params


class TestStateApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def run_with(self, python, *requests):
        proc = subprocess.run([python, "-c", TEST_STATE_SCRIPT, self.endpoint],
                              input=json.dumps(list(requests)), capture_output=True, text=True,
                              env=client_env(), timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def check_states(self, python):
        self.write_decision(self.project, "retraining_required\nYES\n")
        answer = self.run_with(
            python,
            request({"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "After"},
                    {"b": 2}, inspectionLevel="DEBUG"),
            request({"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}],
                "Default": "Small"}, {"n": 7}),
            request({"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}]}, {"n": 1}),
            request({"Type": "Task", "Resource": LAMBDA_INVOKE,
                     "Parameters": {"FunctionName": "check_retraining_decision"},
                     "ResultSelector": {"decision.$": "$.Payload"}, "End": True},
                    {"x": 1}, inspectionLevel="DEBUG"),
            request({"Type": "Task", "Resource": LAMBDA_INVOKE,
                     "Parameters": {"FunctionName": "no-such-function"},
                     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle",
                                "ResultPath": "$.failure"}], "End": True}, {"x": 1}),
            request({"Type": "Task", "Resource": LAMBDA_INVOKE,
                     "Parameters": {"FunctionName": "no-such-function"},
                     "Retry": [{"ErrorEquals": ["Lambda.ResourceNotFoundException"]}],
                     "End": True}),
            request({"Type": "Fail", "Error": "Stop", "Cause": "asked to"}),
            request({"Type": "Map", "End": True}),
            request({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}),
            request({"Type": "Pass", "End": True}, input="{not json"),
        )
        results = answer["results"]
        passed = results[0]["ok"]
        self.assertEqual(passed["status"], "SUCCEEDED")
        self.assertEqual(json.loads(passed["output"]), {"b": 2, "r": {"a": 1}})
        self.assertEqual(passed["nextState"], "After")
        data = passed["inspectionData"]
        self.assertEqual(json.loads(data["input"]), {"b": 2})
        self.assertEqual(json.loads(data["afterInputPath"]), {"b": 2})
        self.assertEqual(json.loads(data["result"]), {"a": 1})
        self.assertEqual(json.loads(data["afterResultPath"]), {"b": 2, "r": {"a": 1}})

        self.assertEqual(results[1]["ok"]["nextState"], "Big")
        self.assertEqual(results[1]["ok"]["status"], "SUCCEEDED")
        self.assertNotIn("inspectionData", results[1]["ok"])  # INFO, the default
        self.assertEqual(results[2]["ok"]["status"], "FAILED")
        self.assertEqual(results[2]["ok"]["error"], "States.NoChoiceMatched")
        self.assertNotIn("nextState", results[2]["ok"])

        task = results[3]["ok"]
        self.assertEqual(task["status"], "SUCCEEDED", task)
        self.assertEqual(json.loads(task["output"]), {"decision": {"retraining_required": "YES"}})
        self.assertNotIn("nextState", task)
        self.assertEqual(json.loads(task["inspectionData"]["afterParameters"]),
                         {"FunctionName": "check_retraining_decision"})
        self.assertEqual(json.loads(task["inspectionData"]["result"])["Payload"],
                         {"retraining_required": "YES"})

        caught = results[4]["ok"]
        self.assertEqual(caught["status"], "CAUGHT_ERROR", caught)
        self.assertEqual(caught["nextState"], "Handle")
        self.assertEqual(caught["error"], "Lambda.ResourceNotFoundException")
        self.assertEqual(json.loads(caught["output"])["failure"]["Error"],
                         "Lambda.ResourceNotFoundException")
        retriable = results[5]["ok"]
        self.assertEqual(retriable["status"], "RETRIABLE", retriable)
        self.assertEqual(retriable["error"], "Lambda.ResourceNotFoundException")
        self.assertEqual(results[6]["ok"], {"status": "FAILED", "error": "Stop",
                                            "cause": "asked to"})
        self.assertEqual(results[7]["error"], "InvalidDefinition")
        self.assertIn("Map", results[7]["message"])
        self.assertEqual(results[8]["error"], "InvalidDefinition")
        self.assertIn("one state", results[8]["message"])
        self.assertEqual(results[9]["error"], "InvalidExecutionInput")
        return answer["native"]

    def test_states_with_debians_boto3(self):
        self.check_states(SYSTEM_PYTHON)

    def test_states_with_a_boto3_that_has_test_state(self):
        python = shutil.which("python3")
        if python is None or python == SYSTEM_PYTHON:
            self.skipTest("no other python3 on PATH")
        probe = subprocess.run([python, "-c", "import boto3; print(hasattr(boto3.client("
                                "'stepfunctions', region_name='us-east-1'), 'test_state'))"],
                               capture_output=True, text=True, env=client_env(), timeout=60)
        if probe.stdout.strip() != "True":
            self.skipTest("the python3 on PATH has no boto3 with test_state")
        self.assertTrue(self.check_states(python))

    def test_variables(self):
        answer = self.run_with(SYSTEM_PYTHON, request(
            {"Type": "Pass", "Parameters": {"total.$": "$count"}, "End": True}, {},
            variables=json.dumps({"count": 5})),
            request({"Type": "Pass", "End": True}, {}, variables="[1]"))
        self.assertEqual(json.loads(answer["results"][0]["ok"]["output"]), {"total": 5})
        self.assertEqual(answer["results"][1]["error"], "ValidationException")
