// The execution loop on the seed's trigger definition: outputs, DescribeExecution, the
// history events in AWS's order and shape, the context object and execution timeouts.
#include "autoretrain/engine/executor.h"

#include <gtest/gtest.h>

#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;
using testing::J;

// shared/seed/retraining_trigger.asl.json with the pipeline ARN filled in.
constexpr const char* kSeed = R"({
  "Comment": "Auto retraining trigger based on monitoring CSV output",
  "StartAt": "ReadRetrainingDecision",
  "States": {
    "ReadRetrainingDecision": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "check_retraining_decision"
      },
      "ResultSelector": {
        "decision.$": "$.Payload.retraining_required"
      },
      "ResultPath": "$.decision",
      "Next": "DecisionChoice"
    },

    "DecisionChoice": {
      "Type": "Choice",
      "Choices": [
        {
          "Variable": "$.decision.decision",
          "StringEquals": "YES",
          "Next": "TriggerTrainingPipeline"
        }
      ],
      "Default": "NoRetrainingNeeded"
    },

    "TriggerTrainingPipeline": {
      "Type": "Task",
      "Resource": "arn:aws:states:::states:startExecution",
      "Parameters": {
        "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:training",
        "Input": {
          "run": "all",
          "triggered_by": "monitoring",
          "reason": "auto_retraining"
        }
      },
      "End": true
    },

    "NoRetrainingNeeded": {
      "Type": "Succeed"
    }
  }
})";

constexpr const char* kLambdaInvoke = "arn:aws:states:::lambda:invoke";
constexpr const char* kStartExecution = "arn:aws:states:::states:startExecution";

void ScriptSeed(Harness& h, const char* decision) {
  json::Object envelope;
  envelope["ExecutedVersion"] = "$LATEST";
  envelope["Payload"] = json::Object{{"retraining_required", decision}};
  envelope["StatusCode"] = 200;
  h.handler.Returns(kLambdaInvoke, envelope);
  h.handler.Returns(kStartExecution,
                    J(R"({"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:)"
                      R"(training:run-1","StartDate":"2026-11-23T03:00:00.000Z"})"));
}

TEST(ExecutorTest, SeedYesStartsThePipeline) {
  Harness h;
  ScriptSeed(h, "YES");
  ExecutionResult r = h.Run(kSeed);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.error.value_or("") << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"({"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:)"
                         R"(training:run-1","StartDate":"2026-11-23T03:00:00.000Z"})"));
  ASSERT_EQ(h.handler.calls.size(), 2u);
  EXPECT_EQ(h.handler.calls[0].parameters, J(R"({"FunctionName":"check_retraining_decision"})"));
  EXPECT_EQ(h.handler.calls[1].resource, kStartExecution);
  EXPECT_EQ(h.handler.calls[1].parameters,
            J(R"({"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:)"
              R"(training","Input":{"run":"all","triggered_by":"monitoring",)"
              R"("reason":"auto_retraining"}})"));
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                      "ChoiceStateEntered", "ChoiceStateExited", "TaskStateEntered",
                                      "TaskScheduled", "TaskStarted", "TaskSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
}

TEST(ExecutorTest, SeedNoEndsAtSucceed) {
  Harness h;
  ScriptSeed(h, "NO");
  ExecutionResult r = h.Run(kSeed);
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"decision":{"decision":"NO"}})"));
  EXPECT_EQ(h.handler.calls.size(), 1u);
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{
                "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                "TaskSucceeded", "TaskStateExited", "ChoiceStateEntered", "ChoiceStateExited",
                "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"}));
}

