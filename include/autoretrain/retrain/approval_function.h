// The approval gate (docs/retraining-policy.md#approval): the built-in function
// `request_retraining_approval`, which a Task state calls with
// arn:aws:states:::lambda:invoke.waitForTaskToken to park its task token on the evaluation's
// ledger item, and the lookup `autoretrain approve|reject` uses to find and answer it.
//
// Event: {"model", "sk" (the evaluation item's sort key, e.g. $.policy.item.sk.S), "token"
// ($$.Task.Token)}. The item gets status PENDING_APPROVAL, approval_token and
// approval_requested_at; the result is {"model", "sk", "requested_at"}. Errors (function
// errors): InvalidApprovalRequest (the event is not of that form), NoSuchEvaluation (no
// item with that key), or the DynamoDb's errors.
//
// Thread-safety: Invoke may run concurrently (as far as the DynamoDb allows); the lookup is a
// plain function.
#ifndef AUTORETRAIN_RETRAIN_APPROVAL_FUNCTION_H_
#define AUTORETRAIN_RETRAIN_APPROVAL_FUNCTION_H_

#include <memory>
#include <string>
#include <string_view>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/integrations/function.h"

namespace autoretrain::retrain {

inline constexpr std::string_view kApprovalFunctionName = "request_retraining_approval";

// The function over the ledger table `table` of `db`; `db` and `clock` must outlive it.
std::unique_ptr<integrations::Function> MakeApprovalFunction(integrations::DynamoDb& db,
                                                             std::string table, Clock& clock);

struct PendingApproval {
  std::string model;
  std::string sk;             // the evaluation's sort key
  std::string evaluation_id;  // the trigger execution's name
  std::string token;          // the waiting task's token
  std::string summary;        // the policy's summary
};

// `model`'s latest evaluation still waiting for approval (status PENDING_APPROVAL with a
// token), among its last 366 days of history. Fails with NoPendingApproval (naming the model
// and what to check), or the DynamoDb's errors.
Result<PendingApproval> FindPendingApproval(integrations::DynamoDb& db, std::string_view table,
                                            std::string_view model, TimePoint now);

// Marks the evaluation answered: approval_token removed (so it is not found pending again),
// approval_answer (APPROVED or REJECTED), approved_by and approval_reason set. The status is
// the definition's to record once its waiting task has the answer.
Status RecordApprovalAnswer(integrations::DynamoDb& db, std::string_view table,
                            const PendingApproval& pending, bool approved, std::string_view by,
                            std::string_view reason);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_APPROVAL_FUNCTION_H_
