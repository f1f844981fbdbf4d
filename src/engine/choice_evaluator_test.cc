// Choice rules as the AWS developer guide's "Choice workflow state" page describes them: every
// comparison operator and its *Path variant, And/Or/Not, the Is* tests, type mismatches (no
// match), missing variables (States.Runtime), StringMatches escapes, exact numbers.
#include "engine/choice_evaluator.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;
using testing::J;

// Runs a Choice with one rule (plus Default) on `input`: "match", "default", or
// "error:<name>" when the execution failed.
std::string Decide(const std::string& rule, const std::string& input, bool with_default = true) {
  Harness h;
  std::string def = R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{)" + rule +
                    R"(,"Next":"M"}])" + (with_default ? R"(,"Default":"D")" : "") +
                    R"(},"M":{"Type":"Pass","Result":"match","End":true},)"
                    R"("D":{"Type":"Pass","Result":"default","End":true}}})";
  ExecutionResult r = h.Run(def, input);
  if (r.status != ExecutionStatus::kSucceeded) return "error:" + r.error.value_or("?");
  return std::string(r.output->as_string());
}

TEST(ChoiceEvaluatorTest, StringComparisons) {
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEquals":"YES")", R"({"s":"YES"})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEquals":"YES")", R"({"s":"yes"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringLessThan":"b")", R"({"s":"a"})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringLessThan":"a")", R"({"s":"a"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringGreaterThan":"a")", R"({"s":"b"})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringLessThanEquals":"a")", R"({"s":"a"})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringGreaterThanEquals":"b")", R"({"s":"a"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEqualsPath":"$.t")", R"({"s":"x","t":"x"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringLessThanPath":"$.t")", R"({"s":"x","t":"y"})"),
            "match");
}

TEST(ChoiceEvaluatorTest, TypeMismatchDoesNotMatch) {
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEquals":"1")", R"({"s":1})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericEquals":1)", R"({"n":"1"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.b","BooleanEquals":true)", R"({"b":"true"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampEquals":"2026-01-01T00:00:00Z")",
                   R"({"t":"not a time"})"),
            "default");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEqualsPath":"$.t")", R"({"s":"1","t":1})"),
            "default");
}

TEST(ChoiceEvaluatorTest, MissingVariableIsRuntimeError) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
      "Choices":[{"Variable":"$.x","StringEquals":"a","Next":"E"}],"Default":"E"},
      "E":{"Type":"Succeed"}}})");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "An error occurred while executing the state 'C' (entered at the event id #2). "
            "Invalid path '$.x': The choice state's condition path references an invalid "
            "value.");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringEqualsPath":"$.missing")", R"({"s":"x"})"),
            "error:States.Runtime");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsNull":true)", "{}"), "error:States.Runtime");
}

TEST(ChoiceEvaluatorTest, NoMatchWithoutDefault) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
      "Choices":[{"Variable":"$.s","StringEquals":"a","Next":"E"}]},
      "E":{"Type":"Succeed"}}})",
                            R"({"s":"b"})");
  EXPECT_EQ(r.error, "States.NoChoiceMatched");
  EXPECT_EQ(r.cause, "No Matches!");
  EXPECT_EQ(h.observer.Types(), (std::vector<std::string>{"ExecutionStarted", "ChoiceStateEntered",
                                                          "ExecutionFailed"}));
}

TEST(ChoiceEvaluatorTest, NumericComparisons) {
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericEquals":1)", R"({"n":1.0})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericEquals":0.1)", R"({"n":0.1})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericLessThan":2)", R"({"n":1.5})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericGreaterThan":2)", R"({"n":2})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericGreaterThanEquals":2)", R"({"n":2})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericLessThanEquals":-1)", R"({"n":-1})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericEqualsPath":"$.m")", R"({"n":3,"m":3})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.n","NumericGreaterThanPath":"$.m")", R"({"n":3,"m":4})"),
            "default");
  // Beyond double precision: 2^53 + 1 is not 2^53.
  EXPECT_EQ(
      Decide(R"("Variable":"$.n","NumericEquals":9007199254740992)", R"({"n":9007199254740993})"),
      "default");
}

TEST(ChoiceEvaluatorTest, CompareNumbersIsExact) {
  EXPECT_EQ(CompareNumbers(json::Value(1), json::Value(1.0)), 0);
  EXPECT_EQ(CompareNumbers(json::Value(-1), json::Value(uint64_t{18446744073709551615u})), -1);
  EXPECT_EQ(CompareNumbers(json::Value(uint64_t{18446744073709551615u}), json::Value(-1)), 1);
  EXPECT_EQ(CompareNumbers(json::Value(int64_t{9007199254740993}), json::Value(9007199254740992.0)),
            1);
  EXPECT_EQ(CompareNumbers(json::Value(2.5), json::Value(3)), -1);
  EXPECT_EQ(CompareNumbers(json::Value(uint64_t{5}), json::Value(int64_t{5})), 0);
}

