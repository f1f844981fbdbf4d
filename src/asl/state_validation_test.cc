// Per-state-type checks: allowed fields, transitions, paths, Task, Wait, Fail, Retry, Catch.
#include <gtest/gtest.h>

#include "asl_test_util.h"

namespace autoretrain::asl {
namespace {

using testing::Describe;
using testing::Diagnose;
using testing::Has;
using testing::Machine;
using testing::MustCompile;
using testing::OneState;

constexpr char kLambda[] = R"("Resource":"arn:aws:lambda:us-east-1:123456789012:function:f")";

std::string Task(std::string_view extra) {
  return OneState("{\"Type\":\"Task\"," + std::string(kLambda) + "," + std::string(extra) + "}");
}

TEST(StateValidationTest, TypeMissingOrUnknownOrNotString) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Next":"Done"})"), kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Sleep","Next":"Done"})"), kSchemaValidationFailed,
                    "/States/S/Type");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":3,"Next":"Done"})"), kSchemaValidationFailed,
                    "/States/S/Type");
  EXPECT_DIAGNOSTIC(OneState(R"("not an object")"), kSchemaValidationFailed, "/States/S");
}

TEST(StateValidationTest, UnknownTypeStillLeadsToItsNext) {
  // Only the bad Type is reported: "Done" is not also unreachable.
  auto diagnostics = Diagnose(OneState(R"({"Type":"Sleep","Next":"Done"})"));
  EXPECT_EQ(diagnostics.size(), 1u) << Describe(diagnostics);
}

struct FieldCase {
  const char* state;     // the state's JSON
  const char* location;  // where the disallowed field is reported
};

class FieldNotAllowedTest : public ::testing::TestWithParam<FieldCase> {};

TEST_P(FieldNotAllowedTest, IsReported) {
  EXPECT_DIAGNOSTIC(OneState(GetParam().state), kSchemaValidationFailed, GetParam().location);
}

INSTANTIATE_TEST_SUITE_P(
    PerStateType, FieldNotAllowedTest,
    ::testing::Values(
        FieldCase{R"({"Type":"Succeed","Parameters":{}})", "/States/S/Parameters"},
        FieldCase{R"({"Type":"Succeed","ResultPath":"$.x"})", "/States/S/ResultPath"},
        FieldCase{R"({"Type":"Succeed","Next":"Done"})", "/States/S/Next"},
        FieldCase{R"({"Type":"Succeed","End":true})", "/States/S/End"},
        FieldCase{R"({"Type":"Fail","InputPath":"$"})", "/States/S/InputPath"},
        FieldCase{R"({"Type":"Fail","OutputPath":"$"})", "/States/S/OutputPath"},
        FieldCase{R"({"Type":"Fail","Next":"Done"})", "/States/S/Next"},
        FieldCase{R"({"Type":"Wait","Seconds":1,"Parameters":{},"Next":"Done"})",
                  "/States/S/Parameters"},
        FieldCase{R"({"Type":"Wait","Seconds":1,"ResultPath":"$","Next":"Done"})",
                  "/States/S/ResultPath"},
        FieldCase{R"({"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,
                      "Next":"Done"}],"Next":"Done"})",
                  "/States/S/Next"},
        FieldCase{R"({"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,
                      "Next":"Done"}],"ResultPath":"$"})",
                  "/States/S/ResultPath"},
        FieldCase{R"({"Type":"Pass","ResultSelector":{},"Next":"Done"})",
                  "/States/S/ResultSelector"},
        FieldCase{R"({"Type":"Pass","Retry":[],"Next":"Done"})", "/States/S/Retry"},
        FieldCase{R"({"Type":"Pass","Resource":"arn:aws:x:::y","Next":"Done"})",
                  "/States/S/Resource"},
        FieldCase{R"({"Type":"Task","Resource":"arn:aws:x:::y","Result":1,"Next":"Done"})",
                  "/States/S/Result"},
        FieldCase{R"({"Type":"Task","Resource":"arn:aws:x:::y","Seconds":1,"Next":"Done"})",
                  "/States/S/Seconds"},
        FieldCase{R"({"Type":"Pass","Arguments":{},"Next":"Done"})", "/States/S/Arguments"}));

