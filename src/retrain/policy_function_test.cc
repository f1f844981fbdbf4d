// The built-in function evaluate_retraining_policy against an in-memory ledger table: the
// verdicts over a sequence of evaluations, the item it returns, and every request error.
#include "autoretrain/retrain/policy_function.h"

#include <gtest/gtest.h>

#include "autoretrain/retrain/retraining_history.h"
#include "retrain/policy_test_dynamodb.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using testing::kLedgerTable;
using testing::MemoryDynamoDb;

json::Value Json(const std::string& text) {
  Result<json::Value> v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : json::Value();
}

class PolicyFunctionTest : public ::testing::Test {
 protected:
  PolicyFunctionTest() {
    EXPECT_TRUE(db_.Call("CreateTable", HistoryTableDefinition(kLedgerTable)).ok());
    config_.table = kLedgerTable;
  }

  Result<json::Value> Invoke(const std::string& event) {
    return MakePolicyFunction(db_, config_, &clock_)->Invoke(Json(event));
  }

  // Invokes and, as the trigger's dynamodb:putItem task would, records the returned item.
  json::Value EvaluateAndRecord(const std::string& event) {
    Result<json::Value> out = Invoke(event);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().cause);
    if (!out.ok()) return json::Value();
    EXPECT_TRUE(db_.Call("PutItem", json::Object{{"TableName", kLedgerTable},
                                                 {"Item", out->get_object().at("item")}})
                    .ok());
    return *out;
  }

  // The errorType and errorMessage of a failed Invoke.
  std::pair<std::string, std::string> Failure(const std::string& event) {
    Result<json::Value> out = Invoke(event);
    if (out.ok()) return {"<ok>", json::Serialize(*out)};
    Result<json::Value> cause = json::Parse(out.error().cause);
    EXPECT_TRUE(cause.ok()) << out.error().cause;
    EXPECT_EQ(std::string(cause->get_object().at("errorType").get_string()), out.error().error);
    return {out.error().error, std::string(cause->get_object().at("errorMessage").get_string())};
  }

  static std::string Str(const json::Value& out, std::string_view key) {
    const json::Value* v = out.get_object().if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "<absent>";
  }

  MemoryDynamoDb db_;
  PolicyFunctionConfig config_;
  ManualClock clock_{At("2026-11-30T03:00:00Z")};
};

TEST_F(PolicyFunctionTest, TheSeedsDecisionRetrainsAModelWithNoHistory) {
  Result<json::Value> out = Invoke(
      R"({"model": "creditcard", "decision": {"retraining_required": "YES"},
          "evaluation_id": "run-1"})");
  ASSERT_TRUE(out.ok()) << out.error().cause;
  EXPECT_EQ(Str(*out, "model"), "creditcard");
  EXPECT_EQ(Str(*out, "evaluated_at"), "2026-11-30T03:00:00.000Z");
  EXPECT_TRUE(out->get_object().at("severity").is_null());  // the seed's file has none
  EXPECT_EQ(Str(*out, "evaluation_id"), "run-1");
  EXPECT_EQ(Str(*out, "verdict"), "RETRAIN");
  EXPECT_TRUE(out->get_object().at("retrain").get_bool());
  EXPECT_EQ(Str(*out, "summary"), "retrain: every rule passed");
  EXPECT_EQ(out->get_object().at("reasons").get_array().size(), 7u);
  EXPECT_EQ(out->get_object().at("history_records").get_int64(), 0);
  EXPECT_FALSE(out->get_object().contains("approval"));
  // The item records the retraining as running from now, without a version yet.
  Result<RetrainingRecord> record = RecordFromItem(out->get_object().at("item"));
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->model, "creditcard");
  EXPECT_EQ(record->evaluation_id, "run-1");
  EXPECT_EQ(record->decision, "YES");
  EXPECT_EQ(record->status, RetrainingStatus::kRunning);
  EXPECT_EQ(record->started_at, clock_.Now());
  EXPECT_FALSE(record->version.has_value());
  EXPECT_EQ(record->verdict.verdict, Verdict::kRetrain);
  // The history was read from now back over the default policy's lookback (14 days).
  auto requests = db_.requests();
  ASSERT_EQ(requests.back().first, "Query");
  EXPECT_EQ(json::Serialize(requests.back().second.get_object().at("ExpressionAttributeValues")),
            R"({":model":{"S":"creditcard"},":since":{"S":"2026-11-16T03:00:00.000Z"}})");
}

