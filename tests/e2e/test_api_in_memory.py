"""End-to-end test of `autoretrain serve --in-memory` (docs/serve.md): the API works as with the
project's database, nothing is written to data/, the project is not locked, and nothing
survives a restart."""

import signal

from api_support import ACCOUNT_ARN, ApiTestCase

TRIGGER_ARN = f"{ACCOUNT_ARN}:stateMachine:creditcard-auto-retraining-trigger"


class InMemoryServeTest(ApiTestCase):
    def start_in_memory(self, project):
        self.proc = self.serve(project, "--in-memory")
        self.endpoint = self.wait_for_event(self.proc, "started")[0]["api"]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.proc.wait(timeout=30), 0, self.log_events(self.proc))

    def test_executions_run_and_live_only_as_long_as_the_process(self):
        project = self.init_project(fast_pipeline=True)
        self.start_in_memory(project)
        started = self.boto_ok("start_execution", stateMachineArn=TRIGGER_ARN, name="in-memory-1")
        described = self.boto({"op": "wait_execution",
                               "params": {"executionArn": started["executionArn"]}})[0]["ok"]
        self.assertEqual(described["status"], "SUCCEEDED", described)
        history = self.boto_ok("get_execution_history", executionArn=started["executionArn"])
        self.assertEqual(history["events"][-1]["type"], "ExecutionSucceeded")
        # The name is taken while the process lives, as with a durable store.
        again = self.boto({"op": "start_execution",
                           "params": {"stateMachineArn": TRIGGER_ARN, "name": "in-memory-1",
                                      "input": '{"other": true}'}})[0]
        self.assertEqual(again.get("error"), "ExecutionAlreadyExists", again)
        # Nothing on disk, and the project is not locked: `check` (which takes the lock, and
        # would wait for it) runs meanwhile.
        self.assertFalse((project / "data" / "autoretrain.db").exists())
        self.run_ok("check", "--project", project, timeout=60)
        self.stop()

        self.start_in_memory(project)
        listed = self.boto_ok("list_executions", stateMachineArn=TRIGGER_ARN)
        self.assertEqual(listed["executions"], [])
        missing = self.boto({"op": "describe_execution",
                             "params": {"executionArn": started["executionArn"]}})[0]
        self.assertEqual(missing.get("error"), "ExecutionDoesNotExist", missing)
        self.stop()
