// The decision function `check_retraining_decision`: the seed's Lambda, in C++.
//
// It reads the monitoring job's decision CSV from the object store (by default
// s3://mlops-creditcard/monitoring_outputs/retraining_decision/retraining_decision.csv), takes
// row 2, column 1 (the first row is the header), trims and upper-cases it, and returns
// {"retraining_required": "YES"|"NO"}, exactly as the seed's Python handler does, but with
// named errors instead of a Python traceback.
//
// Extended decision files (docs/decision-files.md) add, as more CSV columns named in the
// header or as a JSON document ({"retraining_required": ...}), a severity (NONE, LOW, MEDIUM,
// HIGH, CRITICAL), a drift score, the drifted features and the monitoring run's time; the
// function's result then carries them too. With max_age_hours configured, a decision whose
// monitored_at is older counts as stale: the result says "NO" (with "stale": true and the
// "reported_decision"), so the seed's trigger does not retrain on it. Errors (the `error` names
// Retry/Catch match):
//   NoSuchBucket, NoSuchKey, AccessDenied   the object cannot be read (from the object store)
//   DecisionFileTooLarge                    the file is larger than max_bytes
//   DecisionFileEmpty                       no data row (empty or header-only file; the seed's
//                                           IndexError)
//   MalformedDecisionFile                   not valid CSV (unterminated quote) or not UTF-8
//   InvalidDecisionValue                    the value is neither YES nor NO (message quotes it)
//   InvalidObjectName, InvalidBucketName    the configured location is not a valid key/bucket
//   InvalidSeverity, InvalidDriftScore, InvalidDriftedFeatures, InvalidMonitoredAt
//                                           an extended field is not of its form
//   MissingMonitoredAt                      max_age_hours is set but the file has no
//                                           monitored_at
// Each cause says what was found and what was expected. The built-in function reports them
// as function errors (FunctionError: cause is {"errorMessage","errorType","stackTrace"}), and
// fails with InvalidDecisionRequest when the event's "bucket" or "key" is not a string.
//
// Thread-safety: the function holds no mutable state; Invoke may run concurrently.
#ifndef AUTORETRAIN_RETRAIN_DECISION_H_
#define AUTORETRAIN_RETRAIN_DECISION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/object_store.h"

namespace autoretrain::retrain {

struct DecisionConfig {
  std::string bucket = "mlops-creditcard";
  std::string key = "monitoring_outputs/retraining_decision/retraining_decision.csv";
  size_t max_bytes = 1024 * 1024;
  // A decision whose monitored_at is more than this many hours old is stale (none: never).
  std::optional<int64_t> max_age_hours;
};

// What an extended decision file adds (each absent when the file does not say).
struct DecisionFields {
  std::optional<std::string> severity;  // NONE, LOW, MEDIUM, HIGH or CRITICAL
  std::optional<double> drift_score;
  std::optional<std::vector<std::string>> drifted_features;
  std::optional<TimePoint> monitored_at;
};

struct Decision {
  std::string value;  // "YES" or "NO", as the file says
  DecisionFields fields;
};

// Reads and interprets the decision file (CSV, or JSON when it starts with '{'), or one of the
// errors above.
Result<Decision> ReadDecision(integrations::ObjectStore& store, const DecisionConfig& config);

// The built-in function. The event may override the configured location with "bucket" and
// "key" string fields (the seed's handler ignores its event; these are optional). Staleness
// is judged on `clock` (null: the system clock). `store` and `clock` must outlive the function.
std::unique_ptr<integrations::Function> MakeDecisionFunction(integrations::ObjectStore& store,
                                                             DecisionConfig config,
                                                             Clock* clock = nullptr);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_DECISION_H_
