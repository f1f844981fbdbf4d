"""End-to-end tests of `autoretrain run DEFINITION --mock-config FILE --test-case NAME`."""

import json
import stat
import unittest

from test_cli_support import TempDirTestCase, autoretrain

LAMBDA = "arn:aws:states:::lambda:invoke"

# Call (a lambda:invoke with Retry and Catch) then Notify (another task).
PIPELINE = {
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task", "Resource": LAMBDA,
            "Parameters": {"FunctionName": "work", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"],
                       "IntervalSeconds": 1, "BackoffRate": 1, "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                       "Next": "Recover"}],
            "ResultSelector": {"body.$": "$.Payload"},
            "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": LAMBDA,
                   "Parameters": {"FunctionName": "notify", "Payload.$": "$"},
                   "OutputPath": "$.Payload", "End": True},
        "Recover": {"Type": "Pass", "Parameters": {"recovered.$": "$.error.Error"},
                    "End": True},
    },
}

ENVELOPE = {"StatusCode": 200, "Payload": {"answer": 42}}

MOCKS = {
    "StateMachines": {
        "pipeline": {"TestCases": {
            "HappyPath": {"Call": "CallOk", "Notify": "NotifyOk"},
            "RetryPath": {"Call": "CallRetry", "Notify": "NotifyOk"},
            "CatchPath": {"Call": "CallBroken"},
            "HybridPath": {"Call": "CallOk"},
            "TooFew": {"Call": "CallThrottledOnce"},
        }},
        "other": {"TestCases": {"T": {}}},
    },
    "MockedResponses": {
        "CallOk": {"0": {"Return": ENVELOPE}},
        "NotifyOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"notified": True}}}},
        "CallRetry": {
            "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
            "2": {"Return": ENVELOPE},
        },
        "CallBroken": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}},
        "CallThrottledOnce": {
            "0": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}}},
    },
}


