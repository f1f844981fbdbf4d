"""End-to-end tests of autoretrain.json's "integrations" through `autoretrain run`.

A project declares a DynamoDB table, an SNS topic with an http subscription and an HTTP task
connection; state machines put and read items (in the project's store, so a second process
reads what the first wrote), publish to the topic (the subscriber, a real HTTP server this
test starts on 127.0.0.1, receives SNS's notification JSON; the message is appended to
DATA_DIR/sns-messages.jsonl) and call an API with the connection's key. Then the DynamoDB
backend is switched to "remote", pointed at dynalite (npm, tests/servers) and checked with
boto3. Configuration mistakes fail with exit 2 and name the field.
"""

import http.server
import json
import os
import threading
import unittest

from test_cli_support import TempDirTestCase, autoretrain, start_dynalite

TABLE = "retraining-history"
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:alerts"
CONNECTION_ARN = "arn:aws:events:us-east-1:123456789012:connection/ops-api/1234"

try:
    import boto3
except ImportError:  # pragma: no cover - scripts/install-deps.sh installs python3-boto3
    boto3 = None


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every POST with {"ok": true} and keeps (path, headers, body)."""

    received = None  # set per server

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append((self.path, dict(self.headers), body.decode()))
        reply = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def task(resource, parameters, next_state=None, result_path=None):
    state = {"Type": "Task", "Resource": resource, "Parameters": parameters}
    if result_path is not None:
        state["ResultPath"] = result_path
    if next_state:
        state["Next"] = next_state
    else:
        state["End"] = True
    return state


PUT_GET_PUBLISH = {
    "StartAt": "Record",
    "States": {
        "Record": task("arn:aws:states:::dynamodb:putItem", {
            "TableName": TABLE,
            "Item": {"model": {"S": "creditcard"}, "started_at": {"S.$": "$.at"},
                     "severity": {"S": "HIGH"}},
        }, "Read", "$.put"),
        "Read": task("arn:aws:states:::dynamodb:getItem", {
            "TableName": TABLE,
            "Key": {"model": {"S": "creditcard"}, "started_at": {"S.$": "$.at"}},
        }, "Alert", "$.read"),
        "Alert": task("arn:aws:states:::sns:publish", {
            "TopicArn": TOPIC_ARN,
            "Subject": "retraining",
            "Message.$": "States.Format('severity {}', $.read.Item.severity.S)",
        }, "Call", "$.alert"),
        "Call": task("arn:aws:states:::http:invoke", {
            "ApiEndpoint.$": "$.api",
            "Method": "POST",
            "Authentication": {"ConnectionArn": CONNECTION_ARN},
            "RequestBody": {"model": "creditcard"},
        }, None, "$.call"),
    },
}

READ_ONLY = {
    "StartAt": "Read",
    "States": {"Read": task("arn:aws:states:::dynamodb:getItem", {
        "TableName": TABLE, "Key": {"model": {"S": "creditcard"}, "started_at": {"S": "t1"}},
    })},
}


class IntegrationsTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project()
        self.subscriber = self.start_recorder()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env["OPS_API_KEY"] = "s3cret-key"

    def start_recorder(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        server.received = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server

    def url(self, server, path):
        return f"http://127.0.0.1:{server.server_address[1]}{path}"

    def configure(self, integrations):
        path = self.project / "autoretrain.json"
        config = json.loads(path.read_text())
        config["integrations"] = integrations
        path.write_text(json.dumps(config, indent=2))

    def local_integrations(self):
        return {
            "dynamodb": {"tables": {TABLE: {
                "KeySchema": [{"AttributeName": "model", "KeyType": "HASH"},
                              {"AttributeName": "started_at", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "model", "AttributeType": "S"},
                                         {"AttributeName": "started_at", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"}}},
            "sns": {"topics": [{"name": "alerts", "subscriptions": [
                {"protocol": "http", "endpoint": self.url(self.subscriber, "/hook?token=x")}]}]},
            "http": {"connections": [{"arn": CONNECTION_ARN, "authorization_type": "API_KEY",
                                      "api_key_name": "x-api-key",
                                      "api_key_value_env": "OPS_API_KEY"}]},
        }

    def run_definition(self, definition, run_input, expected_exit=0):
        path = self.tmp / "definition.asl.json"
        path.write_text(json.dumps(definition))
        proc = autoretrain("run", path, "--project", self.project, "--json", "--input",
                           json.dumps(run_input), env=self.env)
        self.assertEqual(proc.returncode, expected_exit,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    def test_local_table_topic_and_connection(self):
        self.configure(self.local_integrations())
        api = self.start_recorder()
        proc = self.run_definition(PUT_GET_PUBLISH, {"at": "t1", "api": self.url(api, "/retrain")})
        result = json.loads(proc.stdout)
        self.assertEqual(result["status"], "SUCCEEDED", proc.stdout)
        output = json.loads(result["output"])
        self.assertEqual(output["read"]["Item"]["severity"], {"S": "HIGH"})
        self.assertIn("MessageId", output["alert"])
        self.assertEqual(output["call"]["StatusCode"], 200)
        self.assertEqual(output["call"]["ResponseBody"], {"ok": True})

        # The subscriber got SNS's notification JSON, the API the connection's key.
        self.assertEqual(len(self.subscriber.received), 1)
        path, _, body = self.subscriber.received[0]
        self.assertEqual(path, "/hook?token=x")
        notification = json.loads(body)
        self.assertEqual(notification["Type"], "Notification")
        self.assertEqual(notification["TopicArn"], TOPIC_ARN)
        self.assertEqual(notification["Message"], "severity HIGH")
        self.assertEqual(notification["MessageId"], output["alert"]["MessageId"])
        self.assertEqual(len(api.received), 1)
        _, headers, body = api.received[0]
        self.assertEqual({k.lower(): v for k, v in headers.items()}["x-api-key"], "s3cret-key")
        self.assertEqual(json.loads(body), {"model": "creditcard"})

        # The message is kept in the data folder; the secret is in no output.
        lines = (self.project / "data" / "sns-messages.jsonl").read_text().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(json.loads(lines[0])["Message"], "severity HIGH")
        self.assertNotIn("s3cret-key", proc.stdout + proc.stderr)

        # A second process reads the item from the project's store.
        again = json.loads(self.run_definition(READ_ONLY, {}).stdout)
        self.assertEqual(json.loads(again["output"])["Item"]["severity"], {"S": "HIGH"})

    def test_unknown_table_and_topic_fail_the_task_with_aws_errors(self):
        self.configure(self.local_integrations())
        definition = {"StartAt": "Read", "States": {"Read": task(
            "arn:aws:states:::dynamodb:getItem",
            {"TableName": "missing", "Key": {"model": {"S": "m"}}})}}
        result = json.loads(self.run_definition(definition, {}, expected_exit=1).stdout)
        self.assertEqual(result["error"], "DynamoDB.ResourceNotFoundException", result)
        definition = {"StartAt": "Alert", "States": {"Alert": task(
            "arn:aws:states:::sns:publish",
            {"TopicArn": "arn:aws:sns:us-east-1:123456789012:nope", "Message": "x"})}}
        result = json.loads(self.run_definition(definition, {}, expected_exit=1).stdout)
        self.assertEqual(result["error"], "SNS.NotFoundException", result)

    def test_configuration_mistakes_name_the_field(self):
        self.configure({
            "sns": {"topics": [{"name": "bad name!"}]},
        })
        proc = autoretrain("run", "creditcard-auto-retraining-trigger", "--project",
                           self.project, env=self.env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("integrations.sns", proc.stderr)
        self.assertIn("bad name!", proc.stderr)
        self.configure({"http": {"connections": [{"arn": CONNECTION_ARN,
                                                  "authorization_type": "TOKEN"}]}})
        proc = autoretrain("run", "creditcard-auto-retraining-trigger", "--project",
                           self.project, env=self.env)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("integrations.http.connections[0].authorization_type", proc.stderr)

    def test_slack_alert_is_delivered_and_a_failed_one_is_recorded(self):
        slack = self.start_recorder()
        self.env["SLACK_URL"] = self.url(slack, "/services/T000/B000/secret-path")
        self.env["DOWN_URL"] = "http://127.0.0.1:9/services/down"  # nothing listens on port 9
        config_path = self.project / "autoretrain.json"
        config = json.loads(config_path.read_text())
        config["alerts"] = {"console_url": "http://127.0.0.1:8083",
                            "slack": [{"webhook_url_env": "SLACK_URL"},
                                      {"webhook_url_env": "DOWN_URL", "max_attempts": 1},
                                      {"webhook_url_env": "UNSET_URL"}]}
        config_path.write_text(json.dumps(config))
        definition = {"StartAt": "Alert", "States": {"Alert": task(
            "arn:aws:states:::lambda:invoke",
            {"FunctionName": "send_retraining_alert",
             "Payload": {"model": "creditcard", "verdict": "RETRAIN", "decision": "YES",
                         "severity": "HIGH", "summary": "retrain: every rule passed",
                         "execution_arn.$": "$$.Execution.Id"}})}}
        proc = self.run_definition(definition, {})
        result = json.loads(proc.stdout)
        self.assertEqual(result["status"], "SUCCEEDED", result)
        payload = json.loads(result["output"])["Payload"]
        self.assertEqual(len(payload["delivered"]), 1, payload)
        self.assertEqual(payload["delivered"][0]["attempts"], 1)
        self.assertEqual([f["error"] for f in payload["failed"]],
                         ["HttpConnectionRefused", "SlackWebhookNotSet"], payload)
        # The webhook's secret path is in no result.
        self.assertNotIn("secret-path", proc.stdout + proc.stderr)
        self.assertNotIn("/services/down", proc.stdout)

        self.assertEqual(len(slack.received), 1)
        path, _, body = slack.received[0]
        self.assertEqual(path, "/services/T000/B000/secret-path")
        message = json.loads(body)
        self.assertIn("creditcard", message["text"])
        text = json.dumps(message["blocks"])
        for expected in ("RETRAIN", "HIGH", "retrain: every rule passed",
                         "http://127.0.0.1:8083/executions/arn%3Aaws%3Astates%3A"):
            self.assertIn(expected, text)

    def test_an_approval_alert_tells_the_approvers_how_to_answer(self):
        slack = self.start_recorder()
        self.env["SLACK_URL"] = self.url(slack, "/services/T000/B000/secret-path")
        config_path = self.project / "autoretrain.json"
        config = json.loads(config_path.read_text())
        config["alerts"] = {"slack": [{"webhook_url_env": "SLACK_URL"}]}
        config_path.write_text(json.dumps(config))
        definition = {"StartAt": "Alert", "States": {"Alert": task(
            "arn:aws:states:::lambda:invoke",
            {"FunctionName": "send_retraining_alert",
             "Payload": {"model": "fraud", "verdict": "NEEDS_APPROVAL", "decision": "YES"}})}}
        result = json.loads(self.run_definition(definition, {}).stdout)
        self.assertEqual(result["status"], "SUCCEEDED", result)
        self.assertEqual(len(slack.received), 1)
        text = json.dumps(json.loads(slack.received[0][2])["blocks"])
        self.assertIn("Retraining NEEDS_APPROVAL: fraud", text)
        self.assertIn("autoretrain approve fraud", text)
        self.assertIn("autoretrain reject fraud", text)

    def test_remote_dynamodb_backend(self):
        endpoint = start_dynalite(self)
        self.env.update(AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret")
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "model", "KeyType": "HASH"},
                       {"AttributeName": "started_at", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "model", "AttributeType": "S"},
                                  {"AttributeName": "started_at", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST")
        self.configure({"dynamodb": {"backend": "remote", "endpoint_url": endpoint}})
        definition = {"StartAt": "Record", "States": {"Record": task(
            "arn:aws:states:::dynamodb:putItem",
            {"TableName": TABLE, "Item": {"model": {"S": "creditcard"},
                                          "started_at": {"S": "t9"}, "severity": {"S": "LOW"}}})}}
        result = json.loads(self.run_definition(definition, {}).stdout)
        self.assertEqual(result["status"], "SUCCEEDED", result)
        item = client.get_item(TableName=TABLE,
                               Key={"model": {"S": "creditcard"}, "started_at": {"S": "t9"}})
        self.assertEqual(item["Item"]["severity"], {"S": "LOW"})
        # Nothing went to the local table store: the table is unknown there.
        self.configure(self.local_integrations())
        local = json.loads(self.run_definition(READ_ONLY, {}).stdout)
        self.assertNotIn("Item", json.loads(local["output"]))


if __name__ == "__main__":
    unittest.main()
