"""End-to-end tests of callback tasks: a Task state with lambda:invoke.waitForTaskToken hands
its token to a command function (which writes it to a file, as a worker would receive it), the
execution waits, and `autoretrain task success|failure|heartbeat TOKEN` from another process
answers it through the project's store (docs/cli.md, docs/asl.md)."""

import json
import subprocess
import time

from test_cli_support import BIN, TempDirTestCase, autoretrain

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"

# Writes the task token it receives to token.txt and returns at once.
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


class TaskCommandTest(TempDirTestCase):
    def write_project(self):
        project = self.tmp / "p"
        project.mkdir()
        (project / "notify.py").write_text(NOTIFY_PY)
        (project / "approval.asl.json").write_text(json.dumps(APPROVAL))
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"approval": {"definition": "approval.asl.json"}},
            "functions": {"notify": {"command": ["python3", "notify.py"]}}}))
        return project

    def start(self, project):
        proc = subprocess.Popen([BIN, "run", "approval", "--project", project],
                                cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        token_file = project / "token.txt"
        deadline = time.monotonic() + 20
        while not token_file.exists() and time.monotonic() < deadline:
            if proc.poll() is not None:
                self.fail(f"run ended early: {proc.communicate()}")
            time.sleep(0.05)
        self.assertTrue(token_file.exists(), "the function never received the token")
        return proc, token_file.read_text()

    def test_success_answers_the_waiting_task(self):
        project = self.write_project()
        proc, token = self.start(project)
        heartbeat = autoretrain("task", "heartbeat", token, "--project", project)
        self.assertEqual(heartbeat.returncode, 0, heartbeat.stderr)
        answer = autoretrain("task", "success", token, "--output", '{"approved": true}',
                             "--project", project)
        self.assertEqual(answer.returncode, 0, answer.stderr)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(json.loads(out), {"approved": True})
        # Answered once: a second answer finds the task gone, as AWS says.
        again = autoretrain("task", "success", token, "--output", "1", "--project", project)
        self.assertEqual(again.returncode, 2)
        self.assertIn("TaskDoesNotExist", again.stderr)

    def test_failure_fails_the_execution_with_the_given_error(self):
        project = self.write_project()
        proc, token = self.start(project)
        answer = autoretrain("task", "failure", token, "--error", "Rejected", "--cause",
                             "not this model", "--project", project)
        self.assertEqual(answer.returncode, 0, answer.stderr)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 1, out)
        self.assertIn("Rejected", err)

    def test_bad_answers_are_usage_errors(self):
        project = self.write_project()
        unknown = autoretrain("task", "success", "no-such-token", "--output", "{}",
                              "--project", project)
        self.assertEqual(unknown.returncode, 2)
        self.assertIn("TaskDoesNotExist", unknown.stderr)
        proc, token = self.start(project)
        not_json = autoretrain("task", "success", token, "--output", "{nope", "--project",
                               project)
        self.assertEqual(not_json.returncode, 2)
        self.assertIn("InvalidOutput", not_json.stderr)
        missing = autoretrain("task", "success", token, "--project", project)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("--output", missing.stderr)
        autoretrain("task", "success", token, "--output", "{}", "--project", project)
        proc.communicate(timeout=30)