TEST(StateValidationTest, AssignWhereAwsAllowsIt) {
  for (const char* state :
       {R"({"Type":"Pass","Assign":{"x":1},"Next":"Done"})",
        R"({"Type":"Wait","Seconds":1,"Assign":{"x":1},"Next":"Done"})",
        R"({"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Done"}],
            "Default":"Done","Assign":{"x":1}})"}) {
    auto machine = MustCompile(OneState(state));
    ASSERT_NE(machine, nullptr) << state;
    EXPECT_TRUE(machine->states[0].assign.has_value()) << state;
  }
  auto machine = MustCompile(Task(R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done",
                                             "Assign":{"err.$":"$.Error"}}],"End":true)"));
  ASSERT_NE(machine, nullptr);
  EXPECT_TRUE(machine->states[0].catch_[0].assign.has_value());
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Succeed","Assign":{"x":1}})"), kSchemaValidationFailed,
                    "/States/S/Assign");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Fail","Assign":{"x":1}})"), kSchemaValidationFailed,
                    "/States/S/Assign");
}

TEST(StateValidationTest, AssignKeysAreVariableNames) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Assign":[1],"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Assign");
  for (const char* key : {"x.y", "x[0]", "1x", "", "a-b"}) {
    EXPECT_DIAGNOSTIC(
        OneState(R"({"Type":"Pass","Assign":{")" + std::string(key) + R"(":1},"Next":"Done"})"),
        kSchemaValidationFailed, "/States/S/Assign/" + std::string(key));
  }
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Assign":{"x":1,"x.$":"$"},"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Assign/x.$");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Assign":{"x.$":"$.a["},"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Assign/x.$");
  EXPECT_DIAGNOSTIC(OneState("{\"Type\":\"Pass\",\"Assign\":{\"" + std::string(81, 'v') +
                             "\":1},\"Next\":\"Done\"}"),
                    kSchemaValidationFailed, "/States/S/Assign/" + std::string(81, 'v'));
}

TEST(StateValidationTest, ResultPathCannotNameAVariable) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","ResultPath":"$x","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/ResultPath");
  MustCompile(OneState(R"({"Type":"Pass","InputPath":"$x","OutputPath":"$y.z","Next":"Done"})"));
}

TEST(StateValidationTest, NextAndEnd) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Next":"Done","End":true})"),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass"})"), kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","End":false})"), kSchemaValidationFailed,
                    "/States/S/End");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","End":"yes"})"), kSchemaValidationFailed,
                    "/States/S/End");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Next":7})"), kSchemaValidationFailed,
                    "/States/S/Next");
}

TEST(StateValidationTest, PassCompiles) {
  auto machine = MustCompile(OneState(
      R"({"Type":"Pass","Comment":"c","InputPath":null,"OutputPath":"$.a","ResultPath":null,
          "Result":{"k":[1,2]},"Parameters":{"a.$":"$.b"},"Next":"Done"})"));
  ASSERT_NE(machine, nullptr);
  const State& s = machine->states[0];
  EXPECT_EQ(s.comment, "c");
  EXPECT_EQ(s.input_path.kind, OptionalPath::Kind::kNull);
  EXPECT_EQ(s.output_path.kind, OptionalPath::Kind::kPath);
  EXPECT_EQ(s.result_path.kind, OptionalPath::Kind::kNull);
  EXPECT_EQ(json::Serialize(*s.result), R"({"k":[1,2]})");
  EXPECT_TRUE(s.parameters.has_value());
  EXPECT_EQ(s.next_index, 1);
}

TEST(StateValidationTest, DefaultPathsAreKindDefault) {
  auto machine = MustCompile(OneState(R"({"Type":"Pass","Next":"Done"})"));
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].input_path.kind, OptionalPath::Kind::kDefault);
  EXPECT_EQ(machine->states[0].result_path.kind, OptionalPath::Kind::kDefault);
}

TEST(StateValidationTest, MalformedPaths) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","InputPath":"a.b","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/InputPath");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","OutputPath":"$.a[","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/OutputPath");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","InputPath":5,"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/InputPath");
  // ResultPath takes only a reference path, into the state's data.
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","ResultPath":"$.a[*]","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/ResultPath");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","ResultPath":"$..a","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/ResultPath");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","ResultPath":"$$.Execution","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/ResultPath");
}

TEST(StateValidationTest, FullPathsAllowedWhereAwsAllowsThem) {
  EXPECT_NE(MustCompile(OneState(
                R"({"Type":"Pass","InputPath":"$.items[?(@.price > 10)]",
                    "OutputPath":"$..name","Parameters":{"x.$":"$.a[0:2]","c.$":"$$.Execution.Id"},
                    "ResultPath":"$.a.b[0]['c']","Next":"Done"})")),
            nullptr);
}

