"""End-to-end tests of `autoretrain run DEFINITION`."""

import json
import os
import stat
import unittest

from test_cli_support import TempDirTestCase, autoretrain

ECHO = {
    "StartAt": "Echo",
    "States": {"Echo": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": True}},
}

FAIL = {
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Pass", "Next": "Boom"},
        "Boom": {"Type": "Fail", "Error": "Custom.Error", "Cause": "it broke"},
    },
}


class RunTest(TempDirTestCase):
    def write(self, name, value):
        path = self.tmp / name
        path.write_text(value if isinstance(value, str) else json.dumps(value))
        return path

    def test_input_flag_prints_compact_output(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = self.run_ok("run", definition, "--input", '{"a": [1, 2], "b": "x"}')
        self.assertEqual(proc.stdout, '{"got":{"a":[1,2],"b":"x"}}\n')
        self.assertEqual(proc.stderr, "")

    def test_default_input_is_empty_object(self):
        definition = self.write("echo.asl.json", ECHO)
        self.assertEqual(self.run_ok("run", definition).stdout, '{"got":{}}\n')

    def test_input_file_and_stdin(self):
        definition = self.write("echo.asl.json", ECHO)
        input_file = self.write("input.json", {"n": 1.5})
        proc = self.run_ok("run", definition, "--input-file", input_file)
        self.assertEqual(json.loads(proc.stdout), {"got": {"n": 1.5}})
        proc = self.run_ok("run", definition, "--input-file", "-", input_text='"text"')
        self.assertEqual(json.loads(proc.stdout), {"got": "text"})

    def test_json_describe_execution(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = self.run_ok("run", definition, "--json", "--input", "[1]", "--name", "my-run")
        described = json.loads(proc.stdout)
        self.assertEqual(described["status"], "SUCCEEDED")
        self.assertEqual(described["name"], "my-run")
        self.assertEqual(described["executionArn"],
                         "arn:aws:states:us-east-1:123456789012:execution:echo:my-run")
        self.assertEqual(described["stateMachineArn"],
                         "arn:aws:states:us-east-1:123456789012:stateMachine:echo")
        self.assertEqual(json.loads(described["input"]), [1])
        self.assertEqual(json.loads(described["output"]), {"got": [1]})
        self.assertRegex(described["startDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertIn("stopDate", described)
        self.assertNotIn("error", described)

    def test_fail_state(self):
        definition = self.write("fail.asl.json", FAIL)
        proc = autoretrain("run", definition)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(proc.stdout, "")
        self.assertEqual(proc.stderr, "Execution failed: Custom.Error: it broke\n")
        proc = autoretrain("run", definition, "--json")
        self.assertEqual(proc.returncode, 1)
        described = json.loads(proc.stdout)
        self.assertEqual(described["status"], "FAILED")
        self.assertEqual(described["error"], "Custom.Error")
        self.assertEqual(described["cause"], "it broke")
        self.assertNotIn("output", described)

    def test_invalid_definition_lists_every_problem(self):
        definition = self.write("bad.asl.json", {
            "StartAt": "Missing",
            "States": {"A": {"Type": "Pass", "Next": "Nowhere"}, "B": {"Type": "Bogus"}}})
        proc = autoretrain("run", definition)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        lines = proc.stderr.strip().splitlines()
        self.assertGreaterEqual(len(lines), 3, proc.stderr)
        for line in lines:
            self.assertIn("bad.asl.json: ", line)
        self.assertIn("Missing", proc.stderr)
        self.assertIn("Nowhere", proc.stderr)
        self.assertIn("/States/B", proc.stderr)

    def test_definition_not_json(self):
        definition = self.write("broken.asl.json", '{"StartAt": ')
        proc = autoretrain("run", definition)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("INVALID_JSON_DESCRIPTION", proc.stderr)

    def test_missing_definition(self):
        proc = autoretrain("run", self.tmp / "nope.asl.json")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no such file", proc.stderr)

    def test_invalid_input_json(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = autoretrain("run", definition, "--input", "{oops")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--input: not valid JSON", proc.stderr)
        proc = autoretrain("run", definition, "--input-file", self.tmp / "missing.json")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("missing.json", proc.stderr)

    def test_input_and_input_file_exclude_each_other(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = autoretrain("run", definition, "--input", "{}", "--input-file", definition)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("excludes", proc.stderr)

    def test_oversized_input(self):
        definition = self.write("echo.asl.json", ECHO)
        big = self.write("big.json", json.dumps("x" * (256 * 1024)))
        proc = autoretrain("run", definition, "--input-file", big)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("larger than", proc.stderr)

    def test_invalid_execution_name(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = autoretrain("run", definition, "--name", "has space")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("InvalidName", proc.stderr)

    def test_function_flag_runs_a_shell_script(self):
        script = self.write("double.sh", "#!/bin/sh\n"
                            "read event\n"
                            "n=$(echo \"$event\" | sed 's/[^0-9]//g')\n"
                            "echo \"{\\\"doubled\\\": $((n * 2)), \\\"cwd\\\": \\\"$(pwd)\\\"}\"\n")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        definition = self.write("task.asl.json", {
            "StartAt": "Double",
            "States": {"Double": {
                "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "double", "Payload": {"n.$": "$.n"}},
                "OutputPath": "$.Payload", "End": True}}})
        proc = self.run_ok("run", definition, "--input", '{"n": 21}',
                           "--function", f"double=sh {script}", cwd=self.tmp)
        output = json.loads(proc.stdout)
        self.assertEqual(output["doubled"], 42)
        self.assertEqual(os.path.realpath(output["cwd"]), os.path.realpath(self.tmp))

    def test_function_error_fails_the_task(self):
        script = self.write("fail.sh", "#!/bin/sh\ncat >/dev/null\n"
                            "echo '{\"errorType\": \"ModelTooOld\", \"errorMessage\": \"retrain\"}'\n"
                            "exit 1\n")
        definition = self.write("task.asl.json", {
            "StartAt": "Call",
            "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                "Parameters": {"FunctionName": "fail"}, "End": True}}})
        proc = autoretrain("run", definition, "--json", "--function", f"fail=sh {script}")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        described = json.loads(proc.stdout)
        self.assertEqual(described["error"], "ModelTooOld")
        self.assertEqual(json.loads(described["cause"])["errorMessage"], "retrain")

    def test_bad_function_flag(self):
        definition = self.write("echo.asl.json", ECHO)
        proc = autoretrain("run", definition, "--function", "noequals")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("expected NAME=COMMAND", proc.stderr)

    def test_state_machine_flag_starts_a_child_execution(self):
        child = self.write("child.asl.json", {
            "StartAt": "Touch", "States": {"Touch": {"Type": "Pass", "End": True}}})
        parent = self.write("parent.asl.json", {
            "StartAt": "Start",
            "States": {"Start": {
                "Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
                "Parameters": {"StateMachineArn":
                               "arn:aws:states:us-east-1:123456789012:stateMachine:child",
                               "Input": {"x": 1}},
                "End": True}}})
        proc = self.run_ok("run", parent, "--state-machine", f"child={child}")
        output = json.loads(proc.stdout)
        self.assertRegex(output["ExecutionArn"],
                         r"^arn:aws:states:us-east-1:123456789012:execution:child:[0-9a-f-]{36}$")
        self.assertIn("StartDate", output)

        proc = autoretrain("run", parent, "--json")  # child unknown: the task fails
        self.assertEqual(proc.returncode, 1)
        self.assertIn("StateMachineDoesNotExist", json.loads(proc.stdout)["error"])


class RunWithProjectTest(TempDirTestCase):
    def test_trigger_with_project_functions(self):
        project = self.init_project(fast_pipeline=True)
        trigger = project / "state_machines" / "retraining_trigger.asl.json"
        proc = self.run_ok("run", trigger, "--project", project, "--json")
        described = json.loads(proc.stdout)
        self.assertEqual(described["stateMachineArn"],
                         "arn:aws:states:us-east-1:123456789012:stateMachine:"
                         "creditcard-auto-retraining-trigger")
        self.assertIn(":execution:creditcard-training-pipeline:",
                      json.loads(described["output"])["ExecutionArn"])

    def test_state_machine_by_name_and_project_from_environment(self):
        project = self.init_project(fast_pipeline=True)
        env = dict(os.environ, AUTORETRAIN_PROJECT=str(project))
        proc = autoretrain("run", "creditcard-training-pipeline", env=env, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(json.loads(proc.stdout), {"trained": True})

    def test_builtin_decision_function_without_project_reads_local_buckets(self):
        definition = self.tmp / "trigger.asl.json"
        definition.write_text(json.dumps({
            "StartAt": "Read",
            "States": {"Read": {"Type": "Task",
                                "Resource": "arn:aws:states:::lambda:invoke",
                                "Parameters": {"FunctionName": "check_retraining_decision"},
                                "OutputPath": "$.Payload", "End": True}}}))
        self.write_decision(self.tmp, "retraining_required\nno\n")
        proc = self.run_ok("run", definition, cwd=self.tmp)
        self.assertEqual(json.loads(proc.stdout), {"retraining_required": "NO"})

    def test_missing_project(self):
        definition = self.tmp / "echo.asl.json"
        definition.write_text(json.dumps(ECHO))
        proc = autoretrain("run", definition, "--project", self.tmp / "none")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("does not exist", proc.stderr)


if __name__ == "__main__":
    unittest.main()
