// The retraining history ledger: items in DynamoDB's typed format and back, the table's keys,
// ReadHistory's query (latest first, since, pages) and NextVersion, against MemoryDynamoDb.
#include "autoretrain/retrain/retraining_history.h"

#include <gtest/gtest.h>

#include "retrain/policy_test_dynamodb.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using testing::MemoryDynamoDb;

constexpr char kHistoryTable[] = "history";

RetrainingRecord FullRecord() {
  RetrainingRecord r;
  r.model = "fraud";
  r.evaluated_at = At("2026-11-30T03:00:00.250Z");
  r.evaluation_id = "trigger-42";
  r.decision = "YES";
  r.fields.severity = "HIGH";
  r.fields.drift_score = 0.42;
  r.fields.drifted_features = std::vector<std::string>{"amount", "v14"};
  r.fields.monitored_at = At("2026-11-30T02:00:00Z");
  r.age_seconds = 3600;
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  PolicyInput input;
  input.retrain = true;
  input.severity = Severity::kHigh;
  input.now = r.evaluated_at;
  r.verdict = EvaluatePolicy(policy, input);
  r.version = 4;
  r.status = RetrainingStatus::kSucceeded;
  r.started_at = At("2026-11-30T03:00:01Z");
  r.finished_at = At("2026-11-30T04:10:00Z");
  r.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:training-pipeline:run-4";
  r.pipeline_output = R"({"auc":0.96})";
  r.alert = R"({"delivered":[],"failed":[]})";
  r.sns_alert = R"({"message_id":"m-1"})";
  return r;
}

// The record as JSON text through its item, for comparing whole records.
std::string Text(const RetrainingRecord& r) { return json::Serialize(RecordToItem(r)); }

TEST(RetrainingHistoryTest, TheItemIsInDynamoDbsTypedFormat) {
  EXPECT_EQ(json::Serialize(RecordToItem(FullRecord())),
            R"({"model":{"S":"fraud"},"sk":{"S":"2026-11-30T03:00:00.250Z#trigger-42"},)"
            R"("format":{"N":"1"},"evaluated_at":{"S":"2026-11-30T03:00:00.250Z"},)"
            R"("evaluation_id":{"S":"trigger-42"},"decision":{"S":"YES"},)"
            R"("severity":{"S":"HIGH"},"drift_score":{"N":"0.42"},)"
            R"("drifted_features":{"L":[{"S":"amount"},{"S":"v14"}]},)"
            R"("monitored_at":{"S":"2026-11-30T02:00:00.000Z"},"stale":{"BOOL":false},)"
            R"("age_seconds":{"N":"3600"},"verdict":{"S":"RETRAIN"},)"
            R"("summary":{"S":"retrain: every rule passed"},"reasons":{"L":[)"
            R"({"M":{"rule":{"S":"decision"},"outcome":{"S":"PASS"},)"
            R"("message":{"S":"decision: the monitoring job says YES"}}},)"
            R"({"M":{"rule":{"S":"freshness"},"outcome":{"S":"PASS"},"message":{"S":"freshness: )"
            R"j(not checked (the decision function has no max_age_hours)"}}},)j"
            R"({"M":{"rule":{"S":"severity"},"outcome":{"S":"PASS"},"message":{"S":"severity: )"
            R"(HIGH is at or above min_severity LOW"}}},)"
            R"({"M":{"rule":{"S":"cooldown"},"outcome":{"S":"PASS"},"message":{"S":"cooldown: )"
            R"(none configured"}}},)"
            R"({"M":{"rule":{"S":"cap"},"outcome":{"S":"PASS"},"message":{"S":"cap: 0 started )"
            R"(in the last 7d, below the cap of 3 per 7d"}}},)"
            R"({"M":{"rule":{"S":"running"},"outcome":{"S":"PASS"},"message":{"S":"running: no )"
            R"(retraining in progress"}}},)"
            R"({"M":{"rule":{"S":"approval"},"outcome":{"S":"PASS"},"message":{"S":"approval: )"
            R"(not required"}}}]},)"
            R"("version":{"N":"4"},"status":{"S":"SUCCEEDED"},)"
            R"("started_at":{"S":"2026-11-30T03:00:01.000Z"},)"
            R"("finished_at":{"S":"2026-11-30T04:10:00.000Z"},)"
            R"("execution_arn":{"S":"arn:aws:states:us-east-1:123456789012:execution:)"
            R"(training-pipeline:run-4"},"pipeline_output":{"S":"{\"auc\":0.96}"},)"
            R"("alert":{"S":"{\"delivered\":[],\"failed\":[]}"},)"
            R"("sns_alert":{"S":"{\"message_id\":\"m-1\"}"}})");
}

