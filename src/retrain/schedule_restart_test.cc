// Pending slots across a restart of the schedule runner: a slot held by overlap BUFFER_ONE, or
// waiting to retry its start, is in the state file from the moment it is pending; the next
// runner on that file resumes it under the same execution name and forgets it once delivered.
// A runner "killed" here is one destroyed without a heartbeat after its last FireDue.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <utility>

#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/store/store.h"
#include "integrations/test_util.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::seconds;

std::string ArnOf(const std::string& execution_name) {
  return ExecutionArnOf(kMachine, execution_name).value();
}

ScheduleConfig BufferOne(const std::string& expression = "rate(1 minute)") {
  ScheduleConfig config = Config(expression);
  config.overlap = ScheduleConfig::Overlap::kBufferOne;
  return config;
}

class ScheduleRestartTest : public ::testing::Test {
 protected:
  RunnerFiles Files() const {
    return RunnerFiles{(dir_ / "dead-letter.jsonl").string(),
                       (dir_ / "scheduler-state.json").string()};
  }
  std::unique_ptr<ScheduleRunner> Runner(ManualClock& clock,
                                         integrations::ExecutionLauncher& launcher) {
    return std::make_unique<ScheduleRunner>(
        clock, launcher, [this](const FiredSlot& f) { fired_.push_back(f); }, Files());
  }
  // A runner restored from the state file, with `schedules` added; fired_ starts empty.
  std::unique_ptr<ScheduleRunner> Restarted(
      ManualClock& clock, integrations::ExecutionLauncher& launcher,
      const std::vector<std::pair<std::string, ScheduleConfig>>& schedules) {
    fired_.clear();
    auto runner = Runner(clock, launcher);
    EXPECT_TRUE(runner->Restore().ok());
    for (const auto& [name, config] : schedules) {
      EXPECT_TRUE(runner->Add(name, config, kMachine).ok());
    }
    return runner;
  }
  // Runs `runner` through `times`, firing what is due at each.
  static void FireAt(ScheduleRunner& runner, ManualClock& clock,
                     std::initializer_list<const char*> times) {
    for (const char* t : times) {
      clock.SleepUntil(At(t));
      runner.FireDue();
    }
  }
  // With the schedule "s" (at 09:00 daily, `config`), a runner whose first two starts failed
  // with StoreLocked is killed while its retry (the third start, at 09:00:03) is pending.
  void KillWhileARetryIsPending(FlakyLauncher& launcher, ManualClock& clock,
                                const ScheduleConfig& config) {
    auto killed = Runner(clock, launcher);
    ASSERT_TRUE(killed->Add("s", config, kMachine).ok());
    FireAt(*killed, clock, {"2026-11-26T09:00:00Z", "2026-11-26T09:00:01Z"});
    ASSERT_EQ(launcher.calls, 2);
    ASSERT_EQ(fired_.back().retry_at, At("2026-11-26T09:00:03Z"));
  }
  // The state file's "pending" entries.
  json::Array Pending() const {
    std::ifstream in(Files().state_path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Result<json::Value> state = json::Parse(text);
    EXPECT_TRUE(state.ok()) << text;
    if (!state.ok() || !state->is_object()) return {};
    const json::Value* pending = state->as_object().if_contains("pending");
    return pending == nullptr ? json::Array{} : pending->as_array();
  }
  std::vector<std::string> DeadLetters() const {
    std::ifstream in(Files().dead_letter_path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  integrations::testing::TempDir temp_;  // removed with the test
  const std::filesystem::path dir_{temp_.path()};
  std::vector<FiredSlot> fired_;
};

TEST_F(ScheduleRestartTest, AHeldSlotIsResumedAndFiresOnceThePreviousExecutionEnds) {
  FakeLauncher launcher;  // stands for the store, which outlives the process
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  {
    auto killed = Runner(clock, launcher);
    ASSERT_TRUE(killed->Add("every", BufferOne(), kMachine).ok());
    FireAt(*killed, clock, {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"});
    ASSERT_EQ(fired_.size(), 2u);
    ASSERT_TRUE(fired_[1].buffered);  // 08:02 is held: 08:01's execution runs
  }
  json::Array pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].at("state"), "held");
  EXPECT_EQ(pending[0].at("execution_name"), "every-20261126T080200Z");
  EXPECT_EQ(pending[0].at("waiting_for"), json::Value(ArnOf("every-20261126T080100Z")));

  clock.SleepUntil(At("2026-11-26T08:04:30Z"));  // 08:03 and 08:04 are missed (SKIP)
  auto runner = Restarted(clock, launcher, {{"every", BufferOne()}});
  runner->FireDue();
  EXPECT_EQ(launcher.starts.size(), 1u);  // 08:01's execution still runs: still held
  EXPECT_TRUE(fired_.empty());
  EXPECT_EQ(Pending().size(), 1u);
  launcher.Finish(ArnOf("every-20261126T080100Z"));
  clock.Advance(seconds(1));
  runner->FireDue();
  ASSERT_EQ(launcher.starts.size(), 2u);
  EXPECT_EQ(launcher.starts[1], kMachine + " every-20261126T080200Z {}");
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].resumed);
  EXPECT_EQ(fired_[0].execution_arn, ArnOf("every-20261126T080200Z"));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, ASlotStartedJustBeforeTheCrashIsNotStartedTwice) {
  FakeLauncher launcher;
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  const std::string saved = Files().state_path + ".saved";
  {
    auto killed = Runner(clock, launcher);
    ASSERT_TRUE(killed->Add("every", BufferOne(), kMachine).ok());
    FireAt(*killed, clock, {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"});
    std::filesystem::copy_file(Files().state_path, saved);  // 08:02 held
    launcher.Finish(ArnOf("every-20261126T080100Z"));
    FireAt(*killed, clock, {"2026-11-26T08:02:01Z"});
    ASSERT_EQ(launcher.starts.size(), 2u);  // 08:02 started...
  }
  // ...and the process died before the state file forgot it.
  std::filesystem::rename(saved, Files().state_path);
  clock.SleepUntil(At("2026-11-26T08:02:30Z"));
  auto runner = Restarted(clock, launcher, {{"every", BufferOne()}});
  runner->FireDue();
  EXPECT_EQ(launcher.starts.size(), 2u);
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].already_fired);
  EXPECT_TRUE(fired_[0].resumed);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, ARetryIsResumedAtItsTimeWithItsAttemptsCounted) {
  FlakyLauncher launcher(2, store::kStoreLocked);  // the third start succeeds
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  const ScheduleConfig config = Config("cron(0 9 * * ? *)");
  KillWhileARetryIsPending(launcher, clock, config);
  json::Array pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].at("state"), "retry");
  EXPECT_EQ(pending[0].at("attempts"), 2);
  EXPECT_EQ(pending[0].at("retry_at"), "2026-11-26T09:00:03.000Z");
  EXPECT_EQ(pending[0].at("first_attempt"), "2026-11-26T09:00:00.000Z");
  EXPECT_EQ(pending[0].at("error"), "StoreLocked");

  clock.SleepUntil(At("2026-11-26T09:00:02Z"));  // restarted before the retry's time
  auto runner = Restarted(clock, launcher, {{"s", config}});
  EXPECT_EQ(runner->FireDue(), At("2026-11-26T09:00:03Z"));
  EXPECT_EQ(launcher.calls, 2);
  clock.SleepUntil(At("2026-11-26T09:00:03Z"));
  EXPECT_EQ(runner->FireDue(), At("2026-11-27T09:00:00Z"));
  EXPECT_EQ(launcher.calls, 3);
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].resumed);
  EXPECT_EQ(fired_[0].attempts, 3);
  EXPECT_EQ(fired_[0].execution_arn, ArnOf("s-20261126T090000Z"));
  EXPECT_TRUE(Pending().empty());
  EXPECT_TRUE(DeadLetters().empty());
}

