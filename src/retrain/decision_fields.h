// The optional fields of an extended decision file (docs/decision-files.md): severity, drift
// score, drifted features and the monitoring run's time, read from extra CSV columns (by their
// header) or from a JSON decision document.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_RETRAIN_DECISION_FIELDS_H_
#define AUTORETRAIN_RETRAIN_DECISION_FIELDS_H_

#include <string>
#include <string_view>

#include "autoretrain/retrain/csv.h"
#include "autoretrain/retrain/decision.h"

namespace autoretrain::retrain {

// The fields named by `header` in `row` (columns past the row's end count as absent; an empty
// cell too). Fails with InvalidSeverity, InvalidDriftScore or InvalidMonitoredAt naming
// `where`, the column and the value.
Result<DecisionFields> FieldsFromCsv(const CsvRow& header, const CsvRow& row,
                                     const std::string& where);

// A JSON decision document: {"retraining_required": "YES"|"NO"|true|false, "severity",
// "drift_score", "drifted_features", "monitored_at", ...other fields ignored}. Fails with
// MalformedDecisionFile (not JSON, not an object), DecisionFileEmpty (no
// retraining_required), InvalidDecisionValue, or the field errors above.
Result<Decision> DecisionFromJson(std::string_view text, const std::string& where);

// Adds the present fields to a function result: "severity", "drift_score",
// "drifted_features", "monitored_at" (ISO 8601, UTC).
void AddFields(const DecisionFields& fields, json::Object& out);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_DECISION_FIELDS_H_
