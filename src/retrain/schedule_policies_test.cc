// The schedule runner's policies beyond EventBridge's: missed slots (catch-up after downtime
// or a suspension) and overlap (the previous execution still running).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "autoretrain/retrain/schedule_runner.h"
#include "integrations/test_util.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using Missed = ScheduleConfig::MissedSlots;
using Overlap = ScheduleConfig::Overlap;

class SchedulePoliciesTest : public ::testing::Test {
 protected:
  RunnerFiles Files() const { return RunnerFiles{"", (dir_ / "scheduler-state.json").string()}; }
  // A state file saying the previous runner was last alive at `iso`.
  void AliveAt(const std::string& iso) {
    ManualClock then(At(iso));
    FakeLauncher unused;
    ScheduleRunner previous(then, unused, {}, Files());
    ASSERT_TRUE(previous.WriteHeartbeat().ok());
  }
  // A runner restored from the state file, now at `iso`, with one schedule `config`.
  std::unique_ptr<ScheduleRunner> Restarted(ManualClock& clock, FakeLauncher& launcher,
                                            const ScheduleConfig& config) {
    auto runner = std::make_unique<ScheduleRunner>(
        clock, launcher, [this](const FiredSlot& f) { fired_.push_back(f); }, Files());
    EXPECT_TRUE(runner->Restore().ok());
    EXPECT_TRUE(runner->Add("every", config, kMachine).ok());
    return runner;
  }
  std::vector<std::string> StartedNames(const FakeLauncher& launcher) const {
    std::vector<std::string> names;
    for (const std::string& start : launcher.starts) {
      names.push_back(start.substr(kMachine.size() + 1,
                                   start.find(' ', kMachine.size() + 1) - kMachine.size() - 1));
    }
    return names;
  }

  integrations::testing::TempDir temp_;  // removed with the test
  const std::filesystem::path dir_{temp_.path()};
  std::vector<FiredSlot> fired_;
};

TEST_F(SchedulePoliciesTest, ByDefaultSlotsMissedWhileDownAreSkipped) {
  AliveAt("2026-11-26T08:00:30Z");
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  auto runner = Restarted(clock, launcher, Config("rate(1 minute)"));
  EXPECT_EQ(runner->FireDue(), At("2026-11-26T08:11:00Z"));
  EXPECT_TRUE(launcher.starts.empty());
}

TEST_F(SchedulePoliciesTest, LatestFiresTheMostRecentMissedSlot) {
  AliveAt("2026-11-26T08:00:30Z");
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kLatest;
  auto runner = Restarted(clock, launcher, config);
  EXPECT_EQ(runner->FireDue(), At("2026-11-26T08:11:00Z"));
  EXPECT_EQ(StartedNames(launcher), (std::vector<std::string>{"every-20261126T081000Z"}));
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].caught_up);
}

TEST_F(SchedulePoliciesTest, AllFiresEveryMissedSlotWithinTheWindowOldestFirst) {
  AliveAt("2026-11-26T08:00:30Z");
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kAll;
  config.catch_up_window_minutes = 5;  // 08:05:30 onwards
  auto runner = Restarted(clock, launcher, config);
  runner->FireDue();
  EXPECT_EQ(StartedNames(launcher),
            (std::vector<std::string>{"every-20261126T080600Z", "every-20261126T080700Z",
                                      "every-20261126T080800Z", "every-20261126T080900Z",
                                      "every-20261126T081000Z"}));
}

TEST_F(SchedulePoliciesTest, OnlySlotsAfterTheLastHeartbeatCountAsMissed) {
  AliveAt("2026-11-26T08:08:30Z");
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  launcher.names.insert("every-20261126T080900Z");  // fired just before the crash
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kAll;
  auto runner = Restarted(clock, launcher, config);
  runner->FireDue();
  EXPECT_EQ(StartedNames(launcher), (std::vector<std::string>{"every-20261126T081000Z"}));
  ASSERT_EQ(fired_.size(), 2u);
  EXPECT_TRUE(fired_[0].already_fired);  // found by its name: not started twice
  EXPECT_TRUE(fired_[0].caught_up);
}

