// The shipped policy trigger (templates/project/state_machines/policy_trigger.asl.json) run by
// the engine on a manual clock, with the real policy, approval and DynamoDB task code on an
// in-memory table store: the approval gate's timeout, which the end-to-end tests cannot wait
// for (it is counted in hours), takes the policy's on_timeout default.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/dynamodb_tasks.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/retrain/policy_function.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/retraining_history.h"
#include "autoretrain/store/store.h"

namespace autoretrain::retrain {
namespace {

// A HIGH YES decision, whatever the location asked for.
class HighDecision final : public integrations::Function {
 public:
  Result<json::Value> Invoke(const json::Value&) override {
    return json::Value(json::Object{{"retraining_required", "YES"}, {"severity", "HIGH"}});
  }
};

class NoAlert final : public integrations::Function {
 public:
  Result<json::Value> Invoke(const json::Value&) override {
    return json::Value(json::Object{{"delivered", json::Array{}}, {"failed", json::Array{}}});
  }
};

// Keeps task tokens without ever answering them (nobody approves); records started executions,
// which succeed at once (fail, when `fail_children`). `on_start` (when set) runs inside each
// start, before it returns.
class Launcher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest& request) override {
    started.emplace_back(request.state_machine_arn);
    inputs.push_back(request.input);
    if (on_start) on_start(request);
    return Started{std::string(request.state_machine_arn) + ":run" + std::to_string(started.size()),
                   TimePoint{}};
  }
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override {
    engine::ExecutionResult result;
    result.execution_arn = std::string(execution_arn);
    if (fail_children) {
      result.status = engine::ExecutionStatus::kFailed;
      result.error = "TrainingDiverged";
      result.cause = "loss is NaN";
      return result;
    }
    result.status = engine::ExecutionStatus::kSucceeded;
    result.output = json::Object{};
    return result;
  }
  Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                           const std::string& state_name) override {
    store::TaskTokenRecord record;
    record.token = token;
    record.execution_arn = execution_arn;
    record.state_name = state_name;
    tokens[token] = std::move(record);
    return OkStatus();
  }
  Result<store::TaskTokenRecord> GetTaskToken(const std::string& token) override {
    auto found = tokens.find(token);
    if (found == tokens.end()) return Error{"TaskDoesNotExist", "Task Does Not Exist"};
    return found->second;  // still waiting
  }
  std::vector<std::string> started;
  std::vector<json::Value> inputs;
  std::map<std::string, store::TaskTokenRecord> tokens;
  std::function<void(const StartRequest&)> on_start;
  bool fail_children = false;
};

constexpr char kPipeline[] = "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline";

// The shipped policy trigger with the real built-in functions (but the decision and the
// alert) and DynamoDB tasks on an in-memory table store, for the project `config_json`.
class TriggerRig {
 public:
  explicit TriggerRig(const std::string& config_json)
      : clock(TimePoint{} + std::chrono::hours(24 * 365 * 57)),
        dir_(std::string(AUTORETRAIN_SOURCE_DIR) + "/templates/project") {
    Result<ProjectConfig> parsed = ParseProjectConfig(config_json, dir_);
    EXPECT_TRUE(parsed.ok()) << parsed.error().cause;
    config = std::move(parsed).value();
    Result<std::shared_ptr<const asl::StateMachine>> loaded =
        LoadDefinition(dir_ + "/state_machines/policy_trigger.asl.json");
    EXPECT_TRUE(loaded.ok()) << loaded.error().cause;
    machine = std::move(loaded).value();
    tables_ = store::Store::OpenInMemory().value();
    dynamodb =
        MakeProjectDynamoDb(config, *tables_, clock, std::make_shared<aws::SystemEnvironment>())
            .value();
    functions_.Register("check_retraining_decision", std::make_unique<HighDecision>());
    functions_.Register(std::string(kPolicyFunctionName),
                        MakePolicyFunction(*dynamodb, ProjectPolicy(config), &clock));
    functions_.Register(std::string(kApprovalFunctionName),
                        MakeApprovalFunction(*dynamodb, config.retraining.history_table, clock));
    functions_.Register(std::string(kAlertFunctionName), std::make_unique<NoAlert>());
    router_ = std::make_unique<integrations::TaskRouter>(functions_, clock, config.account);
    dynamodb_tasks_ = integrations::MakeDynamoDbTasks(*dynamodb, clock);
    router_->add_integration(dynamodb_tasks_.get());
    router_->set_launcher(&launcher);
    executor_ = std::make_unique<engine::Executor>(*router_, clock, nullptr, config.account);
  }

