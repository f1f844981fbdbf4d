"""End-to-end tests of `autoretrain serve`: it fires the project's schedules (at() slots a few
seconds ahead, computed here in UTC), logs JSON lines, stops cleanly on SIGTERM, refuses a
second daemon on the same project, after a SIGKILL resumes what was running without firing
a slot twice, and purges executions past the project's retention_days."""

import datetime
import json
import os
import signal
import sqlite3
import time

from test_cli_support import DaemonTestCase, autoretrain

# Sleeps argv[1] seconds, then prints its event back.
SLEEP_PY = """\
import json, sys, time
event = json.load(sys.stdin)
time.sleep(float(sys.argv[1]))
print(json.dumps({"slept": event}))
"""

QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
SLOW = {"StartAt": "Sleep", "States": {"Sleep": {
    "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:sleep",
    "End": True}}}


def slot_in(seconds):
    """A whole-second UTC time at least `seconds` ahead: (at() text, execution name stamp)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    t = (now + datetime.timedelta(seconds=seconds + 1)).replace(microsecond=0)
    return t.strftime("%Y-%m-%dT%H:%M:%S"), t.strftime("%Y%m%dT%H%M%SZ")


class ServeTest(DaemonTestCase):
    def write_project(self, schedules, sleep_seconds=2):
        project = self.tmp / "project"
        project.mkdir(exist_ok=True)
        (project / "sleep.py").write_text(SLEEP_PY)
        (project / "quick.asl.json").write_text(json.dumps(QUICK))
        (project / "slow.asl.json").write_text(json.dumps(SLOW))
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"quick": {"definition": "quick.asl.json"},
                               "slow": {"definition": "slow.asl.json"}},
            "functions": {"sleep": {"command": ["python3", "sleep.py", str(sleep_seconds)],
                                    "timeout_seconds": 60}},
            "schedules": schedules,
        }))
        return project

    def executions(self, project):
        # Called once the daemon logged "started": a reader racing the store's creation may
        # find it without its schema yet.
        proc = autoretrain("executions", "list", "--project", project, "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["executions"]

    def wait_for_execution(self, project, name, status, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.executions(project) if e["name"] == name]
            if found and found[0]["status"] == status:
                return found
            time.sleep(0.2)
        self.fail(f"{name} never {status}: {self.executions(project)}")

    def stop(self, proc, timeout=15):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=timeout), 0, self.log_events(proc))

    def test_fires_a_schedule_logs_and_stops_on_sigterm(self):
        at, stamp = slot_in(2)
        project = self.write_project({
            "soon": {"expression": f"at({at})", "state_machine": "quick",
                     "input": {"from": "schedule"}},
            "off": {"expression": f"at({at})", "state_machine": "quick", "state": "DISABLED"},
            "weekly": {"expression": "cron(0 3 ? * MON *)", "timezone": "Europe/Paris",
                       "state_machine": "quick"},
        })
        proc = self.serve(project)
        started = self.wait_for_event(proc, "started")[0]
        self.assertEqual(started["level"], "info")
        self.assertEqual(started["pid"], proc.pid)
        self.assertEqual([s["schedule"] for s in started["schedules"]], ["soon", "weekly"])
        self.assertEqual(started["schedules"][0]["next"], at + ".000Z")

        name = f"soon-{stamp}"
        found = self.wait_for_execution(project, name, "SUCCEEDED")
        self.assertEqual(len(found), 1)
        self.assertEqual(len(self.executions(project)), 1)  # "off" never fired
        described = autoretrain("executions", "describe", found[0]["executionArn"],
                                "--project", project, "--json")
        self.assertEqual(described.returncode, 0, described.stderr)
        self.assertEqual(json.loads(json.loads(described.stdout)["input"]), {"from": "schedule"})

        # A second daemon on the same project fails at once.
        began = time.monotonic()
        second = autoretrain("serve", "--project", project, timeout=30)
        self.assertEqual(second.returncode, 1, second.stderr)
        self.assertLess(time.monotonic() - began, 10)
        self.assertIn(f"another autoretrain process (pid {proc.pid})", second.stderr)

        self.wait_for_event(proc, "execution_finished")
        self.stop(proc)
        events = self.log_events(proc)
        # The execution may finish before its "fired" line is written: it runs on a worker.
        events[1:3] = sorted(events[1:3], key=lambda e: e["event"] != "fired")
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds, ["started", "fired", "execution_finished", "stopping", "stopped"])
        for e in events:
            self.assertLessEqual({"time", "level", "event"}, set(e), e)
        fired = events[1]
        self.assertEqual(fired["schedule"], "soon")
        self.assertEqual(fired["execution_name"], name)
        self.assertEqual(fired["execution_arn"], found[0]["executionArn"])
        self.assertEqual(events[2]["status"], "SUCCEEDED")
        self.assertEqual(events[3]["signal"], "SIGTERM")
        self.assertEqual(events[4]["left_running"], 0)

    def test_sigkill_then_restart_resumes_and_does_not_fire_twice(self):
        at, stamp = slot_in(2)
        project = self.write_project(
            {"slow": {"expression": f"at({at})", "state_machine": "slow"}}, sleep_seconds=3)
        name = f"slow-{stamp}"
        first = self.serve(project)
        self.wait_for_event(first, "started")
        self.wait_for_execution(project, name, "RUNNING")
        os.killpg(first.pid, signal.SIGKILL)  # the daemon (its function has its own group)
        first.wait()

        second = self.serve(project)
        resumed = self.wait_for_event(second, "resumed")
        self.assertEqual(len(resumed), 1)
        self.assertTrue(resumed[0]["execution_arn"].endswith(":" + name))
        self.wait_for_execution(project, name, "SUCCEEDED")
        self.assertEqual([e["name"] for e in self.executions(project)], [name])
        self.stop(second)
        kinds = [e["event"] for e in self.log_events(second)]
        self.assertNotIn("fired", kinds)  # the slot is past: it does not fire again
        self.assertIn("execution_finished", kinds)

    def test_shutdown_timeout_leaves_running_executions_for_the_next_start(self):
        at, stamp = slot_in(2)
        project = self.write_project(
            {"slow": {"expression": f"at({at})", "state_machine": "slow"}}, sleep_seconds=6)
        name = f"slow-{stamp}"
        proc = self.serve(project, "--shutdown-timeout", "1")
        self.wait_for_event(proc, "started")
        self.wait_for_execution(project, name, "RUNNING")
        began = time.monotonic()
        self.stop(proc)
        self.assertLess(time.monotonic() - began, 10)
        events = self.log_events(proc)
        self.assertEqual(events[-1]["event"], "stopped")
        self.assertEqual(events[-1]["left_running"], 1)
        self.assertEqual(self.executions(project)[0]["status"], "RUNNING")

    def test_the_retention_purge_runs_at_start(self):
        project = self.write_project({})
        config = json.loads((project / "autoretrain.json").read_text())
        (project / "autoretrain.json").write_text(json.dumps(dict(config, retention_days=1)))
        for name in ("old", "recent"):
            proc = autoretrain("run", "--project", project, "quick", "--name", name)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        # "old" finished two days ago, as far as the store knows.
        two_days_ago_ms = int((time.time() - 2 * 86400) * 1000)
        with sqlite3.connect(project / "data" / "autoretrain.db") as db:
            changed = db.execute("UPDATE executions SET stop_ms = ? WHERE name = 'old'",
                                 (two_days_ago_ms,)).rowcount
        self.assertEqual(changed, 1)
        proc = self.serve(project)
        purged = self.wait_for_event(proc, "purged")
        self.assertEqual([(e["executions"], e["retention_days"]) for e in purged], [(1, 1)])
        self.wait_for_event(proc, "started")
        self.assertEqual([e["name"] for e in self.executions(project)], ["recent"])
        self.stop(proc)

    def test_invalid_schedule_is_a_configuration_error(self):
        project = self.write_project({
            "bad": {"expression": "cron(0 3 * * MON *)", "state_machine": "quik"}})
        proc = autoretrain("serve", "--project", project, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("schedules.bad.expression: cron(0 3 * * MON *)", proc.stderr)
        self.assertIn("schedules.bad.state_machine: 'quik' is not one of the configured "
                      "state_machines (did you mean 'quick'?)", proc.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
