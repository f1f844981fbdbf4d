"""End-to-end tests of the Step Functions HTTP API of `autoretrain serve` (docs/api.md), driven
by the AWS CLI and boto3 as users run them: the seed's state machines created through the API,
executions started, described, listed, stopped and their history read (with reverseOrder and
pagination), a callback task answered, and state surviving a daemon restart."""

import json
import signal
import time

from api_support import ACCOUNT_ARN, ROLE_ARN, ApiTestCase
from test_cli_support import FAST_PIPELINE, SEED_DIR, autoretrain

SEED_TRIGGER = SEED_DIR / "retraining_trigger.asl.json"
PLACEHOLDER = "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE"

WAIT_LONG = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600,
                                                     "End": True}}}


def machine_arn(name):
    return f"{ACCOUNT_ARN}:stateMachine:{name}"


def execution_arn(machine, name):
    return f"{ACCOUNT_ARN}:execution:{machine}:{name}"


class SeedThroughTheApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def create_seed_machines(self):
        """api-pipeline (a fast pipeline), api-trigger (the seed's trigger pointing at it, as
        `init` writes it) and seed-trigger (the seed's file byte for byte), with the CLI."""
        pipeline = self.tmp / "pipeline.json"
        pipeline.write_text(json.dumps(FAST_PIPELINE))
        created = self.aws_json("create-state-machine", "--name", "api-pipeline",
                                "--definition", f"file://{pipeline}", "--role-arn", ROLE_ARN)
        self.assertEqual(created["stateMachineArn"], machine_arn("api-pipeline"))
        self.assertIn("creationDate", created)
        trigger = self.tmp / "trigger.json"
        trigger.write_text(SEED_TRIGGER.read_text().replace(PLACEHOLDER,
                                                            machine_arn("api-pipeline")))
        self.aws_json("create-state-machine", "--name", "api-trigger", "--definition",
                      f"file://{trigger}", "--role-arn", ROLE_ARN)
        self.aws_json("create-state-machine", "--name", "seed-trigger", "--definition",
                      f"file://{SEED_TRIGGER}", "--role-arn", ROLE_ARN)
        return trigger.read_text()

    def test_create_start_describe_list_and_history_with_the_aws_cli(self):
        trigger_text = self.create_seed_machines()
        self.write_decision(self.project, "retraining_required\nYES\n")

        listed = self.aws_json("list-state-machines")
        names = [m["name"] for m in listed["stateMachines"]]
        # The project's own machines (autoretrain.json) and the API's, in name order.
        self.assertEqual(names, ["api-pipeline", "api-trigger", "creditcard-auto-retraining-trigger",
                                 "creditcard-policy-retraining-trigger",
                                 "creditcard-training-pipeline", "seed-trigger"])
        described = self.aws_json("describe-state-machine", "--state-machine-arn",
                                  machine_arn("api-trigger"))
        self.assertEqual(described["definition"], trigger_text)
        self.assertEqual(described["status"], "ACTIVE")
        self.assertEqual(described["type"], "STANDARD")
        self.assertEqual(described["roleArn"], ROLE_ARN)
        seed = self.aws_json("describe-state-machine", "--state-machine-arn",
                             machine_arn("seed-trigger"))
        self.assertEqual(seed["definition"], SEED_TRIGGER.read_text())

        started = self.aws_json("start-execution", "--state-machine-arn",
                                machine_arn("api-trigger"), "--name", "run-1", "--input",
                                '{"source": "cli"}')
        arn = execution_arn("api-trigger", "run-1")
        self.assertEqual(started["executionArn"], arn)
        self.boto({"op": "wait_execution", "params": {"executionArn": arn}})
        execution = self.aws_json("describe-execution", "--execution-arn", arn)
        self.assertEqual(execution["status"], "SUCCEEDED", execution)
        self.assertEqual(json.loads(execution["input"]), {"source": "cli"})
        output = json.loads(execution["output"])  # the startExecution task's result
        self.assertTrue(output["ExecutionArn"].startswith(f"{ACCOUNT_ARN}:execution:api-pipeline:"))

        # The child the trigger started is an execution like any other.
        self.boto({"op": "wait_execution", "params": {"executionArn": output["ExecutionArn"]}})
        children = self.aws_json("list-executions", "--state-machine-arn",
                                 machine_arn("api-pipeline"))["executions"]
        self.assertEqual([c["executionArn"] for c in children], [output["ExecutionArn"]])
        self.assertEqual(children[0]["status"], "SUCCEEDED")
        succeeded = self.aws_json("list-executions", "--state-machine-arn",
                                  machine_arn("api-trigger"), "--status-filter", "SUCCEEDED")
        self.assertEqual([e["name"] for e in succeeded["executions"]], ["run-1"])
        running = self.aws_json("list-executions", "--state-machine-arn",
                                machine_arn("api-trigger"), "--status-filter", "RUNNING")
        self.assertEqual(running["executions"], [])

        history = self.aws_json("get-execution-history", "--execution-arn", arn)["events"]
        types = [e["type"] for e in history]
        self.assertEqual(types[0], "ExecutionStarted")
        self.assertEqual(types[-1], "ExecutionSucceeded")
        entered = [e["stateEnteredEventDetails"]["name"] for e in history
                   if e["type"].endswith("StateEntered")]
        self.assertEqual(entered, ["ReadRetrainingDecision", "DecisionChoice",
                                   "TriggerTrainingPipeline"])
        self.assertEqual([e["id"] for e in history], list(range(1, len(history) + 1)))
        reverse = self.aws_json("get-execution-history", "--execution-arn", arn,
                                "--reverse-order")["events"]
        self.assertEqual([e["id"] for e in reverse], [e["id"] for e in reversed(history)])

        # The same execution, seen by the CLI reading the project's store.
        listed = autoretrain("executions", "list", "--project", self.project, "--state-machine",
                             "api-trigger", "--json")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertEqual([e["executionArn"] for e in json.loads(listed.stdout)["executions"]],
                         [arn])

        for_execution = self.aws_json("describe-state-machine-for-execution", "--execution-arn",
                                      arn)
        self.assertEqual(for_execution["definition"], trigger_text)
        self.assertEqual(for_execution["name"], "api-trigger")

    def test_history_pages_and_options_with_boto3(self):
        self.create_seed_machines()
        self.write_decision(self.project, "retraining_required\nNO\n")
        arn = execution_arn("seed-trigger", "no-retraining")
        results = self.boto(
            {"op": "start_execution", "params": {"stateMachineArn": machine_arn("seed-trigger"),
                                                 "name": "no-retraining"}},
            {"op": "wait_execution", "params": {"executionArn": arn}},
            {"op": "get_execution_history", "params": {"executionArn": arn}},
            {"op": "get_execution_history", "params": {"executionArn": arn, "maxResults": 3}},
            {"op": "get_execution_history",
             "params": {"executionArn": arn, "includeExecutionData": False}})
        for result in results:
            self.assertIn("ok", result, result)
        self.assertEqual(results[1]["ok"]["status"], "SUCCEEDED")
        full = results[2]["ok"]["events"]
        self.assertEqual(full[-2]["type"], "SucceedStateExited")
        self.assertIn("input", full[0]["executionStartedEventDetails"])
        self.assertNotIn("input", results[4]["ok"]["events"][0]["executionStartedEventDetails"])
        self.assertIn("nextToken", results[3]["ok"])

        # Page through, both directions, 3 events at a time.
        for reverse in (False, True):
            pages, token = [], None
            while True:
                params = {"executionArn": arn, "maxResults": 3, "reverseOrder": reverse}
                if token:
                    params["nextToken"] = token
                page = self.boto_ok("get_execution_history", **params)
                self.assertLessEqual(len(page["events"]), 3)
                pages.extend(page["events"])
                token = page.get("nextToken")
                if not token:
                    break
            expected = [e["id"] for e in (reversed(full) if reverse else full)]
            self.assertEqual([e["id"] for e in pages], expected)

        # The dates are timestamps the SDK parsed (epoch seconds on the wire).
        described = self.boto_ok("describe_execution", executionArn=arn)
        self.assertRegex(described["startDate"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")

    def test_paginated_list_state_machines(self):
        self.create_seed_machines()
        first = self.boto_ok("list_state_machines", maxResults=2)
        self.assertEqual(len(first["stateMachines"]), 2)
        second = self.boto_ok("list_state_machines", maxResults=2, nextToken=first["nextToken"])
        third = self.boto_ok("list_state_machines", maxResults=2, nextToken=second["nextToken"])
        self.assertNotIn("nextToken", third)
        names = [m["name"] for page in (first, second, third) for m in page["stateMachines"]]
        self.assertEqual(len(names), 6)
        self.assertEqual(names, sorted(names))

    def test_stop_execution(self):
        self.boto_ok("create_state_machine", name="holder", definition=json.dumps(WAIT_LONG),
                     roleArn=ROLE_ARN)
        arn = execution_arn("holder", "held")
        started = self.boto_ok("start_execution", stateMachineArn=machine_arn("holder"),
                               name="held")
        self.assertEqual(started["executionArn"], arn)
        # Same name and input while running: the same execution (AWS's idempotency).
        again = self.boto_ok("start_execution", stateMachineArn=machine_arn("holder"), name="held")
        self.assertEqual(again["executionArn"], arn)
        other = self.boto({"op": "start_execution",
                           "params": {"stateMachineArn": machine_arn("holder"), "name": "held",
                                      "input": '{"different": true}'}})[0]
        self.assertEqual(other["exception"], "ExecutionAlreadyExists")
        stopped = self.aws_json("stop-execution", "--execution-arn", arn, "--error", "Operator",
                                "--cause", "no longer needed")
        self.assertIn("stopDate", stopped)
        execution = self.boto({"op": "wait_execution", "params": {"executionArn": arn}})[0]["ok"]
        self.assertEqual(execution["status"], "ABORTED")
        self.assertEqual(execution["error"], "Operator")
        self.assertEqual(execution["cause"], "no longer needed")
        history = self.boto_ok("get_execution_history", executionArn=arn, reverseOrder=True)
        self.assertEqual(history["events"][0]["type"], "ExecutionAborted")
        self.assertEqual(self.log_events(self.proc)[-1]["event"], "execution_finished")

    def test_update_and_delete(self):
        self.boto_ok("create_state_machine", name="m", definition=json.dumps(FAST_PIPELINE),
                     roleArn=ROLE_ARN)
        changed = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": True}}}
        updated = self.boto_ok("update_state_machine", stateMachineArn=machine_arn("m"),
                               definition=json.dumps(changed))
        self.assertIn("updateDate", updated)
        arn = execution_arn("m", "after-update")
        results = self.boto(
            {"op": "start_execution", "params": {"stateMachineArn": machine_arn("m"),
                                                 "name": "after-update"}},
            {"op": "wait_execution", "params": {"executionArn": arn}},
            {"op": "delete_state_machine", "params": {"stateMachineArn": machine_arn("m")}},
            {"op": "describe_state_machine", "params": {"stateMachineArn": machine_arn("m")}},
            {"op": "start_execution", "params": {"stateMachineArn": machine_arn("m")}},
            # Deleting what does not exist is a success, as on AWS.
            {"op": "delete_state_machine", "params": {"stateMachineArn": machine_arn("none")}},
            # The project's own machines belong to autoretrain.json.
            {"op": "delete_state_machine",
             "params": {"stateMachineArn": machine_arn("creditcard-training-pipeline")}})
        self.assertEqual(results[1]["ok"]["output"], "2")
        self.assertIn("ok", results[2])
        # Its execution is still stored, so the machine is DELETING until retention purges it.
        self.assertEqual(results[3]["ok"]["status"], "DELETING")
        self.assertEqual(results[4]["exception"], "StateMachineDeleting")
        self.assertIn("ok", results[5])
        self.assertEqual(results[6]["error"], "ValidationException")
        self.assertIn("autoretrain.json", results[6]["message"])

    def test_api_state_machines_survive_a_restart(self):
        self.boto_ok("create_state_machine", name="kept", definition=json.dumps(FAST_PIPELINE),
                     roleArn=ROLE_ARN)
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.proc.wait(timeout=30), 0)
        self.start_api(self.project)
        described = self.boto_ok("describe_state_machine", stateMachineArn=machine_arn("kept"))
        self.assertEqual(json.loads(described["definition"]), FAST_PIPELINE)
        arn = execution_arn("kept", "after-restart")
        results = self.boto(
            {"op": "start_execution", "params": {"stateMachineArn": machine_arn("kept"),
                                                 "name": "after-restart"}},
            {"op": "wait_execution", "params": {"executionArn": arn}})
        self.assertEqual(results[1]["ok"]["status"], "SUCCEEDED", results)
        self.assertEqual(json.loads(results[1]["ok"]["output"]), {"trained": True})


# Writes the task token it receives to token.txt and returns at once (a worker's inbox).
NOTIFY_PY = """\
import json, os, sys
event = json.load(sys.stdin)
with open("token.txt.tmp", "w") as f:  # renamed: a reader never sees it half written
    f.write(event["token"])
os.replace("token.txt.tmp", "token.txt")
print(json.dumps({"notified": True}))
"""

APPROVAL = {
    "StartAt": "Approve",
    "States": {
        "Approve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                    "Parameters": {"FunctionName": "notify",
                                   "Payload": {"token.$": "$$.Task.Token"}},
                    "HeartbeatSeconds": 60, "End": True},
    },
}


class CallbackTaskThroughTheApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.tmp / "p"
        self.project.mkdir()
        (self.project / "notify.py").write_text(NOTIFY_PY)
        (self.project / "autoretrain.json").write_text(json.dumps({
            "functions": {"notify": {"command": ["python3", "notify.py"]}}}))
        self.start_api(self.project)
        self.boto_ok("create_state_machine", name="approval", definition=json.dumps(APPROVAL),
                     roleArn=ROLE_ARN)

    def start_and_get_token(self, name):
        token_file = self.project / "token.txt"
        if token_file.exists():
            token_file.unlink()
        self.boto_ok("start_execution", stateMachineArn=machine_arn("approval"), name=name)
        deadline = time.monotonic() + 20
        while not token_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(token_file.exists(), "the function never received the token")
        return token_file.read_text()

    def test_send_task_success_and_failure(self):
        token = self.start_and_get_token("approved")
        arn = execution_arn("approval", "approved")
        results = self.boto(
            {"op": "send_task_heartbeat", "params": {"taskToken": token}},
            {"op": "send_task_success", "params": {"taskToken": token, "output": "not json"}},
            {"op": "send_task_success",
             "params": {"taskToken": token, "output": '{"approved": true}'}},
            {"op": "wait_execution", "params": {"executionArn": arn}},
            # Answered once: the task is gone, as AWS says.
            {"op": "send_task_success", "params": {"taskToken": token, "output": "1"}},
            {"op": "send_task_heartbeat", "params": {"taskToken": "no-such-token"}})
        self.assertEqual(results[0], {"ok": {}})
        self.assertEqual(results[1]["exception"], "InvalidOutput")
        self.assertEqual(results[2], {"ok": {}})
        self.assertEqual(results[3]["ok"]["status"], "SUCCEEDED", results[3])
        self.assertEqual(json.loads(results[3]["ok"]["output"]), {"approved": True})
        self.assertEqual(results[4]["exception"], "TaskDoesNotExist")
        self.assertIn(results[5]["exception"], ("TaskDoesNotExist", "InvalidToken"))

        token = self.start_and_get_token("rejected")
        proc = self.aws("send-task-failure", "--task-token", token, "--error", "Rejected",
                        "--cause", "not this model")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        failed = self.boto({"op": "wait_execution",
                            "params": {"executionArn": execution_arn("approval", "rejected")}})
        self.assertEqual(failed[0]["ok"]["status"], "FAILED")
        self.assertEqual(failed[0]["ok"]["error"], "Rejected")
        self.assertEqual(failed[0]["ok"]["cause"], "not this model")
