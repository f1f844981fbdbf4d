// Wait, Fail and Succeed states, and Retry/Catch on Task states, as the AWS developer guide's
// state pages and "Handling errors" page describe them.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/engine_test_util.h"
#include "engine/retry_policy.h"

namespace autoretrain::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Harness;
using testing::J;
using testing::kStart;

constexpr const char* kInvoke = "arn:aws:states:::lambda:invoke";

// --- Wait -------------------------------------------------------------------------------------

ExecutionResult RunWait(Harness& h, const std::string& fields, const std::string& input) {
  return h.Run(R"({"StartAt":"W","States":{"W":{"Type":"Wait",)" + fields +
                   R"(,"Next":"P"},"P":{"Type":"Pass","End":true}}})",
               input);
}

TEST(WaitStateTest, Seconds) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("Seconds":90)", R"({"a":1})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"a":1})"));
  EXPECT_EQ(h.clock.Now(), kStart + seconds(90));
  EXPECT_EQ(h.observer.Types(), (std::vector<std::string>{
                                    "ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                    "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
}

TEST(WaitStateTest, Timestamp) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("Timestamp":"2026-11-23T04:00:00Z")", "{}");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.clock.Now(), kStart + seconds(3600));
}

TEST(WaitStateTest, TimestampInThePastDoesNotWait) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("Timestamp":"2020-01-01T00:00:00Z")", "{}");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.clock.Now(), kStart);
}

TEST(WaitStateTest, SecondsPath) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("SecondsPath":"$.s")", R"({"s":5})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(h.clock.Now(), kStart + seconds(5));
}

TEST(WaitStateTest, SecondsPathMustBeANonNegativeInteger) {
  for (const char* input : {R"({"s":-1})", R"({"s":"5"})", R"({"s":1.5})", R"({})"}) {
    Harness h;
    ExecutionResult r = RunWait(h, R"("SecondsPath":"$.s")", input);
    EXPECT_EQ(r.status, ExecutionStatus::kFailed) << input;
    EXPECT_EQ(r.error, "States.Runtime") << input;
  }
}

TEST(WaitStateTest, TimestampPath) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("TimestampPath":"$.t")", R"({"t":"2026-11-23T03:00:30.500Z"})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  // AWS drops the milliseconds of Wait timestamps.
  EXPECT_EQ(h.clock.Now(), kStart + milliseconds(30000));
}

TEST(WaitStateTest, TimestampPathMustBeATimestamp) {
  for (const char* input : {R"({"t":"tomorrow"})", R"({"t":5})", R"({})"}) {
    Harness h;
    ExecutionResult r = RunWait(h, R"("TimestampPath":"$.t")", input);
    EXPECT_EQ(r.error, "States.Runtime") << input;
  }
}

TEST(WaitStateTest, InputAndOutputPath) {
  Harness h;
  ExecutionResult r = RunWait(h, R"("InputPath":"$.w","SecondsPath":"$.s","OutputPath":"$.o")",
                              R"({"w":{"s":2,"o":"out"}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"("out")"));
  EXPECT_EQ(h.clock.Now(), kStart + seconds(2));
}

// --- Succeed and Fail --------------------------------------------------------------------------

TEST(SucceedStateTest, EndsWithItsInput) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"S","States":{"S":{"Type":"Succeed"}}})", R"({"x":[1]})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"x":[1]})"));
}

TEST(FailStateTest, ErrorAndCause) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail",
      "Error":"RetrainingFailed","Cause":"metric below threshold"}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "RetrainingFailed");
  EXPECT_EQ(r.cause, "metric below threshold");
  EXPECT_FALSE(r.output.has_value());
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"}));
}

TEST(FailStateTest, WithoutErrorOrCause) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail"}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.cause, "");
}

TEST(FailStateTest, ErrorPathAndCausePath) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail",
      "ErrorPath":"$.e","CausePath":"$.c.text"}}})",
                            R"({"e":"Custom","c":{"text":"why"}})");
  EXPECT_EQ(r.error, "Custom");
  EXPECT_EQ(r.cause, "why");
}

