// The decision function `check_retraining_decision`: the seed's Lambda, in C++.
//
// It reads the monitoring job's decision CSV from the object store (by default
// s3://mlops-creditcard/monitoring_outputs/retraining_decision/retraining_decision.csv), takes
// row 2, column 1 (the first row is the header), trims and upper-cases it, and returns
// {"retraining_required": "YES"|"NO"}, exactly as the seed's Python handler does, but with
// named errors instead of a Python traceback. Errors (the `error` names Retry/Catch match):
//   NoSuchBucket, NoSuchKey, AccessDenied   the object cannot be read (from the object store)
//   DecisionFileTooLarge                    the file is larger than max_bytes
//   DecisionFileEmpty                       no data row (empty or header-only file; the seed's
//                                           IndexError)
//   MalformedDecisionFile                   not valid CSV (unterminated quote) or not UTF-8
//   InvalidDecisionValue                    the value is neither YES nor NO (message quotes it)
//   InvalidObjectName, InvalidBucketName    the configured location is not a valid key/bucket
// Each cause says what was found and what was expected. The built-in function reports them
// as function errors (FunctionError: cause is {"errorMessage","errorType","stackTrace"}), and
// fails with InvalidDecisionRequest when the event's "bucket" or "key" is not a string.
//
// Thread-safety: the function holds no mutable state; Invoke may run concurrently.
#ifndef AUTORETRAIN_RETRAIN_DECISION_H_
#define AUTORETRAIN_RETRAIN_DECISION_H_

#include <memory>
#include <string>

#include "autoretrain/common/result.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/object_store.h"

namespace autoretrain::retrain {

struct DecisionConfig {
  std::string bucket = "mlops-creditcard";
  std::string key = "monitoring_outputs/retraining_decision/retraining_decision.csv";
  size_t max_bytes = 1024 * 1024;
};

// Reads and interprets the decision file: "YES" or "NO", or one of the errors above.
Result<std::string> ReadDecision(integrations::ObjectStore& store, const DecisionConfig& config);

// The built-in function. The event may override the configured location with "bucket" and
// "key" string fields (the seed's handler ignores its event; these are optional).
// `store` must outlive the function.
std::unique_ptr<integrations::Function> MakeDecisionFunction(integrations::ObjectStore& store,
                                                             DecisionConfig config);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_DECISION_H_