TEST(StateValidationTest, ParametersMustBeAnObject) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Parameters":[1],"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Parameters");
  EXPECT_DIAGNOSTIC(Task(R"("ResultSelector":"x","Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/ResultSelector");
}

TEST(StateValidationTest, TemplateProblemsAreLocated) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Parameters":{"a":{"b.$":1}},"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Parameters/a/b.$");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","Parameters":{"a":[{"b.$":"nope"}]},
                                 "Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Parameters/a/0/b.$");
  EXPECT_DIAGNOSTIC(
      OneState(
          R"js({"Type":"Pass","Parameters":{"m.$":"States.Format('{', $.a)"},"Next":"Done"})js"),
      kSchemaValidationFailed, "/States/S/Parameters/m.$");
}

TEST(StateValidationTest, TaskResource) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Task","Next":"Done"})"), kSchemaValidationFailed,
                    "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Task","Resource":"check_decision","Next":"Done"})"),
                    kInvalidResource, "/States/S/Resource");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Task","Resource":"arn:aws","Next":"Done"})"),
                    kInvalidResource, "/States/S/Resource");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Task","Resource":{},"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Resource");
  auto machine = MustCompile(OneState(
      R"({"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
          "Next":"Done"})"));
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].resource, "arn:aws:states:::states:startExecution.sync:2");
}

TEST(StateValidationTest, TaskTimeouts) {
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSeconds":0,"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/TimeoutSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSeconds":1.5,"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/TimeoutSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("HeartbeatSeconds":-1,"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/HeartbeatSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSeconds":10,"HeartbeatSeconds":10,"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/HeartbeatSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSeconds":10,"TimeoutSecondsPath":"$.t","Next":"Done")"),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSecondsPath":"$.t[*]","Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/TimeoutSecondsPath");
  auto machine = MustCompile(Task(
      R"("TimeoutSeconds":300,"HeartbeatSecondsPath":"$.hb","Credentials":{"RoleArn":"x"},
         "Next":"Done")"));
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].timeout_seconds, 300);
  EXPECT_EQ(machine->states[0].heartbeat_seconds_path->text(), "$.hb");
}

TEST(StateValidationTest, SecondsFieldsAreLimitedToEightNines) {
  auto longest = MustCompile(Task(R"("TimeoutSeconds":99999999,"HeartbeatSeconds":99999998,
                                     "Next":"Done")"));
  ASSERT_NE(longest, nullptr);
  EXPECT_EQ(longest->states[0].timeout_seconds, 99999999);
  EXPECT_DIAGNOSTIC(Task(R"("TimeoutSeconds":100000000,"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/TimeoutSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("HeartbeatSeconds":100000000,"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/HeartbeatSeconds");
  ASSERT_NE(MustCompile(OneState(R"({"Type":"Wait","Seconds":99999999,"Next":"Done"})")), nullptr);
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Seconds":100000000,"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Seconds");
}

TEST(StateValidationTest, TaskCredentialsMustBeObject) {
  EXPECT_DIAGNOSTIC(Task(R"("Credentials":"role","Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Credentials");
}

TEST(StateValidationTest, Retry) {
  EXPECT_DIAGNOSTIC(Task(R"("Retry":{},"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Retry");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[1],"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Retry/0");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{}],"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Retry/0");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":[]}],"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Retry/0/ErrorEquals");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":[1]}],"Next":"Done")"), kSchemaValidationFailed,
                    "/States/S/Retry/0/ErrorEquals/0");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["States.ALL","X"]}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/ErrorEquals/0");
  EXPECT_DIAGNOSTIC(
      Task(R"("Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}],"Next":"Done")"),
      kSchemaValidationFailed, "/States/S/Retry/0/ErrorEquals/0");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/MaxAttempts");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/BackoffRate");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["X"],"IntervalSeconds":0}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/IntervalSeconds");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}],
                            "Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/JitterStrategy");
  EXPECT_DIAGNOSTIC(Task(R"("Retry":[{"ErrorEquals":["X"],"Next":"Done"}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Retry/0/Next");
}