TEST_F(PolicyFunctionTest, CooldownBlocksASecondRetrainingAndCriticalOverridesIt) {
  json::Value first = EvaluateAndRecord(
      R"({"model": "fraud", "evaluation_id": "r1",
          "decision": {"retraining_required": "YES", "severity": "HIGH", "drift_score": 0.4,
                       "drifted_features": ["amount"], "monitored_at": "2026-11-30T02:00:00Z",
                       "stale": false, "age_seconds": 3600}})");
  EXPECT_EQ(Str(first, "verdict"), "RETRAIN");
  EXPECT_EQ(Str(first, "severity"), "HIGH");  // for the alert
  clock_.Advance(hours(5));
  json::Value second = EvaluateAndRecord(
      R"({"model": "fraud", "evaluation_id": "r2",
          "decision": {"retraining_required": "YES", "severity": "HIGH"}})");
  EXPECT_EQ(Str(second, "verdict"), "SKIP");
  EXPECT_FALSE(second.get_object().at("retrain").get_bool());
  EXPECT_EQ(Str(second, "summary"),
            "cooldown: last retraining (no version yet) started 5h ago (< 24h), severity HIGH "
            "below override CRITICAL: skip");
  EXPECT_EQ(second.get_object().at("history_records").get_int64(), 1);
  EXPECT_FALSE(second.get_object().at("item").get_object().contains("status"));
  clock_.Advance(hours(1));
  json::Value third = EvaluateAndRecord(
      R"({"model": "fraud", "evaluation_id": "r3",
          "decision": {"retraining_required": "YES", "severity": "CRITICAL"}})");
  // The first retraining is still RUNNING in the ledger (nobody updated it), so the default
  // while_running (skip) holds the CRITICAL one back even though it lifts the cooldown.
  EXPECT_EQ(Str(third, "verdict"), "SKIP");
  EXPECT_EQ(Str(third, "summary"),
            "running: retraining (no version yet) is running (started 6h ago), while_running is "
            "skip: skip");
  // Once the ledger says the first one succeeded, CRITICAL goes through the cooldown.
  Result<RetrainingRecord> r1 = RecordFromItem(first.get_object().at("item"));
  ASSERT_TRUE(r1.ok());
  r1->status = RetrainingStatus::kSucceeded;
  r1->version = 1;
  ASSERT_TRUE(
      db_.Call("PutItem", json::Object{{"TableName", kLedgerTable}, {"Item", RecordToItem(*r1)}})
          .ok());
  json::Value fourth = EvaluateAndRecord(
      R"({"model": "fraud", "evaluation_id": "r4",
          "decision": {"retraining_required": "YES", "severity": "CRITICAL"}})");
  EXPECT_EQ(Str(fourth, "verdict"), "RETRAIN");
  EXPECT_EQ(json::Serialize(fourth.get_object().at("reasons").get_array()[3]),
            R"({"rule":"cooldown","outcome":"OVERRIDE","message":"cooldown: last retraining v1 )"
            R"(started 6h ago (< 24h), but severity CRITICAL is at or above override CRITICAL: )"
            R"(cooldown lifted"})");
  EXPECT_EQ(fourth.get_object().at("history_records").get_int64(), 3);
  // Another model's history is its own.
  json::Value other = EvaluateAndRecord(
      R"({"model": "churn", "decision": {"retraining_required": "YES", "severity": "LOW"}})");
  EXPECT_EQ(Str(other, "verdict"), "RETRAIN");
  EXPECT_EQ(Str(other, "evaluation_id").rfind("eval-", 0), 0u);
}

