// Choice states: rule shapes, operand types, the compiled rule tree.
#include <gtest/gtest.h>

#include "asl_test_util.h"

namespace autoretrain::asl {
namespace {

using testing::Describe;
using testing::Diagnose;
using testing::Has;
using testing::MustCompile;
using testing::OneState;

// A Choice state "S" with the given rules (JSON array text) and Default "Done".
std::string Choice(std::string_view rules) {
  return OneState(R"({"Type":"Choice","Default":"Done","Choices":)" + std::string(rules) + "}");
}

// A Choice with one top-level rule made of `body` plus Next "Done".
std::string Rule(std::string_view body) {
  return Choice("[{" + std::string(body) + R"(,"Next":"Done"}])");
}

TEST(ChoiceRuleTest, ChoicesMissingEmptyOrNotArray) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Choice","Default":"Done"})"), kSchemaValidationFailed,
                    "/States/S");
  EXPECT_DIAGNOSTIC(Choice("[]"), kSchemaValidationFailed, "/States/S/Choices");
  EXPECT_DIAGNOSTIC(Choice("{}"), kSchemaValidationFailed, "/States/S/Choices");
  EXPECT_DIAGNOSTIC(Choice("[1]"), kSchemaValidationFailed, "/States/S/Choices/0");
}

TEST(ChoiceRuleTest, TopLevelRuleNeedsNext) {
  EXPECT_DIAGNOSTIC(Choice(R"([{"Variable":"$.a","IsPresent":true}])"), kSchemaValidationFailed,
                    "/States/S/Choices/0");
}

TEST(ChoiceRuleTest, NestedRuleMayNotHaveNext) {
  EXPECT_DIAGNOSTIC(Rule(R"("Not":{"Variable":"$.a","IsNull":true,"Next":"Done"})"),
                    kSchemaValidationFailed, "/States/S/Choices/0/Not/Next");
}

TEST(ChoiceRuleTest, DefaultAndRuleTargetsMustExist) {
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Choice","Default":"Nope",
                                 "Choices":[{"Variable":"$.a","IsNull":true,"Next":"Done"}]})"),
                    kMissingTransitionTarget, "/States/S/Default");
  EXPECT_DIAGNOSTIC(Choice(R"([{"Variable":"$.a","IsNull":true,"Next":"Nope"}])"),
                    kMissingTransitionTarget, "/States/S/Choices/0/Next");
}

TEST(ChoiceRuleTest, ExactlyOneOperator) {
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a")"), kSchemaValidationFailed, "/States/S/Choices/0");
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","StringEquals":"x","IsNull":true)"),
                    kSchemaValidationFailed, "/States/S/Choices/0");
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","StringEquals":"x","StringEqualsPath":"$.b")"),
                    kSchemaValidationFailed, "/States/S/Choices/0");
}

TEST(ChoiceRuleTest, UnknownFieldInRule) {
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","StringEqual":"x")"), kSchemaValidationFailed,
                    "/States/S/Choices/0/StringEqual");
}

TEST(ChoiceRuleTest, ComparisonNeedsVariable) {
  EXPECT_DIAGNOSTIC(Rule(R"("StringEquals":"x")"), kSchemaValidationFailed, "/States/S/Choices/0");
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":5,"StringEquals":"x")"), kSchemaValidationFailed,
                    "/States/S/Choices/0/Variable");
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"a.b","StringEquals":"x")"), kSchemaValidationFailed,
                    "/States/S/Choices/0/Variable");
}

struct OperandCase {
  const char* rule;  // the operator and operand, e.g. "\"StringEquals\":1"
  const char* operator_;
};

class WrongOperandTest : public ::testing::TestWithParam<OperandCase> {};

TEST_P(WrongOperandTest, IsReportedAtTheOperator) {
  EXPECT_DIAGNOSTIC(Rule(std::string(R"("Variable":"$.a",)") + GetParam().rule),
                    kSchemaValidationFailed,
                    std::string("/States/S/Choices/0/") + GetParam().operator_);
}

