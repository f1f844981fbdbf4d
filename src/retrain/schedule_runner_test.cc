#include "autoretrain/retrain/schedule_runner.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TimePoint At(const std::string& iso) {
  TimePoint t;
  EXPECT_TRUE(ParseIso8601(iso, &t)) << iso;
  return t;
}

// Records starts; names it has seen before fail as AWS fails a closed execution's name.
class FakeLauncher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest& request) override {
    std::string name(request.name);
    if (!names.insert(name).second) {
      return Error{"ExecutionAlreadyExists", "Execution Already Exists: '" + name + "'"};
    }
    starts.push_back(std::string(request.state_machine_arn) + " " + name + " " +
                     json::Serialize(request.input));
    return Started{"arn:exec:" + name, TimePoint{}};
  }
  std::set<std::string> names;
  std::vector<std::string> starts;
};

ScheduleConfig Config(const std::string& expression, const std::string& zone = "UTC") {
  ScheduleConfig config;
  config.expression = expression;
  config.timezone = zone;
  config.state_machine = "sm";
  return config;
}

TEST(ExecutionNameTest, ScheduleAndSlotInUtc) {
  EXPECT_EQ(ExecutionName("weekly", At("2026-11-30T03:00:00Z")), "weekly-20261130T030000Z");
  EXPECT_EQ(ExecutionName("x", At("2026-01-02T03:04:05.678Z")), "x-20260102T030405Z");
  const std::string long_a(64, 'a');
  std::string b = long_a;
  b.back() = 'b';
  std::string name_a = ExecutionName(long_a, At("2026-11-30T03:00:00Z"));
  std::string name_b = ExecutionName(b, At("2026-11-30T03:00:00Z"));
  EXPECT_EQ(name_a.size(), 80u);
  EXPECT_EQ(name_b.size(), 80u);
  EXPECT_NE(name_a, name_b);  // the hash keeps them apart
  EXPECT_TRUE(name_a.ends_with("-20261130T030000Z"));
  EXPECT_EQ(ExecutionName(std::string(63, 'c'), TimePoint{}).size(), 80u);  // fits as is
  EXPECT_EQ(ExecutionName(std::string(63, 'c'), TimePoint{}).substr(0, 63), std::string(63, 'c'));
}

TEST(ScheduleRunnerTest, FiresEachSlotOnceWithTheScheduleInput) {
  ManualClock clock(At("2026-11-26T08:29:41Z"));  // a Thursday
  FakeLauncher launcher;
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); });
  ScheduleConfig weekly = Config("cron(0 3 ? * MON *)");
  weekly.input = json::Object{{"why", "weekly"}};
  ASSERT_TRUE(runner.Add("weekly", weekly, "arn:sm").ok());
  ASSERT_TRUE(runner.Add("hourly", Config("rate(1 hour)"), "arn:sm2").ok());
  ScheduleConfig off = Config("rate(1 minute)");
  off.enabled = false;
  ASSERT_TRUE(runner.Add("off", off, "arn:sm3").ok());

  // Nothing is due yet; rate() slots are on the epoch's grid (the hour), not "now".
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T09:00:00Z"));
  EXPECT_TRUE(launcher.starts.empty());
  auto upcoming = runner.Upcoming();
  ASSERT_EQ(upcoming.size(), 2u);
  EXPECT_EQ(upcoming[0].first, "hourly");
  EXPECT_EQ(upcoming[1].first, "weekly");
  EXPECT_EQ(upcoming[1].second, At("2026-11-30T03:00:00Z"));

  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T10:00:00Z"));
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0], "arn:sm2 hourly-20261126T090000Z {}");
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].execution_arn, "arn:exec:hourly-20261126T090000Z");
  EXPECT_FALSE(fired[0].already_fired);
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T10:00:00Z"));  // a slot fires once
  EXPECT_EQ(launcher.starts.size(), 1u);

  // Monday 03:00: both are due at the same instant.
  clock.SleepUntil(At("2026-11-30T03:00:00Z"));
  launcher.starts.clear();
  runner.FireDue();
  ASSERT_EQ(launcher.starts.size(), 2u);
  EXPECT_EQ(launcher.starts[1], "arn:sm weekly-20261130T030000Z {\"why\":\"weekly\"}");
}

TEST(ScheduleRunnerTest, ASuspendedProcessFiresOnceThenSkipsToTheFuture) {
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  ASSERT_TRUE(runner.Add("every", Config("rate(1 minute)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T08:10:30Z"));  // ten slots overdue
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T08:11:00Z"));
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0], "arn:sm every-20261126T080100Z {}");
}