TEST_F(PolicyFunctionTest, AStaleDecisionIsRecordedAndSkipped) {
  json::Value out = EvaluateAndRecord(
      R"({"model": "fraud", "evaluation_id": "s",
          "decision": {"retraining_required": "NO", "severity": "CRITICAL", "stale": true,
                       "age_seconds": 180000, "reported_decision": "YES",
                       "monitored_at": "2026-11-28T01:00:00Z"}})");
  EXPECT_EQ(Str(out, "verdict"), "SKIP");
  EXPECT_EQ(Str(out, "summary"), "decision: NO (the stale file's YES does not count): skip");
  Result<RetrainingRecord> record = RecordFromItem(out.get_object().at("item"));
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->stale);
  EXPECT_EQ(record->reported_decision, "YES");
  EXPECT_EQ(record->age_seconds, 180000);
  EXPECT_EQ(record->fields.severity, "CRITICAL");
}

TEST_F(PolicyFunctionTest, ApprovalAndQueueAreRecordedAsWaiting) {
  ModelPolicy gated;
  gated.approval.required = true;
  gated.approval.timeout = hours(8);
  config_.models["gated"] = gated;
  json::Value out =
      EvaluateAndRecord(R"({"model": "gated", "decision": {"retraining_required": "YES"}})");
  EXPECT_EQ(Str(out, "verdict"), "NEEDS_APPROVAL");
  EXPECT_EQ(json::Serialize(out.get_object().at("approval")),
            R"({"timeout_hours":8,"timeout_seconds":28800,"on_timeout":"reject"})");
  EXPECT_EQ(Str(out.get_object().at("item"), "status"), "<absent>");  // typed, not a string
  EXPECT_EQ(json::Serialize(out.get_object().at("item").get_object().at("status")),
            R"({"S":"PENDING_APPROVAL"})");
  // While it waits, the next one skips.
  clock_.Advance(hours(1));
  out = EvaluateAndRecord(R"({"model": "gated", "decision": {"retraining_required": "YES"}})");
  EXPECT_EQ(Str(out, "verdict"), "SKIP");

  ModelPolicy queueing;
  queueing.cooldown_hours = 0;
  queueing.while_running = WhileRunning::kQueue;
  config_.models["q"] = queueing;
  EXPECT_EQ(Str(EvaluateAndRecord(R"({"model": "q", "decision": {"retraining_required": "YES"}})"),
                "verdict"),
            "RETRAIN");
  clock_.Advance(hours(1));
  out = EvaluateAndRecord(R"({"model": "q", "decision": {"retraining_required": "YES"}})");
  EXPECT_EQ(Str(out, "verdict"), "QUEUE");
  EXPECT_EQ(out.get_object().at("queued_behind").get_int64(), 0);
  EXPECT_EQ(json::Serialize(out.get_object().at("item").get_object().at("status")),
            R"({"S":"QUEUED"})");
  clock_.Advance(hours(1));
  out = EvaluateAndRecord(R"({"model": "q", "decision": {"retraining_required": "YES"}})");
  EXPECT_EQ(Str(out, "verdict"), "SKIP");
  EXPECT_EQ(Str(out, "summary"),
            "running: retraining (no version yet) is running (started 2h ago) and one retraining "
            "is already queued: skip");
}