TEST(ExecutorTest, SeedEventDetailsHaveAwsShape) {
  Harness h;
  ScriptSeed(h, "NO");
  ExecutionResult r = h.Run(kSeed, R"({"k":1})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  const auto& events = h.observer.events;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(events[i].previous_event_id, static_cast<int64_t>(i));
  }
  EXPECT_EQ(h.observer.Details("ExecutionStarted"),
            J(R"({"input":"{\"k\":1}","inputDetails":{"truncated":false},"roleArn":""})"));
  EXPECT_EQ(h.observer.Details("TaskStateEntered"),
            J(R"({"name":"ReadRetrainingDecision","input":"{\"k\":1}",)"
              R"("inputDetails":{"truncated":false}})"));
  EXPECT_EQ(h.observer.Details("TaskScheduled"),
            J(R"({"resourceType":"lambda","resource":"invoke","region":"us-east-1",)"
              R"("parameters":"{\"FunctionName\":\"check_retraining_decision\"}"})"));
  EXPECT_EQ(h.observer.Details("TaskStarted"),
            J(R"({"resourceType":"lambda","resource":"invoke"})"));
  json::Value succeeded = h.observer.Details("TaskSucceeded");
  EXPECT_EQ(succeeded.at("resourceType"), "lambda");
  EXPECT_EQ(json::Parse(succeeded.at("output").as_string()).value(),
            J(R"({"ExecutedVersion":"$LATEST","Payload":{"retraining_required":"NO"},)"
              R"("StatusCode":200})"));
  EXPECT_EQ(h.observer.Details("TaskStateExited"),
            J(R"({"name":"ReadRetrainingDecision","output":"{\"k\":1,\"decision\":{\"decision\":)"
              R"(\"NO\"}}","outputDetails":{"truncated":false}})"));
  EXPECT_EQ(h.observer.Details("ExecutionSucceeded"),
            J(R"({"output":"{\"k\":1,\"decision\":{\"decision\":\"NO\"}}",)"
              R"("outputDetails":{"truncated":false}})"));
  json::Value event = events.front().ToJson();
  EXPECT_EQ(event.at("id"), 1);
  EXPECT_EQ(event.at("previousEventId"), 0);
  EXPECT_EQ(event.at("type"), "ExecutionStarted");
  EXPECT_EQ(event.at("timestamp"), "2026-11-23T03:00:00.000Z");
  EXPECT_TRUE(event.as_object().contains("executionStartedEventDetails"));
}

TEST(ExecutorTest, SeedLambdaErrorFailsTheExecution) {
  Harness h;
  h.handler.FailsThenReturns(kLambdaInvoke, {Error{"IndexError", "list index out of range"}},
                             json::Object{});
  ExecutionResult r = h.Run(kSeed);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "IndexError");
  EXPECT_EQ(r.cause, "list index out of range");
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskFailed", "ExecutionFailed"}));
  EXPECT_EQ(h.observer.Details("TaskFailed"),
            J(R"({"resourceType":"lambda","resource":"invoke","error":"IndexError",)"
              R"("cause":"list index out of range"})"));
  EXPECT_EQ(h.observer.Details("ExecutionFailed"),
            J(R"({"error":"IndexError","cause":"list index out of range"})"));
}

TEST(ExecutorTest, SeedMissingDecisionIsARuntimeErrorInTheChoice) {
  Harness h;
  h.handler.Returns(kLambdaInvoke, J(R"({"Payload":{"other":1}})"));
  ExecutionResult r = h.Run(kSeed);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  // ResultSelector's path selects nothing: the Task fails before the Choice.
  EXPECT_NE(r.cause->find("An error occurred while executing the state "
                          "'ReadRetrainingDecision' (entered at the event id #2)."),
            std::string::npos)
      << *r.cause;
}

TEST(ExecutorTest, DescribeJsonHasAwsFields) {
  Harness h;
  ScriptSeed(h, "NO");
  h.clock.Advance(std::chrono::milliseconds(5));
  ExecutionResult r = h.Run(kSeed);
  json::Value d = r.ToDescribeJson();
  EXPECT_EQ(d.at("executionArn"), "arn:aws:states:us-east-1:123456789012:execution:test:exec-1");
  EXPECT_EQ(d.at("stateMachineArn"), "arn:aws:states:us-east-1:123456789012:stateMachine:test");
  EXPECT_EQ(d.at("name"), "exec-1");
  EXPECT_EQ(d.at("status"), "SUCCEEDED");
  EXPECT_EQ(d.at("startDate"), "2026-11-23T03:00:00.005Z");
  EXPECT_EQ(d.at("stopDate"), "2026-11-23T03:00:00.005Z");
  EXPECT_EQ(d.at("input"), "{}");
  EXPECT_EQ(d.at("output"), R"({"decision":{"decision":"NO"}})");
  EXPECT_FALSE(d.as_object().contains("error"));

  ExecutionResult failed;
  failed.status = ExecutionStatus::kFailed;
  failed.error = "E";
  failed.cause = "C";
  json::Value f = failed.ToDescribeJson();
  EXPECT_EQ(f.at("status"), "FAILED");
  EXPECT_EQ(f.at("error"), "E");
  EXPECT_EQ(f.at("cause"), "C");
  EXPECT_FALSE(f.as_object().contains("output"));
}

TEST(ExecutorTest, StatusNames) {
  EXPECT_STREQ(ExecutionStatusName(ExecutionStatus::kRunning), "RUNNING");
  EXPECT_STREQ(ExecutionStatusName(ExecutionStatus::kSucceeded), "SUCCEEDED");
  EXPECT_STREQ(ExecutionStatusName(ExecutionStatus::kFailed), "FAILED");
  EXPECT_STREQ(ExecutionStatusName(ExecutionStatus::kTimedOut), "TIMED_OUT");
  EXPECT_STREQ(ExecutionStatusName(ExecutionStatus::kAborted), "ABORTED");
}

TEST(ExecutorTest, GeneratesAnExecutionNameWhenNoneIsGiven) {
  Harness h;
  std::shared_ptr<const asl::StateMachine> m =
      testing::MustCompile(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  ASSERT_TRUE(m);
  ExecutionSpec spec;
  spec.state_machine_name = "sm";
  ExecutionResult r = h.executor.Run(*m, spec);
  EXPECT_EQ(r.name.size(), 36u);
  EXPECT_EQ(r.execution_arn, "arn:aws:states:us-east-1:123456789012:execution:sm:" + r.name);
}

TEST(ExecutorTest, MachineNameComesFromTheArnWhenNotGiven) {
  Harness h;
  std::shared_ptr<const asl::StateMachine> m = testing::MustCompile(
      R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"$$.StateMachine.Name"},)"
      R"("End":true}}})");
  ASSERT_TRUE(m);
  ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:trigger";
  spec.execution_name = "e";
  ExecutionResult r = h.executor.Run(*m, spec);
  EXPECT_EQ(r.execution_arn, "arn:aws:states:us-east-1:123456789012:execution:trigger:e");
  EXPECT_EQ(*r.output, J(R"({"n":"trigger"})"));
}

TEST(ExecutorTest, RunsWithoutAnObserver) {
  testing::FakeHandler handler;
  ManualClock clock{testing::kStart};
  Executor executor(handler, clock, nullptr);
  std::shared_ptr<const asl::StateMachine> m = testing::MustCompile(
      R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}})");
  ASSERT_TRUE(m);
  ExecutionSpec spec;
  spec.state_machine_name = "sm";
  ExecutionResult r = executor.Run(*m, spec);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"a":1})"));
}