TEST(RetrainingHistoryTest, ItemsReadBackToTheSameRecord) {
  RetrainingRecord full = FullRecord();
  Result<RetrainingRecord> back = RecordFromItem(RecordToItem(full));
  ASSERT_TRUE(back.ok()) << back.error().cause;
  EXPECT_EQ(Text(*back), Text(full));
  EXPECT_EQ(back->verdict.reasons, full.verdict.reasons);
  EXPECT_EQ(back->fields.drift_score, 0.42);
  EXPECT_EQ(back->started_at, full.started_at);

  // A skipped evaluation of a stale decision: no retraining, fewer fields.
  RetrainingRecord skip;
  skip.model = "m";
  skip.evaluated_at = At("2026-01-01T00:00:00Z");
  skip.evaluation_id = "e";
  skip.decision = "NO";
  skip.stale = true;
  skip.reported_decision = "YES";
  skip.verdict.verdict = Verdict::kSkip;
  skip.verdict.summary = "decision: NO";
  skip.verdict.reasons = {{"decision", Outcome::kBlock, "decision: NO"}};
  back = RecordFromItem(RecordToItem(skip));
  ASSERT_TRUE(back.ok()) << back.error().cause;
  EXPECT_EQ(Text(*back), Text(skip));
  EXPECT_FALSE(back->status.has_value());
  EXPECT_FALSE(back->version.has_value());
  EXPECT_TRUE(back->stale);

  // A queued one keeps queued_behind; awkward doubles survive.
  RetrainingRecord queued = skip;
  queued.verdict.verdict = Verdict::kQueue;
  queued.verdict.queued_behind = 12;
  queued.status = RetrainingStatus::kQueued;
  queued.fields.drift_score = 1e-7;
  queued.fields.drifted_features = std::vector<std::string>{};
  back = RecordFromItem(RecordToItem(queued));
  ASSERT_TRUE(back.ok()) << back.error().cause;
  EXPECT_EQ(Text(*back), Text(queued));
  EXPECT_EQ(back->verdict.queued_behind, 12);
  EXPECT_EQ(back->fields.drift_score, 1e-7);
}

// A failed retraining: the trigger records the error it caught; the pipeline's execution is
// read from its Cause (a failed startExecution.sync's Cause is the child's DescribeExecution).
TEST(RetrainingHistoryTest, AFailedPipelinesExecutionComesFromTheCaughtError) {
  const std::string child = "arn:aws:states:us-east-1:123456789012:execution:training-pipeline:r";
  RetrainingRecord failed = FullRecord();
  failed.status = RetrainingStatus::kFailed;
  failed.execution_arn.clear();
  failed.failure = json::Serialize(json::Object{
      {"Error", "States.TaskFailed"},
      {"Cause", json::Serialize(json::Object{{"ExecutionArn", child}, {"Status", "FAILED"}})}});
  Result<RetrainingRecord> back = RecordFromItem(RecordToItem(failed));
  ASSERT_TRUE(back.ok()) << back.error().cause;
  EXPECT_EQ(back->failure, failed.failure);
  EXPECT_EQ(back->execution_arn, child);

  // The pipeline did not start: a plain-text Cause names no execution.
  failed.failure = R"({"Error":"StepFunctions.StateMachineDoesNotExistException","Cause":"no"})";
  back = RecordFromItem(RecordToItem(failed));
  ASSERT_TRUE(back.ok()) << back.error().cause;
  EXPECT_EQ(back->execution_arn, "");
  failed.failure = "not json";
  EXPECT_EQ(RecordFromItem(RecordToItem(failed)).value().execution_arn, "");
}

