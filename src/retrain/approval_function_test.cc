// request_retraining_approval and the approval lookup against the local table store: a parked
// token is found for its model (the latest one), answered once, and bad requests are named.
#include "autoretrain/retrain/approval_function.h"

#include <gtest/gtest.h>

#include "autoretrain/retrain/policy_function.h"
#include "autoretrain/retrain/retraining_history.h"
#include "retrain/policy_test_dynamodb.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using testing::kLedgerTable;
using testing::MemoryDynamoDb;

class ApprovalFunctionTest : public ::testing::Test {
 protected:
  ApprovalFunctionTest() {
    EXPECT_TRUE(db_.Call("CreateTable", HistoryTableDefinition(kLedgerTable)).ok());
    PolicyFunctionConfig config;
    config.table = kLedgerTable;
    ModelPolicy policy;
    policy.approval.required = true;
    config.models.emplace("fraud", policy);
    policy_ = MakePolicyFunction(db_, config, &clock_);
  }

  // Evaluates a YES for `model` and records the item, as the trigger does; returns its sk.
  std::string Evaluate(const std::string& model, const std::string& id) {
    Result<json::Value> out =
        policy_->Invoke(json::Object{{"model", model},
                                     {"decision", json::Object{{"retraining_required", "YES"}}},
                                     {"evaluation_id", id}});
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().cause);
    const json::Value& item = out->get_object().at("item");
    EXPECT_TRUE(
        db_.Call("PutItem", json::Object{{"TableName", kLedgerTable}, {"Item", item}}).ok());
    return std::string(item.get_object().at("sk").get_object().at("S").get_string());
  }

  Result<json::Value> Request(const json::Value& event) {
    return MakeApprovalFunction(db_, kLedgerTable, clock_)->Invoke(event);
  }

  MemoryDynamoDb db_;
  ManualClock clock_{At("2026-11-30T03:00:00Z")};
  std::unique_ptr<integrations::Function> policy_;
};

TEST_F(ApprovalFunctionTest, TheLatestParkedTokenIsFoundAndAnsweredOnce) {
  const std::string first = Evaluate("fraud", "run-1");
  clock_.Advance(std::chrono::minutes(5));
  const std::string second = Evaluate("fraud", "run-2");
  ASSERT_TRUE(Request(json::Object{{"model", "fraud"}, {"sk", first}, {"token", "t1"}}).ok());
  Result<json::Value> parked =
      Request(json::Object{{"model", "fraud"}, {"sk", second}, {"token", "t2"}});
  ASSERT_TRUE(parked.ok()) << parked.error().cause;
  EXPECT_EQ(std::string(parked->get_object().at("requested_at").get_string()),
            "2026-11-30T03:05:00.000Z");

  Result<PendingApproval> pending = FindPendingApproval(db_, kLedgerTable, "fraud", clock_.Now());
  ASSERT_TRUE(pending.ok()) << pending.error().cause;
  EXPECT_EQ(pending->token, "t2");
  EXPECT_EQ(pending->evaluation_id, "run-2");
  EXPECT_EQ(pending->sk, second);
  EXPECT_NE(pending->summary.find("approval"), std::string::npos);

  ASSERT_TRUE(RecordApprovalAnswer(db_, kLedgerTable, *pending, true, "alice", "ok").ok());
  pending = FindPendingApproval(db_, kLedgerTable, "fraud", clock_.Now());
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->token, "t1");  // the older one still waits
  Result<json::Value> item =
      db_.Call("GetItem", json::Object{{"TableName", kLedgerTable},
                                       {"Key", json::Object{{"model", json::Object{{"S", "fraud"}}},
                                                            {"sk", json::Object{{"S", second}}}}}});
  ASSERT_TRUE(item.ok());
  const json::Object& answered = item->get_object().at("Item").get_object();
  EXPECT_FALSE(answered.contains("approval_token"));
  EXPECT_EQ(json::Serialize(answered.at("approval_answer")), R"({"S":"APPROVED"})");
  EXPECT_EQ(json::Serialize(answered.at("approved_by")), R"({"S":"alice"})");

  Result<PendingApproval> other = FindPendingApproval(db_, kLedgerTable, "churn", clock_.Now());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().error, "NoPendingApproval");
  EXPECT_NE(other.error().cause.find("\"churn\""), std::string::npos);
}

TEST_F(ApprovalFunctionTest, BadRequestsAreNamed) {
  Result<json::Value> missing = Request(json::Object{{"model", "fraud"}, {"sk", "x"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "InvalidApprovalRequest");
  Result<json::Value> unknown =
      Request(json::Object{{"model", "fraud"}, {"sk", "2026#none"}, {"token", "t"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().error, "NoSuchEvaluation");
  Result<json::Value> not_object = Request(json::Value("x"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().error, "InvalidApprovalRequest");
}

}  // namespace
}  // namespace autoretrain::retrain
