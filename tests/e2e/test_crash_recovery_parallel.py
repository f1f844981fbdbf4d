"""Crash recovery inside a Parallel state: `autoretrain run --project` is SIGKILLed while the
branches of a Parallel state run (each records with a command function, then starts a child
execution without a Name), `autoretrain executions resume` finishes the work, and:

- the parent SUCCEEDED with exactly two children, the ones its output names, both SUCCEEDED:
  a resumed execution runs the interrupted Parallel state again from its start, and its
  startExecution tasks derive the same child names from their place in the branch;
- the history is a chain (ids 1..N, previousEventId == id - 1);
- the command functions ran at least once and at most twice per branch.
"""

import json

from test_crash_recovery import (ACCOUNT_PREFIX, CHILD, FUNCTION_ARN, RECORD_PY,
                                 CrashTestCase, log_lines, start_child)

from test_cli_support import autoretrain


def branch(tag):
    record, start = f"Record{tag}", f"Start{tag}"
    return {"StartAt": record, "States": {
        record: {"Type": "Task", "Resource": FUNCTION_ARN + "record",
                 "Parameters": {"execution.$": "$$.Execution.Name", "branch": tag},
                 "ResultPath": None, "Next": start},
        start: {**{k: v for k, v in start_child(None).items() if k != "Next"}, "End": True}}}


PARENT = {
    "StartAt": "Fan",
    "States": {
        "Fan": {"Type": "Parallel", "Branches": [branch("A"), branch("B")],
                "ResultPath": "$.children", "Next": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}

CONFIG = {
    "state_machines": {
        "parent": {"definition": "parent.asl.json"},
        "child": {"definition": "child.asl.json"},
    },
    "functions": {
        "record": {"command": ["python3", "record.py", "parent.log", "0.2"],
                   "timeout_seconds": 30},
        "note": {"command": ["python3", "record.py", "children.log", "0.15"],
                 "timeout_seconds": 30},
    },
}

# One uninterrupted run takes ~0.8 s here: branch A's Record (~0.25 s), its child, branch B's
# Record, its child; the children's Note functions overlap. The points cover each part.
KILL_DELAYS = [0.1, 0.3, 0.45, 0.6, 0.75, 1.0]


class ParallelCrashRecoveryTest(CrashTestCase):
    def write_project(self, project):
        project.mkdir(parents=True)
        (project / "record.py").write_text(RECORD_PY)
        (project / "parent.asl.json").write_text(json.dumps(PARENT))
        (project / "child.asl.json").write_text(json.dumps(CHILD))
        (project / "autoretrain.json").write_text(json.dumps(CONFIG))

    def check_parallel_kill_point(self, index, delay):
        project = self.tmp / f"p{index}"
        self.write_project(project)
        name = f"run{index}"
        where = f"kill delay {delay}s (kill point {index}, project {project})"
        parent_arn = f"{ACCOUNT_PREFIX}:execution:parent:{name}"

        finished, code, out, err = self.run_and_kill(project, name, delay)
        if finished:
            self.assertEqual(code, 0, f"{where}: uninterrupted run failed:\n{out}\n{err}")
        proc, _ = self.cli_json(project, "executions", "resume")
        self.assertEqual(proc.returncode, 0, f"{where}: resume failed:\n{proc.stderr}")

        proc, described = self.cli_json(project, "executions", "describe", parent_arn)
        stored = not (proc.returncode == 2 and "Execution Does Not Exist" in proc.stderr)
        if not stored:  # killed before the start was stored (later on a loaded machine)
            rerun = autoretrain("run", "parent", "--project", project, "--name", name,
                                timeout=60)
            self.assertEqual(rerun.returncode, 0, f"{where}: re-run failed: {rerun.stderr}")
            proc, described = self.cli_json(project, "executions", "describe", parent_arn)
        self.assertEqual(described["status"], "SUCCEEDED", f"{where}: parent: {described}")

        proc, listed = self.cli_json(project, "executions", "list", "--state-machine", "child")
        children = []
        for item in listed["executions"]:
            _, child = self.cli_json(project, "executions", "describe", item["executionArn"])
            children.append(child)
        self.assertEqual(len(children), 2, f"{where}: children: {json.dumps(listed, indent=1)}")
        for child in children:
            self.assertEqual(child["status"], "SUCCEEDED", f"{where}: child {child}")
        output = json.loads(described["output"])
        self.assertEqual(sorted(c["ExecutionArn"] for c in output["children"]),
                         sorted(c["executionArn"] for c in children),
                         f"{where}: the parent's output names other children: {output}")

        self.check_chain(self.history(project, parent_arn, where), f"{where}: parent")
        records = [r for r in log_lines(project / "parent.log") if r["execution"] == name]
        for tag in ("A", "B"):
            runs = sum(1 for r in records if r["branch"] == tag)
            self.assertIn(runs, (1, 2), f"{where}: Record{tag} ran {runs} times: {records}")
        proc, running = self.cli_json(project, "executions", "list", "--status", "RUNNING")
        self.assertEqual(running["executions"], [], f"{where}: executions left RUNNING")
        return stored and not finished

    def test_kill_inside_parallel_branches_then_resume(self):
        interrupted = []
        for index, delay in enumerate(KILL_DELAYS):
            with self.subTest(delay=delay):
                if self.check_parallel_kill_point(index, delay):
                    interrupted.append(delay)
        self.assertTrue(interrupted, f"no kill point of {KILL_DELAYS} interrupted a stored run")
