// Execution as a step machine: suspension at Wait states and Retry delays without sleeping,
// checkpoints before task invocations, resuming from a checkpoint with the same event ids, and
// aborting.
#include "autoretrain/engine/execution.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::CheckpointObserver;
using testing::FakeHandler;
using testing::J;
using testing::kStart;
using testing::MustCompile;
using testing::SavedPoint;
using testing::StepHarness;

constexpr char kWaitThenTask[] = R"({
  "StartAt": "Wait",
  "States": {
    "Wait": {"Type": "Wait", "Seconds": 60, "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
             "End": true}
  }
})";

TEST(ExecutionTest, WaitSuspendsWithoutSleepingAndContinuesAfterWakeTime) {
  StepHarness h(kWaitThenTask);
  h.handler.Returns("arn:aws:lambda:us-east-1:123456789012:function:work", J(R"({"done":1})"));
  Execution execution(h.executor, *h.machine, h.Spec(R"({"a":1})"));

  ASSERT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(execution.wake_at(), kStart + std::chrono::seconds(60));
  EXPECT_EQ(h.clock.Now(), kStart) << "a suspended execution must not sleep";
  ASSERT_EQ(h.observer.checkpoints.size(), 1u);
  EXPECT_EQ(h.observer.checkpoints[0].point.wake_at, kStart + std::chrono::seconds(60));
  EXPECT_EQ(h.observer.checkpoints[0].point.entered_event_id, 2);

  // Too early: suspends again, nothing runs.
  h.clock.Advance(std::chrono::seconds(30));
  EXPECT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  EXPECT_TRUE(h.handler.calls.empty());

  h.clock.Advance(std::chrono::seconds(30));
  ASSERT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(execution.result().status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*execution.result().output), R"({"done":1})");
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                      "TaskStateEntered", "LambdaFunctionScheduled",
                                      "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
  // The second checkpoint is the one before the task's invocation.
  ASSERT_EQ(h.observer.checkpoints.size(), 2u);
  EXPECT_EQ(h.observer.checkpoints[1].point.state_index, h.machine->index_by_name.at("Work"));
  EXPECT_FALSE(h.observer.checkpoints[1].point.wake_at);
  EXPECT_EQ(h.observer.checkpoints[1].point.last_event_id, 6);
}

TEST(ExecutionTest, ResumingAWaitKeepsItsWakeTimeAndEventIds) {
  StepHarness h(kWaitThenTask);
  h.handler.Returns("arn:aws:lambda:us-east-1:123456789012:function:work", J("1"));
  SavedPoint saved;
  {
    Execution first(h.executor, *h.machine, h.Spec(R"({"a":1})"));
    ASSERT_EQ(first.Advance(), Execution::Progress::kSuspended);
    saved = h.observer.checkpoints.back();
  }  // the process "dies" here
  const size_t before = h.observer.events.size();
  saved.point.input = &saved.input;
  h.clock.Advance(std::chrono::seconds(10));
  Execution resumed(h.executor, *h.machine, h.Spec(R"({"a":1})"), saved.point);
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(resumed.wake_at(), kStart + std::chrono::seconds(60)) << "the wait is not restarted";
  h.clock.Advance(std::chrono::seconds(50));
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(resumed.result().status, ExecutionStatus::kSucceeded);
  ASSERT_GT(h.observer.events.size(), before);
  EXPECT_EQ(h.observer.events[before].type, "WaitStateExited");
  EXPECT_EQ(h.observer.events[before].id, 3) << "ids continue after the checkpoint";
}

TEST(ExecutionTest, ResumedTaskIsInvokedWithTheSameEnteredEventIdAndRetryCount) {
  StepHarness h(R"({
    "StartAt": "Start",
    "States": {
      "Start": {"Type": "Pass", "Next": "Work"},
      "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
               "Parameters": {"n.$": "$$.State.RetryCount"}, "End": true}
    }
  })");
  std::vector<int64_t> entered_ids;
  h.handler.On("arn:aws:lambda:us-east-1:123456789012:function:w",
               [&](const TaskRequest& r) -> Result<json::Value> {
                 entered_ids.push_back(r.state_entered_event_id);
                 return J("{}");
               });
  h.observer.keep_going = false;  // the first run halts at the checkpoint before invoking
  Execution first(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(first.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(first.result().status, ExecutionStatus::kAborted);
  EXPECT_TRUE(entered_ids.empty()) << "a halted execution must not invoke the task";
  ASSERT_EQ(h.observer.checkpoints.size(), 1u);

  h.observer.keep_going = true;
  SavedPoint saved = h.observer.checkpoints[0];
  saved.point.input = &saved.input;
  Execution resumed(h.executor, *h.machine, h.Spec(), saved.point);
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(resumed.result().status, ExecutionStatus::kSucceeded);
  ASSERT_EQ(entered_ids.size(), 1u);
  EXPECT_EQ(entered_ids[0], saved.point.entered_event_id);
}

TEST(ExecutionTest, RetryDelaySuspendsAndCountsAttemptsAcrossResume) {
  StepHarness h(R"({
    "StartAt": "Work",
    "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
               "Parameters": {"retry.$": "$$.State.RetryCount"},
               "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5, "MaxAttempts": 2,
                          "BackoffRate": 1, "JitterStrategy": "NONE"}],
               "End": true}
    }
  })");
  h.handler.FailsThenReturns("arn:aws:lambda:us-east-1:123456789012:function:w",
                             {Error{"Flaky", "1"}, Error{"Flaky", "2"}}, J(R"("ok")"));
  Execution first(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(first.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(first.wake_at(), kStart + std::chrono::seconds(5));
  SavedPoint saved = h.observer.checkpoints.back();
  EXPECT_EQ(saved.point.retry_count, 1);
  EXPECT_EQ(saved.point.retrier_attempts, std::vector<int>{1});

  saved.point.input = &saved.input;
  Execution resumed(h.executor, *h.machine, h.Spec(), saved.point);
  h.clock.Advance(std::chrono::seconds(5));
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kSuspended);  // second failure
  h.clock.Advance(std::chrono::seconds(5));
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(resumed.result().status, ExecutionStatus::kSucceeded);
  ASSERT_EQ(h.handler.calls.size(), 3u);
  EXPECT_EQ(json::Serialize(h.handler.calls[2].parameters), R"({"retry":2})");
}

