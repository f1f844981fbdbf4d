// DynamoDB expressions: condition expressions (ConditionExpression, FilterExpression,
// KeyConditionExpression), update expressions and projection expressions, parsed once per
// request into trees with ExpressionAttributeNames resolved and ExpressionAttributeValues
// copied in, with DynamoDB's error messages ("Invalid ConditionExpression: Syntax error;
// token: \"x\", near: \"a x b\"", undefined and unused placeholders, reserved words,
// redundant parentheses, unknown functions, operand counts and types, overlapping paths).
//
// Thread-safety: plain values and functions.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_EXPRESSION_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_EXPRESSION_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations::dynamo {

// One step of a document path: an attribute (map key) name, or a list index.
struct PathElement {
  std::string name;
  int64_t index = -1;  // >= 0: a list element ([n]); the name is then empty

  bool is_index() const { return index >= 0; }
  friend bool operator==(const PathElement&, const PathElement&) = default;
};
using Path = std::vector<PathElement>;

// "[a, b, [0]]" as DynamoDB prints paths in messages.
std::string PathText(const Path& path);

enum class NodeKind {
  kPath,      // a document path operand
  kValue,     // an ExpressionAttributeValues operand
  kFunction,  // op: the function name; args: its operands
  kCompare,   // op: "=", "<>", "<", "<=", ">", ">="; args: two operands
  kBetween,   // args: operand, low, high
  kIn,        // args: operand, candidates...
  kAnd,
  kOr,
  kNot,
  kPlus,  // update values: args[0] + args[1]
  kMinus,
};

struct Node {
  NodeKind kind = NodeKind::kValue;
  std::string op;
  Path path;
  json::Value value;  // a copy of the placeholder's attribute value
  std::vector<Node> args;
};

// The placeholders of one request, and which of them its expressions used (DynamoDB refuses
// unused ones).
struct ExpressionContext {
  const json::Object* names = nullptr;   // ExpressionAttributeNames (null: none)
  const json::Object* values = nullptr;  // ExpressionAttributeValues, validated (null: none)
  std::set<std::string, std::less<>> used_names;
  std::set<std::string, std::less<>> used_values;
};

// Parses a condition expression. `field` names it in messages ("ConditionExpression",
// "FilterExpression", "KeyConditionExpression"). Fails with ValidationException "Invalid
// <field>: ...".
Result<Node> ParseCondition(std::string_view text, std::string_view field, ExpressionContext& ctx);

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Node value;  // SET: the value tree; ADD/DELETE: the value operand; REMOVE: unused
};

// Parses an UpdateExpression (SET, REMOVE, ADD, DELETE sections, each at most once). Fails with
// ValidationException "Invalid UpdateExpression: ...".
Result<std::vector<UpdateAction>> ParseUpdate(std::string_view text, ExpressionContext& ctx);

// Parses a ProjectionExpression into its paths. Fails with ValidationException "Invalid
// ProjectionExpression: ...".
Result<std::vector<Path>> ParseProjection(std::string_view text, ExpressionContext& ctx);

// After every expression of a request is parsed: ValidationException when a placeholder
// was given but not used ("Value provided in ExpressionAttributeNames unused in expressions:
// keys: {#a}").
Status CheckAllPlaceholdersUsed(const ExpressionContext& ctx);

// Whether `name` is one of DynamoDB's reserved words (case-insensitive).
bool IsReservedWord(std::string_view name);

}  // namespace autoretrain::integrations::dynamo

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_EXPRESSION_H_
