"""Fault injection: `autoretrain serve` is SIGKILLed (with the command functions it runs) at
random moments under a mixed workload, restarted, and killed again, many times; then the last
daemon finishes everything and the store must hold what docs/durability.md and docs/serve.md
promise:

- every execution the API accepted (every ARN StartExecution returned) exists and SUCCEEDED,
  as does every other execution in the store; a named start replayed with the same input
  returns the same execution;
- no child started twice: each startExecution task (per parent, state, Map item) has exactly
  one child, the one the parent's output names;
- approvals (callback tasks) waiting across restarts keep their token and take the answer;
- no schedule slot fired twice: per slot at most one execution and at most one fire that was
  not a catch-up; slots that catch up (missed_slots ALL) all fired, including those due while
  no daemon ran; every fire the log reports is in the store;
- every history is consistent: ids 1..N, previousEventId the id before, one ExecutionStarted,
  exactly one terminal event and last, each top-level state entered and exited once in order
  with one task success, a Map or Parallel rerun after a crash complete in its last run; every
  function call came from the execution's one start (never a second start of the same name);
- the database passes SQLite's integrity check, and the last daemon stops cleanly.

Scale: AUTORETRAIN_SOAK_KILLS=N kills (default 12, 6 under AUTORETRAIN_SANITIZE=ON),
AUTORETRAIN_SOAK_SEED=N for another random sequence (kill moments also depend on timing),
AUTORETRAIN_SOAK_REPORT=FILE writes the run's figures as JSON (docs/durability.md), and
AUTORETRAIN_SOAK_KEEP=DIR copies the run's folder (project, store, daemon logs) there.
"""

import datetime
import glob
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

from daemon_soak_project import (DRIVER_PY, MINUTELY, TOP_LEVEL_STATES, approval_answer,
                                 at_schedules, write_project)
from test_cli_support import DaemonTestCase

SYSTEM_PYTHON = "/usr/bin/python3"  # has boto3 (api_support.py)
SANITIZE = os.environ.get("AUTORETRAIN_SANITIZE") == "ON"
KILLS = int(os.environ.get("AUTORETRAIN_SOAK_KILLS", "6" if SANITIZE else "12"))
SEED = int(os.environ.get("AUTORETRAIN_SOAK_SEED", "20261127"))
REPORT = os.environ.get("AUTORETRAIN_SOAK_REPORT", "")
KEEP = os.environ.get("AUTORETRAIN_SOAK_KEEP", "")  # copy the run's folder there at the end
# Seconds a daemon runs before its kill; the client's mean pause between calls; how often a
# kill comes right after the spawn instead (during the resume or before the API is up).
UPTIME = (1.0, 4.0) if SANITIZE else (0.5, 2.5)
PACE = 0.3 if SANITIZE else 0.1
EARLY_KILLS = 0.15
DOWNTIME = (0.0, 0.5)  # seconds between a kill and the next spawn
# The client starts nothing while this many executions run: the workload stays within what a
# daemon killed every few seconds can finish (a Map or Parallel reruns from its start, every
# interrupted function runs again), so the backlog does not grow with the number of kills.
IN_FLIGHT = 15 if SANITIZE else 40
RESTART = 1.0 if SANITIZE else 0.3  # about how long a restart takes, to plan the at() slots
WAIT_STARTED = 120 if SANITIZE else 30
DRAIN_TIMEOUT = 400 if SANITIZE else 120
AT_SPACING = 2  # seconds between at() slots

TERMINAL = {"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"}
SUCCESSES = {"TaskSucceeded", "LambdaFunctionSucceeded"}
NESTED_TASKS = {"Items": 2, "Both": 2}  # Task states per Map iteration / in all branches


