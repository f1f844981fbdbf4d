// Evaluating parsed DynamoDB expressions against an item: conditions (ConditionExpression,
// FilterExpression, key conditions), update actions, and projections.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_EVAL_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_EVAL_H_

#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "integrations/dynamodb_expression.h"

namespace autoretrain::integrations::dynamo {

// The value at `path` in `item`, or null when any step of it is missing.
const json::Value* Resolve(const json::Object& item, const Path& path);

// Whether `item` (empty for a missing item) satisfies `condition`, with DynamoDB's typing: a
// comparison of different types, or with a missing attribute, is false (except <>, true).
bool Evaluate(const Node& condition, const json::Object& item);

// Applies `actions` to `item` in place: every SET value is computed from the item as it was
// before the update, then the actions apply in order. Fails with ValidationException
// ("The provided expression refers to an attribute that does not exist in the item", "An
// operand in the update expression has an incorrect data type", "The document path provided
// in the update expression is invalid for update", number limits); `item` is then unusable.
Status ApplyUpdate(const std::vector<UpdateAction>& actions, json::Object& item);

// The parts of `item` that `paths` name, nested as in the item (list elements selected by
// index are kept in index order, without gaps).
json::Object Project(const json::Object& item, const std::vector<Path>& paths);

}  // namespace autoretrain::integrations::dynamo

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_EVAL_H_
