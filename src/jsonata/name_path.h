// Paths of plain field names (`Account.Order.Product.SKU`: no predicates, calls, wildcards,
// `[]`, variables or ancestry), evaluated straight over the input document (internal).
//
// Such a path is the most common expression and needs nothing but lookups: the general
// evaluator's set-up (scopes, bindings), its Value per item and sequence per step are all
// avoided. The walk follows the evaluator's sequence rules exactly (evaluator.cc: EvalPath,
// EvalStep, LookupKey and Eval's unwrapping of one-item sequences).
//
// Thread-safety: stateless; reads the compiled tree and the input only.
#ifndef AUTORETRAIN_JSONATA_NAME_PATH_H_
#define AUTORETRAIN_JSONATA_NAME_PATH_H_

#include <optional>

#include "autoretrain/json/json.h"
#include "jsonata/ast.h"

namespace autoretrain::jsonata {

// Whether `expr` is such a path (decided once, when the expression is compiled).
bool IsNamePath(const Node& expr);

// The evaluation depth the general evaluator would reach on a name path (the path, then its
// steps): below this depth limit it fails with U1001, so the walk must not be used.
inline constexpr int kNamePathDepth = 2;

// Evaluates the name path `path` over `input` into `result` (nullopt: undefined). Returns false,
// leaving `result` alone, when the general evaluator must decide instead: a result of one
// non-finite number, which it rejects with D1001.
bool EvaluateNamePath(const Node& path, const json::Value& input,
                      std::optional<json::Value>& result);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_NAME_PATH_H_