TEST_F(ScheduleRestartTest, ARetryThatKeepsFailingAfterTheRestartRunsOutOfAttempts) {
  FlakyLauncher launcher(1000, store::kStoreLocked);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  ScheduleConfig config = Config("cron(0 9 * * ? *)");
  config.maximum_retry_attempts = 3;  // four starts in all, two of them before the restart
  KillWhileARetryIsPending(launcher, clock, config);
  clock.SleepUntil(At("2026-11-26T09:00:30Z"));
  auto runner = Restarted(clock, launcher, {{"s", config}});
  for (std::optional<TimePoint> next = runner->FireDue();
       next && *next < At("2026-11-27T09:00:00Z"); next = runner->FireDue()) {
    clock.SleepUntil(*next);
  }
  EXPECT_EQ(launcher.calls, 4);
  ASSERT_EQ(fired_.size(), 2u);
  EXPECT_EQ(fired_[0].attempts, 3);
  EXPECT_TRUE(fired_[0].retry_at);
  EXPECT_EQ(fired_[1].attempts, 4);
  EXPECT_TRUE(fired_[1].dead_lettered);
  EXPECT_EQ(DeadLetters().size(), 1u);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, ARetryWhoseEventAgeRanOutWhileDownIsGivenUpWithoutAStart) {
  FlakyLauncher launcher(2, store::kStoreLocked);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  ScheduleConfig config = Config("cron(0 9 * * ? *)");
  config.maximum_event_age_seconds = 60;
  KillWhileARetryIsPending(launcher, clock, config);
  clock.SleepUntil(At("2026-11-26T09:05:00Z"));  // 5 minutes after the first attempt
  auto runner = Restarted(clock, launcher, {{"s", config}});
  runner->FireDue();
  EXPECT_EQ(launcher.calls, 2);
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].resumed);
  EXPECT_TRUE(fired_[0].dead_lettered);
  EXPECT_EQ(fired_[0].attempts, 2);
  ASSERT_TRUE(fired_[0].error);
  EXPECT_EQ(fired_[0].error->error, store::kStoreLocked);
  std::vector<std::string> lines = DeadLetters();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::Parse(lines[0])->at("attempts"), 2);
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, AnExpiredRetryWhoseLastStartSucceededCountsAsFired) {
  FlakyLauncher launcher(2, store::kStoreLocked);
  ManualClock clock(At("2026-11-26T08:59:00Z"));
  ScheduleConfig config = Config("cron(0 9 * * ? *)");
  config.maximum_event_age_seconds = 60;
  KillWhileARetryIsPending(launcher, clock, config);
  // The retry at 09:00:03 started the execution; the process died before recording that.
  ASSERT_TRUE(launcher.ok.Start({kMachine, json::Object{}, "s-20261126T090000Z"}).ok());
  clock.SleepUntil(At("2026-11-26T09:05:00Z"));
  auto runner = Restarted(clock, launcher, {{"s", config}});
  runner->FireDue();
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].already_fired);
  EXPECT_FALSE(fired_[0].error);
  EXPECT_TRUE(DeadLetters().empty());
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, PendingSlotsOfADeletedOrChangedScheduleAreDroppedAndReported) {
  FakeLauncher launcher;
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  {
    auto killed = Runner(clock, launcher);
    for (const char* name : {"changed", "deleted", "retargeted"}) {
      ASSERT_TRUE(killed->Add(name, BufferOne(), kMachine).ok());
    }
    FireAt(*killed, clock, {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"});
  }
  ASSERT_EQ(Pending().size(), 3u);
  auto runner = Restarted(clock, launcher, {{"changed", BufferOne("rate(5 minutes)")}});
  ASSERT_TRUE(
      runner->Add("retargeted", BufferOne(), StateMachineArn(AccountContext{}, "other")).ok());
  runner->FireDue();
  ASSERT_EQ(fired_.size(), 3u);
  std::map<std::string, std::string> why;
  for (const FiredSlot& f : fired_) {
    EXPECT_TRUE(f.resumed);
    EXPECT_TRUE(f.execution_arn.empty());
    EXPECT_EQ(f.slot, At("2026-11-26T08:02:00Z"));
    why[f.schedule] = f.dropped;
  }
  EXPECT_NE(why["changed"].find("the schedule changed"), std::string::npos);
  EXPECT_NE(why["retargeted"].find("the schedule changed"), std::string::npos);
  EXPECT_NE(why["deleted"].find("no longer exists"), std::string::npos);
  EXPECT_EQ(launcher.starts.size(), 3u);  // the three 08:01 slots only
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, AHeldSlotOfAScheduleThatNoLongerBuffersGetsItsFirstAttempt) {
  FakeLauncher launcher;
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  {
    auto killed = Runner(clock, launcher);
    ASSERT_TRUE(killed->Add("every", BufferOne(), kMachine).ok());
    FireAt(*killed, clock, {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"});
  }
  clock.SleepUntil(At("2026-11-26T08:02:30Z"));
  auto runner = Restarted(clock, launcher, {{"every", Config("rate(1 minute)")}});  // ALLOW
  runner->FireDue();
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_EQ(fired_[0].execution_arn, ArnOf("every-20261126T080200Z"));
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ScheduleRestartTest, RemovingAScheduleForgetsItsPendingSlot) {
  FakeLauncher launcher;
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  auto runner = Runner(clock, launcher);
  ASSERT_TRUE(runner->Add("every", BufferOne(), kMachine).ok());
  FireAt(*runner, clock, {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"});
  ASSERT_EQ(Pending().size(), 1u);
  runner->Remove("every");
  runner->ApplyChanges();
  EXPECT_TRUE(Pending().empty());
}

// The slot became pending during the FireDue the process died in: the state file's alive_at is
// still before it, so missed_slots ALL also counts it as missed. It fires once, as resumed.
TEST_F(ScheduleRestartTest, APendingSlotThatIsAlsoAMissedSlotFiresOnce) {
  FakeLauncher launcher;
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  ScheduleConfig config = BufferOne();
  config.missed_slots = ScheduleConfig::MissedSlots::kAll;
  {
    auto killed = Runner(clock, launcher);
    ASSERT_TRUE(killed->Add("every", config, kMachine).ok());
    FireAt(*killed, clock, {"2026-11-26T08:01:00Z"});
    ASSERT_TRUE(killed->WriteHeartbeat().ok());  // alive at 08:01
    FireAt(*killed, clock, {"2026-11-26T08:02:00Z"});
  }
  clock.SleepUntil(At("2026-11-26T08:02:30Z"));
  auto runner = Restarted(clock, launcher, {{"every", config}});
  launcher.Finish(ArnOf("every-20261126T080100Z"));
  runner->FireDue();
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].resumed);
  EXPECT_EQ(fired_[0].execution_arn, ArnOf("every-20261126T080200Z"));
}

TEST_F(ScheduleRestartTest, AMalformedPendingSlotMakesTheStateFileInvalid) {
  std::ofstream(Files().state_path)
      << R"({"alive_at": "2026-11-26T08:00:30.000Z", "pending": [{"schedule": "every",
            "state_machine_arn": "arn", "state": "held", "attempts": 0,
            "first_attempt": "2026-11-26T08:00:00.000Z"}]})";
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  auto runner = Runner(clock, launcher);
  Status restored = runner->Restore();
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().error, "InvalidSchedulerState");
  EXPECT_NE(restored.error().cause.find("pending slot of 'every': \"slot\" must be"),
            std::string::npos)
      << restored.error().cause;
}

}  // namespace
}  // namespace autoretrain::retrain