TEST(ScheduleRunnerTest, ARestartDoesNotFireASlotTwice) {
  FakeLauncher launcher;  // stands for the store, shared by both "processes"
  std::vector<FiredSlot> fired;
  auto sink = [&](const FiredSlot& f) { fired.push_back(f); };
  {
    ManualClock clock(At("2026-11-26T08:59:59Z"));
    ScheduleRunner runner(clock, launcher, sink);
    ASSERT_TRUE(runner.Add("once", Config("at(2026-11-26T09:00:00)"), "arn:sm").ok());
    clock.SleepUntil(At("2026-11-26T09:00:00Z"));
    EXPECT_EQ(runner.FireDue(), std::nullopt);  // at() fires once, then never again
  }
  // Restarted within the slot's instant: it is due again, but its name exists.
  ManualClock clock(At("2026-11-26T08:59:59.999Z"));
  ScheduleRunner runner(clock, launcher, sink);
  ASSERT_TRUE(runner.Add("once", Config("at(2026-11-26T09:00:00)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner.FireDue();
  EXPECT_EQ(launcher.starts.size(), 1u);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_FALSE(fired[0].already_fired);
  EXPECT_TRUE(fired[1].already_fired);
  EXPECT_FALSE(fired[1].error);
  EXPECT_EQ(fired[1].execution_name, "once-20261126T090000Z");
}

TEST(ScheduleRunnerTest, MissedSlotsAreSkippedAtStart) {
  ManualClock clock(At("2026-11-26T09:00:01Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  ASSERT_TRUE(runner.Add("past", Config("at(2026-11-26T09:00:00)"), "arn:sm").ok());
  ASSERT_TRUE(runner.Add("cron", Config("cron(0 9 * * ? *)"), "arn:sm").ok());
  EXPECT_EQ(runner.FireDue(), At("2026-11-27T09:00:00Z"));
  EXPECT_TRUE(launcher.starts.empty());
  EXPECT_EQ(runner.Upcoming().size(), 1u);
}

TEST(ScheduleRunnerTest, TimeZonesApply) {
  ManualClock clock(At("2026-07-01T00:00:00Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  ASSERT_TRUE(runner.Add("ny", Config("cron(0 3 * * ? *)", "America/New_York"), "arn:sm").ok());
  EXPECT_EQ(runner.FireDue(), At("2026-07-01T07:00:00Z"));  // 03:00 EDT
}

TEST(ScheduleRunnerTest, ErrorsAreReportedAndNotRetried) {
  class Failing final : public integrations::ExecutionLauncher {
   public:
    Result<Started> Start(const StartRequest&) override {
      ++calls;
      return Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: 'arn:sm'"};
    }
    int calls = 0;
  } launcher;
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); });
  ASSERT_TRUE(runner.Add("s", Config("rate(1 minute)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner.FireDue();
  runner.FireDue();
  EXPECT_EQ(launcher.calls, 1);
  ASSERT_EQ(fired.size(), 1u);
  ASSERT_TRUE(fired[0].error);
  EXPECT_EQ(fired[0].error->error, "StateMachineDoesNotExist");
  EXPECT_TRUE(fired[0].execution_arn.empty());
}

TEST(ScheduleRunnerTest, AddRejectsInvalidSchedules) {
  ManualClock clock(TimePoint{});
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  EXPECT_EQ(runner.Add("a", Config("rate(0 minutes)"), "arn").error().error,
            "InvalidScheduleExpression");
  EXPECT_EQ(runner.Add("b", Config("rate(1 hour)", "Nowhere/Land"), "arn").error().error,
            "InvalidTimeZone");
  EXPECT_TRUE(runner.Upcoming().empty());
}

TEST(ScheduleRunnerTest, RunFiresOnTheSystemClockAndStops) {
  SystemClock clock;
  FakeLauncher launcher;
  std::mutex mu;
  std::condition_variable cv;
  int fired = 0;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot&) {
    std::lock_guard<std::mutex> lock(mu);
    ++fired;
    cv.notify_all();
  });
  // at() has second precision: the next whole second, at least 200 ms away.
  TimePoint now = clock.Now();
  auto slot = std::chrono::ceil<seconds>(now + milliseconds(200));
  std::string iso = FormatIso8601(TimePoint(slot));
  ASSERT_TRUE(runner.Add("soon", Config("at(" + iso.substr(0, 19) + ")"), "arn:sm").ok());
  ASSERT_TRUE(runner.Add("later", Config("rate(1 day)"), "arn:sm").ok());
  std::thread thread([&] { runner.Run(); });
  {
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, seconds(5), [&] { return fired == 1; }));
  }
  EXPECT_GE(clock.Now(), TimePoint(slot));
  auto before = std::chrono::steady_clock::now();
  runner.Stop();  // interrupts the sleep until tomorrow
  thread.join();
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(2));
  EXPECT_EQ(launcher.starts.size(), 1u);
}

}  // namespace
}  // namespace autoretrain::retrain
