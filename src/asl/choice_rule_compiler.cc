#include "choice_rule_compiler.h"

#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

using Op = ChoiceRule::Op;

// What a comparison's literal operand must be.
enum class Operand { kString, kNumber, kBoolean, kTimestamp };

struct Comparison {
  std::string_view name;
  Op op;
  Operand operand;
  bool is_path;  // the *Path variant: the operand is a path to the value
};

// Every comparison operator of the States Language. StringMatches has no *Path variant.
constexpr Comparison kComparisons[] = {
    {"StringEquals", Op::kStringEquals, Operand::kString, false},
    {"StringEqualsPath", Op::kStringEquals, Operand::kString, true},
    {"StringLessThan", Op::kStringLessThan, Operand::kString, false},
    {"StringLessThanPath", Op::kStringLessThan, Operand::kString, true},
    {"StringGreaterThan", Op::kStringGreaterThan, Operand::kString, false},
    {"StringGreaterThanPath", Op::kStringGreaterThan, Operand::kString, true},
    {"StringLessThanEquals", Op::kStringLessThanEquals, Operand::kString, false},
    {"StringLessThanEqualsPath", Op::kStringLessThanEquals, Operand::kString, true},
    {"StringGreaterThanEquals", Op::kStringGreaterThanEquals, Operand::kString, false},
    {"StringGreaterThanEqualsPath", Op::kStringGreaterThanEquals, Operand::kString, true},
    {"StringMatches", Op::kStringMatches, Operand::kString, false},
    {"NumericEquals", Op::kNumericEquals, Operand::kNumber, false},
    {"NumericEqualsPath", Op::kNumericEquals, Operand::kNumber, true},
    {"NumericLessThan", Op::kNumericLessThan, Operand::kNumber, false},
    {"NumericLessThanPath", Op::kNumericLessThan, Operand::kNumber, true},
    {"NumericGreaterThan", Op::kNumericGreaterThan, Operand::kNumber, false},
    {"NumericGreaterThanPath", Op::kNumericGreaterThan, Operand::kNumber, true},
    {"NumericLessThanEquals", Op::kNumericLessThanEquals, Operand::kNumber, false},
    {"NumericLessThanEqualsPath", Op::kNumericLessThanEquals, Operand::kNumber, true},
    {"NumericGreaterThanEquals", Op::kNumericGreaterThanEquals, Operand::kNumber, false},
    {"NumericGreaterThanEqualsPath", Op::kNumericGreaterThanEquals, Operand::kNumber, true},
    {"BooleanEquals", Op::kBooleanEquals, Operand::kBoolean, false},
    {"BooleanEqualsPath", Op::kBooleanEquals, Operand::kBoolean, true},
    {"TimestampEquals", Op::kTimestampEquals, Operand::kTimestamp, false},
    {"TimestampEqualsPath", Op::kTimestampEquals, Operand::kTimestamp, true},
    {"TimestampLessThan", Op::kTimestampLessThan, Operand::kTimestamp, false},
    {"TimestampLessThanPath", Op::kTimestampLessThan, Operand::kTimestamp, true},
    {"TimestampGreaterThan", Op::kTimestampGreaterThan, Operand::kTimestamp, false},
    {"TimestampGreaterThanPath", Op::kTimestampGreaterThan, Operand::kTimestamp, true},
    {"TimestampLessThanEquals", Op::kTimestampLessThanEquals, Operand::kTimestamp, false},
    {"TimestampLessThanEqualsPath", Op::kTimestampLessThanEquals, Operand::kTimestamp, true},
    {"TimestampGreaterThanEquals", Op::kTimestampGreaterThanEquals, Operand::kTimestamp, false},
    {"TimestampGreaterThanEqualsPath", Op::kTimestampGreaterThanEquals, Operand::kTimestamp, true},
    // The type tests take a boolean: true tests "is", false tests "is not".
    {"IsNull", Op::kIsNull, Operand::kBoolean, false},
    {"IsPresent", Op::kIsPresent, Operand::kBoolean, false},
    {"IsNumeric", Op::kIsNumeric, Operand::kBoolean, false},
    {"IsString", Op::kIsString, Operand::kBoolean, false},
    {"IsBoolean", Op::kIsBoolean, Operand::kBoolean, false},
    {"IsTimestamp", Op::kIsTimestamp, Operand::kBoolean, false},
};