// Unobserved, states that only pass their input on are merely numbered; the ids must still be
// the ones an observed run records (errors cite them).
TEST(ExecutorTest, UnobservedEventsAreNumberedAsObservedOnes) {
  constexpr const char* kDefinition = R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Next":"B"},
    "B":{"Type":"Pass","InputPath":"$","Next":"C"},
    "C":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}})";
  Harness observed;
  ExecutionResult seen = observed.Run(kDefinition, R"({"a":1})");
  ExecutionResult unseen = testing::UnobservedHarness().Run(kDefinition, R"({"a":1})");
  ASSERT_EQ(seen.status, ExecutionStatus::kFailed);
  ASSERT_EQ(unseen.status, ExecutionStatus::kFailed);
  EXPECT_NE(seen.cause->find("(entered at the event id #6)"), std::string::npos) << *seen.cause;
  EXPECT_EQ(unseen.cause, seen.cause);
  EXPECT_EQ(observed.observer.events[5].type, "PassStateEntered");
}

// The same inside a Map iteration, whose states are passed over by its own loop.
TEST(ExecutorTest, UnobservedBranchEventsAreNumberedAsObservedOnes) {
  constexpr const char* kDefinition = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}}}}})";
  Harness observed;
  ExecutionResult seen = observed.Run(kDefinition, R"([{"a":1},{"a":2}])");
  ExecutionResult unseen = testing::UnobservedHarness().Run(kDefinition, R"([{"a":1},{"a":2}])");
  ASSERT_EQ(seen.status, ExecutionStatus::kFailed);
  ASSERT_EQ(unseen.status, ExecutionStatus::kFailed);
  // Started, MapStateEntered, MapStateStarted, MapIterationStarted, A in/out, B in/out, C in.
  EXPECT_NE(seen.cause->find("(entered at the event id #9)"), std::string::npos) << *seen.cause;
  EXPECT_EQ(unseen.cause, seen.cause);
}

