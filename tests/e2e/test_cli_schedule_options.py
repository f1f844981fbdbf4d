"""End-to-end tests of a schedule's EventBridge Scheduler options (docs/schedules.md#options):
`serve` drops an at() schedule with "action_after_completion": "DELETE" once it fired and
`schedules list` shows it COMPLETED; the options print in `describe --json`; invalid values
are configuration errors naming the field."""

import datetime
import json
import signal
import time

from test_cli_support import DaemonTestCase, autoretrain

QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def slot_in(seconds):
    """A whole-second UTC time at least `seconds` ahead: (at() text, execution name stamp)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    t = (now + datetime.timedelta(seconds=seconds + 1)).replace(microsecond=0)
    return t.strftime("%Y-%m-%dT%H:%M:%S"), t.strftime("%Y%m%dT%H%M%SZ")


class ScheduleOptionsTest(DaemonTestCase):
    def write_project(self, schedules):
        project = self.tmp / "project"
        project.mkdir(exist_ok=True)
        (project / "quick.asl.json").write_text(json.dumps(QUICK))
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"quick": {"definition": "quick.asl.json"}},
            "schedules": schedules,
        }))
        return project

    def events(self, proc, event):
        return [e for e in self.log_events(proc) if e["event"] == event]

    def schedules(self, project, *args):
        proc = autoretrain("schedules", *args, "--project", project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_delete_after_completion_drops_the_schedule_and_lists_it_completed(self):
        at, stamp = slot_in(2)
        project = self.write_project({
            "once": {"expression": f"at({at})", "state_machine": "quick",
                     "action_after_completion": "DELETE"},
            "kept": {"expression": f"at({at})", "state_machine": "quick"},
        })
        listed = json.loads(self.schedules(project, "list", "--json"))["Schedules"]
        by_name = {s["Name"]: s for s in listed}
        self.assertEqual(by_name["once"]["ActionAfterCompletion"], "DELETE")
        self.assertFalse(by_name["once"]["Completed"])
        self.assertNotIn("Completed", by_name["kept"])

        proc = self.serve(project)
        self.wait_for_event(proc, "started")
        fired = {e["schedule"]: e for e in self.wait_for_both_fired(proc)}
        self.assertTrue(fired["once"]["deleted"])
        self.assertNotIn("deleted", fired["kept"])
        self.assertEqual(fired["once"]["execution_name"], f"once-{stamp}")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=15), 0)

        table = self.schedules(project, "list").splitlines()
        rows = {line.split()[0]: line.split() for line in table[1:]}
        self.assertEqual(rows["once"][1], "COMPLETED")
        self.assertEqual(rows["kept"][1], "ENABLED")
        described = json.loads(self.schedules(project, "describe", "once", "--json"))
        self.assertTrue(described["Completed"])
        self.assertEqual(described["LastExecution"]["name"], f"once-{stamp}")
        self.assertEqual(described["NextFireTimes"], [])

    def wait_for_both_fired(self, proc, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fired = self.events(proc, "fired")
            if len(fired) == 2:
                return fired
            time.sleep(0.1)
        self.fail(f"fired: {self.events(proc, 'fired')}")

    def test_options_print_in_getschedule_shapes(self):
        project = self.write_project({
            "flex": {"expression": "rate(7 minutes)", "state_machine": "quick",
                     "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_minutes": 15},
                     "start_date": "2026-11-26T09:03:00Z", "end_date": "2026-11-26T09:17:00Z",
                     "retry_policy": {"maximum_retry_attempts": 3}},
        })
        out = json.loads(self.schedules(project, "describe", "flex", "--json", "-n", "5",
                                        "--after", "2026-11-26T08:00:00Z"))
        self.assertEqual(out["FlexibleTimeWindow"],
                         {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15})
        self.assertEqual(out["StartDate"], "2026-11-26T09:03:00Z")
        self.assertEqual(out["EndDate"], "2026-11-26T09:17:00Z")
        self.assertEqual(out["RetryPolicy"],
                         {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 86400})
        # rate() counts from the StartDate; nothing after the EndDate.
        self.assertEqual([t["utc"] for t in out["NextFireTimes"]],
                         ["2026-11-26T09:03:00Z", "2026-11-26T09:10:00Z",
                          "2026-11-26T09:17:00Z"])

    def test_invalid_options_are_configuration_errors(self):
        project = self.write_project({
            "bad": {"expression": "rate(1 hour)", "state_machine": "quick",
                    "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_minutes": 0},
                    "retry_policy": {"maximum_event_age_seconds": 90000}},
        })
        for command in (["schedules", "list"], ["serve"]):
            proc = autoretrain(*command, "--project", project, timeout=30)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("autoretrain.json: schedules.bad.flexible_time_window."
                          "maximum_window_minutes: expected an integer from 1 to 1440, got 0",
                          proc.stderr)
            self.assertIn("schedules.bad.retry_policy.maximum_event_age_seconds: expected an "
                          "integer from 60 to 86400, got 90000", proc.stderr)