TEST(FailStateTest, ErrorPathMustSelectAString) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail",
      "ErrorPath":"$.e"}}})",
                            R"({"e":42})");
  EXPECT_EQ(r.error, "States.Runtime");
  Harness h2;
  r = h2.Run(R"({"StartAt":"F","States":{"F":{"Type":"Fail","CausePath":"$.c"}}})", "{}");
  EXPECT_EQ(r.error, "States.Runtime");
}

// --- Retry and Catch ---------------------------------------------------------------------------

// A Task state T with `fields`, plus a Pass state "Handled" when a Catch goes there.
std::string TaskWith(const std::string& fields) {
  const bool handled = fields.find("Handled") != std::string::npos;
  return R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke",)" +
         fields + "}" + (handled ? R"(,"Handled":{"Type":"Pass","End":true})" : "") + "}}";
}

TEST(RetryTest, RetriesWithBackoffThenSucceeds) {
  Harness h;
  h.handler.FailsThenReturns(
      kInvoke, {Error{"Lambda.ServiceException", "x"}, Error{"Lambda.ServiceException", "x"}},
      J(R"({"ok":true})"));
  ExecutionResult r = h.Run(TaskWith(R"("Retry":[{"ErrorEquals":["Lambda.ServiceException"],
      "IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}],"End":true)"));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"({"ok":true})"));
  ASSERT_EQ(h.handler.calls.size(), 3u);
  // Waits of 2 s then 6 s.
  EXPECT_EQ(h.clock.Now(), kStart + seconds(8));
  EXPECT_EQ(h.handler.calls[0].context.at("State").at("RetryCount"), 0);
  EXPECT_EQ(h.handler.calls[2].context.at("State").at("RetryCount"), 2);
  EXPECT_EQ(h.observer.Types(),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskFailed", "TaskScheduled", "TaskStarted",
                                      "TaskFailed", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
}

TEST(RetryTest, GivesUpAfterMaxAttempts) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", "1"}, Error{"E", "2"}, Error{"E", "3"}},
                             json::Object{});
  ExecutionResult r = h.Run(TaskWith(R"("Retry":[{"ErrorEquals":["E"],"MaxAttempts":2,
      "IntervalSeconds":1}],"End":true)"));
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "E");
  EXPECT_EQ(r.cause, "3");
  EXPECT_EQ(h.handler.calls.size(), 3u);
}

TEST(RetryTest, MaxAttemptsZeroNeverRetries) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", ""}}, json::Object{});
  ExecutionResult r =
      h.Run(TaskWith(R"("Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}],"End":true)"));
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(h.handler.calls.size(), 1u);
}

TEST(RetryTest, FirstMatchingRetrierDecides) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", ""}, Error{"E", ""}}, json::Object{});
  // The first retrier allows one retry; once used up the error is not retried by the second.
  ExecutionResult r = h.Run(TaskWith(R"("Retry":[
      {"ErrorEquals":["E"],"MaxAttempts":1,"IntervalSeconds":1},
      {"ErrorEquals":["States.ALL"],"MaxAttempts":5,"IntervalSeconds":1}],"End":true)"));
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(h.handler.calls.size(), 2u);
}

TEST(RetryTest, MaxDelaySecondsCapsBackoff) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", ""}, Error{"E", ""}, Error{"E", ""}},
                             json::Object{});
  ExecutionResult r = h.Run(TaskWith(R"("Retry":[{"ErrorEquals":["E"],"MaxAttempts":3,
      "IntervalSeconds":10,"BackoffRate":10,"MaxDelaySeconds":15}],"End":true)"));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.clock.Now(), kStart + seconds(10 + 15 + 15));
}

