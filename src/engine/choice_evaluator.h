// ChoiceEvaluator: decides a Choice state's rules (comparisons, And/Or/Not, the Is* tests) with
// Step Functions' semantics:
// - a comparison whose Variable (or *Path operand) selects nothing fails with States.Runtime
//   "Invalid path '$.x': The choice state's condition path references an invalid value.";
//   IsPresent instead tests exactly that and never fails;
// - a value of the wrong type (StringEquals on a number...) does not match; it is not an error;
// - numbers compare exactly across int64, uint64 and double; timestamps compare as instants.
//
// Thread-safety: plain functions; the ContextObject passed in must not be shared.
#ifndef AUTORETRAIN_ENGINE_CHOICE_EVALUATOR_H_
#define AUTORETRAIN_ENGINE_CHOICE_EVALUATOR_H_

#include <string_view>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "engine/context_object.h"

namespace autoretrain::engine {

// True when `rule` matches `input` (the Choice state's effective input). Errors are returned
// without the state prefix (see RunContext::StateError).
Result<bool> EvaluateChoiceRule(const asl::ChoiceRule& rule, const json::Value& input,
                                ContextObject& context);

// StringMatches: `*` matches any run of characters; `\*` is a literal star and `\\` a literal
// backslash (the pattern as it is after JSON unescaping).
bool StringMatchesPattern(std::string_view value, std::string_view pattern);

// -1, 0 or 1 as a <, ==, > b, exactly, for any two JSON numbers (precondition: both numbers).
int CompareNumbers(const json::Value& a, const json::Value& b);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_CHOICE_EVALUATOR_H_
