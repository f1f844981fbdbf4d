"""End-to-end tests of the Step Functions HTTP API's errors (docs/api.md): AWS's error types
reach boto3 and the AWS CLI as the right exception classes and codes, request validation
answers in AWS's ValidationException form, and malformed, oversized or garbage requests get
AWS-shaped errors while the server keeps serving."""

import http.client
import json

from api_support import ACCOUNT_ARN, ROLE_ARN, ApiTestCase

TARGET = "AWSStepFunctions."
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


class ApiErrorsTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def post(self, operation, body, target=None, connection=None):
        """POSTs to / with X-Amz-Target; returns (status, parsed JSON body, headers)."""
        conn = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        if target is not False:
            headers["X-Amz-Target"] = target or TARGET + operation
        conn.request("POST", "/", body=body if isinstance(body, (bytes, str)) else
                     json.dumps(body), headers=headers)
        response = conn.getresponse()
        data = response.read()
        if connection is None:
            conn.close()
        return response.status, json.loads(data), response

    def test_error_types_reach_boto3_as_their_exception_classes(self):
        results = self.boto(
            {"op": "describe_state_machine",
             "params": {"stateMachineArn": f"{ACCOUNT_ARN}:stateMachine:missing"}},
            {"op": "create_state_machine",
             "params": {"name": "bad", "roleArn": ROLE_ARN,
                        "definition": '{"StartAt": "Nowhere", "States": '
                                      '{"A": {"Type": "Pass", "End": true}}}'}},
            {"op": "create_state_machine",
             "params": {"name": "bad", "roleArn": ROLE_ARN, "definition": "not json"}},
            {"op": "create_state_machine",
             "params": {"name": "has space", "roleArn": ROLE_ARN, "definition": PASS}},
            {"op": "create_state_machine",
             "params": {"name": "ok", "roleArn": "not-an-arn", "definition": PASS}},
            {"op": "create_state_machine",
             "params": {"name": "fast", "roleArn": ROLE_ARN, "definition": PASS,
                        "type": "EXPRESS"}},
            {"op": "create_state_machine",
             "params": {"name": "creditcard-training-pipeline", "roleArn": ROLE_ARN,
                        "definition": PASS}},
            {"op": "describe_execution",
             "params": {"executionArn": f"{ACCOUNT_ARN}:execution:x:missing"}},
            {"op": "describe_execution",
             "params": {"executionArn": f"{ACCOUNT_ARN}:stateMachine:x"}},
            {"op": "start_execution",
             "params": {"stateMachineArn":
                        f"{ACCOUNT_ARN}:stateMachine:creditcard-training-pipeline",
                        "input": "{not json"}},
            {"op": "start_execution",
             "params": {"stateMachineArn": f"{ACCOUNT_ARN}:stateMachine:missing"}},
            {"op": "list_executions",
             "params": {"stateMachineArn": f"{ACCOUNT_ARN}:stateMachine:missing"}},
            {"op": "get_execution_history",
             "params": {"executionArn": f"{ACCOUNT_ARN}:execution:x:missing"}},
            {"op": "list_state_machines", "params": {"nextToken": "garbage"}})
        expected = ["StateMachineDoesNotExist", "InvalidDefinition", "InvalidDefinition",
                    "InvalidName", "InvalidArn", "StateMachineTypeNotSupported",
                    "StateMachineAlreadyExists", "ExecutionDoesNotExist", "InvalidArn",
                    "InvalidExecutionInput", "StateMachineDoesNotExist",
                    "StateMachineDoesNotExist", "ExecutionDoesNotExist", "InvalidToken"]
        self.assertEqual([r.get("exception") for r in results], expected, results)
        for result in results:
            self.assertEqual(result["status"], 400, result)
            self.assertEqual(result["error"], result["exception"])
        self.assertEqual(results[0]["message"],
                         f"State Machine Does Not Exist: '{ACCOUNT_ARN}:stateMachine:missing'")
        self.assertTrue(results[1]["message"].startswith(
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET"), results[1])
        self.assertIn("/StartAt", results[1]["message"])

    def test_the_aws_cli_reports_the_error_code(self):
        proc = self.aws("describe-state-machine", "--state-machine-arn",
                        f"{ACCOUNT_ARN}:stateMachine:missing")
        self.assertEqual(proc.returncode, 254)
        self.assertIn("An error occurred (StateMachineDoesNotExist) when calling the "
                      "DescribeStateMachine operation: State Machine Does Not Exist", proc.stderr)
        proc = self.aws("create-state-machine", "--name", "x", "--role-arn", ROLE_ARN,
                        "--definition", '{"StartAt": "A"}')
        self.assertEqual(proc.returncode, 254)
        self.assertIn("(InvalidDefinition)", proc.stderr)

    def test_protocol_errors_are_aws_shaped(self):
        status, body, response = self.post("ListStateMachines", b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "com.amazon.coral.service#SerializationException")
        self.assertEqual(response.getheader("Content-Type"), "application/x-amz-json-1.0")
        self.assertTrue(response.getheader("x-amzn-RequestId"))

        status, body, _ = self.post("ListStateMachines", b"[1, 2]")
        self.assertEqual((status, body["__type"].split("#")[1]), (400, "SerializationException"))

        status, body, _ = self.post("NoSuchOperation", {})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "com.amazon.coral.service#UnknownOperationException")
        self.assertIn("NoSuchOperation", body["message"])

        status, body, _ = self.post("", {}, target=False)
        self.assertEqual(body["__type"], "com.amazon.coral.service#UnknownOperationException")
        status, body, _ = self.post("", {}, target="AmazonSQS.SendMessage")
        self.assertEqual(body["__type"], "com.amazon.coral.service#UnknownOperationException")

        status, body, _ = self.post("DescribeStateMachine",
                                    {"stateMachineArn": f"{ACCOUNT_ARN}:stateMachine:missing"})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"],
                         "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist")

        # A member of the wrong type, and constraint violations listed as AWS lists them.
        status, body, _ = self.post("ListStateMachines", {"maxResults": "ten"})
        self.assertEqual(body["__type"], "com.amazon.coral.service#SerializationException")
        status, body, _ = self.post("CreateStateMachine", {"name": "n" * 81, "definition": PASS})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "com.amazon.coral.validate#ValidationException")
        self.assertEqual(body["message"],
                         "2 validation errors detected: Value '" + "n" * 81 + "' at 'name' "
                         "failed to satisfy constraint: Member must have length less than or "
                         "equal to 80; Value null at 'roleArn' failed to satisfy constraint: "
                         "Member must not be null")
        status, body, _ = self.post("ListStateMachines", {"maxResults": 1001})
        self.assertEqual(body["message"],
                         "1 validation error detected: Value 1001 at 'maxResults' failed to "
                         "satisfy constraint: Member must have value less than or equal to 1000")
        status, body, _ = self.post("ListExecutions", {"stateMachineArn": f"{ACCOUNT_ARN}:"
                                                       "stateMachine:creditcard-training-pipeline",
                                                       "statusFilter": "DONE"})
        self.assertIn("Member must satisfy enum value set: [RUNNING, SUCCEEDED", body["message"])

    def test_validate_state_machine_definition(self):
        status, body, _ = self.post("ValidateStateMachineDefinition", {"definition": PASS})
        self.assertEqual((status, body), (200, {"result": "OK", "diagnostics": [],
                                                "truncated": False}))
        status, body, _ = self.post("ValidateStateMachineDefinition",
                                    {"definition": '{"StartAt": "A", "States": {"A": '
                                                   '{"Type": "Pass", "Next": "B"}}}'})
        self.assertEqual(status, 200)
        self.assertEqual(body["result"], "FAIL")
        self.assertEqual(body["diagnostics"][0]["severity"], "ERROR")
        self.assertEqual(body["diagnostics"][0]["code"], "MISSING_TRANSITION_TARGET")
        self.assertEqual(body["diagnostics"][0]["location"], "/States/A/Next")

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        for _ in range(3):
            status, body, _ = self.post("ListStateMachines", {}, connection=conn)
            self.assertEqual(status, 200)
            self.assertEqual(len(body["stateMachines"]), 3)  # the starter project's
        conn.close()

    def test_garbage_oversized_and_wrong_paths(self):
        reply = self.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 400 "), reply[:200])
        self.assertIn(b"SerializationException", reply)

        reply = self.raw(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n"
                         b"X-Amz-Target: AWSStepFunctions.ListStateMachines\r\n\r\n" +
                         b"x" * 65536)
        self.assertTrue(reply.startswith(b"HTTP/1.1 413 "), reply[:200])
        self.assertIn(b"RequestEntityTooLargeException", reply)

        reply = self.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 +
                         b"\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 431 "), reply[:200])

        reply = self.raw(b"GET /other HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 404 "), reply[:200])
        reply = self.raw(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 405 "), reply[:200])

        # After all that, the server still answers.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", "/healthz")
        response = conn.getresponse()
        self.assertEqual(response.status, 200)
        self.assertEqual(json.loads(response.read())["status"], "ok")
        conn.close()
        self.assertIsNone(self.proc.poll())


class ListenAddressTest(ApiTestCase):
    def test_non_loopback_addresses_are_refused_without_authentication(self):
        project = self.init_project()
        proc = self.serve(project, "--listen", "0.0.0.0:0")
        self.assertEqual(proc.wait(timeout=30), 2)
        proc.log.seek(0)
        message = proc.log.read()
        self.assertIn("non-loopback", message)
        self.assertIn("authentication", message)

    def test_invalid_listen_address(self):
        project = self.init_project()
        proc = self.serve(project, "--listen", "127.0.0.1:99999")
        self.assertEqual(proc.wait(timeout=30), 2)
        proc.log.seek(0)
        self.assertIn("the port must be a number from 0 to 65535", proc.log.read())

    def test_a_port_in_use_fails_the_start(self):
        first = self.start_api(self.init_project("first"))
        self.assertIsNone(first.poll())
        proc = self.serve(self.init_project("second"), "--listen", f"127.0.0.1:{self.port}")
        self.assertEqual(proc.wait(timeout=30), 1)
        proc.log.seek(0)
        self.assertIn(f"cannot listen on 127.0.0.1:{self.port}", proc.log.read())
