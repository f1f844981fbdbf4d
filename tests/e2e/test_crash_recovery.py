"""End-to-end crash-recovery tests: `autoretrain run --project` is SIGKILLed (with the command
functions it runs) at many points of a workload, `autoretrain executions resume` finishes the
work, and the store must then hold exactly what docs/durability.md promises:

- the parent execution SUCCEEDED, having started exactly two children (startExecution without
  Name is exactly once across a crash), both SUCCEEDED;
- every history is a chain: ids 1..N, previousEventId == id - 1;
- no Task state has two success events for one TaskStateEntered, no state is entered or exited
  twice (a completed state never runs again);
- command functions are at least once: the parent's function ran once or twice (killed once),
  the children's log names no child other than the two in the store.

Also: a second process waits for the project lock (`run`) or does not (`executions list`).
"""

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter

from test_cli_support import BIN, TempDirTestCase, autoretrain

ACCOUNT_PREFIX = "arn:aws:states:us-east-1:123456789012"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"
CHILD_MACHINE_ARN = ACCOUNT_PREFIX + ":stateMachine:child"

# Appends its event (one JSON line) to the log named by argv[1], sleeps argv[2] seconds, then
# prints its result. Killed mid-way, it may or may not have appended its line.
RECORD_PY = """\
import json, sys, time
event = json.load(sys.stdin)
with open(sys.argv[1], "a") as log:
    log.write(json.dumps(event, sort_keys=True) + "\\n")
time.sleep(float(sys.argv[2]))
print(json.dumps({"recorded": event}))
"""


def start_child(next_state):
    return {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
            "Parameters": {"StateMachineArn": CHILD_MACHINE_ARN,
                           "Input": {"parent.$": "$$.Execution.Id"}},
            "ResultSelector": {"ExecutionArn.$": "$.ExecutionArn"},
            "Next": next_state}


PARENT = {
    "StartAt": "Record",
    "States": {
        "Record": {"Type": "Task", "Resource": FUNCTION_ARN + "record",
                   "Parameters": {"execution.$": "$$.Execution.Name"},
                   "ResultPath": "$.record", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "StartFirst"},
        "StartFirst": dict(start_child("StartSecond"), ResultPath="$.first"),
        "StartSecond": dict(start_child("Done"), ResultPath="$.second"),
        "Done": {"Type": "Pass", "End": True},
    },
}
PARENT_STATES = ["Record", "Pause", "StartFirst", "StartSecond", "Done"]

CHILD = {
    "StartAt": "Note",
    "States": {
        "Note": {"Type": "Task", "Resource": FUNCTION_ARN + "note",
                 "Parameters": {"name.$": "$$.Execution.Name", "parent.$": "$.parent"},
                 "End": True},
    },
}

SLOW = {
    "StartAt": "Sleep",
    "States": {"Sleep": {"Type": "Task", "Resource": FUNCTION_ARN + "slow", "End": True}},
}
QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "Result": "quick",
                                                "End": True}}}

CONFIG = {
    "state_machines": {
        "parent": {"definition": "parent.asl.json"},
        "child": {"definition": "child.asl.json"},
        "slow": {"definition": "slow.asl.json"},
        "quick": {"definition": "quick.asl.json"},
    },
    "functions": {
        "record": {"command": ["python3", "record.py", "parent.log", "0.2"],
                   "timeout_seconds": 30},
        "note": {"command": ["python3", "record.py", "children.log", "0.15"],
                 "timeout_seconds": 30},
        "slow": {"command": ["python3", "record.py", "slow.log", "5"], "timeout_seconds": 30},
    },
}