TEST(ChoiceEvaluatorTest, BooleanEquals) {
  EXPECT_EQ(Decide(R"("Variable":"$.b","BooleanEquals":false)", R"({"b":false})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.b","BooleanEquals":false)", R"({"b":true})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.b","BooleanEqualsPath":"$.c")", R"({"b":true,"c":true})"),
            "match");
}

TEST(ChoiceEvaluatorTest, TimestampComparisons) {
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampEquals":"2026-01-01T00:00:00Z")",
                   R"({"t":"2026-01-01T01:00:00+01:00"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampLessThan":"2026-01-01T00:00:00Z")",
                   R"({"t":"2025-12-31T23:59:59.999Z"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampGreaterThan":"2026-01-01T00:00:00Z")",
                   R"({"t":"2026-01-01T00:00:00Z"})"),
            "default");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampLessThanEquals":"2026-01-01T00:00:00Z")",
                   R"({"t":"2026-01-01T00:00:00Z"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampGreaterThanEquals":"2026-01-01T00:00:00Z")",
                   R"({"t":"2026-01-02T00:00:00Z"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.t","TimestampEqualsPath":"$.u")",
                   R"({"t":"2026-01-01T00:00:00Z","u":"2026-01-01T00:00:00.000Z"})"),
            "match");
}

TEST(ChoiceEvaluatorTest, StringMatches) {
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringMatches":"log-*.txt")", R"({"s":"log-1.txt"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.s","StringMatches":"log-*.txt")", R"({"s":"log-1.csv"})"),
            "default");
}

TEST(ChoiceEvaluatorTest, StringMatchesPatternEscapes) {
  EXPECT_TRUE(StringMatchesPattern("", ""));
  EXPECT_TRUE(StringMatchesPattern("", "*"));
  EXPECT_TRUE(StringMatchesPattern("abc", "*"));
  EXPECT_TRUE(StringMatchesPattern("abc", "a*c"));
  EXPECT_TRUE(StringMatchesPattern("abbbc", "a*b*c"));
  EXPECT_FALSE(StringMatchesPattern("abd", "a*c"));
  EXPECT_TRUE(StringMatchesPattern("a*c", "a\\*c"));
  EXPECT_FALSE(StringMatchesPattern("abc", "a\\*c"));
  EXPECT_TRUE(StringMatchesPattern("a\\c", "a\\\\c"));
  EXPECT_TRUE(StringMatchesPattern("a\\bc", "a\\\\*"));
  EXPECT_TRUE(StringMatchesPattern("mississippi", "*sip*"));
  EXPECT_FALSE(StringMatchesPattern("abc", "ab"));
}

TEST(ChoiceEvaluatorTest, IsTests) {
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsPresent":true)", R"({"x":null})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsPresent":true)", "{}"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsPresent":false)", "{}"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsNull":true)", R"({"x":null})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsNull":false)", R"({"x":0})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsNumeric":true)", R"({"x":1.5})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsNumeric":true)", R"({"x":"1"})"), "default");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsString":true)", R"({"x":"1"})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsBoolean":true)", R"({"x":false})"), "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsTimestamp":true)", R"({"x":"2026-11-23T03:00:00Z"})"),
            "match");
  EXPECT_EQ(Decide(R"("Variable":"$.x","IsTimestamp":true)", R"({"x":"2026-11-23"})"), "default");
}

TEST(ChoiceEvaluatorTest, BooleanCombinations) {
  const std::string both =
      R"("And":[{"Variable":"$.a","NumericGreaterThan":1},{"Variable":"$.b","IsPresent":true}])";
  EXPECT_EQ(Decide(both, R"({"a":2,"b":0})"), "match");
  EXPECT_EQ(Decide(both, R"({"a":2})"), "default");
  const std::string either =
      R"("Or":[{"Variable":"$.a","StringEquals":"x"},{"Variable":"$.a","StringEquals":"y"}])";
  EXPECT_EQ(Decide(either, R"({"a":"y"})"), "match");
  EXPECT_EQ(Decide(either, R"({"a":"z"})"), "default");
  EXPECT_EQ(Decide(R"("Not":{"Variable":"$.a","StringEquals":"x"})", R"({"a":"z"})"), "match");
  // And stops at the first false rule, so a later missing path does not fail.
  EXPECT_EQ(Decide(R"("And":[{"Variable":"$.a","IsPresent":true},)"
                   R"({"Variable":"$.a","NumericEquals":1}])",
                   "{}"),
            "default");
}

TEST(ChoiceEvaluatorTest, FirstMatchingRuleWins) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"C","States":{"C":{"Type":"Choice",
      "Choices":[{"Variable":"$.n","NumericGreaterThan":0,"Next":"A"},
                 {"Variable":"$.n","NumericGreaterThan":1,"Next":"B"}]},
      "A":{"Type":"Pass","Result":"A","End":true},
      "B":{"Type":"Pass","Result":"B","End":true}}})",
                            R"({"n":5})");
  EXPECT_EQ(*r.output, J(R"("A")"));
}

TEST(ChoiceEvaluatorTest, ContextVariable) {
  EXPECT_EQ(Decide(R"("Variable":"$$.State.Name","StringEquals":"C")", "{}"), "match");
}

}  // namespace
}  // namespace autoretrain::engine
