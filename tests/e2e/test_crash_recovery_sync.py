"""Crash recovery while a states:startExecution.sync task waits: `autoretrain run --project` is
SIGKILLed while the parent waits for its child (which is in a Wait state), `autoretrain
executions resume` finishes both, and the parent SUCCEEDED with exactly one child, whose output
is the parent's (.sync:2 returns the child's output as JSON).
"""

import json

from test_crash_recovery import ACCOUNT_PREFIX, CrashTestCase

PARENT = {
    "StartAt": "Train",
    "States": {
        "Train": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                  "Parameters": {"StateMachineArn": ACCOUNT_PREFIX + ":stateMachine:child",
                                 "Input": {"epochs": 3}},
                  "OutputPath": "$.Output", "End": True},
    },
}
CHILD = {
    "StartAt": "Fit",
    "States": {
        "Fit": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
        "Done": {"Type": "Pass", "Result": {"accuracy": 0.9}, "ResultPath": "$.model",
                 "End": True},
    },
}
CONFIG = {"state_machines": {"parent": {"definition": "parent.asl.json"},
                             "child": {"definition": "child.asl.json"}}}


class SyncCrashRecoveryTest(CrashTestCase):
    def test_kill_while_waiting_for_the_child_then_resume(self):
        project = self.tmp / "p"
        project.mkdir()
        (project / "parent.asl.json").write_text(json.dumps(PARENT))
        (project / "child.asl.json").write_text(json.dumps(CHILD))
        (project / "autoretrain.json").write_text(json.dumps(CONFIG))

        finished, _, out, err = self.run_and_kill(project, "run1", 1.0)
        self.assertFalse(finished, f"the run ended before the kill:\n{out}\n{err}")
        proc, resumed = self.cli_json(project, "executions", "resume")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(sorted(e["status"] for e in resumed["resumed"]),
                         ["SUCCEEDED", "SUCCEEDED"], resumed)

        parent_arn = f"{ACCOUNT_PREFIX}:execution:parent:run1"
        _, parent = self.cli_json(project, "executions", "describe", parent_arn)
        self.assertEqual(parent["status"], "SUCCEEDED", parent)
        self.assertEqual(json.loads(parent["output"]), {"epochs": 3, "model": {"accuracy": 0.9}})
        _, children = self.cli_json(project, "executions", "list", "--state-machine", "child")
        self.assertEqual(len(children["executions"]), 1, children)
        events = [e["type"] for e in self.history(project, parent_arn, "parent")]
        self.assertEqual(events[-4:], ["TaskSubmitted", "TaskSucceeded", "TaskStateExited",
                                       "ExecutionSucceeded"], events)