# Kill points (seconds after `run` starts). One uninterrupted run takes ~1.7 s here: process
# start and ExecutionStarted (~0.05 s), the Record function (~0.25 s), the 1 s Wait, the two
# startExecution tasks and the children's Note functions (~1.3-1.7 s). The fixed points cover
# each phase; a few seeded random ones add variety while staying reproducible. Measured here:
# 0.05-0.3 s kills the Record function (it runs again), 0.45-1.25 s the Wait, 1.35-1.55 s the
# children's functions (both run again), 1.6 s and later finds the run already finished.
FIXED_DELAYS = [0.05, 0.12, 0.2, 0.3, 0.45, 0.8, 1.25, 1.35, 1.45, 1.55, 1.7, 2.5]
SEED = 20240611
_rng = random.Random(SEED)
KILL_DELAYS = FIXED_DELAYS + [x / 100 for x in _rng.sample(range(5, 200), 3)] + [
    round(_rng.uniform(1.2, 1.4), 3) for _ in range(2)]  # around the children's start


def write_project(project):
    project.mkdir(parents=True)
    (project / "record.py").write_text(RECORD_PY)
    for name, definition in (("parent", PARENT), ("child", CHILD), ("slow", SLOW),
                             ("quick", QUICK)):
        (project / f"{name}.asl.json").write_text(json.dumps(definition))
    (project / "autoretrain.json").write_text(json.dumps(CONFIG))


def log_lines(path):
    if not path.exists():
        return []
    # A killed function may leave a partial last line; only whole lines count.
    return [json.loads(line) for line in path.read_text().splitlines()
            if line.endswith("}")]


