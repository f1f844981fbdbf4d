// The time limit on one JSONata expression (Executor::jsonata_time_limit): an expression that
// never ends fails its state with States.QueryEvaluationError (JSONata's U1001), which Catch
// can handle, instead of holding the execution's thread for good.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "autoretrain/engine/executor.h"
#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;

// A tail-recursive function that calls itself forever: it runs in constant stack, so only
// the time limit ends it.
constexpr char kForever[] = "($f := function($n){ $f($n + 1) }; $f(0))";

TEST(JsonataTimeLimitTest, TenSecondsIsTheDefault) {
  Harness h;
  EXPECT_EQ(h.executor.jsonata_time_limit(), std::chrono::seconds(10));
}

TEST(JsonataTimeLimitTest, AnExpressionThatNeverEndsFailsTheState) {
  Harness h;
  h.executor.set_jsonata_time_limit(std::chrono::milliseconds(50));
  ExecutionResult r = h.Run(std::string(R"({"QueryLanguage":"JSONata","StartAt":"Loop","States":{
    "Loop":{"Type":"Pass","Output":"{% )") +
                            kForever + R"( %}","End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.QueryEvaluationError");
  ASSERT_TRUE(r.cause.has_value());
  EXPECT_NE(r.cause->find("'Output'"), std::string::npos) << *r.cause;
  EXPECT_NE(r.cause->find("U1001"), std::string::npos) << *r.cause;
  EXPECT_NE(r.cause->find("Expression evaluation timeout"), std::string::npos) << *r.cause;
}

TEST(JsonataTimeLimitTest, TheLimitAppliesInsideMapIterationsAndCanBeCaught) {
  Harness h;
  h.executor.set_jsonata_time_limit(std::chrono::milliseconds(50));
  ExecutionResult r = h.Run(std::string(R"({"QueryLanguage":"JSONata","StartAt":"Each","States":{
    "Each":{"Type":"Map","Items":[1],"ItemProcessor":{"StartAt":"Loop","States":{
        "Loop":{"Type":"Pass","Output":"{% )") +
                            kForever + R"( %}","End":true}}},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught",
                "Output":"{% $states.errorOutput.Error %}"}],
      "End":true},
    "Caught":{"Type":"Succeed"}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*r.output), "\"States.QueryEvaluationError\"");
}

TEST(JsonataTimeLimitTest, ExpressionsWithinTheLimitAreUnaffected) {
  Harness h;
  h.executor.set_jsonata_time_limit(std::chrono::milliseconds(50));
  ExecutionResult r = h.Run(R"({"QueryLanguage":"JSONata","StartAt":"Sum","States":{
    "Sum":{"Type":"Pass","Output":"{% $sum([1..1000]) %}","End":true}}})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*r.output), "500500");
}

}  // namespace
}  // namespace autoretrain::engine
