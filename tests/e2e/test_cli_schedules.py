"""End-to-end tests of `autoretrain schedules next|list|describe` (EventBridge Scheduler)."""

import datetime
import json
import unittest

from test_cli_support import TempDirTestCase, autoretrain, require_binary

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
        self.assertIn("init, run, check, validate, executions, schedules", proc.stderr)


SEED_SCHEDULE = "weekly-retraining-check"
TRIGGER = "creditcard-auto-retraining-trigger"
TRIGGER_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:" + TRIGGER
FIRED_NAME = SEED_SCHEDULE + "-20261123T030000Z"


def next_monday_0300_utc():
    """The seed schedule's next slot after now, as the CLI prints it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    slot = now.replace(hour=3, minute=0, second=0, microsecond=0)
    slot += datetime.timedelta(days=(0 - slot.weekday()) % 7)
    if slot <= now:
        slot += datetime.timedelta(days=7)
    return slot.strftime("%Y-%m-%dT%H:%M:%SZ")


class SchedulesListTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.project = self.init_project()

    def schedules(self, *args):
        proc = autoretrain("schedules", *args, "--project", self.project)
        self.assertEqual(proc.returncode, 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        self.assertEqual(proc.stderr, "")
        return proc.stdout

    def fire_slot(self):
        self.run_ok("run", TRIGGER, "--project", self.project, "--name", FIRED_NAME)
        # Not a fired slot: another name, another schedule's prefix, a malformed stamp.
        for name in ["manual-run", "weekly-retraining-check-x-20261123T030000Z",
                     "weekly-retraining-check-2026112T030000Z"]:
            self.run_ok("run", TRIGGER, "--project", self.project, "--name", name)

    def test_list_shows_the_seed_schedule(self):
        out = self.schedules("list")
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "STATE", "EXPRESSION", "TIME", "ZONE",
                                            "NEXT", "(UTC)", "LAST", "FIRE", "LAST", "STATUS"])
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines[1].split()[0], SEED_SCHEDULE)
        self.assertIn("ENABLED  cron(0 3 ? * MON *)  UTC", lines[1])
        self.assertIn(next_monday_0300_utc(), lines[1])
        self.assertTrue(lines[1].rstrip().endswith("-          -"), lines[1])

    def test_list_after_and_json(self):
        out = json.loads(self.schedules("list", "--after", "2026-11-26T07:53:00Z", "--json"))
        self.assertEqual(out, {"Schedules": [{
            "Name": SEED_SCHEDULE,
            "State": "ENABLED",
            "ScheduleExpression": "cron(0 3 ? * MON *)",
            "ScheduleExpressionTimezone": "UTC",
            "Target": {"Arn": TRIGGER_ARN, "Input": "{}"},
            "NextFireTimes": [{"utc": "2026-11-30T03:00:00Z",
                               "local": "2026-11-30T03:00:00+00:00"}],
            "LastExecution": None,
        }]})

    def test_describe_next_three(self):
        out = self.schedules("describe", SEED_SCHEDULE, "-n", "3", "--after",
                             "2026-11-26T07:53:00Z")
        self.assertIn("Name:          weekly-retraining-check\n", out)
        self.assertIn("State:         ENABLED\n", out)
        self.assertIn("Expression:    cron(0 3 ? * MON *)\n", out)
        self.assertIn("Time zone:     UTC\n", out)
        self.assertIn(f"State machine: {TRIGGER} ({TRIGGER_ARN})\n", out)
        self.assertIn("Last fire:     none\n", out)
        self.assertIn("Next 3 fire times (UTC, then UTC):\n"
                      "  2026-11-30T03:00:00Z  2026-11-30T03:00:00+00:00\n"
                      "  2026-12-07T03:00:00Z  2026-12-07T03:00:00+00:00\n"
                      "  2026-12-14T03:00:00Z  2026-12-14T03:00:00+00:00\n", out)
        out = json.loads(self.schedules("describe", SEED_SCHEDULE, "--json"))
        self.assertEqual(len(out["NextFireTimes"]), 5)
        self.assertEqual(out["NextFireTimes"][0]["utc"], next_monday_0300_utc())

    def test_a_fired_slot_is_the_last_fire(self):
        self.fire_slot()
        line = self.schedules("list").splitlines()[1]
        self.assertIn(f"{FIRED_NAME}  SUCCEEDED", line)
        out = self.schedules("describe", SEED_SCHEDULE)
        self.assertIn(f"Last fire:     {FIRED_NAME} SUCCEEDED started ", out)
        last = json.loads(self.schedules("describe", SEED_SCHEDULE, "--json"))["LastExecution"]
        self.assertEqual(last["executionArn"],
                         f"arn:aws:states:us-east-1:123456789012:execution:{TRIGGER}:{FIRED_NAME}")
        self.assertEqual(last["status"], "SUCCEEDED")
        self.assertRegex(last["startDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        listed = json.loads(self.schedules("list", "--json"))["Schedules"][0]["LastExecution"]
        self.assertEqual(listed, last)

    def test_disabled_schedule_and_time_zone(self):
        config = json.loads((self.project / "autoretrain.json").read_text())
        config["schedules"]["kolkata"] = {
            "expression": "cron(0 3 ? * MON *)", "timezone": "Asia/Kolkata",
            "state_machine": TRIGGER, "input": {"force": True}}
        config["schedules"][SEED_SCHEDULE]["state"] = "DISABLED"
        (self.project / "autoretrain.json").write_text(json.dumps(config))
        out = json.loads(self.schedules("list", "--after", "2026-11-26T07:53:00Z", "--json"))
        by_name = {s["Name"]: s for s in out["Schedules"]}
        self.assertEqual(by_name[SEED_SCHEDULE]["State"], "DISABLED")
        self.assertEqual(by_name[SEED_SCHEDULE]["NextFireTimes"], [])
        self.assertEqual(by_name["kolkata"]["Target"]["Input"], '{"force":true}')
        self.assertEqual(by_name["kolkata"]["NextFireTimes"],
                         [{"utc": "2026-11-29T21:30:00Z", "local": "2026-11-30T03:00:00+05:30"}])
        self.assertIn("No fire times: the schedule is DISABLED.",
                      self.schedules("describe", SEED_SCHEDULE))

    def test_unknown_schedule_and_bad_arguments(self):
        proc = autoretrain("schedules", "describe", "weekly-retraining-chek",
                           "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stdout, "")
        self.assertIn("(did you mean 'weekly-retraining-check'?)", proc.stderr)
        proc = autoretrain("schedules", "describe", "nightly", "--project", self.project)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("its schedules: weekly-retraining-check", proc.stderr)
        for args in [["describe", SEED_SCHEDULE, "-n", "0"],
                     ["list", "--after", "tomorrow"], ["describe"]]:
            with self.subTest(args=args):
                proc = autoretrain("schedules", *args, "--project", self.project)
                self.assertEqual(proc.returncode, 2, proc.stderr)
        proc = autoretrain("schedules", "list", "--project", self.tmp / "missing")
        self.assertEqual(proc.returncode, 2)
        (self.project / "autoretrain.json").write_text("{")
        proc = autoretrain("schedules", "list", "--project", self.project)
        self.assertEqual(proc.returncode, 2)

    def test_unreadable_store_exits_1(self):
        data = self.project / "data"
        data.mkdir(exist_ok=True)
        (data / "autoretrain.db").write_bytes(b"not a database" * 100)
        proc = autoretrain("schedules", "list", "--project", self.project)
        self.assertEqual(proc.returncode, 1, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")


if __name__ == "__main__":
    unittest.main()