const Comparison* FindComparison(std::string_view name) {
  for (const Comparison& c : kComparisons) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool IsCombinator(std::string_view name) { return name == "And" || name == "Or" || name == "Not"; }

// Checks the literal operand of `c` at `location`.
void CheckOperand(const Comparison& c, const json::Value& v, const std::string& location,
                  DefinitionReader* reader) {
  const std::string field(c.name);
  auto wrong = [&](std::string_view expected) {
    reader->Schema(location, "The value for the field '" + field + "' must be " +
                                 std::string(expected) + ", not " + DescribeType(v));
  };
  switch (c.operand) {
    case Operand::kString:
      if (!v.is_string()) wrong("a STRING");
      return;
    case Operand::kNumber:
      if (!v.is_number()) wrong("a NUMBER");
      return;
    case Operand::kBoolean:
      if (!v.is_bool()) wrong("a BOOLEAN");
      return;
    case Operand::kTimestamp: {
      if (!v.is_string()) return wrong("a STRING holding an RFC 3339 timestamp");
      std::string text(v.get_string());
      TimePoint unused;
      if (!ParseIso8601(text, &unused)) {
        reader->Schema(location, "The value for the field '" + field +
                                     "' must be an RFC 3339 timestamp such as "
                                     "'2026-01-05T03:00:00Z', not '" +
                                     text + "'");
      }
      return;
    }
  }
}

void CompileComparison(const json::Object& obj, const Comparison& c, const std::string& location,
                       DefinitionReader* reader, ChoiceRule* rule) {
  rule->op = c.op;
  rule->op_name = std::string(c.name);
  if (!obj.contains("Variable")) {
    reader->Schema(location, "These fields are required: [Variable] (a comparison with '" +
                                 rule->op_name + "' needs the Variable it compares)");
  }
  rule->variable = reader->PathField(obj, "Variable", location, PathKind::kReference);
  const json::Value& operand = obj.at(c.name);
  const std::string operand_location = PointerAppend(location, c.name);
  if (c.is_path) {
    if (!operand.is_string()) {
      reader->Schema(operand_location, "The value for the field '" + rule->op_name +
                                           "' must be a STRING that contains a JSONPath, not " +
                                           DescribeType(operand));
      return;
    }
    rule->operand_path = reader->CompilePath(std::string(operand.get_string()), c.name,
                                             operand_location, PathKind::kReference);
    return;
  }
  CheckOperand(c, operand, operand_location, reader);
  rule->operand = operand;
}

void CompileCombinator(const json::Object& obj, std::string_view name, const std::string& location,
                       int depth, DefinitionReader* reader, ChoiceRule* rule) {
  rule->op = name == "And" ? Op::kAnd : name == "Or" ? Op::kOr : Op::kNot;
  rule->op_name = std::string(name);
  const json::Value& v = obj.at(name);
  const std::string operand_location = PointerAppend(location, name);
  if (obj.contains("Variable")) {
    reader->Schema(PointerAppend(location, "Variable"),
                   "The field 'Variable' is not supported by Step Functions on a rule with '" +
                       rule->op_name + "'; put it in the nested rules");
  }
  if (name == "Not") {
    if (!v.is_object()) {
      reader->Schema(operand_location,
                     "The value for the field 'Not' must be an OBJECT (one "
                     "rule), not " +
                         DescribeType(v));
      return;
    }
    rule->children.resize(1);
    CompileChoiceRule(v, operand_location, false, depth + 1, reader, &rule->children[0]);
    return;
  }
  if (!v.is_array() || v.get_array().empty()) {
    reader->Schema(operand_location, "The value for the field '" + rule->op_name +
                                         "' must be a non-empty ARRAY of rules");
    return;
  }
  const json::Array& items = v.get_array();
  rule->children.resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    CompileChoiceRule(items[i], PointerAppend(operand_location, i), false, depth + 1, reader,
                      &rule->children[i]);
  }
}

}  // namespace

void CompileChoiceRule(const json::Value& value, const std::string& location, bool top_level,
                       int depth, DefinitionReader* reader, ChoiceRule* rule) {
  if (depth > json::kMaxDepth) {
    reader->Add(kTooDeeplyNested, location, "Choice rules are nested too deeply");
    return;
  }
  if (!value.is_object()) {
    reader->Schema(location, "A Choice rule must be an OBJECT, not " + DescribeType(value));
    return;
  }
  const json::Object& obj = value.get_object();
  std::vector<std::string_view> operators;
  for (const auto& [key, unused] : obj) {
    std::string_view k = key;
    if (IsCombinator(k) || FindComparison(k) != nullptr) {
      operators.push_back(k);
    } else if (k == "Assign" && top_level) {
      rule->assign = CompileAssign(obj, location, reader);
    } else if (k != "Variable" && k != "Comment" && k != "Next") {
      reader->Schema(PointerAppend(location, k),
                     "The field '" + std::string(k) + "' is not supported by Step Functions");
    }
  }
  reader->String(obj, "Comment", location);
  if (top_level) {
    if (!obj.contains("Next")) {
      reader->Schema(location,
                     "These fields are required: [Next] (each rule in 'Choices' "
                     "needs the state to go to when it matches)");
    }
    rule->next = reader->String(obj, "Next", location).value_or("");
  } else if (obj.contains("Next")) {
    reader->Schema(PointerAppend(location, "Next"),
                   "The field 'Next' is only allowed on the rules directly in 'Choices', not on "
                   "rules nested in And, Or or Not");
  }
  if (operators.size() != 1) {
    std::string found;
    for (std::string_view op : operators) {
      found += found.empty() ? "" : ", ";
      found += op;
    }
    reader->Schema(location,
                   "A Choice rule must have exactly one comparison operator or And/Or/Not; "
                   "found " +
                       (operators.empty() ? std::string("none") : "[" + found + "]"));
    if (operators.empty()) return;
  }
  // With several operators (reported above) the first one is still checked.
  std::string_view op = operators.front();
  if (IsCombinator(op)) {
    CompileCombinator(obj, op, location, depth, reader, rule);
  } else {
    CompileComparison(obj, *FindComparison(op), location, reader, rule);
  }
}

}  // namespace autoretrain::asl
