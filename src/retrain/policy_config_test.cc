// A model's "policy" object in autoretrain.json: every field, its default, every error.
#include <gtest/gtest.h>

#include "autoretrain/retrain/policy.h"
#include "retrain/policy_config.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;

constexpr char kPath[] = "models.fraud.policy";

ModelPolicy Parse(const std::string& text) {
  Result<json::Value> value = json::Parse(text);
  EXPECT_TRUE(value.ok()) << text;
  Result<ModelPolicy> policy = ParseModelPolicy(*value, kPath);
  EXPECT_TRUE(policy.ok()) << (policy.ok() ? "" : policy.error().cause);
  return policy.ok() ? *policy : ModelPolicy{};
}

// The cause of a failed parse ("<ok>" when it parsed).
std::string Problems(const std::string& text) {
  Result<json::Value> value = json::Parse(text);
  EXPECT_TRUE(value.ok()) << text;
  Result<ModelPolicy> policy = ParseModelPolicy(*value, kPath);
  if (policy.ok()) return "<ok>";
  EXPECT_EQ(policy.error().error, "InvalidProjectConfig");
  return policy.error().cause;
}

TEST(PolicyConfigTest, AnEmptyObjectGivesTheDocumentedDefaults) {
  ModelPolicy p = Parse("{}");
  EXPECT_EQ(p.min_severity, Severity::kLow);
  EXPECT_EQ(p.cooldown_hours, 24);
  EXPECT_EQ(p.cooldown_override, Severity::kCritical);
  EXPECT_EQ(p.max_retrainings, 3);
  EXPECT_EQ(p.cap_period_days, 7);
  EXPECT_EQ(p.while_running, WhileRunning::kSkip);
  EXPECT_EQ(p.running_timeout_hours, 168);
  EXPECT_FALSE(p.approval.required);
  EXPECT_EQ(p.approval.timeout, hours(24));
  EXPECT_EQ(p.approval.on_timeout, ApprovalDefault::kReject);
}

TEST(PolicyConfigTest, EveryField) {
  ModelPolicy p = Parse(R"({"min_severity": "high", "cooldown_hours": 0,
      "cooldown_override": "Medium", "max_retrainings": 10, "cap_period_days": 30,
      "while_running": "queue", "running_timeout_hours": 48,
      "approval": {"required": true, "timeout_hours": 2, "on_timeout": "approve"}})");
  EXPECT_EQ(p.min_severity, Severity::kHigh);
  EXPECT_EQ(p.cooldown_hours, 0);
  EXPECT_EQ(p.cooldown_override, Severity::kMedium);
  EXPECT_EQ(p.max_retrainings, 10);
  EXPECT_EQ(p.cap_period_days, 30);
  EXPECT_EQ(p.while_running, WhileRunning::kQueue);
  EXPECT_EQ(p.running_timeout_hours, 48);
  EXPECT_TRUE(p.approval.required);
  EXPECT_EQ(p.approval.timeout, hours(2));
  EXPECT_EQ(p.approval.on_timeout, ApprovalDefault::kApprove);
}

TEST(PolicyConfigTest, NullTurnsOffTheOverrideAndTheCap) {
  ModelPolicy p = Parse(R"({"cooldown_override": null, "max_retrainings": null})");
  EXPECT_FALSE(p.cooldown_override.has_value());
  EXPECT_FALSE(p.max_retrainings.has_value());
  // An approval object without "required" keeps approval off but sets the rest.
  p = Parse(R"({"approval": {"timeout_hours": 8784, "on_timeout": "reject"}})");
  EXPECT_FALSE(p.approval.required);
  EXPECT_EQ(p.approval.timeout, hours(8784));
}

TEST(PolicyConfigTest, AnApprovalTimeoutMayBeAFractionOfAnHour) {
  ModelPolicy p = Parse(R"({"approval": {"required": true, "timeout_hours": 0.25}})");
  EXPECT_EQ(p.approval.timeout, std::chrono::minutes(15));
  EXPECT_EQ(json::Serialize(PolicyToJson(p).get_object().at("approval")),
            R"({"required":true,"timeout_hours":0.25,"on_timeout":"reject"})");
  EXPECT_EQ(Parse(R"({"approval": {"timeout_hours": 0.0001}})").approval.timeout,
            std::chrono::seconds(1));  // rounded up to whole seconds
  ModelPolicy gated;
  gated.approval.required = true;
  gated.approval.timeout = std::chrono::minutes(90);
  PolicyInput yes;
  yes.retrain = true;
  EXPECT_EQ(EvaluatePolicy(gated, yes).reasons.back().message,
            "approval: required (after 1h 30m without an answer: reject)");
}