INSTANTIATE_TEST_SUITE_P(
    Operators, WrongOperandTest,
    ::testing::Values(OperandCase{R"("StringEquals":1)", "StringEquals"},
                      OperandCase{R"("StringLessThan":true)", "StringLessThan"},
                      OperandCase{R"("StringGreaterThanEquals":null)", "StringGreaterThanEquals"},
                      OperandCase{R"("StringMatches":3)", "StringMatches"},
                      OperandCase{R"("NumericEquals":"1")", "NumericEquals"},
                      OperandCase{R"("NumericLessThan":[1])", "NumericLessThan"},
                      OperandCase{R"("NumericGreaterThanEquals":{})", "NumericGreaterThanEquals"},
                      OperandCase{R"("BooleanEquals":"true")", "BooleanEquals"},
                      OperandCase{R"("BooleanEquals":1)", "BooleanEquals"},
                      OperandCase{R"("IsNull":"true")", "IsNull"},
                      OperandCase{R"("IsPresent":1)", "IsPresent"},
                      OperandCase{R"("IsNumeric":null)", "IsNumeric"},
                      OperandCase{R"("IsString":"yes")", "IsString"},
                      OperandCase{R"("IsBoolean":0)", "IsBoolean"},
                      OperandCase{R"("IsTimestamp":"x")", "IsTimestamp"},
                      OperandCase{R"("TimestampEquals":"yesterday")", "TimestampEquals"},
                      OperandCase{R"("TimestampLessThan":"2026-01-05")", "TimestampLessThan"},
                      OperandCase{R"("TimestampGreaterThan":5)", "TimestampGreaterThan"},
                      OperandCase{R"("StringEqualsPath":"a.b")", "StringEqualsPath"},
                      OperandCase{R"("NumericLessThanPath":5)", "NumericLessThanPath"},
                      OperandCase{R"("TimestampEqualsPath":"$[")", "TimestampEqualsPath"},
                      OperandCase{R"("BooleanEqualsPath":true)", "BooleanEqualsPath"}));

TEST(ChoiceRuleTest, StringMatchesHasNoPathVariant) {
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","StringMatchesPath":"$.b")"), kSchemaValidationFailed,
                    "/States/S/Choices/0/StringMatchesPath");
}

TEST(ChoiceRuleTest, AndOrNotShapes) {
  EXPECT_DIAGNOSTIC(Rule(R"("And":{})"), kSchemaValidationFailed, "/States/S/Choices/0/And");
  EXPECT_DIAGNOSTIC(Rule(R"("Or":[])"), kSchemaValidationFailed, "/States/S/Choices/0/Or");
  EXPECT_DIAGNOSTIC(Rule(R"("Not":[])"), kSchemaValidationFailed, "/States/S/Choices/0/Not");
  EXPECT_DIAGNOSTIC(Rule(R"("And":[1])"), kSchemaValidationFailed, "/States/S/Choices/0/And/0");
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","And":[{"Variable":"$.a","IsNull":true}])"),
                    kSchemaValidationFailed, "/States/S/Choices/0/Variable");
  EXPECT_DIAGNOSTIC(Rule(R"("Or":[{"Variable":"$.a","NumericEquals":"1"}])"),
                    kSchemaValidationFailed, "/States/S/Choices/0/Or/0/NumericEquals");
}

TEST(ChoiceRuleTest, EveryBadRuleIsReported) {
  auto diagnostics = Diagnose(Choice(
      R"([{"Variable":"$.a","StringEquals":1,"Next":"Done"},
          {"Variable":"$.b","NumericEquals":"x","Next":"Done"},
          {"Variable":"$.c","BooleanEquals":"y","Next":"Nope"}])"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/S/Choices/0/StringEquals"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/S/Choices/1/NumericEquals"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/S/Choices/2/BooleanEquals"));
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/S/Choices/2/Next"));
  EXPECT_EQ(diagnostics.size(), 4u) << Describe(diagnostics);
}

TEST(ChoiceRuleTest, CompiledTree) {
  auto machine = MustCompile(Choice(
      R"([{"And":[{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.min"},
                  {"Not":{"Variable":"$.s","StringMatches":"log-*.txt"}},
                  {"Or":[{"Variable":"$.t","TimestampLessThan":"2026-01-01T00:00:00Z"},
                         {"Variable":"$$.Execution.Input.flag","IsPresent":false}]}],
          "Comment":"combined","Next":"Done"},
         {"Variable":"$.items[0].id","IsNumeric":true,"Next":"Done"}])"));
  ASSERT_NE(machine, nullptr);
  const auto& rules = machine->states[0].choices;
  ASSERT_EQ(rules.size(), 2u);
  const ChoiceRule& root = rules[0];
  EXPECT_EQ(root.op, ChoiceRule::Op::kAnd);
  EXPECT_EQ(root.op_name, "And");
  EXPECT_FALSE(root.variable.has_value());
  EXPECT_EQ(root.next_index, 1);
  ASSERT_EQ(root.children.size(), 3u);

  const ChoiceRule& ge = root.children[0];
  EXPECT_EQ(ge.op, ChoiceRule::Op::kNumericGreaterThanEquals);
  EXPECT_EQ(ge.op_name, "NumericGreaterThanEqualsPath");
  ASSERT_TRUE(ge.operand_path.has_value());
  EXPECT_EQ(ge.operand_path->text(), "$.min");
  EXPECT_EQ(ge.next_index, -1);

  const ChoiceRule& negation = root.children[1];
  EXPECT_EQ(negation.op, ChoiceRule::Op::kNot);
  ASSERT_EQ(negation.children.size(), 1u);
  EXPECT_EQ(negation.children[0].op, ChoiceRule::Op::kStringMatches);
  EXPECT_EQ(negation.children[0].operand, json::Value("log-*.txt"));

  const ChoiceRule& disjunction = root.children[2];
  EXPECT_EQ(disjunction.op, ChoiceRule::Op::kOr);
  ASSERT_EQ(disjunction.children.size(), 2u);
  EXPECT_EQ(disjunction.children[0].op, ChoiceRule::Op::kTimestampLessThan);
  EXPECT_EQ(disjunction.children[1].op, ChoiceRule::Op::kIsPresent);
  EXPECT_TRUE(disjunction.children[1].variable->is_context());
  EXPECT_EQ(disjunction.children[1].operand, json::Value(false));

  // Variable is a reference path (AWS's Choice page), so it is always definite.
  EXPECT_EQ(rules[1].op, ChoiceRule::Op::kIsNumeric);
  EXPECT_TRUE(rules[1].variable->is_definite());
}

