"""End-to-end tests of `autoretrain schedules next` (EventBridge Scheduler expressions)."""

import json
import unittest

from test_cli_support import autoretrain, require_binary

AFTER = "2026-11-26T07:53:00Z"


class SchedulesNextTest(unittest.TestCase):
    def setUp(self):
        require_binary(self)

    def run_ok(self, *args):
        proc = autoretrain("schedules", "next", *args)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        self.assertEqual(proc.stderr, "")
        return proc

    def fire_times(self, *args):
        proc = self.run_ok(*args, "--json")
        return json.loads(proc.stdout)

    def run_invalid(self, *args):
        proc = autoretrain("schedules", "next", *args)
        self.assertEqual(proc.returncode, 2, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        self.assertEqual(proc.stdout, "")
        return proc.stderr

    def test_seed_schedule_defaults_to_five_in_utc(self):
        out = self.fire_times("cron(0 3 ? * MON *)", "--after", AFTER)
        self.assertEqual(out["expression"], "cron(0 3 ? * MON *)")
        self.assertEqual(out["timezone"], "UTC")
        self.assertEqual(out["after"], "2026-11-26T07:53:00.000Z")
        self.assertEqual([t["utc"] for t in out["fireTimes"]], [
            "2026-11-30T03:00:00Z", "2026-12-07T03:00:00Z", "2026-12-14T03:00:00Z",
            "2026-12-21T03:00:00Z", "2026-12-28T03:00:00Z"])
        self.assertEqual(out["fireTimes"][0]["local"], "2026-11-30T03:00:00+00:00")

    def test_seed_schedule_in_kolkata(self):
        out = self.fire_times("cron(0 3 ? * MON *)", "--tz", "Asia/Kolkata", "-n", "2",
                              "--after", AFTER)
        self.assertEqual(out["timezone"], "Asia/Kolkata")
        self.assertEqual(out["fireTimes"], [
            {"utc": "2026-11-29T21:30:00Z", "local": "2026-11-30T03:00:00+05:30"},
            {"utc": "2026-12-06T21:30:00Z", "local": "2026-12-07T03:00:00+05:30"}])

    def test_human_output_shows_utc_and_zone(self):
        proc = self.run_ok("cron(0 3 ? * MON *)", "--tz", "Asia/Kolkata", "-n", "1",
                           "--after", AFTER)
        self.assertIn("Time zone:  Asia/Kolkata", proc.stdout)
        self.assertIn("2026-11-29T21:30:00Z  2026-11-30T03:00:00+05:30", proc.stdout)

    def test_default_after_is_now(self):
        out = self.fire_times("cron(0/5 * * * ? *)", "-n", "3")
        self.assertEqual(len(out["fireTimes"]), 3)
        self.assertLess(out["after"], out["fireTimes"][0]["utc"])

    def test_daylight_saving_gap_is_skipped(self):
        out = self.fire_times("cron(30 2 * * ? *)", "--tz", "America/New_York", "-n", "2",
                              "--after", "2026-03-07T12:00:00Z")
        self.assertEqual([t["local"] for t in out["fireTimes"]],
                         ["2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"])

    def test_daylight_saving_overlap_fires_once(self):
        out = self.fire_times("cron(30 1 * * ? *)", "--tz", "America/New_York", "-n", "2",
                              "--after", "2026-10-31T12:00:00Z")
        self.assertEqual([t["utc"] for t in out["fireTimes"]],
                         ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"])

    def test_rate_with_start(self):
        out = self.fire_times("rate(1 hour)", "-n", "2", "--after", "2026-01-01T00:30:00Z",
                              "--start", "2026-01-01T00:00:00Z")
        self.assertEqual([t["utc"] for t in out["fireTimes"]],
                         ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"])

    def test_rate_without_start_fires_at_once(self):
        out = self.fire_times("rate(5 minutes)", "-n", "2", "--after", "2026-01-01T00:00:00Z")
        self.assertEqual([t["utc"] for t in out["fireTimes"]],
                         ["2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z"])

    def test_at_fires_once(self):
        out = self.fire_times("at(2026-12-24T18:00:00)", "--tz", "Europe/Berlin",
                              "--after", AFTER)
        self.assertEqual(out["fireTimes"],
                         [{"utc": "2026-12-24T17:00:00Z", "local": "2026-12-24T18:00:00+01:00"}])
        out = self.fire_times("at(2020-01-01T00:00:00)", "--after", AFTER)
        self.assertEqual(out["fireTimes"], [])
        proc = self.run_ok("at(2020-01-01T00:00:00)", "--after", AFTER)
        self.assertIn("No fire times", proc.stdout)

    def test_invalid_expressions(self):
        cases = {
            "cron(0 3 * * MON *)": "cron(0 3 * * MON *): day-of-month and day-of-week cannot "
                                   "both be specified; use '?' in one of them",
            "cron(0 3 ? * MON)": "six required fields",
            "cron(60 3 ? * MON *)": "minutes: value 60 is out of range 0-59",
            "cron(0 3 ? * 3#1,6#3 *)": "day-of-week: with '#' the field can hold only one",
            "cron(0 3 1 * ? 2200)": "year: value 2200 is out of range 1970-2199",
            "rate(1 hours)": "rate(1 hours): with the value 1 the unit must be singular",
            "rate(5 hour)": "rate(5 hour): with a value other than 1 the unit must be plural",
            "rate(0 minutes)": "must be a positive whole number",
            "at(2026-11-30T03:00:00Z)": "an at expression is at(yyyy-mm-ddThh:mm:ss)",
            "weekly": "a schedule expression is cron(",
        }
        for expression, message in cases.items():
            with self.subTest(expression=expression):
                stderr = self.run_invalid(expression)
                self.assertIn(message, stderr)
                self.assertTrue(stderr.startswith("autoretrain: "), stderr)

    def test_invalid_zone_and_arguments(self):
        self.assertIn("--tz: time zone 'Mars/Base': unknown time zone",
                      self.run_invalid("cron(0 3 ? * MON *)", "--tz", "Mars/Base"))
        self.assertIn("not an IANA time zone name",
                      self.run_invalid("cron(0 3 ? * MON *)", "--tz", "../../etc/passwd"))
        self.assertIn("-n: 0 is not a count",
                      self.run_invalid("cron(0 3 ? * MON *)", "-n", "0"))
        self.assertIn("--after: 'tomorrow'",
                      self.run_invalid("cron(0 3 ? * MON *)", "--after", "tomorrow"))
        self.assertIn("--start:",
                      self.run_invalid("rate(1 hour)", "--start", "2026-01-01T00:00:00"))
        self.assertIn("EXPRESSION", self.run_invalid())

    def test_unknown_command_lists_schedules(self):
        proc = autoretrain("schedule")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("init, run, check, executions, schedules", proc.stderr)


if __name__ == "__main__":
    unittest.main()