class CrashTestCase(TempDirTestCase):
    """Runs `run parent` to a kill point and reads the store back; no tests of its own."""

    def cli_json(self, project, *args, timeout=60):
        proc = autoretrain(*args, "--project", project, "--json", timeout=timeout)
        return proc, (json.loads(proc.stdout) if proc.stdout.strip() else None)

    def history(self, project, arn, where):
        proc, body = self.cli_json(project, "executions", "history", arn, "--max-results",
                                   "1000")
        self.assertEqual(proc.returncode, 0, f"{where}: history of {arn}: {proc.stderr}")
        self.assertNotIn("nextToken", body, where)
        return body["events"]

    def check_chain(self, events, where):
        """ids 1..N, each previousEventId the id before; Started first, Succeeded last."""
        dump = json.dumps(events, indent=1)
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)),
                         f"{where}: event ids are not 1..N:\n{dump}")
        self.assertEqual(events[0]["previousEventId"], 0, f"{where}:\n{dump}")
        for e in events[1:]:
            self.assertEqual(e["previousEventId"], e["id"] - 1,
                             f"{where}: event {e['id']} has previousEventId "
                             f"{e['previousEventId']}:\n{dump}")
        self.assertEqual(events[0]["type"], "ExecutionStarted", f"{where}:\n{dump}")
        self.assertEqual(events[-1]["type"], "ExecutionSucceeded", f"{where}:\n{dump}")
        self.assertEqual(
            [e["type"] for e in events].count("ExecutionStarted"), 1, f"{where}:\n{dump}")

    def run_and_kill(self, project, name, delay):
        proc = subprocess.Popen(
            [BIN, "run", "parent", "--project", project, "--name", name],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
        try:
            proc.wait(timeout=delay)
            finished = True  # the run ended before the kill point
        except subprocess.TimeoutExpired:
            finished = False
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate(timeout=30)
        return finished, proc.returncode, out.decode(), err.decode()


class CrashRecoveryTest(CrashTestCase):
    def check_states(self, events, where, expected_states):
        """No two task successes for one entered state; every state entered and exited once,
        in order."""
        dump = json.dumps(events, indent=1)
        successes = Counter()  # entered-event id -> success events after it
        entered_by_id = {}
        current = None
        entered, exited = [], []
        for e in events:
            kind = e["type"]
            if kind.endswith("StateEntered"):
                current = e["id"]
                name = e["stateEnteredEventDetails"]["name"]
                entered_by_id[current] = name
                entered.append(name)
            elif kind.endswith("StateExited"):
                exited.append(e["stateExitedEventDetails"]["name"])
            elif kind in ("TaskSucceeded", "LambdaFunctionSucceeded"):
                self.assertIsNotNone(current, f"{where}: {kind} outside a state:\n{dump}")
                successes[current] += 1
        for entered_id, count in successes.items():
            self.assertEqual(count, 1,
                             f"{where}: state {entered_by_id[entered_id]} (entered at event "
                             f"{entered_id}) has {count} success events:\n{dump}")
        for name, count in Counter(exited).items():
            self.assertEqual(count, 1, f"{where}: state {name} exited {count} times:\n{dump}")
        self.assertEqual(entered, expected_states, f"{where}: states entered:\n{dump}")
        self.assertEqual(exited, expected_states, f"{where}: states exited:\n{dump}")

    def check_kill_point(self, index, delay):
        project = self.tmp / f"p{index}"
        write_project(project)
        name = f"run{index}"
        where = f"kill delay {delay}s (kill point {index}, project {project})"
        parent_arn = f"{ACCOUNT_PREFIX}:execution:parent:{name}"

        finished, code, out, err = self.run_and_kill(project, name, delay)
        if finished:
            self.assertEqual(code, 0, f"{where}: uninterrupted run failed:\n{out}\n{err}")

        proc, resumed = self.cli_json(project, "executions", "resume")
        self.assertEqual(proc.returncode, 0,
                         f"{where}: resume failed:\n{proc.stdout}\n{proc.stderr}")
        if not finished:
            self.assertIsNotNone(resumed, f"{where}: resume printed nothing: {proc.stderr}")
            for described in resumed["resumed"]:
                self.assertEqual(described["status"], "SUCCEEDED", f"{where}: {described}")

        proc, described = self.cli_json(project, "executions", "describe", parent_arn)
        stored = not (proc.returncode == 2 and "Execution Does Not Exist" in proc.stderr)
        if not stored:
            # Killed before StartExecution was accepted (how late that is depends on the
            # machine's load): nothing was promised; run it again, as a client whose
            # StartExecution call failed would.
            rerun = autoretrain("run", "parent", "--project", project, "--name", name,
                                timeout=60)
            self.assertEqual(rerun.returncode, 0, f"{where}: re-run failed: {rerun.stderr}")
            proc, described = self.cli_json(project, "executions", "describe", parent_arn)
        self.assertEqual(proc.returncode, 0, f"{where}: describe parent: {proc.stderr}")
        self.assertEqual(described["status"], "SUCCEEDED", f"{where}: parent: {described}")

        # Exactly two children, both SUCCEEDED, the ones the parent's output names.
        proc, listed = self.cli_json(project, "executions", "list", "--state-machine", "child")
        self.assertEqual(proc.returncode, 0, f"{where}: list children: {proc.stderr}")
        children = []
        for item in listed["executions"]:
            _, child = self.cli_json(project, "executions", "describe", item["executionArn"])
            if json.loads(child["input"]).get("parent") == parent_arn:
                children.append(child)
        self.assertEqual(len(children), 2,
                         f"{where}: {len(children)} children stored for the parent: "
                         f"{json.dumps(listed, indent=1)}")
        for child in children:
            self.assertEqual(child["status"], "SUCCEEDED", f"{where}: child {child}")
        output = json.loads(described["output"])
        self.assertEqual(
            sorted([output["first"]["ExecutionArn"], output["second"]["ExecutionArn"]]),
            sorted(c["executionArn"] for c in children),
            f"{where}: the parent's output names other children: {described['output']}")
        self.assertNotEqual(output["first"]["ExecutionArn"], output["second"]["ExecutionArn"],
                            where)

        # Histories.
        parent_events = self.history(project, parent_arn, where)
        self.check_chain(parent_events, f"{where}: parent")
        self.check_states(parent_events, f"{where}: parent", PARENT_STATES)
        for child in children:
            events = self.history(project, child["executionArn"], where)
            self.check_chain(events, f"{where}: child {child['name']}")
            self.check_states(events, f"{where}: child {child['name']}", ["Note"])

        # Command functions: at least once, and at most once more than the one crash allows.
        records = [r for r in log_lines(project / "parent.log") if r["execution"] == name]
        self.assertIn(len(records), (1, 2), f"{where}: Record ran {len(records)} times")
        notes = [r for r in log_lines(project / "children.log") if r["parent"] == parent_arn]
        logged_names = {r["name"] for r in notes}
        self.assertLessEqual(len(logged_names), 2,
                             f"{where}: more than two child names in the log: {notes}")
        self.assertEqual(logged_names, {c["name"] for c in children},
                         f"{where}: the children's log and the store disagree: {notes}")
        # Both children may be in their function when the kill hits: each may run twice.
        for child_name, count in Counter(r["name"] for r in notes).items():
            self.assertLessEqual(count, 2, f"{where}: child {child_name}'s function ran "
                                           f"{count} times after one crash: {notes}")
        # Nothing is left RUNNING.
        proc, running = self.cli_json(project, "executions", "list", "--status", "RUNNING")
        self.assertEqual(running["executions"], [], f"{where}: executions left RUNNING")
        return stored and not finished

    def test_kill_at_many_points_then_resume(self):
        interrupted = []
        for index, delay in enumerate(KILL_DELAYS):
            with self.subTest(delay=delay):
                if self.check_kill_point(index, delay):
                    interrupted.append(delay)
        # Else every kill came before the start was stored or after the run ended, and no
        # resumption was tested.
        self.assertTrue(interrupted, f"no kill point of {KILL_DELAYS} interrupted a stored run")


class ProjectLockTest(TempDirTestCase):
    def test_second_process_waits_for_the_lock_readers_do_not(self):
        project = self.tmp / "p"
        write_project(project)
        slow = subprocess.Popen(
            [BIN, "run", "slow", "--project", project, "--name", "slow1"],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)

        def kill():
            if slow.poll() is None:
                os.killpg(slow.pid, signal.SIGKILL)
            slow.communicate()

        self.addCleanup(kill)
        # The slow function is running once its log line is there (it then sleeps 5 s).
        deadline = time.monotonic() + 20
        while not (project / "slow.log").exists():
            self.assertIsNone(slow.poll(), "the slow run ended before its task ran")
            self.assertLess(time.monotonic(), deadline, "the slow task never started")
            time.sleep(0.02)

        # A reader does not take the lock: it answers while the slow run holds it (a reader
        # that waited for the lock would return only after the slow run ended).
        listed = autoretrain("executions", "list", "--project", project, "--json", timeout=30)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIsNone(slow.poll(), "the slow run ended before the reader returned")
        self.assertEqual([(e["name"], e["status"]) for e in json.loads(listed.stdout)
                          ["executions"]], [("slow1", "RUNNING")])

        # A second run waits for the first to finish, says so, then runs.
        before = time.monotonic()
        quick = autoretrain("run", "quick", "--project", project, "--name", "quick1", "--json",
                            timeout=60)
        took = time.monotonic() - before
        self.assertEqual(quick.returncode, 0, f"{quick.stdout}\n{quick.stderr}")
        self.assertIn("waiting for another autoretrain process", quick.stderr)
        self.assertEqual(json.loads(quick.stdout)["status"], "SUCCEEDED")
        self.assertIsNotNone(slow.poll(), "the second run finished while the first still ran")
        self.assertGreater(took, 0.5, f"the second run returned after {took:.2f}s: no wait")
        out, err = slow.communicate(timeout=30)
        self.assertEqual(slow.returncode, 0, err)
        described = autoretrain("executions", "describe", "slow1", "--project", project,
                                "--json")
        self.assertEqual(json.loads(described.stdout)["status"], "SUCCEEDED")