TEST_F(SchedulePoliciesTest, WithoutAStateFileNothingIsCaughtUp) {
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kAll;
  auto runner = Restarted(clock, launcher, config);
  runner->FireDue();
  EXPECT_TRUE(launcher.starts.empty());
}

TEST_F(SchedulePoliciesTest, ABrokenStateFileIsReportedAndNothingIsCaughtUp) {
  std::ofstream(Files().state_path) << "{\"alive\": 1}";
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher, {}, Files());
  Status restored = runner.Restore();
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().error, "InvalidSchedulerState");
  EXPECT_NE(restored.error().cause.find(Files().state_path), std::string::npos);
  EXPECT_NE(restored.error().cause.find("delete the file"), std::string::npos);
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kAll;
  ASSERT_TRUE(runner.Add("every", config, kMachine).ok());
  runner.FireDue();
  EXPECT_TRUE(launcher.starts.empty());
}

TEST_F(SchedulePoliciesTest, TheHeartbeatIsWrittenAtomically) {
  AliveAt("2026-11-26T08:00:30Z");
  std::ifstream in(Files().state_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "{\"alive_at\":\"2026-11-26T08:00:30.000Z\"}\n");
  EXPECT_FALSE(std::filesystem::exists(Files().state_path + ".tmp"));
  ManualClock clock(At("2026-11-26T08:10:30Z"));
  FakeLauncher launcher;
  ScheduleRunner unwritable(clock, launcher, {},
                            RunnerFiles{"", (dir_ / "missing" / "state.json").string()});
  Status written = unwritable.WriteHeartbeat();
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().error, "WriteFailed");
}

// Run fires what is due, then writes its heartbeat: a slot that comes due in between (or while
// the daemon stops) was not fired, and the heartbeat must not claim it was.
TEST_F(SchedulePoliciesTest, ASlotDueAfterTheLastFiringIsCaughtUpThoughTheHeartbeatIsLater) {
  ManualClock clock(At("2026-11-26T08:00:59.900Z"));
  FakeLauncher launcher;
  ScheduleConfig config = Config("rate(1 minute)");
  config.missed_slots = Missed::kAll;
  {
    ScheduleRunner killed(clock, launcher, {}, Files());
    ASSERT_TRUE(killed.Add("every", config, kMachine).ok());
    EXPECT_EQ(killed.FireDue(), At("2026-11-26T08:01:00Z"));
    clock.Advance(std::chrono::milliseconds(200));  // 08:01 came due; not fired
    ASSERT_TRUE(killed.WriteHeartbeat().ok());
  }
  EXPECT_TRUE(launcher.starts.empty());
  clock.Advance(std::chrono::seconds(5));
  auto runner = Restarted(clock, launcher, config);
  runner->FireDue();
  EXPECT_EQ(StartedNames(launcher), (std::vector<std::string>{"every-20261126T080100Z"}));
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].caught_up);
}

TEST_F(SchedulePoliciesTest, ASuspendedProcessCatchesUpByThePolicy) {
  for (Missed policy : {Missed::kSkip, Missed::kLatest, Missed::kAll}) {
    ManualClock clock(At("2026-11-26T08:00:30Z"));
    FakeLauncher launcher;
    ScheduleRunner runner(clock, launcher);
    ScheduleConfig config = Config("rate(1 minute)");
    config.missed_slots = policy;
    config.catch_up_window_minutes = 3;
    ASSERT_TRUE(runner.Add("every", config, kMachine).ok());
    clock.SleepUntil(At("2026-11-26T08:10:30Z"));  // ten slots overdue
    EXPECT_EQ(runner.FireDue(), At("2026-11-26T08:11:00Z"));
    std::vector<std::string> expected;
    if (policy == Missed::kSkip) expected = {"every-20261126T080100Z"};
    if (policy == Missed::kLatest) expected = {"every-20261126T081000Z"};
    if (policy == Missed::kAll) {
      expected = {"every-20261126T080100Z", "every-20261126T080800Z", "every-20261126T080900Z",
                  "every-20261126T081000Z"};
    }
    EXPECT_EQ(StartedNames(launcher), expected) << static_cast<int>(policy);
  }
}

