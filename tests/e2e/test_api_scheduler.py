"""End-to-end tests of the EventBridge Scheduler API of `autoretrain serve` (docs/api.md,
"EventBridge Scheduler API"), driven by the real clients: boto3's `scheduler` client and the
AWS CLI's `aws scheduler` with --endpoint-url. A schedule created through the API starts an
execution of the seed trigger; get, list (filters, pages), update, delete; groups (deleting one
deletes its schedules) and their tags; the project's own schedule is listed but read-only; AWS's error types;
SigV4 with the "scheduler" signing name; schedules survive SIGKILL and fire after a restart."""

import datetime
import json
import os
import signal
import subprocess
import time

from api_support import ACCOUNT_ARN, AWS_CLI, SYSTEM_PYTHON, ApiTestCase, client_env

TRIGGER_ARN = f"{ACCOUNT_ARN}:stateMachine:creditcard-auto-retraining-trigger"
ROLE_ARN = "arn:aws:iam::123456789012:role/SchedulerRole"
PROJECT_SCHEDULE = "weekly-retraining-check"

# Runs boto3 calls against ENDPOINT ("scheduler" or "stepfunctions" client per call) and prints
# one JSON result per call: {"ok": response} or {"error": code, "message", "exception", "status"}.
BOTO_SCRIPT = r"""
import json, sys
import boto3
from botocore.config import Config
calls = json.load(sys.stdin)
key_id = sys.argv[2] if len(sys.argv) > 2 else "AKIDEXAMPLE"
secret = sys.argv[3] if len(sys.argv) > 3 else "secret"
clients = {}
def client(name):
    if name not in clients:
        clients[name] = boto3.client(name, endpoint_url=sys.argv[1], region_name="us-east-1",
                                     aws_access_key_id=key_id, aws_secret_access_key=secret,
                                     config=Config(retries={"max_attempts": 1}))
    return clients[name]
out = []
for call in calls:
    c = client(call.get("client", "scheduler"))
    try:
        if call["op"] == "paginate_schedules":
            pages = c.get_paginator("list_schedules").paginate(
                PaginationConfig={"PageSize": call["params"]["PageSize"]})
            result = {"pages": [[s["Name"] for s in page["Schedules"]] for page in pages]}
        else:
            result = getattr(c, call["op"])(**call.get("params", {}))
        result.pop("ResponseMetadata", None)
        out.append({"ok": result})
    except c.exceptions.ClientError as e:
        out.append({"error": e.response["Error"]["Code"],
                    "message": e.response["Error"].get("Message", ""),
                    "exception": type(e).__name__,
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"]})
print(json.dumps(out, default=str))
"""


# How far ahead a schedule made through a client process is set: the client must start (the
# AWS CLI took over 8 s under ctest -j8 here) and the request arrive before the slot, or the
# slot has passed when the schedule is created and, as on AWS, never fires.
CLIENT_MARGIN = 15


def at_expression(seconds_ahead):
    """at() a whole second at least `seconds_ahead` seconds from now, in UTC."""
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=seconds_ahead + 1)
    return "at(" + when.strftime("%Y-%m-%dT%H:%M:%S") + ")"


def target(input_text="{}"):
    return {"Arn": TRIGGER_ARN, "RoleArn": ROLE_ARN, "Input": input_text}


class SchedulerApiTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project(fast_pipeline=True)
        self.start_api(self.project)

    def sched(self, *calls, keys=()):
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint, *keys],
                              input=json.dumps(list(calls)), capture_output=True, text=True,
                              env=client_env(), timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def sched_ok(self, op, **params):
        result = self.sched({"op": op, "params": params})[0]
        self.assertIn("ok", result, result)
        return result["ok"]

    def sched_error(self, op, **params):
        result = self.sched({"op": op, "params": params})[0]
        self.assertIn("error", result, result)
        return result

    def cli(self, *args):
        return subprocess.run([AWS_CLI, "scheduler", *map(str, args), "--endpoint-url",
                               self.endpoint, "--output", "json"],
                              capture_output=True, text=True, env=client_env(), timeout=120)

    def cli_json(self, *args):
        proc = self.cli(*args)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def wait_fired(self, proc, schedule, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fired = [e for e in self.log_events(proc)
                     if e["event"] == "fired" and e["schedule"] == schedule]
            if fired:
                return fired[0]
            self.assertIsNone(proc.poll(), f"serve exited: {self.log_events(proc)}")
            time.sleep(0.1)
        self.fail(f"{schedule} did not fire: {self.log_events(proc)}")

    def names(self, **params):
        return [(s["GroupName"], s["Name"])
                for s in self.sched_ok("list_schedules", **params)["Schedules"]]

    def test_boto3_schedule_starts_an_execution_and_its_lifecycle(self):
        created = self.sched_ok("create_schedule", Name="soon",
                                ScheduleExpression=at_expression(CLIENT_MARGIN),
                                FlexibleTimeWindow={"Mode": "OFF"},
                                Target=target('{"from": "scheduler"}'))
        self.assertEqual(created["ScheduleArn"],
                         "arn:aws:scheduler:us-east-1:123456789012:schedule/default/soon")
        got = self.sched_ok("get_schedule", Name="soon")
        self.assertEqual(got["State"], "ENABLED")
        self.assertEqual(got["GroupName"], "default")
        self.assertEqual(got["Target"]["Arn"], TRIGGER_ARN)
        self.assertEqual(got["Target"]["RetryPolicy"],
                         {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185})

        # It fires: an execution of the seed trigger, named after the schedule and the slot,
        # with the schedule's input.
        fired = self.wait_fired(self.proc, "soon")
        self.assertNotIn("error", fired)
        self.assertTrue(fired["execution_name"].startswith("soon-"), fired)
        execution = self.boto_ok("describe_execution", executionArn=fired["execution_arn"])
        self.assertEqual(execution["stateMachineArn"], TRIGGER_ARN)
        self.assertEqual(json.loads(execution["input"]), {"from": "scheduler"})

        # The project's schedule is listed in the default group, and is read-only.
        self.assertIn(("default", PROJECT_SCHEDULE), self.names())
        project = self.sched_ok("get_schedule", Name=PROJECT_SCHEDULE)
        self.assertEqual(project["ScheduleExpression"], "cron(0 3 ? * MON *)")
        refused = self.sched_error("delete_schedule", Name=PROJECT_SCHEDULE)
        self.assertEqual((refused["error"], refused["status"]), ("ValidationException", 400))
        self.assertIn("autoretrain.json", refused["message"])

        # Update replaces the schedule; State, time zone and retry policy are kept as given.
        self.sched_ok("update_schedule", Name="soon", ScheduleExpression="cron(0 4 * * ? *)",
                      ScheduleExpressionTimezone="Europe/Berlin", State="DISABLED",
                      FlexibleTimeWindow={"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
                      Target={**target(), "RetryPolicy": {"MaximumRetryAttempts": 3}})
        got = self.sched_ok("get_schedule", Name="soon")
        self.assertEqual((got["State"], got["ScheduleExpressionTimezone"]),
                         ("DISABLED", "Europe/Berlin"))
        self.assertEqual(got["FlexibleTimeWindow"],
                         {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15})
        self.assertEqual(got["Target"]["RetryPolicy"]["MaximumRetryAttempts"], 3)
        self.assertEqual(self.names(State="DISABLED"), [("default", "soon")])

        self.assertEqual(self.sched_ok("delete_schedule", Name="soon"), {})
        missing = self.sched_error("get_schedule", Name="soon")
        self.assertEqual((missing["error"], missing["status"]),
                         ("ResourceNotFoundException", 404))

    def test_boto3_errors_groups_and_pages(self):
        bad = self.sched_error("create_schedule", Name="bad", ScheduleExpression="rate(1 hours)",
                               FlexibleTimeWindow={"Mode": "OFF"}, Target=target())
        self.assertEqual((bad["error"], bad["status"]), ("ValidationException", 400))
        self.assertIn("rate(1 hour)", bad["message"])
        not_sfn = self.sched_error("create_schedule", Name="bad", ScheduleExpression="rate(1 hour)",
                                   FlexibleTimeWindow={"Mode": "OFF"},
                                   Target={"Arn": "arn:aws:sqs:us-east-1:123456789012:q",
                                           "RoleArn": ROLE_ARN})
        self.assertEqual(not_sfn["error"], "ValidationException")
        self.sched_ok("create_schedule", Name="dup", ScheduleExpression="rate(1 day)",
                      FlexibleTimeWindow={"Mode": "OFF"}, Target=target())
        dup = self.sched_error("create_schedule", Name="dup", ScheduleExpression="rate(1 day)",
                               FlexibleTimeWindow={"Mode": "OFF"}, Target=target())
        self.assertEqual((dup["error"], dup["status"]), ("ConflictException", 409))
        no_group = self.sched_error("create_schedule", Name="x", GroupName="nogroup",
                                    ScheduleExpression="rate(1 day)",
                                    FlexibleTimeWindow={"Mode": "OFF"}, Target=target())
        self.assertEqual(no_group["error"], "ResourceNotFoundException")

        # Groups: the default one always exists and cannot be deleted.
        self.assertEqual([g["Name"] for g in
                          self.sched_ok("list_schedule_groups")["ScheduleGroups"]], ["default"])
        group_arn = self.sched_ok("create_schedule_group", Name="team")["ScheduleGroupArn"]
        self.assertEqual(group_arn,
                         "arn:aws:scheduler:us-east-1:123456789012:schedule-group/team")
        self.assertEqual(self.sched_ok("get_schedule_group", Name="team")["State"], "ACTIVE")
        # Tags: schedule groups only, by ARN.
        self.sched_ok("tag_resource", ResourceArn=group_arn,
                      Tags=[{"Key": "owner", "Value": "ml"}, {"Key": "cost", "Value": "7"}])
        self.sched_ok("untag_resource", ResourceArn=group_arn, TagKeys=["cost", "absent"])
        self.assertEqual(self.sched_ok("list_tags_for_resource", ResourceArn=group_arn)["Tags"],
                         [{"Key": "owner", "Value": "ml"}])
        schedule_arn = "arn:aws:scheduler:us-east-1:123456789012:schedule/default/dup"
        self.assertEqual(self.sched_error("list_tags_for_resource",
                                          ResourceArn=schedule_arn)["error"],
                         "ValidationException")
        for name in ("a1", "a2", "b1"):
            self.sched_ok("create_schedule", Name=name, GroupName="team",
                          ScheduleExpression="rate(1 day)", FlexibleTimeWindow={"Mode": "OFF"},
                          Target=target())
        self.assertEqual(self.names(GroupName="team", NamePrefix="a"),
                         [("team", "a1"), ("team", "a2")])
        pages = self.sched_ok("paginate_schedules", PageSize=2)["pages"]
        self.assertEqual([len(p) for p in pages], [2, 2, 1])
        self.assertEqual(sorted(n for p in pages for n in p),
                         sorted(["dup", PROJECT_SCHEDULE, "a1", "a2", "b1"]))
        refused = self.sched_error("delete_schedule_group", Name="default")
        self.assertEqual(refused["error"], "ValidationException")
        self.assertEqual(self.sched_ok("delete_schedule_group", Name="team"), {})
        self.assertEqual(self.sched_error("get_schedule_group", Name="team")["error"],
                         "ResourceNotFoundException")
        self.assertEqual(self.sched_error("get_schedule", Name="a1", GroupName="team")["error"],
                         "ResourceNotFoundException")
        self.assertEqual(sorted(self.names()),
                         [("default", "dup"), ("default", PROJECT_SCHEDULE)])

    def test_aws_cli(self):
        created = self.cli_json("create-schedule", "--name", "cli-schedule",
                                "--schedule-expression", at_expression(CLIENT_MARGIN),
                                "--flexible-time-window", "Mode=OFF",
                                "--target", json.dumps(target('{"via": "cli"}')))
        self.assertTrue(created["ScheduleArn"].endswith(":schedule/default/cli-schedule"))
        got = self.cli_json("get-schedule", "--name", "cli-schedule")
        self.assertEqual(got["Target"]["Input"], '{"via": "cli"}')
        listed = self.cli_json("list-schedules", "--name-prefix", "cli")
        self.assertEqual([s["Name"] for s in listed["Schedules"]], ["cli-schedule"])
        fired = self.wait_fired(self.proc, "cli-schedule")
        execution = self.boto_ok("describe_execution", executionArn=fired["execution_arn"])
        self.assertEqual(json.loads(execution["input"]), {"via": "cli"})

        self.cli_json("create-schedule-group", "--name", "cli-group")
        groups = self.cli_json("list-schedule-groups")
        self.assertEqual(sorted(g["Name"] for g in groups["ScheduleGroups"]),
                         ["cli-group", "default"])
        group_arn = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/cli-group"
        self.cli_json("tag-resource", "--resource-arn", group_arn, "--tags", "Key=team,Value=ml")
        self.assertEqual(self.cli_json("list-tags-for-resource", "--resource-arn", group_arn),
                         {"Tags": [{"Key": "team", "Value": "ml"}]})
        self.cli_json("untag-resource", "--resource-arn", group_arn, "--tag-keys", "team")
        self.assertEqual(self.cli_json("list-tags-for-resource", "--resource-arn", group_arn),
                         {"Tags": []})
        self.cli_json("delete-schedule-group", "--name", "cli-group")
        self.cli_json("delete-schedule", "--name", "cli-schedule")
        missing = self.cli("get-schedule", "--name", "cli-schedule")
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("ResourceNotFoundException", missing.stderr)
        invalid = self.cli("create-schedule", "--name", "x", "--schedule-expression",
                           "cron(0 3 * * MON *)", "--flexible-time-window", "Mode=OFF",
                           "--target", json.dumps(target()))
        self.assertNotEqual(invalid.returncode, 0)
        self.assertIn("ValidationException", invalid.stderr)
        self.assertIn("day-of-month and day-of-week", invalid.stderr)

    def test_schedules_survive_sigkill_and_fire_after_the_restart(self):
        self.sched_ok("create_schedule_group", Name="night")
        self.sched_ok("create_schedule", Name="daily", ScheduleExpression="rate(1 day)",
                      FlexibleTimeWindow={"Mode": "OFF"}, Target=target())
        # Due after the restart: one that came while no daemon ran would be a missed slot,
        # skipped. Made last and 12 s ahead, which a loaded machine's restart stays within.
        self.sched_ok("create_schedule", Name="later", GroupName="night",
                      ScheduleExpression=at_expression(12), FlexibleTimeWindow={"Mode": "OFF"},
                      Target=target('{"after": "restart"}'))
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.start_api(self.project)
        self.assertEqual(sorted(self.names()), [("default", "daily"),
                                                ("default", PROJECT_SCHEDULE),
                                                ("night", "later")])
        self.assertEqual(self.sched_ok("get_schedule", Name="later", GroupName="night")["Name"],
                         "later")
        started = self.wait_for_event(self.proc, "started")[0]
        self.assertIn("daily", [s["schedule"] for s in started["schedules"]])
        fired = self.wait_fired(self.proc, "later@night")
        execution = self.boto_ok("describe_execution", executionArn=fired["execution_arn"])
        self.assertEqual(json.loads(execution["input"]), {"after": "restart"})


class SignedSchedulerApiTest(ApiTestCase):
    """With --credentials-file, Scheduler requests must be signed for service "scheduler"."""

    def test_signed_and_wrongly_signed_requests(self):
        project = self.init_project(fast_pipeline=True)
        credentials = self.tmp / "credentials"
        credentials.write_text("[team]\naws_access_key_id = AKIDSCHED\n"
                               "aws_secret_access_key = right-secret\n")
        self.proc = self.serve(project, "--listen", "127.0.0.1:0", "--credentials-file",
                               credentials)
        self.endpoint = self.wait_for_event(self.proc, "started")[0]["api"]
        calls = [{"op": "create_schedule_group", "params": {"Name": "signed"}},
                 {"op": "list_schedule_groups"}]
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint, "AKIDSCHED",
                               "right-secret"], input=json.dumps(calls), capture_output=True,
                              text=True, env=client_env(), timeout=120)
        ok = json.loads(proc.stdout)
        self.assertIn("ok", ok[0], ok)
        self.assertEqual(sorted(g["Name"] for g in ok[1]["ok"]["ScheduleGroups"]),
                         ["default", "signed"])
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint, "AKIDSCHED",
                               "wrong-secret"], input=json.dumps(calls[1:]),
                              capture_output=True, text=True, env=client_env(), timeout=120)
        refused = json.loads(proc.stdout)[0]
        self.assertEqual(refused.get("error"), "InvalidSignatureException", refused)
        proc = subprocess.run([SYSTEM_PYTHON, "-c", BOTO_SCRIPT, self.endpoint, "AKIDOTHER",
                               "x"], input=json.dumps(calls[1:]),
                              capture_output=True, text=True, env=client_env(), timeout=120)
        self.assertEqual(json.loads(proc.stdout)[0].get("error"), "UnrecognizedClientException")