// Tasks in a branch are named by the states the branch entered (TaskRequest::branch_step, from
// which child execution names derive): passing over states must count them all the same.
TEST(ExecutorTest, UnobservedBranchesCountPassedOverStates) {
  constexpr const char* kDefinition = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
    "ItemProcessor":{"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Pass","Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}})";
  auto steps = [](testing::FakeHandler& handler) {
    auto seen = std::make_shared<std::vector<int64_t>>();
    handler.On("arn:aws:states:::lambda:invoke", [seen](const TaskRequest& request) {
      seen->push_back(request.branch_step);
      return Result<json::Value>(json::Object{});
    });
    return seen;
  };
  Harness observed;
  auto observed_steps = steps(observed.handler);
  EXPECT_EQ(observed.Run(kDefinition, "[1,2]").status, ExecutionStatus::kSucceeded);
  testing::UnobservedHarness unobserved;
  auto unobserved_steps = steps(unobserved.handler);
  EXPECT_EQ(unobserved.Run(kDefinition, "[1,2]").status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*observed_steps, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(*unobserved_steps, *observed_steps);
}

TEST(ExecutorTest, ContextObjectInParameters) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
      "id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","input.$":"$$.Execution.Input",
      "start.$":"$$.Execution.StartTime","state.$":"$$.State.Name",
      "entered.$":"$$.State.EnteredTime","retries.$":"$$.State.RetryCount",
      "sm.$":"$$.StateMachine.Id","smName.$":"$$.StateMachine.Name",
      "redrive.$":"$$.Execution.RedriveCount","role.$":"$$.Execution.RoleArn"},
      "End":true}}})",
                            R"({"x":[1,2]})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output,
            J(R"({"id":"arn:aws:states:us-east-1:123456789012:execution:test:exec-1",)"
              R"("name":"exec-1","input":{"x":[1,2]},"start":"2026-11-23T03:00:00.000Z",)"
              R"("state":"P","entered":"2026-11-23T03:00:00.000Z","retries":0,)"
              R"("sm":"arn:aws:states:us-east-1:123456789012:stateMachine:test",)"
              R"("smName":"test","redrive":0,"role":""})"));
}

TEST(ExecutorTest, ContextObjectGivenToTasksFollowsTheState) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke", json::Object{});
  ExecutionResult r = h.Run(R"({"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":10,"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  ASSERT_EQ(h.handler.calls.size(), 1u);
  const json::Value& ctx = h.handler.calls[0].context;
  EXPECT_EQ(ctx.at("State").at("Name"), "T");
  EXPECT_EQ(ctx.at("State").at("EnteredTime"), "2026-11-23T03:00:10.000Z");
  EXPECT_EQ(ctx.at("Execution").at("StartTime"), "2026-11-23T03:00:00.000Z");
  EXPECT_FALSE(ctx.as_object().contains("Task"));
}

