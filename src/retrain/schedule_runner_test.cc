#include "autoretrain/retrain/schedule_runner.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "autoretrain/store/store.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

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

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ScheduleOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("schedule_runner_test_" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string DeadLetters() const { return (dir_ / "schedules-dead-letter.jsonl").string(); }

  std::filesystem::path dir_;
};

TEST(FlexibleDelayTest, DeterministicUniformAndInsideTheWindow) {
  const TimePoint slot = At("2026-11-26T09:00:00Z");
  const minutes window(15);
  EXPECT_EQ(FlexibleDelay("s", slot, window), FlexibleDelay("s", slot, window));
  EXPECT_EQ(FlexibleDelay("s", slot, minutes(0)), milliseconds(0));
  // Spread over the window: 4000 slots fall in each quarter of it about equally.
  int quarters[4] = {0, 0, 0, 0};
  std::set<int64_t> distinct;
  for (int i = 0; i < 4000; ++i) {
    milliseconds d = FlexibleDelay("s", slot + minutes(i), window);
    ASSERT_GE(d, milliseconds(0));
    ASSERT_LT(d, window);
    ++quarters[d * 4 / window];
    distinct.insert(d.count());
  }
  for (int q : quarters) EXPECT_NEAR(q, 1000, 150);
  EXPECT_GT(distinct.size(), 3900u);
  EXPECT_NE(FlexibleDelay("a", slot, window), FlexibleDelay("b", slot, window));
}

TEST(ScheduleRunnerTest, FlexibleWindowDelaysEachSlotTheSameWayAfterARestart) {
  ScheduleConfig config = Config("cron(0 9 * * ? *)");
  config.flexible_window_minutes = 60;
  const TimePoint slot = At("2026-11-26T09:00:00Z");
  const TimePoint fire = slot + FlexibleDelay("flex", slot, minutes(60));
  ASSERT_GT(fire, slot + milliseconds(1));  // this name and slot draw a non-zero delay
  FakeLauncher launcher;
  {
    ManualClock clock(At("2026-11-26T08:00:00Z"));
    ScheduleRunner runner(clock, launcher);
    ASSERT_TRUE(runner.Add("flex", config, "arn:sm").ok());
    clock.SleepUntil(slot);
    EXPECT_EQ(runner.FireDue(), fire);  // the slot arrived; its start waits for the delay
    EXPECT_TRUE(launcher.starts.empty());
  }
  // Restarted inside the window: the slot still fires, at the same time, under its own name.
  ManualClock clock(slot + (fire - slot) / 2);
  ScheduleRunner runner(clock, launcher);
  ASSERT_TRUE(runner.Add("flex", config, "arn:sm").ok());
  EXPECT_EQ(runner.FireDue(), fire);
  clock.SleepUntil(fire);
  runner.FireDue();
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0], "arn:sm flex-20261126T090000Z {}");
  EXPECT_EQ(runner.Upcoming().front().second, At("2026-11-27T09:00:00Z"));
}

TEST(ScheduleRunnerTest, StartAndEndDatesBoundTheSlots) {
  ScheduleConfig rate = Config("rate(7 minutes)");
  rate.start_date = At("2026-11-26T09:03:00Z");  // rate() counts from it, not the epoch
  rate.end_date = At("2026-11-26T09:17:00Z");
  auto slots = ScheduleSlots(rate, At("2026-11-26T08:00:00Z"), 10);
  ASSERT_TRUE(slots.ok());
  EXPECT_EQ(*slots, (std::vector<TimePoint>{At("2026-11-26T09:03:00Z"), At("2026-11-26T09:10:00Z"),
                                            At("2026-11-26T09:17:00Z")}));
  ScheduleConfig cron = Config("cron(0 9 * * ? *)");
  cron.start_date = At("2026-11-28T09:00:00Z");  // a slot at the StartDate counts
  cron.end_date = At("2026-11-29T08:59:59Z");
  EXPECT_EQ(*ScheduleSlots(cron, At("2026-11-26T00:00:00Z"), 5),
            std::vector<TimePoint>{At("2026-11-28T09:00:00Z")});
  ScheduleConfig at = Config("at(2026-11-26T09:00:00)");  // AWS ignores the dates for at()
  at.start_date = At("2026-12-01T00:00:00Z");
  EXPECT_EQ(*ScheduleSlots(at, At("2026-11-26T00:00:00Z"), 5),
            std::vector<TimePoint>{At("2026-11-26T09:00:00Z")});
  EXPECT_EQ(ScheduleSlots(Config("rate(0 hours)"), TimePoint{}, 1).error().error,
            "InvalidScheduleExpression");

  ManualClock clock(At("2026-11-26T09:12:00Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  ASSERT_TRUE(runner.Add("bounded", rate, "arn:sm").ok());
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T09:17:00Z"));
  clock.SleepUntil(At("2026-11-26T09:17:00Z"));
  EXPECT_EQ(runner.FireDue(), std::nullopt);  // the EndDate ends it
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0], "arn:sm bounded-20261126T091700Z {}");
}