TEST(ChoiceRuleTest, EveryOperatorCompiles) {
  const char* rules[] = {R"("StringEquals":"a")",
                         R"("StringLessThan":"a")",
                         R"("StringGreaterThan":"a")",
                         R"("StringLessThanEquals":"a")",
                         R"("StringGreaterThanEquals":"a")",
                         R"("StringMatches":"a\\*b*")",
                         R"("NumericEquals":1)",
                         R"("NumericLessThan":1.5)",
                         R"("NumericGreaterThan":-1)",
                         R"("NumericLessThanEquals":0)",
                         R"("NumericGreaterThanEquals":1e3)",
                         R"("BooleanEquals":false)",
                         R"("TimestampEquals":"2026-01-05T03:00:00Z")",
                         R"("TimestampLessThan":"2026-01-05T03:00:00.123+01:00")",
                         R"("TimestampGreaterThan":"2026-01-05T03:00:00Z")",
                         R"("TimestampLessThanEquals":"2026-01-05T03:00:00Z")",
                         R"("TimestampGreaterThanEquals":"2026-01-05T03:00:00Z")",
                         R"("IsNull":true)",
                         R"("IsPresent":true)",
                         R"("IsNumeric":false)",
                         R"("IsString":true)",
                         R"("IsBoolean":true)",
                         R"("IsTimestamp":true)",
                         R"("StringEqualsPath":"$.b")",
                         R"("StringLessThanPath":"$.b")",
                         R"("StringGreaterThanPath":"$.b")",
                         R"("StringLessThanEqualsPath":"$.b")",
                         R"("StringGreaterThanEqualsPath":"$.b")",
                         R"("NumericEqualsPath":"$.b")",
                         R"("NumericLessThanPath":"$.b")",
                         R"("NumericGreaterThanPath":"$.b")",
                         R"("NumericLessThanEqualsPath":"$.b")",
                         R"("NumericGreaterThanEqualsPath":"$.b")",
                         R"("BooleanEqualsPath":"$.b")",
                         R"("TimestampEqualsPath":"$.b")",
                         R"("TimestampLessThanPath":"$.b")",
                         R"("TimestampGreaterThanPath":"$.b")",
                         R"("TimestampLessThanEqualsPath":"$$.State.EnteredTime")",
                         R"("TimestampGreaterThanEqualsPath":"$.b")"};
  for (const char* rule : rules) {
    auto machine = MustCompile(Rule(std::string(R"("Variable":"$.a",)") + rule));
    ASSERT_NE(machine, nullptr) << rule;
    const ChoiceRule& compiled = machine->states[0].choices[0];
    std::string written(rule);
    EXPECT_EQ("\"" + compiled.op_name + "\"", written.substr(0, written.find(':'))) << rule;
    EXPECT_EQ(compiled.operand_path.has_value(), compiled.op_name.ends_with("Path")) << rule;
  }
}

TEST(ChoiceRuleTest, AssignOnATopLevelRuleIsCompiled) {
  auto machine = MustCompile(Rule(R"("Variable":"$.a","IsNull":true,"Assign":{"x.$":"$.a"})"));
  ASSERT_NE(machine, nullptr);
  EXPECT_TRUE(machine->states[0].choices[0].assign.has_value());
  EXPECT_DIAGNOSTIC(Rule(R"("Variable":"$.a","IsNull":true,"Assign":{"x y":1})"),
                    kSchemaValidationFailed, "/States/S/Choices/0/Assign/x y");
}

}  // namespace
}  // namespace autoretrain::asl
