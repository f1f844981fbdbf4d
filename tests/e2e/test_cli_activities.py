"""End-to-end tests of activities: `autoretrain activities create` makes one, a Task state whose
Resource is its ARN waits for a worker, the worker (another process) takes the task with
`activities get-task` and answers with `autoretrain task success|failure`, and the history has
AWS's Activity* events (docs/asl.md#activities, docs/cli.md)."""

import json
import subprocess

from test_cli_support import BIN, TempDirTestCase, autoretrain

ACTIVITY_ARN = "arn:aws:states:us-east-1:123456789012:activity:review"

REVIEW = {
    "StartAt": "Review",
    "States": {
        "Review": {"Type": "Task", "Resource": ACTIVITY_ARN,
                   "Parameters": {"model": "creditcard", "version.$": "$.version"},
                   "HeartbeatSeconds": 60, "TimeoutSeconds": 300, "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}


class ActivitiesTest(TempDirTestCase):
    def write_project(self):
        project = self.tmp / "p"
        project.mkdir()
        (project / "review.asl.json").write_text(json.dumps(REVIEW))
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"review": {"definition": "review.asl.json"}}}))
        return project

    def activities(self, project, *args, code=0):
        proc = autoretrain("activities", *args, "--project", project)
        self.assertEqual(proc.returncode, code, proc.stderr)
        return json.loads(proc.stdout) if code == 0 else proc

    def start(self, project):
        proc = subprocess.Popen([BIN, "run", "review", "--project", project, "--input",
                                 '{"version": 7}', "--name", "review-1"],
                                cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def test_a_worker_takes_the_task_and_answers_it(self):
        project = self.write_project()
        created = self.activities(project, "create", "review")
        self.assertEqual(created["activityArn"], ACTIVITY_ARN)
        self.assertEqual(self.activities(project, "create", "review")["activityArn"],
                         ACTIVITY_ARN)  # idempotent, as AWS
        listed = self.activities(project, "list")
        self.assertEqual([a["name"] for a in listed["activities"]], ["review"])

        proc = self.start(project)
        task = self.activities(project, "get-task", ACTIVITY_ARN, "--worker-name", "alice",
                               "--wait-seconds", "30")
        self.assertEqual(json.loads(task["input"]), {"model": "creditcard", "version": 7})
        # Taken: another worker finds nothing.
        self.assertEqual(self.activities(project, "get-task", ACTIVITY_ARN, "--wait-seconds",
                                         "0"), {})
        answer = autoretrain("task", "success", task["taskToken"], "--output",
                             '{"approved": true}', "--project", project)
        self.assertEqual(answer.returncode, 0, answer.stderr)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(json.loads(out), {"approved": True})

        history = autoretrain("executions", "history",
                              "arn:aws:states:us-east-1:123456789012:execution:review:review-1",
                              "--json", "--project", project)
        self.assertEqual(history.returncode, 0, history.stderr)
        events = json.loads(history.stdout)["events"]
        self.assertEqual([e["type"] for e in events],
                         ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                          "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                          "PassStateEntered", "PassStateExited", "ExecutionSucceeded"])
        scheduled = events[2]["activityScheduledEventDetails"]
        self.assertEqual(scheduled["resource"], ACTIVITY_ARN)
        self.assertEqual(scheduled["heartbeatInSeconds"], 60)
        self.assertEqual(scheduled["timeoutInSeconds"], 300)
        self.assertEqual(events[3]["activityStartedEventDetails"], {"workerName": "alice"})

    def test_a_failure_answer_fails_the_execution(self):
        project = self.write_project()
        self.activities(project, "create", "review")
        proc = self.start(project)
        task = self.activities(project, "get-task", ACTIVITY_ARN, "--wait-seconds", "30")
        answer = autoretrain("task", "failure", task["taskToken"], "--error", "Rejected",
                             "--cause", "drift is seasonal", "--project", project)
        self.assertEqual(answer.returncode, 0, answer.stderr)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 1, out)
        self.assertIn("Rejected", err)

    def test_a_task_no_worker_takes_times_out(self):
        project = self.write_project()
        definition = json.loads((project / "review.asl.json").read_text())
        del definition["States"]["Review"]["HeartbeatSeconds"]
        definition["States"]["Review"]["TimeoutSeconds"] = 1
        (project / "review.asl.json").write_text(json.dumps(definition))
        self.activities(project, "create", "review")
        out, err = self.start(project).communicate(timeout=30)
        self.assertIn("States.Timeout", err)
        history = autoretrain("executions", "history",
                              "arn:aws:states:us-east-1:123456789012:execution:review:review-1",
                              "--json", "--project", project)
        types = [e["type"] for e in json.loads(history.stdout)["events"]]
        self.assertEqual(types, ["ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                 "ActivityTimedOut", "ExecutionFailed"])

    def test_a_worker_that_stops_heartbeating_times_the_task_out(self):
        project = self.write_project()
        definition = json.loads((project / "review.asl.json").read_text())
        # Long enough for the heartbeat below (a process start) to come in time on a loaded
        # machine under the sanitizers (1 s was not always).
        definition["States"]["Review"]["HeartbeatSeconds"] = 4
        (project / "review.asl.json").write_text(json.dumps(definition))
        self.activities(project, "create", "review")
        proc = self.start(project)
        task = self.activities(project, "get-task", ACTIVITY_ARN, "--wait-seconds", "30")
        beat = autoretrain("task", "heartbeat", task["taskToken"], "--project", project)
        self.assertEqual(beat.returncode, 0, beat.stderr)
        out, err = proc.communicate(timeout=30)  # no heartbeat after that one
        self.assertEqual(proc.returncode, 1, out)
        self.assertIn("States.HeartbeatTimeout", err)
        history = autoretrain("executions", "history",
                              "arn:aws:states:us-east-1:123456789012:execution:review:review-1",
                              "--json", "--project", project)
        events = json.loads(history.stdout)["events"]
        self.assertEqual(events[-2]["type"], "ActivityTimedOut")
        self.assertEqual(events[-2]["activityTimedOutEventDetails"]["error"],
                         "States.HeartbeatTimeout")
        late = autoretrain("task", "success", task["taskToken"], "--output", "{}",
                           "--project", project)
        self.assertEqual(late.returncode, 2)

    def test_an_unknown_activity_fails_the_task_and_bad_arguments_are_usage_errors(self):
        project = self.write_project()
        proc = self.start(project)  # the activity was never created
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 1, out)
        self.assertIn("Activity Does Not Exist", err)
        bad = self.activities(project, "describe", "arn:aws:states:us-east-1:1:stateMachine:x",
                              code=2)
        self.assertIn("InvalidArn", bad.stderr)
        missing = self.activities(project, "describe", ACTIVITY_ARN, code=2)
        self.assertIn("ActivityDoesNotExist", missing.stderr)
        bad_name = self.activities(project, "create", "has space", code=2)
        self.assertIn("InvalidName", bad_name.stderr)
        self.activities(project, "create", "review")
        self.assertEqual(self.activities(project, "delete", ACTIVITY_ARN), {})
        self.assertEqual(self.activities(project, "list")["activities"], [])
