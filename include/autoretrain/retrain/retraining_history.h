// The retraining history ledger (docs/retraining-policy.md#the-ledger): one record per
// evaluated decision (retrain or not), which also carries the retraining that the evaluation
// asked for (its version number, pipeline execution and status), stored as DynamoDB items in
// a table whose partition key is the model and whose sort key orders a model's records by
// evaluation time, so a descending Query gives the latest first.
//
// Records live in the embedded table store or in DynamoDB, both behind
// integrations::DynamoDb; this file only builds and reads items and requests. Items carry a
// "format" number (kLedgerFormat); a reader rejects items of a newer format instead of
// misreading them.
//
// Thread-safety: plain values and functions; ReadHistory and NextVersion are as thread-safe
// as the DynamoDb they are given.
#ifndef AUTORETRAIN_RETRAIN_RETRAINING_HISTORY_H_
#define AUTORETRAIN_RETRAIN_RETRAINING_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/retrain/policy.h"

namespace autoretrain::retrain {

// The item format this code writes and the newest it reads.
inline constexpr int64_t kLedgerFormat = 1;
// The key attributes: partition key "model" (S), sort key "sk" (S) = SortKey(...).
inline constexpr std::string_view kModelAttribute = "model";
inline constexpr std::string_view kSortKeyAttribute = "sk";
// The sort key of each model's version counter item (NextVersion). It sorts before every
// record's key (they start with a digit), so history queries never return it.
inline constexpr std::string_view kVersionCounterKey = "#version";
// ReadHistory returns at most this many records (the latest).
inline constexpr size_t kMaxHistoryRecords = 10000;

struct RetrainingRecord {
  std::string model;
  TimePoint evaluated_at;
  // Unique among the model's evaluations in the same millisecond: the trigger execution's
  // name (1 to 80 characters, no whitespace; it is the end of the sort key).
  std::string evaluation_id;

  // The decision as the decision function returned it.
  std::string decision;  // "YES" or "NO" (NO when stale)
  DecisionFields fields;
  bool stale = false;
  std::optional<std::string> reported_decision;  // what a stale file said
  std::optional<int64_t> age_seconds;

  PolicyVerdict verdict;

  // The retraining the evaluation asked for (absent for SKIP).
  std::optional<int64_t> version;          // assigned when the pipeline starts
  std::optional<RetrainingStatus> status;  // PENDING_APPROVAL, QUEUED, RUNNING, ...
  std::optional<TimePoint> started_at;     // when the pipeline started
  std::optional<TimePoint> finished_at;    // when it ended
  std::string execution_arn;               // the pipeline's execution ("": none yet)
  // What the pipeline that succeeded returned (its metrics, the model's location...), as JSON
  // text ("": not recorded).
  std::string pipeline_output;
  // How the alerts before the retraining went, as JSON text ("": not recorded): the result of
  // send_retraining_alert ({"delivered", "failed"}) or the error it failed with, and the SNS
  // publish's ({"message_id"}, an error, or {"skipped"}).
  std::string alert, sns_alert;
  // How the pipeline failed: the JSON text of the error the trigger caught ({"Error",
  // "Cause"}; "": it did not fail). When the pipeline ran and failed, the Cause is its
  // DescribeExecution, and execution_arn is read from it.
  std::string failure;
};

// The key of model `model`'s item with sort key `sk`, {"model": {"S": ...}, "sk": {"S": ...}},
// for GetItem, UpdateItem and DeleteItem requests.
json::Value LedgerKey(std::string_view model, std::string_view sk);

// "2026-11-30T03:00:00.000Z#<evaluation_id>": ISO 8601 UTC with milliseconds, so that the
// string order is the time order.
std::string SortKey(TimePoint evaluated_at, std::string_view evaluation_id);

// The record as a DynamoDB item ({"model": {"S": ...}, "sk": {"S": ...}, "version": {"N":
// "3"}, ...}); absent optional fields are absent attributes. Never fails.
json::Object RecordToItem(const RetrainingRecord& record);

// The record an item holds. Fails with CorruptHistoryItem, naming the item's key and the
// attribute that is missing or not of its form, or the newer format it was written in.
Result<RetrainingRecord> RecordFromItem(const json::Value& item);

// The CreateTable request for a ledger table named `table` (on-demand billing).
json::Value HistoryTableDefinition(std::string_view table);

// The Query request for `model`'s records evaluated at or after `since`, latest first,
// strongly consistent. ReadHistory sends it (adding ExclusiveStartKey for later pages).
json::Value HistoryQuery(std::string_view table, std::string_view model, TimePoint since);

// `model`'s records evaluated at or after `since`, latest first, at most kMaxHistoryRecords
// (following LastEvaluatedKey across pages). Fails with the DynamoDb's error
// (ResourceNotFoundException when the table does not exist, ...), its cause prefixed with
// the table and model, or with CorruptHistoryItem.
Result<std::vector<RetrainingRecord>> ReadHistory(integrations::DynamoDb& db,
                                                  std::string_view table, std::string_view model,
                                                  TimePoint since);

// The retrainings among `records`, as EvaluatePolicy reads them (records with a status).
std::vector<PastRetraining> PastRetrainings(const std::vector<RetrainingRecord>& records);

// Takes the next version number of `model` (1 for its first retraining): an atomic
// UpdateItem ADD on the model's counter item, so concurrent callers get distinct numbers and
// no number is skipped unless a caller fails after taking it. Fails with the DynamoDb's error,
// or CorruptHistoryItem when the response does not carry the new number.
Result<int64_t> NextVersion(integrations::DynamoDb& db, std::string_view table,
                            std::string_view model);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_RETRAINING_HISTORY_H_
