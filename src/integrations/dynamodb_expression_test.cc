// Unit tests of the local table store's building blocks: exact decimal numbers, attribute value
// validation and comparison, the expression parser's trees and error messages, condition
// evaluation, update application and projection.
#include "integrations/dynamodb_expression.h"

#include <gtest/gtest.h>

#include "integrations/dynamodb_eval.h"
#include "integrations/dynamodb_number.h"
#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations::dynamo {
namespace {

json::Value J(std::string_view text) {
  auto parsed = json::Parse(text);
  EXPECT_TRUE(parsed.ok()) << "not JSON: " << text;
  return parsed.ok() ? *parsed : json::Value(std::string(text));
}

std::string Normalized(std::string_view text) {
  auto d = ParseNumber(text);
  return d.ok() ? FormatDecimal(*d) : "error: " + d.error().cause;
}

TEST(DynamoDbNumber, NormalizesAsDynamoDbPrintsNumbers) {
  EXPECT_EQ(Normalized("1.50"), "1.5");
  EXPECT_EQ(Normalized("0100"), "100");
  EXPECT_EQ(Normalized("1e2"), "100");
  EXPECT_EQ(Normalized("-0.000"), "0");
  EXPECT_EQ(Normalized(".5"), "0.5");
  EXPECT_EQ(Normalized("-12.5E-3"), "-0.0125");
  EXPECT_EQ(Normalized("abc"), "error: The parameter cannot be converted to a numeric value: abc");
  EXPECT_EQ(Normalized("1e126"),
            "error: Number overflow. Attempting to store a number with magnitude larger than "
            "supported range");
  EXPECT_EQ(Normalized("1e-131"),
            "error: Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range");
  EXPECT_EQ(Normalized(std::string(39, '1')),
            "error: Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(Normalized(std::string(38, '9')), std::string(38, '9'));
}

TEST(DynamoDbNumber, ArithmeticAndComparisonAreExact) {
  auto n = [](std::string_view t) { return ParseDecimal(t).value(); };
  // 38 digits: a double would lose the last ones.
  EXPECT_EQ(FormatDecimal(AddDecimal(n("12345678901234567890123456789012345678"), n("1"))),
            "12345678901234567890123456789012345679");
  EXPECT_EQ(FormatDecimal(AddDecimal(n("0.1"), n("0.2"))), "0.3");
  EXPECT_EQ(FormatDecimal(SubtractDecimal(n("1"), n("1.001"))), "-0.001");
  EXPECT_EQ(FormatDecimal(AddDecimal(n("-5"), n("5"))), "0");
  EXPECT_EQ(FormatDecimal(AddDecimal(n("999"), n("1"))), "1000");
  EXPECT_LT(CompareDecimal(n("9"), n("10")), 0);
  EXPECT_GT(CompareDecimal(n("-9"), n("-10")), 0);
  EXPECT_EQ(CompareDecimal(n("1.0"), n("1")), 0);
  EXPECT_LT(CompareDecimal(n("12345678901234567890123456789012345678"),
                           n("12345678901234567890123456789012345679")),
            0);
}

TEST(DynamoDbNumber, SortableBytesFollowNumericOrder) {
  const char* ordered[] = {"-1000", "-10", "-9.5", "-9",  "-0.5", "-0.05", "0",
                           "0.05",  "0.5", "9",    "9.5", "10",   "1000"};
  for (size_t i = 0; i + 1 < std::size(ordered); ++i) {
    EXPECT_LT(SortableBytes(ParseDecimal(ordered[i]).value()),
              SortableBytes(ParseDecimal(ordered[i + 1]).value()))
        << ordered[i] << " < " << ordered[i + 1];
  }
  EXPECT_EQ(SortableBytes(ParseDecimal("1.0").value()), SortableBytes(ParseDecimal("1").value()));
}

TEST(DynamoDbValue, ValidationUsesDynamoDbMessages) {
  auto check = [](std::string_view text) {
    json::Value v = J(text);
    Status s = ValidateValue(v);
    return s.ok() ? json::Serialize(v) : s.error().error + ": " + s.error().cause;
  };
  EXPECT_EQ(check(R"({"N":"01.10"})"), R"({"N":"1.1"})");
  EXPECT_EQ(check(R"({"NS":["1","1.0"]})"),
            "ValidationException: Input collection contains duplicates");
  EXPECT_EQ(check("{}"),
            "ValidationException: Supplied AttributeValue is empty, must contain exactly one of "
            "the supported datatypes");
  EXPECT_EQ(check(R"({"S":"a","N":"1"})"),
            "ValidationException: Supplied AttributeValue has more than one datatypes set, must "
            "contain exactly one of the supported datatypes");
  EXPECT_EQ(check(R"({"NULL":false})"),
            "ValidationException: One or more parameter values were invalid: Null attribute "
            "value types must have the value of true");
  EXPECT_EQ(check(R"({"SS":[]})"),
            "ValidationException: One or more parameter values were invalid: An string set  may "
            "not be empty");
  EXPECT_EQ(check(R"({"S":1})"),
            "SerializationException: NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(check(R"({"M":{"a":{"L":[{"N":"x"}]}}})"),
            "ValidationException: The parameter cannot be converted to a numeric value: x");
}

TEST(DynamoDbValue, EqualityAndOrderFollowDynamoDbTyping) {
  EXPECT_TRUE(ValuesEqual(J(R"({"N":"1"})"), J(R"({"N":"1.0"})")));
  EXPECT_FALSE(ValuesEqual(J(R"({"N":"1"})"), J(R"({"S":"1"})")));
  EXPECT_TRUE(ValuesEqual(J(R"({"SS":["a","b"]})"), J(R"({"SS":["b","a"]})")));
  EXPECT_FALSE(
      ValuesEqual(J(R"({"L":[{"S":"a"},{"S":"b"}]})"), J(R"({"L":[{"S":"b"},{"S":"a"}]})")));
  EXPECT_EQ(CompareValues(J(R"({"N":"10"})"), J(R"({"N":"9"})")), 1);
  EXPECT_EQ(CompareValues(J(R"({"S":"10"})"), J(R"({"S":"9"})")), -1);
  EXPECT_EQ(CompareValues(J(R"({"S":"a"})"), J(R"({"N":"1"})")), std::nullopt);
  EXPECT_EQ(CompareValues(J(R"({"B":"/w=="})"), J(R"({"B":"AQ=="})")), 1);  // 0xff > 0x01
}

// Parses `text` as a condition with the given placeholders; the error message or "ok".
std::string ConditionError(std::string_view text, std::string_view names = "null",
                           std::string_view values = "null") {
  json::Value n = J(names), v = J(values);
  ExpressionContext ctx;
  if (n.is_object()) ctx.names = &n.get_object();
  if (v.is_object()) ctx.values = &v.get_object();
  auto node = ParseCondition(text, "ConditionExpression", ctx);
  if (!node.ok()) return node.error().cause;
  Status used = CheckAllPlaceholdersUsed(ctx);
  return used.ok() ? "ok" : used.error().cause;
}

TEST(DynamoDbExpression, ReportsProblemsAsDynamoDbDoes) {
  EXPECT_EQ(ConditionError("a = :v", "null", R"({":v":{"S":"x"}})"), "ok");
  EXPECT_EQ(ConditionError("a = = :v", "null", R"({":v":{"S":"x"}})"),
            "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :v\"");
  EXPECT_EQ(ConditionError("a ="),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(ConditionError(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(ConditionError("status = :v", "null", R"({":v":{"S":"x"}})"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "status");
  EXPECT_EQ(ConditionError("#s = :v"),
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #s");
  EXPECT_EQ(ConditionError("a = :missing", "null", R"({":v":{"S":"x"}})"),
            "Invalid ConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :missing");
  EXPECT_EQ(ConditionError("a = :v", R"({"#unused":"x"})", R"({":v":{"S":"x"}})"),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
  EXPECT_EQ(ConditionError("((a = :v))", "null", R"({":v":{"S":"x"}})"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(ConditionError("nope(a)"),
            "Invalid ConditionExpression: Invalid function name; function: nope");
  EXPECT_EQ(ConditionError("attribute_exists(a, b)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 2");
  EXPECT_EQ(ConditionError("a = a"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(ConditionError("a BETWEEN :hi AND :lo", "null", R"({":lo":{"N":"1"},":hi":{"N":"2"}})"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper "
            "bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(ConditionError("size(a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
}

// Evaluates `condition` on `item` with the values `values`.
bool Holds(std::string_view condition, std::string_view item, std::string_view values = "{}",
           std::string_view names = "{}") {
  json::Value v = J(values), n = J(names);
  ExpressionContext ctx;
  if (!v.get_object().empty()) ctx.values = &v.get_object();
  if (!n.get_object().empty()) ctx.names = &n.get_object();
  auto node = ParseCondition(condition, "ConditionExpression", ctx);
  EXPECT_TRUE(node.ok()) << condition << ": " << node.error().cause;
  return node.ok() && Evaluate(*node, J(item).get_object());
}

TEST(DynamoDbExpression, EvaluatesConditionsWithDynamoDbTyping) {
  const char* item = R"({"n":{"N":"10"},"s":{"S":"fraud-model"},"tags":{"SS":["a","b"]},
      "m":{"M":{"deep":{"L":[{"N":"1"},{"S":"x"}]}}},"nil":{"NULL":true}})";
  EXPECT_TRUE(Holds("n > :nine", item, R"({":nine":{"N":"9"}})"));   // numerically, not as text
  EXPECT_FALSE(Holds("n > :nine", item, R"({":nine":{"S":"9"}})"));  // different types
  EXPECT_TRUE(Holds("n BETWEEN :a AND :b", item, R"({":a":{"N":"10"},":b":{"N":"10.0"}})"));
  EXPECT_TRUE(Holds("n IN (:a, :b)", item, R"({":a":{"N":"1"},":b":{"N":"1e1"}})"));
  EXPECT_TRUE(Holds("begins_with(s, :p)", item, R"({":p":{"S":"fraud"}})"));
  EXPECT_TRUE(Holds("contains(tags, :t) AND contains(s, :sub)", item,
                    R"({":t":{"S":"b"},":sub":{"S":"-mo"}})"));
  EXPECT_TRUE(Holds("m.deep[1] = :x", item, R"({":x":{"S":"x"}})"));
  EXPECT_TRUE(Holds("attribute_type(nil, :t)", item, R"({":t":{"S":"NULL"}})"));
  EXPECT_TRUE(Holds("size(tags) = :two AND size(s) = :eleven", item,
                    R"({":two":{"N":"2"},":eleven":{"N":"11"}})"));
  EXPECT_TRUE(Holds("attribute_not_exists(nothere) AND NOT attribute_exists(m.deep[5])", item));
  EXPECT_TRUE(Holds("nothere <> :v", item, R"({":v":{"N":"1"}})"));  // <> holds for missing
  EXPECT_FALSE(Holds("nothere = :v OR nothere < :v", item, R"({":v":{"N":"1"}})"));
  EXPECT_TRUE(Holds("#s = :v", item, R"({":v":{"S":"fraud-model"}})", R"({"#s":"s"})"));
}

// Applies `update` to `item`; the new item or the error message.
std::string Updated(std::string_view update, std::string_view item,
                    std::string_view values = "{}") {
  json::Value v = J(values);
  ExpressionContext ctx;
  if (!v.get_object().empty()) ctx.values = &v.get_object();
  auto actions = ParseUpdate(update, ctx);
  if (!actions.ok()) return actions.error().cause;
  json::Object o = J(item).get_object();
  Status s = ApplyUpdate(*actions, o);
  return s.ok() ? json::Serialize(o) : s.error().cause;
}

TEST(DynamoDbExpression, AppliesUpdatesAgainstTheOldItem) {
  EXPECT_EQ(J(Updated("SET a = a + :one, b = a", R"({"a":{"N":"1"}})", R"({":one":{"N":"1"}})")),
            J(R"({"a":{"N":"2"},"b":{"N":"1"}})"));  // b reads a as it was
  EXPECT_EQ(J(Updated("SET c = if_not_exists(c, :zero) - :one", "{}",
                      R"({":zero":{"N":"0"},":one":{"N":"1"}})")),
            J(R"({"c":{"N":"-1"}})"));
  EXPECT_EQ(
      J(Updated("SET l = list_append(l, :more) REMOVE gone",
                R"({"l":{"L":[{"N":"1"}]},"gone":{"S":"x"}})", R"({":more":{"L":[{"N":"2"}]}})")),
      J(R"({"l":{"L":[{"N":"1"},{"N":"2"}]}})"));
  EXPECT_EQ(J(Updated("ADD n :five, tags :ab DELETE gone_tags :x",
                      R"({"tags":{"SS":["a"]},"gone_tags":{"SS":["x"]}})",
                      R"({":five":{"N":"5"},":ab":{"SS":["a","b"]},":x":{"SS":["x"]}})")),
            J(R"({"tags":{"SS":["a","b"]},"n":{"N":"5"}})"));
  EXPECT_EQ(J(Updated("REMOVE l[0], l[2]", R"({"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"}]}})")),
            J(R"({"l":{"L":[{"N":"1"}]}})"));
  EXPECT_EQ(Updated("SET a = b + :one", "{}", R"({":one":{"N":"1"}})"),
            "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_EQ(Updated("SET a = a + :one", R"({"a":{"S":"x"}})", R"({":one":{"N":"1"}})"),
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(Updated("SET m.x = :one", "{}", R"({":one":{"N":"1"}})"),
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(Updated("SET a = :one SET b = :one", "{}", R"({":one":{"N":"1"}})"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(Updated("SET a = :one REMOVE a.b", "{}", R"({":one":{"N":"1"}})"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(Updated("ADD a :s", "{}", R"({":s":{"S":"x"}})"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator: ADD, operand type: S");
  EXPECT_EQ(Updated("SET a = :big + :big", "{}",
                    R"({":big":{"N":"99999999999999999999999999999999999999"}})"),
            "Attempting to store more than 38 significant digits in a Number");
}

TEST(DynamoDbExpression, ProjectsNestedPathsInIndexOrder) {
  ExpressionContext ctx;
  auto paths = ParseProjection("b, l[2], l[0], m.x", ctx);
  ASSERT_TRUE(paths.ok()) << paths.error().cause;
  json::Object item = J(R"({"a":{"S":"a"},"b":{"S":"b"},"l":{"L":[{"N":"0"},{"N":"1"},{"N":"2"}]},
                            "m":{"M":{"x":{"S":"x"},"y":{"S":"y"}}}})")
                          .get_object();
  EXPECT_EQ(json::Value(Project(item, *paths)),
            J(R"({"b":{"S":"b"},"l":{"L":[{"N":"0"},{"N":"2"}]},"m":{"M":{"x":{"S":"x"}}}})"));
}

}  // namespace
}  // namespace autoretrain::integrations::dynamo
