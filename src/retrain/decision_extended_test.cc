// Extended decision files (docs/decision-files.md): severity, drift score, drifted features
// and monitoring time as more CSV columns or a JSON document, and max_age_hours staleness.
#include <gtest/gtest.h>

#include "autoretrain/retrain/decision.h"
#include "integrations/test_util.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using integrations::testing::TempDir;
using integrations::testing::WriteFile;

class ExtendedDecisionTest : public ::testing::Test {
 protected:
  ExtendedDecisionTest() : store_(integrations::MakeLocalObjectStore(root_.path())) {}

  // The function's result (or its error) for a decision file with `contents`.
  Result<json::Value> Evaluate(const std::string& contents) {
    WriteFile(root_ / ("mlops-creditcard/" + config_.key), contents);
    return MakeDecisionFunction(*store_, config_, &clock_)->Invoke(json::Object{});
  }
  // The errorType of a failed Evaluate.
  std::string ErrorType(const std::string& contents) {
    Result<json::Value> result = Evaluate(contents);
    return result.ok() ? "<ok>" : result.error().error;
  }

  TempDir root_;
  std::unique_ptr<integrations::ObjectStore> store_;
  DecisionConfig config_;
  ManualClock clock_{At("2026-11-30T03:00:00Z")};
};

TEST_F(ExtendedDecisionTest, TheSeedsFileGivesTheSeedsResult) {
  EXPECT_EQ(json::Serialize(Evaluate("retraining_required\nYES\n").value()),
            R"({"retraining_required":"YES"})");
}

TEST_F(ExtendedDecisionTest, ExtraCsvColumnsByTheirHeader) {
  Result<json::Value> result = Evaluate(
      "retraining_required,Severity,drift_score,drifted_features,monitored_at,note\n"
      "yes, high ,0.42,amount; v14 | v3,2026-11-30T02:00:00Z,anything\n");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result),
            R"({"retraining_required":"YES","severity":"HIGH","drift_score":0.42,)"
            R"("drifted_features":["amount","v14","v3"],)"
            R"("monitored_at":"2026-11-30T02:00:00.000Z"})");
  // Empty cells are absent fields.
  EXPECT_EQ(json::Serialize(Evaluate("retraining_required,severity\nNO,\n").value()),
            R"({"retraining_required":"NO"})");
}

TEST_F(ExtendedDecisionTest, AJsonDocument) {
  Result<json::Value> result = Evaluate(
      R"( {"retraining_required": true, "severity": "critical", "drift_score": 3,
           "drifted_features": ["amount"], "monitored_at": "2026-11-30T07:30:00+05:30",
           "model": "creditcard"})");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result),
            R"({"retraining_required":"YES","severity":"CRITICAL","drift_score":3,)"
            R"("drifted_features":["amount"],"monitored_at":"2026-11-30T02:00:00.000Z"})");
  EXPECT_EQ(json::Serialize(Evaluate(R"({"retraining_required": " no "})").value()),
            R"({"retraining_required":"NO"})");
}

TEST_F(ExtendedDecisionTest, InvalidFieldsAreNamedErrors) {
  EXPECT_EQ(ErrorType("retraining_required,severity\nYES,SEVERE\n"), "InvalidSeverity");
  EXPECT_EQ(ErrorType("retraining_required,drift_score\nYES,high\n"), "InvalidDriftScore");
  EXPECT_EQ(ErrorType("retraining_required,drift_score\nYES,inf\n"), "InvalidDriftScore");
  EXPECT_EQ(ErrorType("retraining_required,monitored_at\nYES,yesterday\n"), "InvalidMonitoredAt");
  EXPECT_EQ(ErrorType(R"({"retraining_required": "MAYBE"})"), "InvalidDecisionValue");
  EXPECT_EQ(ErrorType(R"({"severity": "LOW"})"), "DecisionFileEmpty");
  EXPECT_EQ(ErrorType(R"({"retraining_required": "YES",)"), "MalformedDecisionFile");
  EXPECT_EQ(ErrorType(R"({"retraining_required": "YES", "drifted_features": "amount"})"),
            "InvalidDriftedFeatures");
  EXPECT_EQ(ErrorType(R"({"retraining_required": "YES", "drift_score": "0.4"})"),
            "InvalidDriftScore");
  Result<json::Value> result = Evaluate("retraining_required,severity\nYES,SEVERE\n");
  EXPECT_NE(result.error().cause.find("severity is \\\"SEVERE\\\": expected NONE, LOW, MEDIUM, "
                                      "HIGH or CRITICAL"),
            std::string::npos)
      << result.error().cause;
}

TEST_F(ExtendedDecisionTest, AStaleDecisionSaysNoAndWhy) {
  config_.max_age_hours = 24;
  Result<json::Value> fresh =
      Evaluate("retraining_required,monitored_at\nYES,2026-11-29T04:00:00Z\n");
  ASSERT_TRUE(fresh.ok()) << fresh.error().cause;
  EXPECT_EQ(fresh->at("retraining_required"), json::Value("YES"));
  EXPECT_EQ(fresh->at("stale"), json::Value(false));
  EXPECT_EQ(fresh->at("age_seconds"), json::Value(23 * 3600));

  Result<json::Value> stale =
      Evaluate("retraining_required,monitored_at\nYES,2026-11-29T02:59:59Z\n");
  ASSERT_TRUE(stale.ok()) << stale.error().cause;
  EXPECT_EQ(stale->at("retraining_required"), json::Value("NO"));  // the trigger won't retrain
  EXPECT_EQ(stale->at("reported_decision"), json::Value("YES"));
  EXPECT_EQ(stale->at("stale"), json::Value(true));

  EXPECT_EQ(ErrorType("retraining_required\nYES\n"), "MissingMonitoredAt");
}

}  // namespace
}  // namespace autoretrain::retrain