  std::string TriggerArn() const { return StateMachineArn(config.account, kPolicyTriggerName); }

  // Runs the trigger for model "m" as execution `name` (with `input` when given).
  engine::ExecutionResult Run(const std::string& name, json::Value input = nullptr) {
    engine::ExecutionSpec spec;
    spec.state_machine_arn = TriggerArn();
    spec.state_machine_name = std::string(kPolicyTriggerName);
    spec.execution_name = name;
    spec.input = input.is_null()
                     ? json::Value(json::Object{
                           {"model", "m"},
                           {"decision_location", json::Object{{"bucket", "b"}, {"key", "k"}}},
                           {"pipeline_arn", kPipeline}})
                     : std::move(input);
    return executor_->Run(*machine, spec);
  }

  // Model "m"'s items, by sort key.
  std::map<std::string, json::Object> Items() {
    Result<json::Value> items =
        dynamodb->Call("Query", json::Object{{"TableName", config.retraining.history_table},
                                             {"KeyConditionExpression", "model = :m"},
                                             {"ExpressionAttributeValues",
                                              json::Object{{":m", json::Object{{"S", "m"}}}}}});
    EXPECT_TRUE(items.ok()) << items.error().cause;
    std::map<std::string, json::Object> out;
    if (!items.ok()) return out;
    for (const json::Value& item : items->as_object().at("Items").as_array()) {
      out[item.at("sk").at("S").as_string().c_str()] = item.as_object();
    }
    return out;
  }

  ProjectConfig config;
  std::shared_ptr<const asl::StateMachine> machine;
  ManualClock clock;
  std::unique_ptr<integrations::DynamoDb> dynamodb;
  Launcher launcher;

 private:
  std::string dir_;
  std::unique_ptr<store::Store> tables_;
  integrations::FunctionRegistry functions_;
  std::unique_ptr<integrations::TaskRouter> router_;
  std::unique_ptr<integrations::ServiceIntegration> dynamodb_tasks_;
  std::unique_ptr<engine::Executor> executor_;
};

std::string Attribute(const json::Object& item, const char* name) {
  const json::Value* v = item.if_contains(name);
  if (v == nullptr) return "";
  const json::Object& typed = v->as_object();
  return (typed.contains("S") ? typed.at("S") : typed.at("N")).as_string().c_str();
}

class PolicyTriggerApprovalTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PolicyTriggerApprovalTest, NoAnswerWithinTheTimeoutTakesTheDefault) {
  const std::string on_timeout = GetParam();
  TriggerRig rig(
      R"({"models": {"m": {"policy": {"approval": {"required": true, "timeout_hours": 2,
                                                    "on_timeout": ")" +
      on_timeout + R"("}}}}})");
  const TimePoint started = rig.clock.Now();
  engine::ExecutionResult result = rig.Run("timeout-" + on_timeout);

  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded)
      << result.error.value_or("") << ": " << result.cause.value_or("");
  EXPECT_EQ(rig.launcher.tokens.size(), 1u);  // the gate parked its token
  EXPECT_GE(rig.clock.Now() - started, std::chrono::hours(2));
  std::string status;
  for (const auto& [sk, item] : rig.Items()) {
    if (item.contains("status")) status = Attribute(item, "status");
  }
  if (on_timeout == "reject") {
    EXPECT_TRUE(rig.launcher.started.empty());
    EXPECT_EQ(status, "REJECTED");
  } else {
    EXPECT_EQ(rig.launcher.started, std::vector<std::string>{kPipeline});
    EXPECT_EQ(status, "SUCCEEDED");
  }
}