TEST_F(PolicyFunctionTest, AQueuedEvaluationResumesOnceOrIsSkippedWhenItWaitedTooLong) {
  ModelPolicy queueing;
  queueing.cooldown_hours = 0;
  queueing.while_running = WhileRunning::kQueue;
  config_.models["q"] = queueing;
  EvaluateAndRecord(R"({"model": "q", "decision": {"retraining_required": "YES"}})");
  clock_.Advance(hours(1));
  json::Value queued =
      EvaluateAndRecord(R"({"model": "q", "decision": {"retraining_required": "YES"}})");
  ASSERT_EQ(Str(queued, "verdict"), "QUEUE");
  const std::string sk = Str(queued.get_object().at("item").get_object().at("sk"), "S");
  const std::string resume = R"({"model": "q", "queued_sk": ")" + sk + R"("})";

  // Past running_timeout_hours: skipped, and recorded without a status.
  clock_.Advance(hours(queueing.running_timeout_hours));
  Result<json::Value> late = Invoke(resume);
  ASSERT_TRUE(late.ok()) << late.error().cause;
  EXPECT_EQ(Str(*late, "verdict"), "SKIP");
  EXPECT_FALSE(late->get_object().at("item").get_object().contains("status"));

  clock_.Advance(-hours(queueing.running_timeout_hours - 1));
  json::Value resumed = EvaluateAndRecord(resume);
  EXPECT_EQ(Str(resumed, "verdict"), "RETRAIN");
  EXPECT_EQ(Str(resumed, "decision"), "YES");
  EXPECT_EQ(Str(resumed.get_object().at("item").get_object().at("sk"), "S"), sk);
  EXPECT_EQ(Failure(resume).first, "NotQueued");  // recorded RUNNING now: never twice

  EXPECT_EQ(Failure(R"({"model": "q", "queued_sk": "2026-11-30T00:00:00.000Z#none"})"),
            (std::pair<std::string, std::string>(
                "QueuedEvaluationNotFound",
                "no evaluation \"2026-11-30T00:00:00.000Z#none\" of model \"q\" in the table " +
                    std::string(kLedgerTable) + ": pass the sort key the queue pointer held")));
  EXPECT_EQ(Failure(R"({"model": "q", "queued_sk": 3})").first, "InvalidPolicyRequest");
}

TEST_F(PolicyFunctionTest, UnknownModelsUseTheFallbackOrFail) {
  config_.models["fraud"] = ModelPolicy{};
  config_.models["churn"] = ModelPolicy{};
  EXPECT_EQ(Failure(R"({"model": "x", "decision": {"retraining_required": "NO"}})").first, "<ok>");
  config_.fallback = std::nullopt;
  EXPECT_EQ(Failure(R"({"model": "x", "decision": {"retraining_required": "NO"}})"),
            (std::pair<std::string, std::string>(
                "UnknownModel",
                "no retraining policy for model \"x\" (models with a policy: churn, fraud): add "
                "it to autoretrain.json's models")));
}

TEST_F(PolicyFunctionTest, HistoryErrorsAreFunctionErrors) {
  config_.table = "missing";
  EXPECT_EQ(Failure(R"({"model": "m", "decision": {"retraining_required": "YES"}})"),
            (std::pair<std::string, std::string>("ResourceNotFoundException",
                                                 "reading the history of model \"m\" from table "
                                                 "\"missing\": Requested resource not found")));
  config_.table = kLedgerTable;
  json::Object corrupt = json::Value(Json(R"({"model": {"S": "m"},
      "sk": {"S": "2026-11-30T01:00:00.000Z#x"}, "format": {"N": "1"}})"))
                             .get_object();
  db_.PutRaw(kLedgerTable, corrupt);
  EXPECT_EQ(Failure(R"({"model": "m", "decision": {"retraining_required": "YES"}})").first,
            "CorruptHistoryItem");
}

struct BadEvent {
  const char* event;
  const char* message;
};

class PolicyFunctionRequestTest : public PolicyFunctionTest,
                                  public ::testing::WithParamInterface<BadEvent> {};

TEST_P(PolicyFunctionRequestTest, NamesWhatIsWrong) {
  EXPECT_EQ(Failure(GetParam().event),
            (std::pair<std::string, std::string>("InvalidPolicyRequest", GetParam().message)));
  EXPECT_TRUE(db_.requests().size() == 1) << "the history is not read for a bad request";
}

constexpr char kHint[] =
    " (pass check_retraining_decision's result, e.g. \"decision.$\": \"$.decision\")";

INSTANTIATE_TEST_SUITE_P(
    EveryRequestError, PolicyFunctionRequestTest,
    ::testing::Values(
        BadEvent{"[]",
                 "the event must be an object {\"model\": ..., \"decision\": ...}, got array"},
        BadEvent{R"({"decision": {}})",
                 "the event field \"model\" must be the model's name (a string of 1 to 256 "
                 "characters), got nothing"},
        BadEvent{R"({"model": "", "decision": {}})",
                 "the event field \"model\" must be the model's name (a string of 1 to 256 "
                 "characters), got \"\""},
        BadEvent{R"({"model": 7, "decision": {}})",
                 "the event field \"model\" must be the model's name (a string of 1 to 256 "
                 "characters), got 7"},
        BadEvent{R"({"model": "m"})",
                 "the event has no \"decision\": pass check_retraining_decision's result, e.g. "
                 "\"decision.$\": \"$.decision\""}));

// The decision errors carry the hint; checked apart because the message is built with it.
TEST_F(PolicyFunctionTest, EveryDecisionError) {
  const std::pair<const char*, std::string> cases[] = {
      {R"("YES")", "the event field \"decision\" must be an object, got string"},
      {R"({})", "decision.retraining_required is missing"},
      {R"({"retraining_required": "MAYBE"})",
       "decision.retraining_required must be \"YES\" or \"NO\", got \"MAYBE\""},
      {R"({"retraining_required": true})",
       "decision.retraining_required must be \"YES\" or \"NO\", got true"},
      {R"({"retraining_required": "YES", "severity": "SEVERE"})",
       "decision.severity must be NONE, LOW, MEDIUM, HIGH or CRITICAL, got \"SEVERE\""},
      {R"({"retraining_required": "YES", "drift_score": "0.4"})",
       "decision.drift_score must be a number, got \"0.4\""},
      {R"({"retraining_required": "YES", "drifted_features": ["a", 1]})",
       "decision.drifted_features must be an array of strings, got [\"a\",1]"},
      {R"({"retraining_required": "YES", "drifted_features": "a"})",
       "decision.drifted_features must be an array of strings, got \"a\""},
      {R"({"retraining_required": "YES", "monitored_at": "today"})",
       "decision.monitored_at must be an ISO 8601 time such as \"2026-11-30T02:00:00Z\", got "
       "\"today\""},
      {R"({"retraining_required": "NO", "stale": "yes"})",
       "decision.stale must be true or false, got \"yes\""},
      {R"({"retraining_required": "NO", "reported_decision": 1})",
       "decision.reported_decision must be a string, got 1"},
      {R"({"retraining_required": "NO", "age_seconds": 1.5})",
       "decision.age_seconds must be an integer, got 1.5"},
      {R"({"retraining_required": "YES", "stale": true})",
       "decision says retraining_required YES and stale true: the decision function never "
       "gives both; pass its result unchanged"},
  };
  for (const auto& [decision, message] : cases) {
    EXPECT_EQ(Failure(std::string(R"({"model": "m", "decision": )") + decision + "}"),
              (std::pair<std::string, std::string>("InvalidPolicyRequest", message + kHint)))
        << decision;
  }
  // Null fields count as absent, as in the decision function's JSON documents.
  EXPECT_EQ(
      Failure(R"({"model": "m", "decision": {"retraining_required": "NO", "severity": null}})")
          .first,
      "<ok>");
  EXPECT_EQ(Failure(R"({"model": "m", "evaluation_id": "has space",
                        "decision": {"retraining_required": "NO"}})"),
            (std::pair<std::string, std::string>(
                "InvalidPolicyRequest",
                "the event field \"evaluation_id\" must be a string of 1 to 80 characters "
                "without spaces (the trigger execution's name, \"evaluation_id.$\": "
                "\"$$.Execution.Name\"), got \"has space\"")));
  EXPECT_EQ(Failure(R"({"model": "m", "evaluation_id": "",
                        "decision": {"retraining_required": "NO"}})")
                .first,
            "InvalidPolicyRequest");
}

}  // namespace
}  // namespace autoretrain::retrain
