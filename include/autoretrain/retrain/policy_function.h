// The built-in function `evaluate_retraining_policy`: applies a model's retraining policy to
// the decision function's result, reading the model's history from the ledger table
// (docs/retraining-policy.md#the-function).
//
// Event: {"model": "fraud", "decision": <check_retraining_decision's result>,
//         "evaluation_id": "<optional; the trigger execution's name>"}, or, to start a queued
//         retraining, {"model": "fraud", "queued_sk": "<the queued evaluation's sort key>"}:
//         its record is read back and given its verdict now (ResumeQueued in policy.h).
// Result: {"model", "evaluated_at", "evaluation_id", "decision" ("YES"/"NO"), "verdict",
// "retrain" (verdict is RETRAIN), "summary", "reasons", "queued_behind" and "queued_stale_before"
// (QUEUE: the sort keys of queued evaluations past running_timeout_hours sort before it),
// "approval" (NEEDS_APPROVAL: {"timeout_hours", "timeout_seconds", "on_timeout"}),
// "history_records" (how many were read; 0 for a queued one), "item" (the evaluation's ledger
// record as a DynamoDB item, for a dynamodb:putItem task)}. Errors (function errors, as Lambda
// reports them):
//   InvalidPolicyRequest  the event is not an object, "model" is not a non-empty string of at
//                         most 256 characters, "decision" is missing or not the decision
//                         function's result, "evaluation_id" is not of its form
//   UnknownModel          no policy for the model and no fallback policy configured
//   QueuedEvaluationNotFound  "queued_sk" names no record of the model
//   NotQueued             the record "queued_sk" names is not QUEUED (started or settled)
//   the DynamoDb's errors (ResourceNotFoundException, ...) and CorruptHistoryItem, when the
//                         history cannot be read: the policy is never applied to a history
//                         it could not read
//
// Thread-safety: the function holds no mutable state; Invoke may run concurrently (as far as
// the DynamoDb allows).
#ifndef AUTORETRAIN_RETRAIN_POLICY_FUNCTION_H_
#define AUTORETRAIN_RETRAIN_POLICY_FUNCTION_H_

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/retrain/policy.h"

namespace autoretrain::retrain {

// The name the function is registered under (by the project runtime).
inline constexpr std::string_view kPolicyFunctionName = "evaluate_retraining_policy";

struct PolicyFunctionConfig {
  std::string table = "autoretrain-retraining-history";    // the ledger table
  std::map<std::string, ModelPolicy, std::less<>> models;  // each model's policy
  // The policy of a model not in `models` (nullopt: such a model fails with UnknownModel).
  std::optional<ModelPolicy> fallback = ModelPolicy{};
};

// The function. `db` and `clock` (null: the system clock) must outlive it.
std::unique_ptr<integrations::Function> MakePolicyFunction(integrations::DynamoDb& db,
                                                           PolicyFunctionConfig config,
                                                           Clock* clock = nullptr);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_POLICY_FUNCTION_H_