// While v1's pipeline runs, a second evaluation is queued; when v1 ends, its trigger starts
// the trigger again for the queued evaluation, which retrains as v2 without reading a new
// decision. A third evaluation while v1 runs finds the queue taken and skips.
TEST(PolicyTriggerQueueTest, AQueuedRetrainingStartsWhenTheRunningOneEnds) {
  TriggerRig rig(R"({"models": {"m": {"policy": {"cooldown_hours": 0,
                                                  "while_running": "queue"}}}})");
  std::vector<engine::ExecutionResult> during;
  rig.launcher.on_start = [&](const integrations::ExecutionLauncher::StartRequest& request) {
    if (request.state_machine_arn == kPipeline && during.empty()) {
      during.push_back(rig.Run("second"));
      during.push_back(rig.Run("third"));
    }
  };
  engine::ExecutionResult first = rig.Run("first");
  ASSERT_EQ(first.status, engine::ExecutionStatus::kSucceeded)
      << first.error.value_or("") << ": " << first.cause.value_or("");
  ASSERT_EQ(during.size(), 2u);
  for (const engine::ExecutionResult& r : during) {
    EXPECT_EQ(r.status, engine::ExecutionStatus::kSucceeded) << r.cause.value_or("");
  }
  // The pipeline of v1, then the trigger itself with the queued evaluation's key.
  ASSERT_EQ(rig.launcher.started, (std::vector<std::string>{kPipeline, rig.TriggerArn()}));
  const json::Value queued_input = rig.launcher.inputs[1];
  const std::string queued_sk = queued_input.at("queued_sk").as_string().c_str();
  EXPECT_NE(queued_sk.find("#second"), std::string::npos) << queued_sk;
  EXPECT_EQ(queued_input.at("pipeline_arn").as_string(), kPipeline);

  std::map<std::string, json::Object> items = rig.Items();
  EXPECT_EQ(Attribute(items.at(queued_sk), "status"), "QUEUED");
  EXPECT_EQ(Attribute(items.at("#queued"), "evaluation_sk"), "");  // taken
  for (const auto& [sk, item] : items) {
    if (sk.find("#third") != std::string::npos) {
      EXPECT_EQ(Attribute(item, "verdict"), "SKIP") << Attribute(item, "summary");
      EXPECT_NE(Attribute(item, "summary").find("already queued"), std::string::npos);
    }
  }

  rig.clock.Advance(std::chrono::minutes(5));
  engine::ExecutionResult resumed = rig.Run("queued", queued_input);
  ASSERT_EQ(resumed.status, engine::ExecutionStatus::kSucceeded)
      << resumed.error.value_or("") << ": " << resumed.cause.value_or("");
  ASSERT_EQ(rig.launcher.started,
            (std::vector<std::string>{kPipeline, rig.TriggerArn(), kPipeline}));
  EXPECT_EQ(rig.launcher.inputs[2].at("model_version"), json::Value("2"));
  items = rig.Items();
  const json::Object& record = items.at(queued_sk);
  EXPECT_EQ(Attribute(record, "status"), "SUCCEEDED");
  EXPECT_EQ(Attribute(record, "version"), "2");
  EXPECT_EQ(Attribute(record, "verdict"), "RETRAIN");
  EXPECT_NE(Attribute(record, "summary").find("queued behind ended"), std::string::npos);

  // Taken once: running the queued evaluation again fails instead of retraining twice.
  engine::ExecutionResult again = rig.Run("queued-again", queued_input);
  EXPECT_EQ(again.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(again.error.value_or(""), "NotQueued");
}

// A pipeline that fails: the trigger fails with TrainingPipelineFailed, and the record keeps
// the error it caught, from which the history reads the pipeline's execution.
TEST(PolicyTriggerFailureTest, AFailedPipelineIsRecordedWithItsExecution) {
  TriggerRig rig(R"({"models": {"m": {"policy": {"cooldown_hours": 0}}}})");
  rig.launcher.fail_children = true;
  engine::ExecutionResult result = rig.Run("fails");
  EXPECT_EQ(result.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(result.error.value_or(""), "TrainingPipelineFailed") << result.cause.value_or("");
  std::map<std::string, json::Object> items = rig.Items();
  std::optional<RetrainingRecord> record;
  for (const auto& [sk, item] : items) {
    if (!sk.starts_with("#")) record = RecordFromItem(item).value();
  }
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->status, RetrainingStatus::kFailed);
  EXPECT_EQ(record->execution_arn, std::string(kPipeline) + ":run1");
  EXPECT_NE(record->failure.find("TrainingDiverged"), std::string::npos) << record->failure;
}

INSTANTIATE_TEST_SUITE_P(OnTimeout, PolicyTriggerApprovalTest,
                         ::testing::Values("reject", "approve"));

}  // namespace
}  // namespace autoretrain::retrain
