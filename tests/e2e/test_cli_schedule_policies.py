"""End-to-end tests of a schedule's missed_slots and overlap policies (docs/schedules.md):
`serve` catches up the slot it missed while it was down (it knows from the heartbeat in
data/scheduler-state.json), and `schedules describe --json` shows the policies."""

import datetime
import json
import signal

from test_cli_support import DaemonTestCase, autoretrain

QUICK = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def stamp(t):
    return t.strftime("%Y%m%dT%H%M%SZ")


class SchedulePoliciesTest(DaemonTestCase):
    def write_project(self, schedules):
        project = self.tmp / "project"
        (project / "data").mkdir(parents=True, exist_ok=True)
        (project / "quick.asl.json").write_text(json.dumps(QUICK))
        (project / "autoretrain.json").write_text(json.dumps({
            "state_machines": {"quick": {"definition": "quick.asl.json"}},
            "schedules": schedules,
        }))
        return project

    def test_the_latest_slot_missed_while_down_fires_at_start(self):
        project = self.write_project({
            "hourly": {"expression": "rate(1 hour)", "state_machine": "quick",
                       "missed_slots": {"policy": "LATEST", "window_minutes": 300}},
            "skipped": {"expression": "rate(1 hour)", "state_machine": "quick"},
        })
        now = datetime.datetime.now(datetime.timezone.utc)
        down_since = now - datetime.timedelta(hours=3)
        (project / "data" / "scheduler-state.json").write_text(json.dumps(
            {"alive_at": down_since.strftime("%Y-%m-%dT%H:%M:%S.000Z")}))
        latest = now.replace(minute=0, second=0, microsecond=0)  # rate(1 hour) is on the hour

        proc = self.serve(project)
        fired = self.wait_for_event(proc, "fired")
        self.assertEqual(len(fired), 1, fired)  # SKIP (the default) fires nothing late
        self.assertEqual(fired[0]["schedule"], "hourly")
        self.assertTrue(fired[0]["caught_up"])
        self.assertEqual(fired[0]["execution_name"], f"hourly-{stamp(latest)}")
        self.assertIn("execution_arn", fired[0])
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=15), 0)

        state = json.loads((project / "data" / "scheduler-state.json").read_text())
        alive = datetime.datetime.strptime(state["alive_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
        self.assertGreaterEqual(alive.replace(tzinfo=datetime.timezone.utc),
                                now - datetime.timedelta(seconds=5))

        # Started again at once: the slot is not fired twice, and nothing else was missed.
        proc = self.serve(project)
        self.wait_for_event(proc, "started")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=15), 0)
        self.assertEqual([e for e in self.log_events(proc) if e["event"] == "fired"], [])

    def test_a_broken_state_file_is_a_warning_not_a_failure(self):
        project = self.write_project({
            "hourly": {"expression": "rate(1 hour)", "state_machine": "quick",
                       "missed_slots": {"policy": "ALL"}}})
        (project / "data" / "scheduler-state.json").write_text("not json")
        proc = self.serve(project)
        warnings = self.wait_for_event(proc, "warning")
        self.assertIn("scheduler-state.json", warnings[0]["message"])
        self.assertIn("delete the file", warnings[0]["message"])
        self.wait_for_event(proc, "started")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=15), 0)

    def test_describe_shows_the_policies(self):
        project = self.write_project({
            "p": {"expression": "rate(1 hour)", "state_machine": "quick",
                  "missed_slots": {"policy": "ALL", "window_minutes": 60},
                  "overlap": "BUFFER_ONE"},
            "plain": {"expression": "rate(1 hour)", "state_machine": "quick"}})
        proc = autoretrain("schedules", "describe", "p", "--json", "--project", project)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = json.loads(proc.stdout)
        self.assertEqual(out["MissedSlots"], {"Policy": "ALL", "WindowMinutes": 60})
        self.assertEqual(out["Overlap"], "BUFFER_ONE")
        proc = autoretrain("schedules", "describe", "plain", "--json", "--project", project)
        out = json.loads(proc.stdout)
        self.assertNotIn("MissedSlots", out)
        self.assertNotIn("Overlap", out)