// The cause of RecordFromItem on FullRecord's item changed by `edit`.
template <class Edit>
std::string Corrupt(Edit edit) {
  json::Object item = RecordToItem(FullRecord());
  edit(item);
  Result<RetrainingRecord> r = RecordFromItem(item);
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().error, "CorruptHistoryItem");
  return r.error().cause;
}

TEST(RetrainingHistoryTest, CorruptItemsAreNamedWithTheirKeyAndAttribute) {
  const std::string key =
      "history item (model \"fraud\", sk \"2026-11-30T03:00:00.250Z#trigger-42\"): ";
  const std::string tail =
      "; the item was not written by autoretrain's ledger format 1: fix or delete it";
  EXPECT_EQ(Corrupt([](json::Object& i) { i.erase("decision"); }),
            key + "attribute \"decision\" is missing" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["version"] = json::Object{{"S", "4"}};
            }),
            key + "attribute \"version\" is not a {\"N\": ...} attribute value, got {\"S\":\"4\"}" +
                tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["version"] = json::Object{{"N", "4.5"}};
            }),
            key + "attribute \"version\" is not an integer number, got \"4.5\"" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["status"] = json::Object{{"S", "DONE"}};
            }),
            key +
                "attribute \"status\" is \"DONE\", expected a status such as RUNNING or SUCCEEDED" +
                tail);
  EXPECT_EQ(
      Corrupt([](json::Object& i) {
        i["verdict"] = json::Object{{"S", "MAYBE"}};
      }),
      key + "attribute \"verdict\" is \"MAYBE\", expected RETRAIN, SKIP, QUEUE or NEEDS_APPROVAL" +
          tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["started_at"] = json::Object{{"S", "yesterday"}};
            }),
            key + "attribute \"started_at\" is not an ISO 8601 time, got \"yesterday\"" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["drift_score"] = json::Object{{"N", "x"}};
            }),
            key + "attribute \"drift_score\" is not a finite number, got \"x\"" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["severity"] = json::Object{{"S", "BAD"}};
            }),
            key +
                "attribute \"severity\" is \"BAD\", expected NONE, LOW, MEDIUM, HIGH or CRITICAL" +
                tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["stale"] = json::Object{{"S", "no"}};
            }),
            key +
                "attribute \"stale\" is not a {\"BOOL\": ...} attribute value, got {\"S\":\"no\"}" +
                tail);
  EXPECT_EQ(
      Corrupt([](json::Object& i) {
        i["drifted_features"] = json::Object{{"L", json::Array{json::Object{{"N", "1"}}}}};
      }),
      key + "attribute \"drifted_features\" has an entry that is not a {\"S\": ...} string" + tail);
  EXPECT_EQ(
      Corrupt([](json::Object& i) {
        i["reasons"] = json::Object{
            {"L",
             json::Array{json::Object{{"M", json::Object{{"rule", json::Object{{"S", "x"}}}}}}}}};
      }),
      key + "attribute \"reasons\" has an entry whose attribute \"outcome\" is missing" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["reasons"] = json::Object{{"L", json::Array{1}}};
            }),
            key + "attribute \"reasons\" has an entry that is not a {\"M\": ...} map" + tail);
  EXPECT_EQ(Corrupt([](json::Object& i) {
              i["format"] = json::Object{{"N", "2"}};
            }),
            key.substr(0, key.size() - 2) +
                " has format 2, this autoretrain reads formats 1 to 1: upgrade autoretrain to read "
                "it");
  EXPECT_EQ(Corrupt([](json::Object& i) { i.erase("format"); }),
            key + "attribute \"format\" is missing" + tail);
  Result<RetrainingRecord> not_object = RecordFromItem(json::Value(3));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().cause, "a history item is not an object (got number)");
}