TEST(StateValidationTest, RetryCompiles) {
  auto machine = MustCompile(Task(
      R"("Retry":[{"ErrorEquals":["Lambda.ServiceException","Lambda.TooManyRequestsException"],
                   "IntervalSeconds":2,"MaxAttempts":0,"BackoffRate":1.5,"MaxDelaySeconds":10,
                   "JitterStrategy":"FULL"},
                  {"ErrorEquals":["States.ALL"]}],"Next":"Done")"));
  ASSERT_NE(machine, nullptr);
  const auto& retry = machine->states[0].retry;
  ASSERT_EQ(retry.size(), 2u);
  EXPECT_EQ(retry[0].error_equals.size(), 2u);
  EXPECT_EQ(retry[0].interval_seconds, 2);
  EXPECT_EQ(retry[0].max_attempts, 0);
  EXPECT_EQ(retry[0].backoff_rate, 1.5);
  EXPECT_EQ(retry[0].max_delay_seconds, 10);
  EXPECT_EQ(retry[0].jitter_strategy, "FULL");
  EXPECT_EQ(retry[1].max_attempts, 3);
  EXPECT_EQ(retry[1].backoff_rate, 2.0);
}

TEST(StateValidationTest, Catch) {
  EXPECT_DIAGNOSTIC(Task(R"("Catch":[{"ErrorEquals":["X"]}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Catch/0");
  EXPECT_DIAGNOSTIC(Task(R"("Catch":[{"ErrorEquals":["X"],"Next":"Nope"}],"Next":"Done")"),
                    kMissingTransitionTarget, "/States/S/Catch/0/Next");
  EXPECT_DIAGNOSTIC(Task(R"("Catch":[1,{"ErrorEquals":["X"],"Next":"Nope"}],"Next":"Done")"),
                    kMissingTransitionTarget, "/States/S/Catch/1/Next");
  EXPECT_DIAGNOSTIC(Task(R"("Catch":[{"ErrorEquals":["X"],"Next":"Done","ResultPath":"$[*]"}],
                            "Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Catch/0/ResultPath");
  EXPECT_DIAGNOSTIC(Task(R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"},
                                     {"ErrorEquals":["X"],"Next":"Done"}],"Next":"Done")"),
                    kSchemaValidationFailed, "/States/S/Catch/0/ErrorEquals/0");
  auto machine = MustCompile(Task(
      R"("Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Done","ResultPath":"$.err"},
                  {"ErrorEquals":["States.ALL"],"Next":"Done","ResultPath":null}],"End":true)"));
  ASSERT_NE(machine, nullptr);
  const auto& c = machine->states[0].catch_;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].next_index, 1);
  EXPECT_EQ(c[0].result_path.path->text(), "$.err");
  EXPECT_EQ(c[1].result_path.kind, OptionalPath::Kind::kNull);
}

TEST(StateValidationTest, WaitNeedsExactlyOneDuration) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Next":"Done"})"), kSchemaValidationFailed,
                    "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Seconds":1,"SecondsPath":"$.s","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Seconds":-1,"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Seconds");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Seconds":"10","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Seconds");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","Timestamp":"2026-01-05 03:00","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Timestamp");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","SecondsPath":"$.a[*]","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/SecondsPath");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Wait","TimestampPath":"nope","Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/TimestampPath");
}

TEST(StateValidationTest, WaitCompiles) {
  auto seconds = MustCompile(OneState(R"({"Type":"Wait","Seconds":0,"Next":"Done"})"));
  ASSERT_NE(seconds, nullptr);
  EXPECT_EQ(seconds->states[0].seconds, 0);
  auto ts = MustCompile(
      OneState(R"({"Type":"Wait","Timestamp":"2026-01-05T03:00:00.5+05:30","Next":"Done"})"));
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->states[0].timestamp, "2026-01-05T03:00:00.5+05:30");
  auto path = MustCompile(OneState(R"({"Type":"Wait","TimestampPath":"$.when","Next":"Done"})"));
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->states[0].timestamp_path->text(), "$.when");
}

TEST(StateValidationTest, Fail) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Fail","Error":"E","ErrorPath":"$.e"})"),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Fail","Cause":"C","CausePath":"$.c"})"),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Fail","Error":5})"), kSchemaValidationFailed,
                    "/States/S/Error");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Fail","CausePath":"cause"})"), kSchemaValidationFailed,
                    "/States/S/CausePath");
  EXPECT_DIAGNOSTIC(OneState(R"js({"Type":"Fail","CausePath":"States.Format('x {}', $.a"})js"),
                    kSchemaValidationFailed, "/States/S/CausePath");
  auto machine = MustCompile(
      R"({"StartAt":"S","States":{"S":{"Type":"Fail","Error":"E","CausePath":"$.why"}}})");
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].error, "E");
  EXPECT_FALSE(machine->states[0].cause.has_value());
  EXPECT_EQ(machine->states[0].cause_path->text(), "$.why");
}

}  // namespace
}  // namespace autoretrain::asl