TEST(ExecutorTest, CallbackTasksGetATaskToken) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke.waitForTaskToken", json::Object{});
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
           "Parameters":{"token.$":"$$.Task.Token"},"End":true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  const testing::Call& call = h.handler.calls.at(0);
  ASSERT_TRUE(call.parameters.at("token").is_string());
  EXPECT_EQ(call.context.at("Task").at("Token"), call.parameters.at("token"));
}

TEST(ExecutorTest, ExecutionTimeoutDuringAWait) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"W","TimeoutSeconds":5,"States":{
      "W":{"Type":"Wait","Seconds":60,"End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(r.stop_date, testing::kStart + std::chrono::seconds(5));
  EXPECT_EQ(h.observer.Types(), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                          "ExecutionTimedOut"}));
  EXPECT_EQ(r.ToDescribeJson().at("status"), "TIMED_OUT");
}

TEST(ExecutorTest, ExecutionTimeoutAfterASlowTask) {
  Harness h;
  h.handler.On("arn:aws:states:::lambda:invoke", [&](const TaskRequest&) {
    h.clock.Advance(std::chrono::seconds(10));
    return Result<json::Value>(json::Object{});
  });
  ExecutionResult r = h.Run(R"({"StartAt":"T","TimeoutSeconds":5,"States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"P"},
      "P":{"Type":"Pass","End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kTimedOut);
}

// Work a task submits (a .sync child execution) runs on while the handler returns; the task's
// TimeoutSeconds still counts from the task's start, not from when the handler returned.
TEST(ExecutorTest, SubmittedTaskTimeoutCountsFromTheTaskStart) {
  Harness h;
  h.handler.On("arn:aws:states:::states:startExecution.sync", [&](const TaskRequest& request) {
    if (request.submitted != nullptr) return Result<json::Value>(json::Object{{"done", true}});
    h.clock.Advance(std::chrono::seconds(60));  // the child ran meanwhile
    *request.check_again_at = h.clock.Now() + std::chrono::seconds(1);
    return Result<json::Value>(json::Object{{"ExecutionArn", "child"}});
  });
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
           "TimeoutSeconds":30,"End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(h.observer.Types().at(h.observer.Types().size() - 2), "TaskTimedOut");
}

TEST(ExecutorTest, TaskTimeoutIsPassedToTheHandler) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke", json::Object{});
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":30,
           "ResultPath":null,"Next":"U"},
      "U":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "TimeoutSecondsPath":"$.t","End":true}}})",
                            R"({"t":7})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  ASSERT_EQ(h.handler.calls.size(), 2u);
  EXPECT_EQ(h.handler.calls[0].timeout_seconds, 30);
  EXPECT_EQ(h.handler.calls[1].timeout_seconds, 7);
  EXPECT_EQ(h.observer.Details("TaskScheduled").at("timeoutInSeconds"), 30);
}

TEST(ExecutorTest, PlainLambdaArnUsesLambdaFunctionEvents) {
  Harness h;
  const char* arn = "arn:aws:lambda:us-east-1:123456789012:function:check_retraining_decision";
  h.handler.Returns(arn, J(R"({"retraining_required":"YES"})"));
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:lambda:us-east-1:123456789012:function:check_retraining_decision",
      "End":true}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(
      h.observer.Types(),
      (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                                "TaskStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(h.observer.Details("LambdaFunctionScheduled"),
            J(std::string(R"({"resource":")") + arn +
              R"(","input":"{}","inputDetails":{"truncated":false}})"));
}

TEST(ExecutorTest, TaskTimedOutEvent) {
  Harness h;
  h.handler.FailsThenReturns("arn:aws:states:::lambda:invoke",
                             {Error{"States.Timeout", "took too long"}}, json::Object{});
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":1,"End":true}}})");
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(h.observer.Types()[4], "TaskTimedOut");
}

TEST(ExecutorTest, UnknownResourceFails) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage","End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
}

}  // namespace
}  // namespace autoretrain::engine