TEST(RetrainingHistoryTest, TheTableAndTheQuery) {
  EXPECT_EQ(json::Serialize(HistoryTableDefinition("h")),
            R"({"TableName":"h","AttributeDefinitions":[{"AttributeName":"model",)"
            R"("AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"model","KeyType":"HASH"},)"
            R"({"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(json::Serialize(HistoryQuery("h", "fraud", At("2026-11-23T03:00:00Z"))),
            R"({"TableName":"h","KeyConditionExpression":"#model = :model AND #sk >= :since",)"
            R"("ExpressionAttributeNames":{"#model":"model","#sk":"sk"},)"
            R"("ExpressionAttributeValues":{":model":{"S":"fraud"},)"
            R"(":since":{"S":"2026-11-23T03:00:00.000Z"}},"ScanIndexForward":false,)"
            R"("ConsistentRead":true})");
  EXPECT_EQ(SortKey(At("2026-11-23T03:00:00Z"), "x"), "2026-11-23T03:00:00.000Z#x");
  // The sort key orders by time, whatever the id.
  EXPECT_LT(SortKey(At("2026-11-23T03:00:00.999Z"), "zzz"),
            SortKey(At("2026-11-23T03:00:01Z"), "a"));
}

class ReadHistoryTest : public ::testing::Test {
 protected:
  ReadHistoryTest() : db_(3) {
    EXPECT_TRUE(db_.Call("CreateTable", HistoryTableDefinition(kHistoryTable)).ok());
  }

  void Put(const std::string& model, const std::string& at, const std::string& id,
           std::optional<int64_t> version = std::nullopt) {
    RetrainingRecord r;
    r.model = model;
    r.evaluated_at = At(at);
    r.evaluation_id = id;
    r.decision = "YES";
    r.verdict.verdict = version ? Verdict::kRetrain : Verdict::kSkip;
    r.version = version;
    if (version) r.status = RetrainingStatus::kSucceeded;
    ASSERT_TRUE(
        db_.Call("PutItem", json::Object{{"TableName", kHistoryTable}, {"Item", RecordToItem(r)}})
            .ok());
  }

  static std::vector<std::string> Ids(const std::vector<RetrainingRecord>& records) {
    std::vector<std::string> ids;
    for (const RetrainingRecord& r : records) ids.push_back(r.evaluation_id);
    return ids;
  }

  MemoryDynamoDb db_;
};

TEST_F(ReadHistoryTest, LatestFirstSinceTheGivenTimeAcrossPages) {
  Put("fraud", "2026-11-01T00:00:00Z", "old");
  Put("fraud", "2026-11-20T00:00:00Z", "a", 1);
  Put("fraud", "2026-11-21T00:00:00Z", "b");
  Put("fraud", "2026-11-21T00:00:00Z", "c", 2);  // same millisecond, another evaluation
  Put("fraud", "2026-11-22T00:00:00Z", "d");
  Put("fraud", "2026-11-23T00:00:00Z", "e", 3);
  Put("fraud", "2026-11-24T00:00:00Z", "f");
  Put("churn", "2026-11-24T00:00:00Z", "other-model", 1);
  Result<std::vector<RetrainingRecord>> history =
      ReadHistory(db_, kHistoryTable, "fraud", At("2026-11-20T00:00:00Z"));
  ASSERT_TRUE(history.ok()) << history.error().cause;
  EXPECT_EQ(Ids(*history), (std::vector<std::string>{"f", "e", "d", "c", "b", "a"}));
  // Pages of three items, each continuing from the last one's LastEvaluatedKey; as DynamoDB
  // does, a full page carries a LastEvaluatedKey even when nothing follows, so the third
  // query finds nothing.
  std::vector<std::pair<std::string, json::Value>> calls = db_.requests();
  int queries = 0;
  for (const auto& [operation, request] : calls) {
    if (operation != "Query") continue;
    ++queries;
    EXPECT_EQ(request.get_object().contains("ExclusiveStartKey"), queries > 1);
  }
  EXPECT_EQ(queries, 3);
  std::vector<PastRetraining> past = PastRetrainings(*history);
  ASSERT_EQ(past.size(), 3u);
  EXPECT_EQ(past[0].version, 3);
  EXPECT_EQ(past[2].version, 1);
  EXPECT_EQ(past[0].status, RetrainingStatus::kSucceeded);
  EXPECT_EQ(past[0].evaluated_at, At("2026-11-23T00:00:00Z"));
}

