"""End-to-end tests of activities over the HTTP API of `autoretrain serve` (docs/api.md): the
AWS CLI and boto3 create, describe, list (with pagination) and delete activities, and a boto3
activity worker (get_activity_task's long poll, send_task_success / send_task_failure) drives
executions whose Task states wait for it; a poll whose client went away does not swallow a
task."""

import json
import socket
import subprocess
import threading
import time

from api_support import ACCOUNT_ARN, ROLE_ARN, SYSTEM_PYTHON, ApiTestCase, client_env

# A boto3 activity worker: polls ACTIVITY until it has answered N tasks (each with
# {"doubled": n * 2} from the task's {"n": n}, or a failure for a negative n) or polls
# came back empty LIMIT times; prints what it did as JSON.
WORKER_SCRIPT = r"""
import json, sys, time
import boto3
from botocore.config import Config
endpoint, activity, wanted, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                      config=Config(retries={"max_attempts": 1}, read_timeout=70))
done, empty, polls = [], 0, []
while len(done) < wanted and empty < limit:
    start = time.monotonic()
    task = client.get_activity_task(activityArn=activity, workerName="worker-1")
    polls.append(round(time.monotonic() - start, 2))
    if not task.get("taskToken"):
        empty += 1
        continue
    n = json.loads(task["input"])["n"]
    if n < 0:
        client.send_task_failure(taskToken=task["taskToken"], error="Negative",
                                 cause=f"n is {n}")
    else:
        client.send_task_success(taskToken=task["taskToken"], output=json.dumps({"doubled": n * 2}))
    done.append(n)
print(json.dumps({"done": done, "empty": empty, "polls": polls}))
"""


def activity_arn(name):
    return f"{ACCOUNT_ARN}:activity:{name}"


def machine_arn(name):
    return f"{ACCOUNT_ARN}:stateMachine:{name}"


def execution_arn(machine, name):
    return f"{ACCOUNT_ARN}:execution:{machine}:{name}"


class ActivitiesApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.proc = self.serve(self.project, "--activity-poll-seconds", "2")
        started = self.wait_for_event(self.proc, "started")[0]
        self.endpoint = started["api"]
        self.port = int(self.endpoint.rsplit(":", 1)[1])

    def create_worker_machine(self, activity="doubler", machine="with-worker"):
        self.boto_ok("create_activity", name=activity)
        definition = {"StartAt": "Work", "States": {"Work": {
            "Type": "Task", "Resource": activity_arn(activity), "TimeoutSeconds": 60,
            "End": True}}}
        self.boto_ok("create_state_machine", name=machine, definition=json.dumps(definition),
                     roleArn=ROLE_ARN)

    def worker(self, activity, wanted, limit):
        return subprocess.Popen([SYSTEM_PYTHON, "-c", WORKER_SCRIPT, self.endpoint,
                                 activity_arn(activity), str(wanted), str(limit)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=client_env())

    def test_create_describe_list_and_delete(self):
        created = self.aws_json("create-activity", "--name", "alpha")
        self.assertEqual(created["activityArn"], activity_arn("alpha"))
        # CreateActivity is idempotent by name, as AWS.
        again = self.aws_json("create-activity", "--name", "alpha")
        self.assertEqual(again, created)
        for name in ("beta", "gamma"):
            self.boto_ok("create_activity", name=name)
        described = self.aws_json("describe-activity", "--activity-arn", activity_arn("beta"))
        self.assertEqual(described["name"], "beta")
        self.assertEqual(described["activityArn"], activity_arn("beta"))
        self.assertRegex(described["creationDate"], r"^\d{4}-\d\d-\d\dT")  # the CLI's format

        page = self.boto_ok("list_activities", maxResults=2)
        self.assertEqual([a["name"] for a in page["activities"]], ["alpha", "beta"])
        rest = self.boto_ok("list_activities", maxResults=2, nextToken=page["nextToken"])
        self.assertEqual([a["name"] for a in rest["activities"]], ["gamma"])
        self.assertNotIn("nextToken", rest)
        # The AWS CLI follows the pages itself.
        listed = self.aws_json("list-activities", "--page-size", "1")
        self.assertEqual([a["name"] for a in listed["activities"]], ["alpha", "beta", "gamma"])

        self.assertEqual(self.boto_ok("delete_activity", activityArn=activity_arn("beta")), {})
        results = self.boto(
            {"op": "describe_activity", "params": {"activityArn": activity_arn("beta")}},
            {"op": "describe_activity", "params": {"activityArn": "arn:aws:states:x"}},
            {"op": "create_activity", "params": {"name": "has space"}},
            {"op": "get_activity_task", "params": {"activityArn": activity_arn("nope")}},
            {"op": "get_activity_task",
             "params": {"activityArn": activity_arn("alpha"), "workerName": "w" * 81}},
            {"op": "list_activities", "params": {"nextToken": "garbage"}})
        self.assertEqual(results[0]["exception"], "ActivityDoesNotExist")
        self.assertEqual(results[1]["exception"], "InvalidArn")
        self.assertEqual(results[2]["exception"], "InvalidName")
        self.assertEqual(results[3]["exception"], "ActivityDoesNotExist")
        self.assertEqual(results[4]["error"], "ValidationException")
        self.assertIn("workerName", results[4]["message"])
        self.assertEqual(results[5]["exception"], "InvalidToken")

    def test_a_boto3_worker_drives_executions_to_the_end(self):
        self.create_worker_machine()
        # The worker polls first: its long poll is parked until the tasks are scheduled.
        worker = self.worker("doubler", wanted=3, limit=10)
        time.sleep(0.5)
        for name, n in (("one", 1), ("two", 21), ("bad", -1)):
            self.boto_ok("start_execution", stateMachineArn=machine_arn("with-worker"), name=name,
                         input=json.dumps({"n": n}))
        out, err = worker.communicate(timeout=60)
        self.assertEqual(worker.returncode, 0, err)
        report = json.loads(out)
        self.assertEqual(sorted(report["done"]), [-1, 1, 21])
        results = self.boto(*[{"op": "wait_execution",
                               "params": {"executionArn": execution_arn("with-worker", name)}}
                              for name in ("one", "two", "bad")])
        self.assertEqual(results[0]["ok"]["status"], "SUCCEEDED", results[0])
        self.assertEqual(json.loads(results[0]["ok"]["output"]), {"doubled": 2})
        self.assertEqual(json.loads(results[1]["ok"]["output"]), {"doubled": 42})
        self.assertEqual(results[2]["ok"]["status"], "FAILED")
        self.assertEqual(results[2]["ok"]["error"], "Negative")
        # The history names the worker, as AWS's ActivityStarted does.
        history = self.boto_ok("get_execution_history",
                               executionArn=execution_arn("with-worker", "one"))
        types = [e["type"] for e in history["events"]]
        for expected in ("ActivityScheduled", "ActivityStarted", "ActivitySucceeded"):
            self.assertIn(expected, types)
        started = next(e for e in history["events"] if e["type"] == "ActivityStarted")
        self.assertEqual(started["activityStartedEventDetails"]["workerName"], "worker-1")

    def test_an_empty_poll_answers_nothing_after_the_poll_time(self):
        self.boto_ok("create_activity", name="idle")
        start = time.monotonic()
        self.assertEqual(self.boto_ok("get_activity_task", activityArn=activity_arn("idle")), {})
        took = time.monotonic() - start
        self.assertGreaterEqual(took, 1.8)  # --activity-poll-seconds 2
        self.assertLess(took, 10)
        # The AWS CLI gets the same empty answer.
        proc = self.aws("get-activity-task", "--activity-arn", activity_arn("idle"))
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_many_parked_polls_hold_no_thread(self):
        # More polls wait at once than the server has I/O threads; other requests still get
        # answered at once while they wait.
        self.boto_ok("create_activity", name="crowded")
        body = json.dumps({"activityArn": activity_arn("crowded")}).encode()
        request = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                   b"X-Amz-Target: AWSStepFunctions.GetActivityTask\r\nContent-Length: "
                   + str(len(body)).encode() + b"\r\n\r\n" + body)
        sockets = []
        for _ in range(8):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
            sock.sendall(request)
            sockets.append(sock)
        try:
            time.sleep(0.3)
            listing = (b"POST / HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Type: application/x-amz-json-1.0\r\n"
                       b"X-Amz-Target: AWSStepFunctions.ListActivities\r\n"
                       b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
            start = time.monotonic()
            answer = self.raw(listing)
            self.assertLess(time.monotonic() - start, 1.0)  # the polls wait for 2 s
            self.assertIn(b"crowded", answer)
            for sock in sockets:
                answer = sock.recv(65536)
                self.assertIn(b"200 OK", answer)
                self.assertTrue(answer.endswith(b"{}"), answer)
        finally:
            for sock in sockets:
                sock.close()

    def test_a_poll_whose_client_left_does_not_take_a_task(self):
        self.create_worker_machine(activity="lossless", machine="lossless-machine")
        body = json.dumps({"activityArn": activity_arn("lossless")}).encode()
        request = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
                   b"X-Amz-Target: AWSStepFunctions.GetActivityTask\r\nContent-Length: "
                   + str(len(body)).encode() + b"\r\n\r\n" + body)
        # A worker polls, then dies while its poll is parked.
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.sendall(request)
        time.sleep(0.3)
        sock.close()
        time.sleep(0.3)
        self.boto_ok("start_execution", stateMachineArn=machine_arn("lossless-machine"),
                     name="kept", input='{"n": 5}')
        # The task goes to the next worker, not to the departed one.
        worker = self.worker("lossless", wanted=1, limit=3)
        out, err = worker.communicate(timeout=30)
        self.assertEqual(worker.returncode, 0, err)
        self.assertEqual(json.loads(out)["done"], [5])
        result = self.boto({"op": "wait_execution",
                            "params": {"executionArn": execution_arn("lossless-machine",
                                                                     "kept")}})[0]
        self.assertEqual(json.loads(result["ok"]["output"]), {"doubled": 10})
