// Parallel and Map as the step machine runs them: branches that wait overlap instead of
// queueing, MaxConcurrency bounds the iterations in progress, checkpoints inside branches name
// the enclosing state (which a resumed execution runs again, with the same task identities),
// and aborts and deadlines reach into branches.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/asl/parser.h"
#include "autoretrain/engine/execution.h"
#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;
using testing::J;
using testing::kStart;
using testing::SavedPoint;
using testing::StepHarness;

constexpr char kWork[] = "arn:aws:lambda:us-east-1:123456789012:function:work";

std::string Branch(std::string_view name, std::string_view state) {
  return R"({"StartAt":")" + std::string(name) + R"(","States":{")" + std::string(name) + R"(":)" +
         std::string(state) + "}}";
}

TEST(ParallelTest, WaitingBranchesOverlap) {
  Harness h;
  // Two branches waiting 10 s each take 10 s, not 20: the second branch runs while the first
  // waits. Each reports when its Pass state after the wait was entered.
  ExecutionResult r = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
    "Branches":[
      {"StartAt":"W1","States":{"W1":{"Type":"Wait","Seconds":10,"Next":"T1"},
        "T1":{"Type":"Pass","Parameters":{"at.$":"$$.State.EnteredTime"},"End":true}}},
      {"StartAt":"W2","States":{"W2":{"Type":"Wait","Seconds":10,"Next":"T2"},
        "T2":{"Type":"Pass","Parameters":{"at.$":"$$.State.EnteredTime"},"End":true}}}]}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(json::Serialize(*r.output),
            R"([{"at":"2026-11-23T03:00:10.000Z"},{"at":"2026-11-23T03:00:10.000Z"}])");
}

TEST(ParallelTest, BranchTasksCarryReplayStableBranchPathsAndSteps) {
  StepHarness h(
      R"({"StartAt":"Go","States":{"Go":{"Type":"Pass","Next":"P"},
    "P":{"Type":"Parallel","End":true,"Branches":[)" +
      Branch("A", R"({"Type":"Pass","Next":"TA"},"TA":{"Type":"Task","Resource":")" +
                      std::string(kWork) + R"(","End":true})") +
      "," +
      Branch("TB", R"({"Type":"Task","Resource":")" + std::string(kWork) + R"(","End":true})") +
      "]}}}");
  std::vector<std::string> seen;
  h.handler.On(kWork, [&](const TaskRequest& r) -> Result<json::Value> {
    seen.push_back(std::string(r.branch_path) + "#" + std::to_string(r.branch_step));
    return J("1");
  });
  Execution first(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(first.Advance(), Execution::Progress::kFinished);
  ASSERT_EQ(first.result().status, ExecutionStatus::kSucceeded);
  // P was entered at event 4 (ExecutionStarted, Go entered/exited); TA is branch 0's second
  // state, TB branch 1's first.
  EXPECT_EQ(seen, (std::vector<std::string>{"4.0/0#2", "4.0/1#1"}));

  // Both checkpoints before the tasks name the Parallel state; resuming from the second runs
  // the whole state again and hands the tasks the same identities.
  ASSERT_EQ(h.observer.checkpoints.size(), 2u);
  SavedPoint saved = h.observer.checkpoints[1];
  EXPECT_EQ(saved.point.state_name, "P");
  EXPECT_EQ(saved.point.entered_event_id, 4);
  saved.point.input = &saved.input;
  seen.clear();
  Execution resumed(h.executor, *h.machine, h.Spec(), saved.point);
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(resumed.result().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(seen, (std::vector<std::string>{"4.0/0#2", "4.0/1#1"}));
  EXPECT_EQ(json::Serialize(*resumed.result().output), "[1,1]");
}

TEST(ParallelTest, SuspendsAtTheEarliestBranchWakeUpAndCheckpointsTheState) {
  StepHarness h(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[)" +
                Branch("W1", R"({"Type":"Wait","Seconds":30,"End":true})") + "," +
                Branch("W2", R"({"Type":"Wait","Seconds":5,"End":true})") + "]}}}");
  Execution execution(h.executor, *h.machine, h.Spec(R"({"x":1})"));
  ASSERT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(execution.wake_at(), kStart + std::chrono::seconds(5));
  ASSERT_EQ(h.observer.checkpoints.size(), 1u);
  EXPECT_EQ(h.observer.checkpoints[0].point.state_name, "P");
  EXPECT_EQ(json::Serialize(h.observer.checkpoints[0].input), R"({"x":1})");
  h.clock.Advance(std::chrono::seconds(5));
  ASSERT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(execution.wake_at(), kStart + std::chrono::seconds(30));
  h.clock.Advance(std::chrono::seconds(25));
  ASSERT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(json::Serialize(*execution.result().output), R"([{"x":1},{"x":1}])");
}

TEST(ParallelTest, RequestedAbortStopsBranches) {
  StepHarness h(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{
    "StartAt":"T1","States":{"T1":{"Type":"Task","Resource":")" +
                std::string(kWork) + R"(","Next":"T2"},"T2":{"Type":"Task","Resource":")" +
                std::string(kWork) + R"(","End":true}}}]}}})");
  Execution* self = nullptr;
  h.handler.On(kWork, [&](const TaskRequest&) -> Result<json::Value> {
    self->RequestAbort(std::string("Stop"), std::nullopt);
    return J("{}");
  });
  Execution execution(h.executor, *h.machine, h.Spec());
  self = &execution;
  ASSERT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(execution.result().status, ExecutionStatus::kAborted);
  EXPECT_EQ(h.handler.calls.size(), 1u) << "the branch's second task must not start";
  EXPECT_EQ(h.observer.events.back().type, "ExecutionAborted");
}