TEST(PolicyConfigTest, RangeEdgesAreAccepted) {
  EXPECT_EQ(Parse(R"({"cooldown_hours": 8784})").cooldown_hours, 8784);
  EXPECT_EQ(Parse(R"({"max_retrainings": 1})").max_retrainings, 1);
  EXPECT_EQ(Parse(R"({"max_retrainings": 1000})").max_retrainings, 1000);
  EXPECT_EQ(Parse(R"({"cap_period_days": 1})").cap_period_days, 1);
  EXPECT_EQ(Parse(R"({"cap_period_days": 366})").cap_period_days, 366);
  EXPECT_EQ(Parse(R"({"running_timeout_hours": 1})").running_timeout_hours, 1);
  EXPECT_EQ(Parse(R"({"min_severity": "NONE"})").min_severity, Severity::kNone);
  EXPECT_EQ(Parse(R"({"min_severity": "critical"})").min_severity, Severity::kCritical);
}

struct ErrorCase {
  const char* json;
  const char* message;  // the whole cause
};

class PolicyConfigErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(PolicyConfigErrorTest, NamesTheFieldAndWhatIsExpected) {
  EXPECT_EQ(Problems(GetParam().json), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    EveryError, PolicyConfigErrorTest,
    ::testing::Values(
        ErrorCase{R"([])",
                  "autoretrain.json: models.fraud.policy: expected an object such as "
                  "{\"min_severity\": \"MEDIUM\", \"cooldown_hours\": 24}, got array"},
        ErrorCase{R"({"cooldown_hour": 4})",
                  "autoretrain.json: models.fraud.policy.cooldown_hour: unknown field (did you "
                  "mean 'cooldown_hours'?)"},
        ErrorCase{R"({"min_severity": "SEVERE"})",
                  "autoretrain.json: models.fraud.policy.min_severity: expected a severity: "
                  "\"NONE\", \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\", got \"SEVERE\""},
        ErrorCase{R"({"min_severity": 3})",
                  "autoretrain.json: models.fraud.policy.min_severity: expected a severity: "
                  "\"NONE\", \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\", got number 3"},
        ErrorCase{R"({"min_severity": null})",
                  "autoretrain.json: models.fraud.policy.min_severity: expected a severity: "
                  "\"NONE\", \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\", got null"},
        ErrorCase{R"({"cooldown_hours": -1})",
                  "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer "
                  "from 0 to 8784, got -1"},
        ErrorCase{R"({"cooldown_hours": 8785})",
                  "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer "
                  "from 0 to 8784, got 8785"},
        ErrorCase{R"({"cooldown_hours": 1.5})",
                  "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer "
                  "from 0 to 8784, got 1.5"},
        ErrorCase{R"({"cooldown_hours": "24"})",
                  "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer "
                  "from 0 to 8784, got string"},
        ErrorCase{R"({"cooldown_override": "urgent"})",
                  "autoretrain.json: models.fraud.policy.cooldown_override: expected a "
                  "severity: \"NONE\", \"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\" (or null: "
                  "nothing overrides), got \"urgent\""},
        ErrorCase{R"({"max_retrainings": 0})",
                  "autoretrain.json: models.fraud.policy.max_retrainings: expected an integer "
                  "from 1 to 1000, got 0"},
        ErrorCase{R"({"max_retrainings": 1001})",
                  "autoretrain.json: models.fraud.policy.max_retrainings: expected an integer "
                  "from 1 to 1000, got 1001"},
        ErrorCase{R"({"max_retrainings": "3"})",
                  "autoretrain.json: models.fraud.policy.max_retrainings: expected an integer "
                  "from 1 to 1000 (or null: no cap), got \"3\""},
        ErrorCase{R"({"cap_period_days": 0})",
                  "autoretrain.json: models.fraud.policy.cap_period_days: expected an integer "
                  "from 1 to 366, got 0"},
        ErrorCase{R"({"cap_period_days": 367})",
                  "autoretrain.json: models.fraud.policy.cap_period_days: expected an integer "
                  "from 1 to 366, got 367"},
        ErrorCase{R"({"while_running": "wait"})",
                  "autoretrain.json: models.fraud.policy.while_running: expected \"skip\" or "
                  "\"queue\", got \"wait\""},
        ErrorCase{R"({"while_running": "Queue"})",
                  "autoretrain.json: models.fraud.policy.while_running: expected \"skip\" or "
                  "\"queue\", got \"Queue\" (did you mean 'queue'?)"},
        ErrorCase{R"({"while_running": true})",
                  "autoretrain.json: models.fraud.policy.while_running: expected \"skip\" or "
                  "\"queue\", got boolean true"},
        ErrorCase{R"({"running_timeout_hours": 0})",
                  "autoretrain.json: models.fraud.policy.running_timeout_hours: expected an "
                  "integer from 1 to 8784, got 0"},
        ErrorCase{R"({"approval": true})",
                  "autoretrain.json: models.fraud.policy.approval: expected an object such as "
                  "{\"required\": true, \"timeout_hours\": 24, \"on_timeout\": \"reject\"}, got "
                  "boolean"},
        ErrorCase{R"({"approval": {"required": "yes"}})",
                  "autoretrain.json: models.fraud.policy.approval.required: expected true or "
                  "false, got string"},
        ErrorCase{R"({"approval": {"timeout_hours": 0}})",
                  "autoretrain.json: models.fraud.policy.approval.timeout_hours: expected a "
                  "number of hours above 0 and at most 8784 (0.25 is 15 minutes), got number 0"},
        ErrorCase{R"({"approval": {"timeout_hours": "2h"}})",
                  "autoretrain.json: models.fraud.policy.approval.timeout_hours: expected a "
                  "number of hours above 0 and at most 8784 (0.25 is 15 minutes), got \"2h\""},
        ErrorCase{R"({"approval": {"on_timeout": "deny"}})",
                  "autoretrain.json: models.fraud.policy.approval.on_timeout: expected "
                  "\"approve\" or \"reject\", got \"deny\""},
        ErrorCase{R"({"approval": {"default": "approve"}})",
                  "autoretrain.json: models.fraud.policy.approval.default: unknown field"}));

TEST(PolicyConfigTest, EveryProblemIsReportedOnItsOwnLine) {
  EXPECT_EQ(Problems(R"({"min_severity": "x", "cooldown_hours": -2, "approval": {"required": 1},
                        "bogus": 1})"),
            "autoretrain.json: models.fraud.policy.bogus: unknown field\n"
            "autoretrain.json: models.fraud.policy.min_severity: expected a severity: \"NONE\", "
            "\"LOW\", \"MEDIUM\", \"HIGH\" or \"CRITICAL\", got \"x\"\n"
            "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer from 0 "
            "to 8784, got -2\n"
            "autoretrain.json: models.fraud.policy.approval.required: expected true or false, "
            "got number");
}

