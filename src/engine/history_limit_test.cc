// The history limit (AWS's 25,000-event quota on a Standard execution): an execution that needs
// more events fails with States.Runtime, its ExecutionFailed event taking the last id; the
// events before it are the first ones, in order; branches stop too.
#include <gtest/gtest.h>

#include <string>

#include "autoretrain/engine/executor.h"
#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;

// A Pass and a Choice that hand over to each other until the input says stop (it never does).
constexpr char kLoop[] = R"({"StartAt":"A","States":{
  "A":{"Type":"Pass","Next":"C"},
  "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],
       "Default":"A"},
  "Done":{"Type":"Succeed"}}})";

TEST(HistoryLimitTest, AWSQuotaIsTheDefault) {
  Harness h;
  EXPECT_EQ(h.executor.max_history_events(), 25000);
  ExecutionResult r = h.Run(kLoop);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause, "The execution reached the maximum number of history events (25000).");
  ASSERT_EQ(h.observer.events.size(), 25000u);
  EXPECT_EQ(h.observer.events.back().id, 25000);
  EXPECT_EQ(h.observer.events.back().type, "ExecutionFailed");
  EXPECT_EQ(h.observer.events[24998].id, 24999);
  EXPECT_EQ(h.observer.events[24998].type, "PassStateExited");  // (24,999 - 2) % 4 == 1
}

TEST(HistoryLimitTest, TheLastIdGoesToTheFailure) {
  Harness h;
  h.executor.set_max_history_events(6);
  ExecutionResult r = h.Run(kLoop);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.cause, "The execution reached the maximum number of history events (6).");
  EXPECT_EQ(h.observer.Types(), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                                          "PassStateExited", "ChoiceStateEntered",
                                                          "ChoiceStateExited", "ExecutionFailed"}));
  for (size_t i = 0; i < h.observer.events.size(); ++i) {
    EXPECT_EQ(h.observer.events[i].id, static_cast<int64_t>(i + 1));
  }
}

TEST(HistoryLimitTest, AnExecutionThatEndsOnTheLastIdSucceeds) {
  Harness h;
  h.executor.set_max_history_events(4);  // Started, Entered, Exited, Succeeded
  ExecutionResult r = h.Run(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.observer.events.size(), 4u);
}

TEST(HistoryLimitTest, MapIterationsStopAtTheLimit) {
  Harness h;
  h.executor.set_max_history_events(20);
  // Each iteration takes 4 events (MapIterationStarted, PassStateEntered/Exited,
  // MapIterationSucceeded): ten items need more than 20.
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
                            "[1,2,3,4,5,6,7,8,9,10]");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  ASSERT_EQ(h.observer.events.size(), 20u);
  EXPECT_EQ(h.observer.events.back().type, "ExecutionFailed");
  EXPECT_EQ(h.observer.events.back().id, 20);
}

// Pass states that only hand their input on, in a loop: unobserved, the engine passes over
// them (SkipPassThroughStates) and must still stop where an observed run stops.
TEST(HistoryLimitTest, PassThroughStatesStopAtTheLimitUnobserved) {
  constexpr char kPassLoop[] = R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},
    "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],
         "Default":"A"},
    "Done":{"Type":"Succeed"}}})";
  for (int64_t limit : {4, 5, 6, 7, 8, 9, 25000}) {
    Harness observed;
    observed.executor.set_max_history_events(limit);
    ExecutionResult seen = observed.Run(kPassLoop);
    testing::UnobservedHarness unobserved;
    unobserved.executor.set_max_history_events(limit);
    ExecutionResult unseen = unobserved.Run(kPassLoop);
    EXPECT_EQ(seen.status, ExecutionStatus::kFailed) << limit;
    EXPECT_EQ(unseen.status, ExecutionStatus::kFailed) << limit;
    EXPECT_EQ(unseen.cause, seen.cause) << limit;
    EXPECT_EQ(observed.observer.events.back().id, limit);
  }
}

TEST(HistoryLimitTest, ZeroMeansNoLimit) {
  Harness h;
  h.executor.set_max_history_events(0);
  std::string items = "[0";
  for (int i = 1; i < 7000; ++i) items += "," + std::to_string(i);
  items += "]";
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}})",
                            items);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_GT(h.observer.events.size(), 25000u);
}

}  // namespace
}  // namespace autoretrain::engine