def parse_time(text):
    """An ISO 8601 time from the log or the context object, or boto3's str(datetime)."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def stamp(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


def json_lines(path):
    if not path.exists():
        return []
    # A killed writer may leave a partial last line; only whole lines count.
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def kill_daemon(proc):
    """SIGKILLs the daemon's process group, then the command functions it had started (each
    runs in a process group of its own)."""
    functions = []
    for children in glob.glob(f"/proc/{proc.pid}/task/*/children"):
        try:
            functions += [int(pid) for pid in Path(children).read_text().split()]
        except OSError:
            pass
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for pid in functions:
        try:
            if b"record.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass  # it ended on its own


def history_problems(machine, arn, events):
    """What is wrong with one execution's history (empty: nothing)."""
    where = f"{arn}:"
    problems = []
    types = [e["type"] for e in events]
    if [e["id"] for e in events] != list(range(1, len(events) + 1)):
        problems.append(f"{where} event ids are not 1..N: {[e['id'] for e in events]}")
    for e in events:
        if e.get("previousEventId", 0) != e["id"] - 1:
            problems.append(f"{where} event {e['id']} has previousEventId "
                            f"{e.get('previousEventId', 0)}")
    if types[:1] != ["ExecutionStarted"] or types.count("ExecutionStarted") != 1:
        problems.append(f"{where} not one ExecutionStarted, first: {types}")
    if sum(t in TERMINAL for t in types) != 1 or types[-1] not in TERMINAL:
        problems.append(f"{where} not exactly one terminal event, last: {types}")

    top = TOP_LEVEL_STATES[machine]
    entered = [(i, e["stateEnteredEventDetails"]["name"]) for i, e in enumerate(events)
               if e["type"].endswith("StateEntered")
               and e["stateEnteredEventDetails"]["name"] in top]
    exited = [(i, e["stateExitedEventDetails"]["name"]) for i, e in enumerate(events)
              if e["type"].endswith("StateExited")
              and e["stateExitedEventDetails"]["name"] in top]
    if [n for _, n in entered] != top or [n for _, n in exited] != top:
        problems.append(f"{where} top-level states entered {[n for _, n in entered]}, exited "
                        f"{[n for _, n in exited]}, expected {top} once each")
        return problems
    for (begin, name), (end, _) in zip(entered, exited):
        inside = events[begin:end + 1]
        if name in NESTED_TASKS:
            problems += nested_problems(where, name, inside)
        elif events[begin]["type"] == "TaskStateEntered":
            successes = sum(e["type"] in SUCCESSES for e in inside)
            if successes != 1:
                problems.append(f"{where} task {name} succeeded {successes} times")
    return problems


def nested_problems(where, name, inside):
    """A Map or Parallel state's events: after a crash the state runs again from its start
    (another ...StateStarted); each run has each iteration (branch) at most once, and the last
    run all of them, each task succeeding once per iteration."""
    starts = [i for i, e in enumerate(inside) if e["type"] in ("MapStateStarted",
                                                              "ParallelStateStarted")]
    if not starts:
        return [f"{where} {name} never started"]
    problems = []
    runs = [inside[b:e] for b, e in zip(starts, starts[1:] + [len(inside)])]
    for number, run in enumerate(runs, 1):
        last = number == len(runs)
        if run[0]["type"] == "MapStateStarted":
            length = run[0]["mapStateStartedEventDetails"]["length"]
            done = sorted(e["mapIterationSucceededEventDetails"]["index"] for e in run
                          if e["type"] == "MapIterationSucceeded")
            started = [e["mapIterationStartedEventDetails"]["index"] for e in run
                       if e["type"] == "MapIterationStarted"]
            if len(started) != len(set(started)) or (last and done != list(range(length))):
                problems.append(f"{where} {name} run {number}: iterations started {started}, "
                                f"succeeded {done}, length {length}")
        else:
            length = 1
        successes = sum(e["type"] in SUCCESSES for e in run)
        expected = NESTED_TASKS[name] * length
        if successes > expected or (last and successes != expected):
            problems.append(f"{where} {name} run {number}: {successes} task successes, "
                            f"expected {expected}")
    return problems