TEST(RetryPolicyTest, TransientErrorsAndBackoff) {
  EXPECT_TRUE(IsTransientStartError(Error{store::kStoreLocked, ""}));
  EXPECT_TRUE(IsTransientStartError(Error{store::kStoreFull, ""}));
  EXPECT_TRUE(IsTransientStartError(Error{"ThrottlingException", ""}));
  EXPECT_FALSE(IsTransientStartError(Error{"StateMachineDoesNotExist", ""}));
  EXPECT_FALSE(IsTransientStartError(Error{store::kStoreCorrupt, ""}));
  EXPECT_EQ(RetryDelay(1), seconds(1));
  EXPECT_EQ(RetryDelay(2), seconds(2));
  EXPECT_EQ(RetryDelay(5), seconds(16));
  EXPECT_EQ(RetryDelay(9), minutes(5));
  EXPECT_EQ(RetryDelay(185), minutes(5));
}

TEST_F(ScheduleOptionsTest, ATransientErrorIsRetriedUntilTheStartSucceeds) {
  FlakyLauncher launcher(2, store::kStoreLocked);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(
      clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); },
      RunnerFiles{DeadLetters(), ""});
  ASSERT_TRUE(runner.Add("s", Config("cron(0 9 * * ? *)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T09:00:01Z"));  // the first retry, 1 s later
  clock.SleepUntil(At("2026-11-26T09:00:01Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T09:00:03Z"));  // then 2 s
  clock.SleepUntil(At("2026-11-26T09:00:03Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-27T09:00:00Z"));
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[0].retry_at, At("2026-11-26T09:00:01Z"));
  EXPECT_EQ(fired[1].attempts, 2);
  EXPECT_FALSE(fired[2].error);
  EXPECT_EQ(fired[2].attempts, 3);
  EXPECT_EQ(fired[2].execution_arn, "arn:exec:s-20261126T090000Z");
  EXPECT_FALSE(std::filesystem::exists(DeadLetters()));
}

TEST_F(ScheduleOptionsTest, RetriesRunOutIntoTheDeadLetterFile) {
  FlakyLauncher launcher(1000, store::kStoreLocked);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(
      clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); },
      RunnerFiles{DeadLetters(), ""});
  ScheduleConfig config = Config("at(2026-11-26T09:00:00)");
  config.maximum_retry_attempts = 3;
  ASSERT_TRUE(runner.Add("s", config, "arn:sm").ok());
  for (std::optional<TimePoint> next = At("2026-11-26T09:00:00Z"); next; next = runner.FireDue()) {
    clock.SleepUntil(*next);
  }
  EXPECT_EQ(launcher.calls, 4);  // the first attempt and three retries
  ASSERT_EQ(fired.size(), 4u);
  EXPECT_TRUE(fired[2].retry_at);
  EXPECT_FALSE(fired[3].retry_at);
  EXPECT_TRUE(fired[3].dead_lettered);
  EXPECT_EQ(clock.Now(), At("2026-11-26T09:00:07Z"));  // 1 + 2 + 4 s of backoff
  std::vector<std::string> lines = ReadLines(DeadLetters());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::Parse(lines[0]).value(),
            json::Parse(R"({"schedule":"s","slot":"2026-11-26T09:00:00.000Z",
                "execution_name":"s-20261126T090000Z","error":"StoreLocked",
                "cause":"the store is busy","attempts":4,"time":"2026-11-26T09:00:07.000Z"})")
                .value());
}

TEST_F(ScheduleOptionsTest, TheEventAgeEndsRetriesToo) {
  FlakyLauncher launcher(1000, store::kStoreFull);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(
      clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); },
      RunnerFiles{DeadLetters(), ""});
  ScheduleConfig config = Config("at(2026-11-26T09:00:00)");
  config.maximum_event_age_seconds = 60;  // 1+2+4+8+16 = 31 s fit, 32 more do not
  ASSERT_TRUE(runner.Add("s", config, "arn:sm").ok());
  for (std::optional<TimePoint> next = At("2026-11-26T09:00:00Z"); next; next = runner.FireDue()) {
    clock.SleepUntil(*next);
  }
  EXPECT_EQ(launcher.calls, 6);
  ASSERT_FALSE(fired.empty());
  EXPECT_TRUE(fired.back().dead_lettered);
  EXPECT_EQ(ReadLines(DeadLetters()).size(), 1u);
}

