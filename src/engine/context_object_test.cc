// The context object ($$) as the AWS developer guide's "Accessing execution data from the
// Context object" page describes it, and its reuse between executions.
#include "engine/context_object.h"

#include <gtest/gtest.h>

#include <chrono>

#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::J;
using testing::kStart;

ExecutionInfo Info(const json::Value& input, std::string_view name) {
  return ExecutionInfo{.execution_arn = "arn:exec",
                       .execution_name = name,
                       .role_arn = "arn:role",
                       .state_machine_arn = "arn:sm",
                       .state_machine_name = "sm",
                       .start_time = kStart,
                       .input = &input};
}

TEST(ContextObjectTest, HasTheDocumentedShape) {
  json::Value input = J(R"({"a":1})");
  ContextObject ctx(Info(input, "n1"));
  ctx.EnterState("First", kStart + std::chrono::milliseconds(1234));
  EXPECT_EQ(ctx.Get(), J(R"({
      "Execution":{"Id":"arn:exec","Input":{"a":1},"Name":"n1","RoleArn":"arn:role",
                   "StartTime":"2026-11-23T03:00:00.000Z","RedriveCount":0},
      "State":{"EnteredTime":"2026-11-23T03:00:01.234Z","Name":"First","RetryCount":0},
      "StateMachine":{"Id":"arn:sm","Name":"sm"}})"));
}

TEST(ContextObjectTest, StateFollowsEnterStateAndRetries) {
  json::Value input = json::Object{};
  ContextObject ctx(Info(input, "n"));
  ctx.EnterState("A", kStart);
  ctx.SetTaskToken("tok");
  ctx.SetRetryCount(2);
  EXPECT_EQ(ctx.Get().at("State").at("RetryCount"), 2);
  EXPECT_EQ(ctx.Get().at("Task"), J(R"({"Token":"tok"})"));
  ctx.EnterState("B", kStart + std::chrono::seconds(61));
  const json::Value& v = ctx.Get();
  EXPECT_EQ(v.at("State"), J(R"({"EnteredTime":"2026-11-23T03:01:01.000Z","Name":"B",)"
                             R"("RetryCount":0})"));
  EXPECT_FALSE(v.as_object().contains("Task"));
}

TEST(ContextObjectTest, ReusedTreesCarryNothingOver) {
  json::Value first_input = J(R"({"big":[1,2,3]})");
  {
    ContextObject ctx(Info(first_input, "first"));
    ctx.EnterState("A", kStart);
    ctx.SetTaskToken("tok");
    ctx.Get();
  }
  json::Value second_input = J("[]");
  ContextObject ctx(Info(second_input, "second"));
  ctx.EnterState("Z", kStart);
  const json::Value& v = ctx.Get();
  EXPECT_EQ(v.at("Execution").at("Name"), "second");
  EXPECT_EQ(v.at("Execution").at("Input"), J("[]"));
  EXPECT_EQ(v.at("State").at("Name"), "Z");
  EXPECT_FALSE(v.as_object().contains("Task"));
}

TEST(ContextObjectTest, NestedExecutionsOnOneThread) {
  // A task handler that runs another execution synchronously (as a nested startExecution.sync
  // could) must not disturb the outer execution's context.
  testing::Harness outer;
  testing::FakeHandler inner_handler;
  ManualClock inner_clock{kStart + std::chrono::hours(1)};
  Executor inner(inner_handler, inner_clock, nullptr);
  std::shared_ptr<const asl::StateMachine> child = testing::MustCompile(
      R"({"StartAt":"C","States":{"C":{"Type":"Pass",
          "Parameters":{"name.$":"$$.Execution.Name","state.$":"$$.State.Name"},"End":true}}})");
  ASSERT_TRUE(child);
  outer.handler.On("arn:aws:states:::states:startExecution.sync", [&](const TaskRequest&) {
    ExecutionSpec spec;
    spec.state_machine_name = "child";
    spec.execution_name = "inner";
    ExecutionResult r = inner.Run(*child, spec);
    return Result<json::Value>(*r.output);
  });
  ExecutionResult r = outer.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync",
      "ResultSelector":{"child.$":"$","me.$":"$$.Execution.Name","state.$":"$$.State.Name"},
      "End":true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"({"child":{"name":"inner","state":"C"},"me":"exec-1","state":"T"})"));
}

}  // namespace
}  // namespace autoretrain::engine