TEST_F(SchedulePoliciesTest, OverlapSkipDropsSlotsWhileThePreviousRuns) {
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher, [this](const FiredSlot& f) { fired_.push_back(f); });
  ScheduleConfig config = Config("rate(1 minute)");
  config.overlap = Overlap::kSkip;
  ASSERT_TRUE(runner.Add("every", config, kMachine).ok());
  for (const char* t : {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z"}) {
    clock.SleepUntil(At(t));
    runner.FireDue();
  }
  EXPECT_EQ(StartedNames(launcher), (std::vector<std::string>{"every-20261126T080100Z"}));
  ASSERT_EQ(fired_.size(), 2u);
  EXPECT_TRUE(fired_[1].skipped_overlap);
  EXPECT_EQ(fired_[1].execution_name, "every-20261126T080200Z");
  launcher.Finish(ExecutionArnOf(kMachine, "every-20261126T080100Z").value());
  clock.SleepUntil(At("2026-11-26T08:03:00Z"));
  runner.FireDue();
  EXPECT_EQ(StartedNames(launcher).back(), "every-20261126T080300Z");
}

TEST_F(SchedulePoliciesTest, OverlapBufferOneHoldsOneSlotUntilThePreviousEnds) {
  ManualClock clock(At("2026-11-26T08:00:30Z"));
  FakeLauncher launcher;
  ScheduleRunner runner(clock, launcher, [this](const FiredSlot& f) { fired_.push_back(f); });
  ScheduleConfig config = Config("rate(1 minute)");
  config.overlap = Overlap::kBufferOne;
  ASSERT_TRUE(runner.Add("every", config, kMachine).ok());
  for (const char* t : {"2026-11-26T08:01:00Z", "2026-11-26T08:02:00Z", "2026-11-26T08:02:59Z",
                        "2026-11-26T08:03:00Z"}) {
    clock.SleepUntil(At(t));
    runner.FireDue();
  }
  ASSERT_EQ(fired_.size(), 3u);
  EXPECT_TRUE(fired_[1].buffered);         // 08:02 is held
  EXPECT_TRUE(fired_[2].skipped_overlap);  // 08:03 is dropped: one is held already
  EXPECT_EQ(launcher.starts.size(), 1u);
  launcher.Finish(ExecutionArnOf(kMachine, "every-20261126T080100Z").value());
  clock.SleepUntil(At("2026-11-26T08:03:01Z"));  // the runner looks again every second
  runner.FireDue();
  EXPECT_EQ(StartedNames(launcher),
            (std::vector<std::string>{"every-20261126T080100Z", "every-20261126T080200Z"}));
  ASSERT_EQ(fired_.size(), 4u);
  EXPECT_EQ(fired_[3].execution_name, "every-20261126T080200Z");
  EXPECT_EQ(fired_[3].attempts, 1);
}

TEST_F(SchedulePoliciesTest, AfterARestartThePreviousSlotsExecutionCountsAsPrevious) {
  FakeLauncher launcher;  // stands for the store: 08:01's execution still runs (resumed)
  ASSERT_TRUE(launcher.Start({kMachine, json::Object{}, "every-20261126T080100Z"}).ok());
  ManualClock clock(At("2026-11-26T08:01:30Z"));
  ScheduleConfig config = Config("rate(1 minute)");
  config.overlap = Overlap::kSkip;
  auto runner = Restarted(clock, launcher, config);
  clock.SleepUntil(At("2026-11-26T08:02:00Z"));
  runner->FireDue();
  ASSERT_EQ(fired_.size(), 1u);
  EXPECT_TRUE(fired_[0].skipped_overlap);
  EXPECT_EQ(launcher.starts.size(), 1u);
}

}  // namespace
}  // namespace autoretrain::retrain