TEST(ExecutionTest, DeadlineWakesASuspendedExecutionAndTimesItOut) {
  StepHarness h(R"({
    "TimeoutSeconds": 10,
    "StartAt": "Wait",
    "States": {"Wait": {"Type": "Wait", "Seconds": 60, "End": true}}
  })");
  Execution execution(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  EXPECT_EQ(execution.wake_at(), kStart + std::chrono::seconds(10));
  h.clock.Advance(std::chrono::seconds(10));
  ASSERT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(execution.result().status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(h.observer.events.back().type, "ExecutionTimedOut");
}

TEST(ExecutionTest, AbortEndsASuspendedExecutionWithAnAbortedEvent) {
  StepHarness h(kWaitThenTask);
  Execution execution(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(execution.Advance(), Execution::Progress::kSuspended);
  execution.Abort("Stopped", "by the test");
  EXPECT_EQ(execution.result().status, ExecutionStatus::kAborted);
  EXPECT_EQ(*execution.result().error, "Stopped");
  const HistoryEvent& last = h.observer.events.back();
  EXPECT_EQ(last.type, "ExecutionAborted");
  EXPECT_EQ(last.details_key, "executionAbortedEventDetails");
  EXPECT_EQ(json::Serialize(last.details), R"({"error":"Stopped","cause":"by the test"})");
  EXPECT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_TRUE(h.handler.calls.empty());
}

TEST(ExecutionTest, RequestedAbortTakesEffectAtTheNextStateBoundary) {
  StepHarness h(R"({
    "StartAt": "Work",
    "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
               "Next": "After"},
      "After": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
                "End": true}
    }
  })");
  Execution* self = nullptr;
  h.handler.On("arn:aws:lambda:us-east-1:123456789012:function:w",
               [&](const TaskRequest&) -> Result<json::Value> {
                 self->RequestAbort(std::nullopt, std::nullopt);  // as another thread would
                 return J("{}");
               });
  Execution execution(h.executor, *h.machine, h.Spec());
  self = &execution;
  ASSERT_EQ(execution.Advance(), Execution::Progress::kFinished);
  EXPECT_EQ(execution.result().status, ExecutionStatus::kAborted);
  EXPECT_EQ(h.handler.calls.size(), 1u) << "the second task must not start";
  EXPECT_EQ(h.observer.events.back().type, "ExecutionAborted");
  EXPECT_EQ(json::Serialize(h.observer.events.back().details), "{}");
}

TEST(ExecutionTest, ResumedCallbackTaskKeepsItsTaskToken) {
  StepHarness h(R"({"StartAt":"Approve","States":{"Approve":{"Type":"Task",
    "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters":{"Payload":{"token.$":"$$.Task.Token"}},"End":true}}})");
  std::vector<std::string> tokens;
  h.handler.On("arn:aws:states:::lambda:invoke.waitForTaskToken",
               [&](const TaskRequest& r) -> Result<json::Value> {
                 tokens.push_back(std::string(r.parameters->at("Payload").at("token").as_string()));
                 return J("{}");
               });
  Execution first(h.executor, *h.machine, h.Spec());
  ASSERT_EQ(first.Advance(), Execution::Progress::kFinished);
  ASSERT_EQ(h.observer.checkpoints.size(), 1u);
  SavedPoint saved = h.observer.checkpoints[0];
  const std::string token = saved.task_token;
  ASSERT_FALSE(token.empty());
  saved.point.task_token = saved.task_token;
  saved.point.input = &saved.input;
  Execution resumed(h.executor, *h.machine, h.Spec(), saved.point);
  ASSERT_EQ(resumed.Advance(), Execution::Progress::kFinished);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0], token);
  EXPECT_EQ(tokens[1], token) << "the resumed attempt must reuse the token its worker holds";
}

}  // namespace
}  // namespace autoretrain::engine