class MockConfigTest(TempDirTestCase):
    def write(self, name, value):
        path = self.tmp / name
        path.write_text(value if isinstance(value, str) else json.dumps(value))
        return path

    def setUp(self):
        super().setUp()
        self.definition = self.write("pipeline.asl.json", PIPELINE)
        self.mocks = self.write("mocks.json", MOCKS)

    def run_case(self, test_case, *extra, definition=None, mocks=None):
        return autoretrain("run", definition or self.definition, "--json",
                           "--mock-config", mocks or self.mocks, "--test-case", test_case,
                           *extra, cwd=self.tmp)

    def described(self, proc, exit_code):
        self.assertEqual(proc.returncode, exit_code,
                         f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return json.loads(proc.stdout)

    def test_return_replaces_the_whole_lambda_envelope(self):
        described = self.described(self.run_case("HappyPath", "--input", '{"x": 1}'), 0)
        self.assertEqual(json.loads(described["output"]), {"notified": True})

    def test_throw_is_retried_then_returns(self):
        proc = self.run_case("RetryPath")
        described = self.described(proc, 0)
        self.assertEqual(json.loads(described["output"]), {"notified": True})

    def test_throw_is_caught(self):
        described = self.described(self.run_case("CatchPath"), 0)
        self.assertEqual(json.loads(described["output"]), {"recovered": "Lambda.ServiceException"})

    def test_invocation_past_the_last_range_fails_the_execution(self):
        # Invocation 0 throws and is retried; invocation 1 has no mocked answer.
        described = self.described(self.run_case("TooFew"), 1)
        self.assertEqual(described["error"], "States.Runtime")
        self.assertIn("no answer for invocation 1", described["cause"])
        self.assertIn("CallThrottledOnce", described["cause"])

    def test_unmocked_task_runs_the_real_function(self):
        script = self.write("notify.sh", "#!/bin/sh\ncat >/dev/null\necho '{\"real\": true}'\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        described = self.described(
            self.run_case("HybridPath", "--function", f"notify=sh {script}"), 0)
        self.assertEqual(json.loads(described["output"]), {"real": True})
        # Without the function the unmocked task fails as it would without mocks.
        described = self.described(self.run_case("HybridPath"), 1)
        self.assertEqual(described["error"], "Lambda.ResourceNotFoundException")

    def test_single_state_machine_applies_whatever_the_name(self):
        mocks = self.write("single.json", {
            "StateMachines": {"SomethingElse": MOCKS["StateMachines"]["pipeline"]},
            "MockedResponses": MOCKS["MockedResponses"]})
        described = self.described(self.run_case("HappyPath", mocks=mocks), 0)
        self.assertEqual(json.loads(described["output"]), {"notified": True})

    def test_name_is_the_execution_name_not_the_state_machine(self):
        described = self.described(self.run_case("HappyPath", "--name", "my-run"), 0)
        self.assertEqual(described["name"], "my-run")
        self.assertTrue(described["stateMachineArn"].endswith(":stateMachine:pipeline"))

    def assert_invalid(self, proc, *fragments):
        self.assertEqual(proc.returncode, 2, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        self.assertEqual(proc.stdout, "")
        for fragment in fragments:
            self.assertIn(fragment, proc.stderr)

    def test_unknown_test_case(self):
        self.assert_invalid(self.run_case("Nope"), str(self.mocks),
                            "$.StateMachines.pipeline.TestCases: no test case 'Nope'",
                            "'HappyPath'")

    def test_unknown_state_machine_with_several(self):
        definition = self.write("renamed.asl.json", PIPELINE)
        self.assert_invalid(self.run_case("HappyPath", definition=definition),
                            "$.StateMachines: no state machine 'renamed'", "'other', 'pipeline'")

    def test_malformed_files(self):
        cases = [
            ("{not json", "$: not valid JSON"),
            ("[]", "$: expected an object"),
            (json.dumps({"StateMachines": {}}), 'missing field "MockedResponses"'),
            (json.dumps({"StateMachines": {"pipeline": {"TestCases": {"T": {"Call": "Nope"}}}},
                         "MockedResponses": {}}),
             "$.StateMachines.pipeline.TestCases.T.Call: no mocked response 'Nope'"),
            (json.dumps({"StateMachines": {}, "MockedResponses": {"R": {"one": {"Return": 1}}}}),
             "$.MockedResponses.R.one: expected an invocation number"),
            (json.dumps({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Retrun": 1}}}}),
             '$.MockedResponses.R["0"]: expected exactly one field, "Return" or "Throw"'),
            (json.dumps({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {}}}}}),
             '$.MockedResponses.R["0"].Throw: missing field "Error"'),
            (json.dumps({"StateMachines": {}, "MockedResponses": {"R": {"1-2": {"Return": 1}}}}),
             "invocation 0 is not mocked"),
        ]
        for text, message in cases:
            with self.subTest(message=message):
                mocks = self.write("bad.json", text)
                self.assert_invalid(self.run_case("T", mocks=mocks), str(mocks), message)

    def test_missing_file(self):
        self.assert_invalid(self.run_case("T", mocks=self.tmp / "absent.json"),
                            "absent.json: cannot read")

    def test_mocked_state_must_be_a_task(self):
        mocks = self.write("pass.json", {
            "StateMachines": {"pipeline": {"TestCases": {"T": {"Recover": "CallOk"},
                                                         "U": {"Ghost": "CallOk"}}}},
            "MockedResponses": {"CallOk": MOCKS["MockedResponses"]["CallOk"]}})
        self.assert_invalid(self.run_case("T", mocks=mocks),
                            "$.StateMachines.pipeline.TestCases.T.Recover",
                            "is a Pass state; only Task states can be mocked")
        self.assert_invalid(self.run_case("U", mocks=mocks), "the definition has no state 'Ghost'")

    def test_options_need_each_other(self):
        proc = autoretrain("run", self.definition, "--mock-config", self.mocks)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--test-case", proc.stderr)
        proc = autoretrain("run", self.definition, "--test-case", "HappyPath")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--mock-config", proc.stderr)


if __name__ == "__main__":
    unittest.main()