TEST_F(ReadHistoryTest, AnEmptyHistoryIsEmpty) {
  Result<std::vector<RetrainingRecord>> history =
      ReadHistory(db_, kHistoryTable, "new-model", At("2026-11-20T00:00:00Z"));
  ASSERT_TRUE(history.ok()) << history.error().cause;
  EXPECT_TRUE(history->empty());
}

TEST_F(ReadHistoryTest, TheVersionCounterIsNeverReadAsARecord) {
  Put("fraud", "2026-11-21T00:00:00Z", "a", 1);
  ASSERT_TRUE(NextVersion(db_, kHistoryTable, "fraud").ok());
  Result<std::vector<RetrainingRecord>> history =
      ReadHistory(db_, kHistoryTable, "fraud", TimePoint{});  // since 1970
  ASSERT_TRUE(history.ok()) << history.error().cause;
  EXPECT_EQ(Ids(*history), std::vector<std::string>{"a"});
}

TEST_F(ReadHistoryTest, ErrorsNameTheTableAndModel) {
  Result<std::vector<RetrainingRecord>> missing =
      ReadHistory(db_, "nope", "fraud", At("2026-11-20T00:00:00Z"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "ResourceNotFoundException");
  EXPECT_EQ(
      missing.error().cause,
      "reading the history of model \"fraud\" from table \"nope\": Requested resource not found");
  db_.FailNext(Error{"HttpTimeout", "no answer in 10 s"});
  Result<std::vector<RetrainingRecord>> timeout =
      ReadHistory(db_, kHistoryTable, "fraud", At("2026-11-20T00:00:00Z"));
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.error().error, "HttpTimeout");

  json::Object bad = RecordToItem(FullRecord());
  bad["status"] = json::Object{{"S", "??"}};
  db_.PutRaw(kHistoryTable, bad);
  Result<std::vector<RetrainingRecord>> corrupt =
      ReadHistory(db_, kHistoryTable, "fraud", At("2026-11-20T00:00:00Z"));
  ASSERT_FALSE(corrupt.ok());
  EXPECT_EQ(corrupt.error().error, "CorruptHistoryItem");
  EXPECT_EQ(corrupt.error().cause.rfind("reading the history of model \"fraud\" from table "
                                        "\"history\": history item (model \"fraud\", sk ",
                                        0),
            0u)
      << corrupt.error().cause;
}

TEST_F(ReadHistoryTest, VersionsIncreaseWithoutGapsPerModel) {
  for (int64_t expected = 1; expected <= 5; ++expected) {
    Result<int64_t> v = NextVersion(db_, kHistoryTable, "fraud");
    ASSERT_TRUE(v.ok()) << v.error().cause;
    EXPECT_EQ(*v, expected);
  }
  EXPECT_EQ(NextVersion(db_, kHistoryTable, "churn").value(), 1);
  EXPECT_EQ(NextVersion(db_, kHistoryTable, "fraud").value(), 6);
  Result<int64_t> missing = NextVersion(db_, "nope", "fraud");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "ResourceNotFoundException");
  EXPECT_EQ(missing.error().cause.rfind("taking the next version of model \"fraud\" in table "
                                        "\"nope\": ",
                                        0),
            0u);
}

}  // namespace
}  // namespace autoretrain::retrain