TEST(ParallelTest, ExecutionDeadlineReachesIntoBranches) {
  Harness h;
  ExecutionResult r = h.Run(R"({"TimeoutSeconds":5,"StartAt":"P","States":{"P":{
    "Type":"Parallel","End":true,"Branches":[)" +
                            Branch("W", R"({"Type":"Wait","Seconds":60,"End":true})") + "]}}}");
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(h.observer.events.back().type, "ExecutionTimedOut");
}

TEST(MapTest, MaxConcurrencyBoundsIterationsInProgress) {
  Harness h;
  // Four items that each wait 10 s, two at a time: 20 s in all.
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,
    "End":true,"ItemProcessor":{"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":10,"Next":"T"},
      "T":{"Type":"Pass","Parameters":{"at.$":"$$.State.EnteredTime"},"End":true}}}}}})",
                            "[1,2,3,4]");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(json::Serialize(*r.output),
            R"([{"at":"2026-11-23T03:00:10.000Z"},{"at":"2026-11-23T03:00:10.000Z"},)"
            R"({"at":"2026-11-23T03:00:20.000Z"},{"at":"2026-11-23T03:00:20.000Z"}])");
}

TEST(MapTest, WithoutALimitEveryWaitingIterationOverlaps) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}}}})",
                            "[1,2,3,4,5]");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*r.output), "[1,2,3,4,5]");
  EXPECT_EQ(h.clock.Now(), kStart + std::chrono::seconds(10));
}

TEST(MapTest, IterationTasksAreNamedByItemIndex) {
  Harness h;
  std::vector<std::string> seen;
  h.handler.On(kWork, [&](const TaskRequest& r) -> Result<json::Value> {
    seen.push_back(std::string(r.branch_path) + "#" + std::to_string(r.branch_step));
    return *r.parameters;
  });
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" +
                                std::string(kWork) + R"(","End":true}}}}}})",
                            R"(["a","b"])");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(seen, (std::vector<std::string>{"2.0/0#1", "2.0/1#1"}));
}

TEST(MapTest, MaxConcurrencyPathMustBeANonNegativeInteger) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemsPath":"$.items","MaxConcurrencyPath":"$.limit",
    "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}})",
                            R"({"items":[1],"limit":"two"})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error.value_or(""), "States.Runtime");
  EXPECT_NE(r.cause.value_or("").find("MaxConcurrencyPath"), std::string::npos) << *r.cause;
}

// `levels` Parallel states (or Map states), each the only state of the one above's branch
// (item processor), around a Pass. Each Parallel level nests the definition's JSON 4 levels
// deeper, each Map level 3, so json::kMaxDepth is what bounds how deep they can go.
std::string Nested(std::string_view type, int levels) {
  std::string machine = Branch("S", R"({"Type":"Pass","End":true})");
  for (int i = 0; i < levels; ++i) {
    const std::string name = std::string(type) + std::to_string(i);
    const std::string state =
        type == "Parallel" ? R"({"Type":"Parallel","Branches":[)" + machine + R"(],"End":true})"
                           : R"({"Type":"Map","ItemsPath":"$.a","ItemSelector":{"a.$":"$.a"},)"
                             R"("ItemProcessor":)" +
                                 machine + R"(,"End":true})";
    machine = Branch(name, state);
  }
  return machine;
}

TEST(NestingTest, TheDeepestNestingTheDefinitionLimitAllowsRunsAndOneMoreIsRefused) {
  for (const auto& [type, deepest] : {std::pair<std::string_view, int>{"Parallel", 127},
                                      std::pair<std::string_view, int>{"Map", 169}}) {
    Harness h;
    ExecutionResult r = h.Run(Nested(type, deepest), R"({"a":[1]})");
    EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << type << ": " << r.cause.value_or("");
    // Each level wraps its branch's (iteration's) result in an array.
    EXPECT_EQ(json::Serialize(*r.output),
              std::string(deepest, '[') + R"({"a":[1]})" + std::string(deepest, ']'));
    asl::CompileResult deeper = asl::CompileText(Nested(type, deepest + 1));
    auto* diagnostics = std::get_if<std::vector<asl::Diagnostic>>(&deeper);
    ASSERT_NE(diagnostics, nullptr) << type;
    EXPECT_EQ(diagnostics->front().code, asl::kInvalidJsonDescription);
    EXPECT_NE(diagnostics->front().message.find("nesting deeper than 512 levels"),
              std::string::npos)
        << diagnostics->front().message;
  }
}

}  // namespace
}  // namespace autoretrain::engine