TEST_F(ScheduleOptionsTest, APermanentErrorGoesToTheDeadLetterFileAtOnce) {
  FlakyLauncher launcher(1000, "StateMachineDoesNotExist");
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(
      clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); },
      RunnerFiles{DeadLetters(), ""});
  ASSERT_TRUE(runner.Add("s", Config("cron(0 9 * * ? *)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-27T09:00:00Z"));
  EXPECT_EQ(launcher.calls, 1);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_TRUE(fired[0].dead_lettered);
  EXPECT_EQ(ReadLines(DeadLetters()).size(), 1u);
}

TEST_F(ScheduleOptionsTest, AnUnwritableDeadLetterFileIsReported) {
  FlakyLauncher launcher(1000, "StateMachineDoesNotExist");
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(
      clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); },
      RunnerFiles{(dir_ / "missing" / "dead.jsonl").string(), ""});
  ASSERT_TRUE(runner.Add("s", Config("at(2026-11-26T09:00:00)"), "arn:sm").ok());
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner.FireDue();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_FALSE(fired[0].dead_lettered);
  EXPECT_NE(fired[0].error->cause.find("the dead-letter record could not be written"),
            std::string::npos);
}

TEST(ScheduleRunnerTest, DeleteDropsAOneTimeScheduleOnceItsSlotFired) {
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  FakeLauncher launcher;
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); });
  ScheduleConfig once = Config("at(2026-11-26T09:00:00)");
  once.delete_after_completion = true;
  ASSERT_TRUE(runner.Add("once", once, "arn:sm").ok());
  ASSERT_TRUE(runner.Add("kept", Config("at(2026-11-26T09:00:00)"), "arn:sm").ok());
  ScheduleConfig recurring = Config("rate(1 hour)");
  recurring.delete_after_completion = true;  // applies to one-time schedules only
  ASSERT_TRUE(runner.Add("hourly", recurring, "arn:sm").ok());
  EXPECT_EQ(runner.Names(), (std::vector<std::string>{"hourly", "kept", "once"}));
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner.FireDue();
  ASSERT_EQ(fired.size(), 3u);
  for (const FiredSlot& f : fired) EXPECT_EQ(f.deleted, f.schedule == "once") << f.schedule;
  EXPECT_EQ(runner.Names(), (std::vector<std::string>{"hourly", "kept"}));
  EXPECT_EQ(launcher.starts.size(), 3u);
}