TEST(PolicyConfigTest, ProblemsGoIntoTheProjectsFieldChecker) {
  FieldChecker fields;
  ModelPolicy policy;
  ParsePolicyInto(json::Parse(R"({"cap_period_days": 0})").value(), "models.a.policy", fields,
                  &policy);
  EXPECT_TRUE(fields.HasProblemUnder("models.a.policy"));
  EXPECT_FALSE(fields.HasProblemUnder("models.b"));
  EXPECT_EQ(fields.TakeProblems(),
            std::vector<std::string>{"models.a.policy.cap_period_days: expected an integer from "
                                     "1 to 366, got 0"});
}

TEST(PolicyConfigTest, PolicyToJsonReadsBackTheSame) {
  ModelPolicy p = Parse(R"({"min_severity": "MEDIUM", "cooldown_override": null,
      "max_retrainings": null, "while_running": "queue",
      "approval": {"required": true, "on_timeout": "approve"}})");
  json::Value printed = PolicyToJson(p);
  EXPECT_EQ(json::Serialize(printed),
            R"({"min_severity":"MEDIUM","cooldown_hours":24,"cooldown_override":null,)"
            R"("max_retrainings":null,"cap_period_days":7,"while_running":"queue",)"
            R"("running_timeout_hours":168,"approval":{"required":true,"timeout_hours":24,)"
            R"("on_timeout":"approve"}})");
  EXPECT_EQ(json::Serialize(PolicyToJson(Parse(json::Serialize(printed)))),
            json::Serialize(printed));
  EXPECT_EQ(json::Serialize(PolicyToJson(Parse("{}"))), json::Serialize(PolicyToJson({})));
}

}  // namespace
}  // namespace autoretrain::retrain
