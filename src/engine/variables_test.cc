// Workflow variables in the engine: the assignedVariables of Exited events, scopes, limits,
// and checkpoints that carry the variables to a resumed execution.
#include "engine/variables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "autoretrain/engine/execution.h"
#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;
using testing::J;
using testing::SavedPoint;
using testing::StepHarness;

TEST(VariablesTest, ExitedEventsListAssignedVariablesAsJsonText) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":42,"items":[1,2,3],"s.$":"$.name"},"Next":"B"},
    "B":{"Type":"Pass","End":true}}})",
                            R"({"name":"n"})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  json::Value exited_a = h.observer.Details("PassStateExited");
  EXPECT_EQ(json::Serialize(exited_a.at("assignedVariables")),
            R"({"x":"42","items":"[1,2,3]","s":"\"n\""})");
  EXPECT_EQ(json::Serialize(exited_a.at("assignedVariablesDetails")), R"({"truncated":false})");
  // A state without Assign has neither key.
  EXPECT_FALSE(h.observer.events[4].details.as_object().contains("assignedVariables"));
}

TEST(VariablesTest, InputPathAndOutputPathReadAVariableWithoutTakingIt) {
  // The states' paths select the variable's value, which must stay for the next reader (the
  // engine once moved it out into the state's output, leaving null behind).
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"v":{"a":1}},"Next":"B"},
    "B":{"Type":"Choice","InputPath":"$v","Choices":[
      {"Variable":"$.a","NumericEquals":1,"Next":"C"}]},
    "C":{"Type":"Pass","OutputPath":"$v","Next":"D"},
    "D":{"Type":"Pass","OutputPath":"$v","Next":"E"},
    "E":{"Type":"Pass","InputPath":"$v","End":true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"({"a":1})"));
}

TEST(VariablesTest, InnerScopesReadOuterVariablesAndVanish) {
  Variables outer;
  outer.Apply(json::Object{{"x", 1}});
  Variables inner(&outer);
  inner.Apply(json::Object{{"y", 2}});
  EXPECT_EQ(*inner.FindVariable("x"), json::Value(1));
  EXPECT_EQ(*inner.FindVariable("y"), json::Value(2));
  EXPECT_EQ(outer.FindVariable("y"), nullptr);
  EXPECT_EQ(inner.FindVariable("z"), nullptr);
}

TEST(VariablesTest, LimitsFailTheStateWithDataLimitExceeded) {
  Harness h;
  // One variable over 256 KiB (from an input well under the payload limit).
  ExecutionResult r = h.Run(R"json({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"big.$":"States.Array($.s, $.s)"},"End":true}}})json",
                            R"({"s":")" + std::string(150 * 1024, 'a') + R"("})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error.value_or(""), "States.DataLimitExceeded");
  EXPECT_NE(r.cause.value_or("").find("'big'"), std::string::npos) << *r.cause;

  // The execution's total: variables of 200 KiB each pass one by one until 10 MiB.
  Variables scope;
  const json::Value chunk(std::string(200 * 1024, 'b'));
  for (int i = 0; i < 60; ++i) {
    json::Object one{{"v" + std::to_string(i), chunk}};
    Status checked = scope.CheckAssignment(one, "S");
    if (!checked.ok()) {
      EXPECT_EQ(checked.error().error, "States.DataLimitExceeded");
      EXPECT_EQ(i, 51);  // 51 * 200 KiB > 10 MiB
      return;
    }
    scope.Apply(std::move(one));
  }
  ADD_FAILURE() << "10 MiB of variables were accepted";
}

TEST(VariablesTest, AVariableNestedDeeperThanTheJsonLimitFailsTheState) {
  // Each turn wraps $v in one more object, without end but for the limit.
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"Init","States":{
    "Init":{"Type":"Pass","Assign":{"v":0},"Next":"Wrap"},
    "Wrap":{"Type":"Pass","Assign":{"v":{"in.$":"$v"}},"Next":"Again"},
    "Again":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],
      "Default":"Wrap"},
    "Done":{"Type":"Succeed"}}})");
  EXPECT_EQ(r.error.value_or(""), "States.DataLimitExceeded");
  EXPECT_NE(r.cause.value_or("").find("'Wrap' produced a value for the variable 'v' whose arrays "
                                      "and objects nest deeper than 510 levels"),
            std::string::npos)
      << r.cause.value_or("");
  // The value that failed was the 511th level: 510 turns of the loop were assigned, and a
  // checkpoint holding that value reads back (checkpoint_codec_test.cc).
  const std::vector<std::string> types = h.observer.Types();
  EXPECT_EQ(std::count(types.begin(), types.end(), "PassStateExited"), 1 + kMaxVariableDepth);
}

TEST(VariablesTest, CheckpointsCarryTheVariablesToAResumedExecution) {
  StepHarness h(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"count":1},"Next":"W"},
    "W":{"Type":"Wait","Seconds":60,"Next":"B"},
    "B":{"Type":"Pass","Parameters":{"count.$":"$count"},"End":true}}})");
  Execution first(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(first.Advance(), Execution::Progress::kSuspended);
  ASSERT_EQ(h.observer.checkpoints.size(), 1u);
  SavedPoint saved = h.observer.checkpoints[0];
  EXPECT_EQ(json::Serialize(saved.variables), R"({"count":1})");
  saved.point.input = &saved.input;
  saved.point.variables = &saved.variables;
  h.clock.Advance(std::chrono::seconds(60));
  Execution resumed(h.executor, *h.machine, h.Spec(), saved.point);
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  ASSERT_EQ(resumed.result().status, ExecutionStatus::kSucceeded) << *resumed.result().cause;
  EXPECT_EQ(json::Serialize(*resumed.result().output), R"({"count":1})");
}

}  // namespace
}  // namespace autoretrain::engine
