// The shipped policy trigger (templates/project/state_machines/policy_trigger.asl.json) run by
// the engine on a manual clock, with the real policy, approval and DynamoDB task code on an
// in-memory table store: the approval gate's timeout, which the end-to-end tests cannot wait
// for (it is counted in hours), takes the policy's on_timeout default.
#include <gtest/gtest.h>

#include <map>
#include <memory>
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

// Keeps task tokens without ever answering them (nobody approves); records started pipelines.
class SilentApprovers final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest& request) override {
    started.emplace_back(request.state_machine_arn);
    return Started{std::string(request.state_machine_arn) + ":run", TimePoint{}};
  }
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override {
    engine::ExecutionResult result;
    result.execution_arn = std::string(execution_arn);
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
  std::map<std::string, store::TaskTokenRecord> tokens;
};

constexpr char kPipeline[] = "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline";

class PolicyTriggerApprovalTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PolicyTriggerApprovalTest, NoAnswerWithinTheTimeoutTakesTheDefault) {
  const std::string on_timeout = GetParam();
  const std::string dir = std::string(AUTORETRAIN_SOURCE_DIR) + "/templates/project";
  Result<ProjectConfig> config = ParseProjectConfig(
      R"({"models": {"m": {"policy": {"approval": {"required": true, "timeout_hours": 2,
                                                    "on_timeout": ")" +
          on_timeout + R"("}}}}})",
      dir);
  ASSERT_TRUE(config.ok()) << config.error().cause;
  Result<std::shared_ptr<const asl::StateMachine>> machine =
      LoadDefinition(dir + "/state_machines/policy_trigger.asl.json");
  ASSERT_TRUE(machine.ok()) << machine.error().cause;

  ManualClock clock(TimePoint{} + std::chrono::hours(24 * 365 * 57));
  std::unique_ptr<store::Store> tables = store::Store::OpenInMemory().value();
  auto dynamodb =
      MakeProjectDynamoDb(*config, *tables, clock, std::make_shared<aws::SystemEnvironment>());
  ASSERT_TRUE(dynamodb.ok()) << dynamodb.error().cause;
  integrations::FunctionRegistry functions;
  functions.Register("check_retraining_decision", std::make_unique<HighDecision>());
  functions.Register(std::string(kPolicyFunctionName),
                     MakePolicyFunction(**dynamodb, ProjectPolicy(*config), &clock));
  functions.Register(std::string(kApprovalFunctionName),
                     MakeApprovalFunction(**dynamodb, config->retraining.history_table, clock));
  functions.Register(std::string(kAlertFunctionName), std::make_unique<NoAlert>());
  integrations::TaskRouter router(functions, clock, config->account);
  std::unique_ptr<integrations::ServiceIntegration> dynamodb_tasks =
      integrations::MakeDynamoDbTasks(**dynamodb, clock);
  router.add_integration(dynamodb_tasks.get());
  SilentApprovers launcher;
  router.set_launcher(&launcher);
  engine::Executor executor(router, clock, nullptr, config->account);

  engine::ExecutionSpec spec;
  spec.state_machine_arn = StateMachineArn(config->account, kPolicyTriggerName);
  spec.state_machine_name = std::string(kPolicyTriggerName);
  spec.execution_name = "timeout-" + on_timeout;
  spec.input = json::Object{{"model", "m"},
                            {"decision_location", json::Object{{"bucket", "b"}, {"key", "k"}}},
                            {"pipeline_arn", kPipeline}};
  const TimePoint started = clock.Now();
  engine::ExecutionResult result = executor.Run(**machine, spec);

  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded)
      << result.error.value_or("") << ": " << result.cause.value_or("");
  EXPECT_EQ(launcher.tokens.size(), 1u);  // the gate parked its token
  EXPECT_GE(clock.Now() - started, std::chrono::hours(2));
  Result<json::Value> items = (*dynamodb)->Call(
      "Query",
      json::Object{{"TableName", config->retraining.history_table},
                   {"KeyConditionExpression", "model = :m"},
                   {"ExpressionAttributeValues", json::Object{{":m", json::Object{{"S", "m"}}}}}});
  ASSERT_TRUE(items.ok()) << items.error().cause;
  std::string status;
  for (const json::Value& item : items->as_object().at("Items").as_array()) {
    const json::Object& fields = item.as_object();
    if (fields.contains("status")) status = fields.at("status").at("S").as_string().c_str();
  }
  if (on_timeout == "reject") {
    EXPECT_TRUE(launcher.started.empty());
    EXPECT_EQ(status, "REJECTED");
  } else {
    EXPECT_EQ(launcher.started, std::vector<std::string>{kPipeline});
    EXPECT_EQ(status, "SUCCEEDED");
  }
}

INSTANTIATE_TEST_SUITE_P(OnTimeout, PolicyTriggerApprovalTest,
                         ::testing::Values("reject", "approve"));

}  // namespace
}  // namespace autoretrain::retrain