class DaemonKillSoakTest(DaemonTestCase):
    def write_control(self, generation, endpoint, stop=False):
        temp = self.tmp / "control.json.tmp"
        temp.write_text(json.dumps({"generation": generation, "endpoint": endpoint,
                                    "stop": stop}))
        os.replace(temp, self.tmp / "control.json")

    def start_driver(self):
        log = open(self.tmp / "driver.stderr", "w")
        self.addCleanup(log.close)
        driver = subprocess.Popen(
            [SYSTEM_PYTHON, "-c", DRIVER_PY, str(self.tmp), str(SEED), str(PACE),
             str(IN_FLIGHT), str(DRAIN_TIMEOUT)], stdout=subprocess.DEVNULL, stderr=log)

        def stop():
            if driver.poll() is None:
                driver.kill()
            driver.wait()
        self.addCleanup(stop)
        return driver

    def test_sigkill_the_daemon_under_mixed_workload(self):
        if KEEP:  # runs before the temporary folder is removed
            self.addCleanup(shutil.copytree, self.tmp, KEEP, dirs_exist_ok=True)
        rng = random.Random(SEED)
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        planned = KILLS * (sum(UPTIME) / 2 + sum(DOWNTIME) / 2 + RESTART)
        at_slots = at_schedules(now + datetime.timedelta(seconds=3), AT_SPACING,
                                max(2, int(planned / AT_SPACING)))
        project = self.tmp / "project"
        write_project(project, at_slots)
        driver = self.start_driver()

        daemons = []  # (process, wall time spawned, killed early)
        for generation in range(1, KILLS + 2):
            final = generation == KILLS + 1
            spawned = datetime.datetime.now(datetime.timezone.utc)
            proc = self.serve(project)
            early = not final and rng.random() < EARLY_KILLS
            daemons.append((proc, spawned, early))
            if early:
                time.sleep(rng.uniform(0, 0.3))
            else:
                started = self.wait_for_event(proc, "started", timeout=WAIT_STARTED)[0]
                self.write_control(generation, started["api"])
                if final:
                    break
                time.sleep(rng.uniform(*UPTIME))
            self.assertIsNone(proc.poll(), f"generation {generation}: serve exited by itself: "
                                           f"{self.log_events(proc)}")
            self.assertIsNone(driver.poll(), "the client died: see driver.stderr")
            kill_daemon(proc)
            time.sleep(rng.uniform(*DOWNTIME))

        # The last daemon: every at() slot has come, the client answers what waits and dumps.
        last_slot = max(slot for slot, _ in at_slots.values())
        time.sleep(max(0.0, (last_slot - datetime.datetime.now(datetime.timezone.utc))
                       .total_seconds() + 1.5))
        self.write_control(KILLS + 1, started["api"], stop=True)
        driver.wait(timeout=DRAIN_TIMEOUT + 120)
        self.assertEqual(driver.returncode, 0, (self.tmp / "driver.stderr").read_text())
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0, self.log_events(proc))
        stopped = [e for e in self.log_events(proc) if e["event"] == "stopped"]
        self.assertEqual([e["left_running"] for e in stopped], [0], stopped)

        report = self.check_everything(project, daemons, at_slots)
        print(json.dumps(report, indent=1))
        if REPORT:
            Path(REPORT).write_text(json.dumps(report, indent=1) + "\n")

    def check_everything(self, project, daemons, at_slots):
        problems = []
        driver_lines = json_lines(self.tmp / "driver.jsonl")
        problems += [f"client: {line}" for line in driver_lines
                     if line["kind"] in ("api_error", "drain_timeout")]
        dumped = json.loads((self.tmp / "dump.json").read_text())
        # The last daemon may start a slot's execution after the dump, before it stops.
        dumped_at, dump = parse_time(dumped["dumped_at"]), dumped["executions"]
        by_arn = {x["execution"]["executionArn"]: x for x in dump}
        by_name = {(x["machine"], x["execution"]["name"]): x for x in dump}

        # Every accepted execution, and every one in the store, SUCCEEDED.
        accepted = [line["arn"] for line in driver_lines if line["kind"] == "accepted"]
        problems += [f"accepted {arn} is not in the store" for arn in accepted
                     if arn not in by_arn]
        problems += [f"{arn} ended {x['execution']['status']}" for arn, x in by_arn.items()
                     if x["execution"]["status"] != "SUCCEEDED"]
        problems += [f"a named start replayed returned {line['arn']}, not {line['expected']}"
                     for line in driver_lines
                     if line["kind"] == "replayed" and line["arn"] != line["expected"]]
        for arn, x in by_arn.items():
            problems += history_problems(x["machine"], arn, x["events"])
        problems += self.child_problems(dump, by_arn)
        problems += self.approval_problems(project, dump)
        kills = len(daemons) - 1
        problems += self.function_problems(project, by_name, kills, dumped_at)
        schedule_figures, schedule_problems = self.schedule_problems(daemons, at_slots, by_name,
                                                                     dumped_at)
        problems += schedule_problems

        db = project / "data" / "autoretrain.db"
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        errors = [e for proc, _, _ in daemons for e in self.log_events(proc)
                  if e["level"] == "error"]
        problems += [f"daemon logged an error: {e}" for e in errors]

        self.assertEqual(problems, [], f"{len(problems)} problems (seed {SEED}, {kills} kills, "
                                       f"folder {self.tmp})")
        return self.figures(daemons, driver_lines, dump, schedule_figures, kills)

    def child_problems(self, dump, by_arn):
        problems = []
        children = defaultdict(list)  # (parent, via, index) -> child ARNs
        for x in dump:
            if x["machine"] == "child":
                given = json.loads(x["execution"]["input"])
                key = (given["parent"], given["via"], given.get("index"))
                children[key].append(x["execution"]["executionArn"])
                if given["parent"] not in by_arn:
                    problems.append(f"child {key} of a parent not in the store")
        problems += [f"{key} started {len(arns)} children: {arns}"
                     for key, arns in children.items() if len(arns) != 1]
        for arn, x in by_arn.items():
            if x["execution"]["status"] != "SUCCEEDED" or x["machine"] not in ("parent",
                                                                            "fanout"):
                continue
            output = json.loads(x["execution"]["output"])
            if x["machine"] == "parent":
                named = {(arn, "Train", None): output["train"]["arn"],
                         (arn, "Notify", None): output["notify"]["arn"]}
            else:
                named = {(arn, "Item", i): item["arn"] for i, item in enumerate(output["map"])}
                named[(arn, "Branch", None)] = output["both"][1]["arn"]
            stored = {key: arns[0] for key, arns in children.items() if key[0] == arn}
            if stored != named:
                problems.append(f"{arn}: children in the store {stored}, in the output {named}")
        return problems

    def approval_problems(self, project, dump):
        tokens = defaultdict(set)
        for event in json_lines(project / "approvals.log"):
            tokens[event["e"]].add(event["token"])
        problems = []
        for x in dump:
            if x["machine"] != "approval" or x["execution"]["status"] != "SUCCEEDED":
                continue
            name = x["execution"]["name"]
            if len(tokens[name]) != 1:
                problems.append(f"approval {name} was handed tokens {tokens[name]}")
                continue
            answer = json.loads(x["execution"]["output"])["answer"]
            if answer != approval_answer(next(iter(tokens[name]))):
                problems.append(f"approval {name} took another answer: {answer}")
        return problems

    def function_problems(self, project, by_name, kills, dumped_at):
        """Each call came from the execution's one start; a call runs again only after a
        kill (at least once, not unboundedly)."""
        problems = []
        calls = Counter()
        for record in json_lines(project / "work.log"):
            found = by_name.get((record["machine"], record["e"]))
            if found is None:
                if parse_time(record["start"]) < dumped_at:
                    problems.append(f"a function call from an unknown execution: {record}")
                continue
            started = parse_time(found["execution"]["startDate"])
            if abs((parse_time(record["start"]) - started).total_seconds()) > 0.001:
                problems.append(f"a call from another start of {record['e']}: {record}, "
                                f"stored start {started}")
            calls[(record["machine"], record["e"], record.get("index"))] += 1
        problems += [f"{key} ran {count} times in {kills} kills" for key, count in calls.items()
                     if count > 1 + kills]
        return problems

    def schedule_problems(self, daemons, at_slots, by_name, dumped_at):
        problems = []
        logs = [self.log_events(proc) for proc, _, _ in daemons]
        fired = [e for log in logs for e in log if e["event"] == "fired"]
        first_started = min(parse_time(e["time"]) for log in logs for e in log
                            if e["event"] == "started")
        final_started = parse_time([e for e in logs[-1] if e["event"] == "started"][0]["time"])

        on_time = Counter((e["schedule"], e["slot"]) for e in fired if not e.get("caught_up"))
        problems += [f"slot {key} fired {count} times, not as catch-ups" for key, count in
                     on_time.items() if count > 1]
        for e in fired:
            if "error" in e:
                problems.append(f"a fire failed: {e}")
            elif not e.get("skipped_overlap") and ("tick", e["execution_name"]) not in by_name \
                    and parse_time(e["time"]) < dumped_at:
                problems.append(f"a fire the log reports is not in the store: {e}")

        expected = {}  # execution name -> slot that must have fired (catch-up schedules)
        for name, (slot, config) in at_slots.items():
            if "missed_slots" in config and slot > first_started:
                expected[f"{name}-{stamp(slot)}"] = slot
        minute = first_started.replace(second=0, microsecond=0)
        while (minute := minute + datetime.timedelta(minutes=1)) <= final_started:
            expected[f"{MINUTELY}-{stamp(minute)}"] = minute
        problems += [f"slot {name} never fired" for name in expected
                     if ("tick", name) not in by_name]
        valid = {f"{name}-{stamp(slot)}" for name, (slot, _) in at_slots.items()}
        ticks = [name for machine, name in by_name if machine == "tick"]
        for name in ticks:
            if name not in valid and not (name.startswith(MINUTELY + "-")
                                          and name.endswith("00Z")):
                problems.append(f"tick {name} is no slot of any schedule")
        skip_fired = sum(1 for name in ticks if name.startswith("at-skip-"))
        skip_total = sum(1 for name in at_slots if name.startswith("at-skip-"))
        figures = {"slot_executions": len(ticks), "catch_up_slots_checked": len(expected),
                   "fires_caught_up": sum(1 for e in fired if e.get("caught_up")),
                   "fires_already_fired": sum(1 for e in fired if e.get("already_fired")),
                   "skip_slots_fired": skip_fired, "skip_slots_skipped": skip_total - skip_fired}
        return figures, problems

    def figures(self, daemons, driver_lines, dump, schedule_figures, kills):
        """What the run did, and how fast each daemon came back (not asserted)."""
        restarts = []  # (seconds from the spawn to the API serving, executions resumed)
        for proc, spawned, _ in daemons:
            started = [e for e in self.log_events(proc) if e["event"] == "started"]
            if started:
                restarts.append(((parse_time(started[0]["time"]) - spawned).total_seconds(),
                                 started[0]["resumed"]))
        restarts.sort()
        to_api = [seconds for seconds, _ in restarts]
        resumed = [count for _, count in restarts]
        kinds = Counter(line["kind"] for line in driver_lines)
        return {
            "seed": SEED, "kills": kills,
            "kills_right_after_spawn": sum(1 for _, _, early in daemons if early),
            "kills_before_api": len(daemons) - len(restarts),
            "executions": dict(Counter(x["machine"] for x in dump)),
            "api_starts_accepted": kinds["accepted"],
            "api_calls_cut_off_by_kill": kinds["unknown"],
            "named_starts_replayed": kinds["replayed"],
            "approvals_answered": kinds["answered"],
            "resumed_per_restart_max": max(resumed), "resumed_total": sum(resumed),
            "restart_to_api_seconds": {"median": to_api[len(to_api) // 2],
                                       "p95": to_api[int(len(to_api) * 0.95)],
                                       "max": to_api[-1]},
            "resumed_at_the_slowest_restart": resumed[-1],
            **schedule_figures,
        }