TEST(RunnerFilesForTest, InTheDataFolder) {
  ProjectConfig config;
  EXPECT_EQ(RunnerFilesFor(config).dead_letter_path, "");
  EXPECT_EQ(RunnerFilesFor(config).state_path, "");
  config.data_dir = "/p/data";
  EXPECT_EQ(RunnerFilesFor(config).dead_letter_path, "/p/data/schedules-dead-letter.jsonl");
  EXPECT_EQ(RunnerFilesFor(config).state_path, "/p/data/scheduler-state.json");
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

TEST(ScheduleRunnerChangesTest, PutAddsAndReplacesRemoveRemoves) {
  ManualClock clock(At("2026-11-26T08:29:41Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  ScheduleConfig hourly = Config("rate(1 hour)");
  hourly.input = json::Object{{"v", 1}};
  ASSERT_TRUE(runner.Put("api", hourly, "arn:sm").ok());
  EXPECT_TRUE(runner.Names().empty());  // queued, not applied yet
  EXPECT_EQ(runner.ApplyChanges(), 1u);
  EXPECT_EQ(runner.Names(), std::vector<std::string>{"api"});
  clock.SleepUntil(At("2026-11-26T09:00:00Z"));
  EXPECT_EQ(runner.FireDue(), At("2026-11-26T10:00:00Z"));
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0], "arn:sm api-20261126T090000Z {\"v\":1}");

  // Replaced: the new expression, target and input; the old cursor is dropped.
  ScheduleConfig every = Config("rate(15 minutes)");
  every.input = json::Object{{"v", 2}};
  ASSERT_TRUE(runner.Put("api", every, "arn:sm2").ok());
  EXPECT_EQ(runner.ApplyChanges(), 1u);
  EXPECT_EQ(runner.Names(), std::vector<std::string>{"api"});
  auto upcoming = runner.Upcoming();
  ASSERT_EQ(upcoming.size(), 1u);
  EXPECT_EQ(upcoming[0].second, At("2026-11-26T09:15:00Z"));
  clock.SleepUntil(At("2026-11-26T10:00:00Z"));
  runner.FireDue();
  // 09:15 fires (late, as a suspended process would), then 10:00 at its time; the old 10:00
  // cursor of the hourly version does not fire a second start.
  clock.SleepUntil(At("2026-11-26T10:00:00Z"));
  runner.FireDue();
  std::vector<std::string> expected = {"arn:sm api-20261126T090000Z {\"v\":1}",
                                       "arn:sm2 api-20261126T091500Z {\"v\":2}"};
  EXPECT_EQ(launcher.starts, expected);

  runner.Remove("api");
  runner.Remove("unknown");  // nothing to remove: no error
  EXPECT_EQ(runner.ApplyChanges(), 2u);
  EXPECT_TRUE(runner.Names().empty());
  EXPECT_TRUE(runner.Upcoming().empty());
  EXPECT_EQ(runner.FireDue(), std::nullopt);
  clock.SleepUntil(At("2026-11-26T12:00:00Z"));
  runner.FireDue();
  EXPECT_EQ(launcher.starts.size(), 2u);
}

TEST(ScheduleRunnerChangesTest, ReplacingDoesNotFireAFiredSlotAgain) {
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  FakeLauncher launcher;
  std::vector<FiredSlot> fired;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot& f) { fired.push_back(f); });
  ScheduleConfig flexible = Config("rate(1 hour)");
  flexible.flexible_window_minutes = 30;
  ASSERT_TRUE(runner.Add("s", flexible, "arn:sm").ok());
  const TimePoint fire_at =
      At("2026-11-26T09:00:00Z") + FlexibleDelay("s", At("2026-11-26T09:00:00Z"), minutes(30));
  clock.SleepUntil(fire_at);
  runner.FireDue();
  runner.FireDue();
  ASSERT_EQ(launcher.starts.size(), 1u);
  // Replaced inside the window: the 09:00 slot is queued again at the same fire time (already
  // past), and its start finds the execution: already fired, no second start.
  ASSERT_TRUE(runner.Put("s", flexible, "arn:sm").ok());
  runner.ApplyChanges();
  clock.SleepUntil(fire_at + minutes(1));
  runner.FireDue();
  EXPECT_EQ(launcher.starts.size(), 1u);
}

TEST(ScheduleRunnerChangesTest, InvalidPutsQueueNothingAndDisabledRemoves) {
  ManualClock clock(At("2026-11-26T08:00:00Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher);
  Status bad = runner.Put("x", Config("rate(1 hours)"), "arn:sm");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "InvalidScheduleExpression");
  ScheduleConfig zone = Config("rate(1 hour)");
  zone.timezone = "Mars/Olympus";
  bad = runner.Put("x", zone, "arn:sm");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "InvalidTimeZone");
  EXPECT_EQ(runner.ApplyChanges(), 0u);

  ASSERT_TRUE(runner.Put("x", Config("rate(1 hour)"), "arn:sm").ok());
  runner.ApplyChanges();
  ScheduleConfig off = Config("rate(1 hour)");
  off.enabled = false;
  ASSERT_TRUE(runner.Put("x", off, "arn:sm").ok());
  runner.ApplyChanges();
  EXPECT_TRUE(runner.Names().empty());
  clock.SleepUntil(At("2026-11-26T10:00:00Z"));
  EXPECT_EQ(runner.FireDue(), std::nullopt);
  EXPECT_TRUE(launcher.starts.empty());
}

TEST(ScheduleRunnerChangesTest, PutWakesRunAtOnce) {
  SystemClock clock;
  FakeLauncher launcher;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> fired;
  ScheduleRunner runner(clock, launcher, [&](const FiredSlot& f) {
    std::lock_guard<std::mutex> lock(mu);
    fired.push_back(f.schedule);
    cv.notify_all();
  });
  ASSERT_TRUE(runner.Add("later", Config("rate(1 day)"), "arn:sm").ok());
  std::thread thread([&] { runner.Run(); });
  std::this_thread::sleep_for(milliseconds(100));  // Run now sleeps until tomorrow
  auto slot = std::chrono::ceil<seconds>(clock.Now() + milliseconds(200));
  std::string iso = FormatIso8601(TimePoint(slot));
  ASSERT_TRUE(runner.Put("soon", Config("at(" + iso.substr(0, 19) + ")"), "arn:sm").ok());
  {
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, seconds(5), [&] { return !fired.empty(); }));
    EXPECT_EQ(fired, std::vector<std::string>{"soon"});
  }
  EXPECT_GE(clock.Now(), TimePoint(slot));
  runner.Stop();
  thread.join();
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_TRUE(launcher.starts[0].starts_with("arn:sm soon-"));
}

}  // namespace
}  // namespace autoretrain::retrain