TEST(RetryTest, RuntimeErrorsAreNeverRetriedOrCaught) {
  Harness h;
  ExecutionResult r = h.Run(TaskWith(R"("InputPath":"$.missing",
      "Retry":[{"ErrorEquals":["States.ALL"]}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"End":true)"));
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_TRUE(h.handler.calls.empty());
}

TEST(RetryTest, ErrorMatching) {
  EXPECT_TRUE(ErrorMatches({"States.ALL"}, "Custom"));
  EXPECT_TRUE(ErrorMatches({"States.ALL"}, "States.Timeout"));
  EXPECT_FALSE(ErrorMatches({"States.ALL"}, "States.Runtime"));
  EXPECT_FALSE(ErrorMatches({"States.Runtime"}, "States.Runtime"));
  EXPECT_FALSE(ErrorMatches({"States.ALL"}, "States.DataLimitExceeded"));
  EXPECT_TRUE(ErrorMatches({"States.DataLimitExceeded"}, "States.DataLimitExceeded"));
  EXPECT_TRUE(ErrorMatches({"States.TaskFailed"}, "Lambda.Unknown"));
  EXPECT_FALSE(ErrorMatches({"States.TaskFailed"}, "States.Timeout"));
  EXPECT_TRUE(ErrorMatches({"A", "B"}, "B"));
  EXPECT_FALSE(ErrorMatches({"A", "B"}, "b"));
}

TEST(RetryTest, DelayFormula) {
  asl::Retrier r;
  r.interval_seconds = 1;
  r.backoff_rate = 2;
  EXPECT_EQ(RetryDelay(r, 0, 0.5), milliseconds(1000));
  EXPECT_EQ(RetryDelay(r, 3, 0.5), milliseconds(8000));
  r.max_delay_seconds = 5;
  EXPECT_EQ(RetryDelay(r, 3, 0.5), milliseconds(5000));
  r.jitter_strategy = "FULL";
  EXPECT_EQ(RetryDelay(r, 3, 0.5), milliseconds(2500));
  EXPECT_EQ(RetryDelay(r, 3, 0.0), milliseconds(0));
  double u = RandomUnit();
  EXPECT_GE(u, 0.0);
  EXPECT_LE(u, 1.0);
}

TEST(CatchTest, CatchPutsErrorAtResultPath) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"AccessDenied", "no s3:GetObject"}}, json::Object{});
  ExecutionResult r = h.Run(TaskWith(R"("Catch":[{"ErrorEquals":["AccessDenied"],
      "ResultPath":"$.error","Next":"Handled"}],"End":true)"),
                            R"({"in":1})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"in":1,"error":{"Error":"AccessDenied","Cause":"no s3:GetObject"}})"));
  EXPECT_EQ(h.observer.Types(), (std::vector<std::string>{
                                    "ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                    "TaskStarted", "TaskFailed", "TaskStateExited",
                                    "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
}

TEST(CatchTest, DefaultResultPathReplacesInput) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", "c"}}, json::Object{});
  ExecutionResult r = h.Run(
      TaskWith(R"("Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Handled"}],"End":true)"),
      R"({"in":1})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(*r.output, J(R"({"Error":"E","Cause":"c"})"));
}

TEST(CatchTest, UnmatchedErrorFails) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"Other", ""}}, json::Object{});
  ExecutionResult r =
      h.Run(TaskWith(R"("Catch":[{"ErrorEquals":["E"],"Next":"Handled"}],"End":true)"));
  EXPECT_EQ(r.error, "Other");
}

TEST(CatchTest, RetryThenCatch) {
  Harness h;
  h.handler.FailsThenReturns(kInvoke, {Error{"E", "1"}, Error{"E", "2"}}, json::Object{});
  ExecutionResult r = h.Run(TaskWith(R"("Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],
      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handled"}],
      "ResultPath":"$.result","End":true)"),
                            R"({"keep":"me"})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  // The raw input survived the failed attempts.
  EXPECT_EQ(*r.output, J(R"({"keep":"me","err":{"Error":"E","Cause":"2"}})"));
}

TEST(CatchTest, ResultPathMatchFailureCanBeCaught) {
  Harness h;
  h.handler.Returns(kInvoke, J("1"));
  ExecutionResult r = h.Run(TaskWith(R"("ResultPath":"$.a.b",
      "Catch":[{"ErrorEquals":["States.ResultPathMatchFailure"],"Next":"Handled"}],
      "End":true)"),
                            R"({"a":"text"})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(r.output->at("Error"), "States.ResultPathMatchFailure");
}

}  // namespace
}  // namespace autoretrain::engine
