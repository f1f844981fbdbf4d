// LocalRuntime::UseIntegrations: the backends autoretrain.json's "integrations" chooses for
// each service, registered with the task router (docs/project.md, "Integrations").
#include <filesystem>

#include "autoretrain/aws/dynamodb_client.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_task.h"
#include "autoretrain/aws/remote_lambda.h"
#include "autoretrain/aws/remote_step_functions.h"
#include "autoretrain/aws/sns.h"
#include "autoretrain/integrations/dynamodb_tasks.h"
#include "autoretrain/integrations/local_dynamodb.h"
#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/retrain/policy_function.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/retraining_history.h"

namespace autoretrain::retrain {
namespace {

std::string TableArn(const AccountContext& account, std::string_view table) {
  return "arn:" + account.partition + ":dynamodb:" + account.region + ":" + account.account +
         ":table/" + std::string(table);
}

// Sends each request to the remote DynamoDB when its table is selected (by name or ARN),
// else to the local table store. Requests without a table (ListTables) stay local.
class TableRouter final : public integrations::DynamoDb {
 public:
  TableRouter(std::unique_ptr<integrations::DynamoDb> local,
              std::unique_ptr<integrations::DynamoDb> remote, aws::RemoteSelection selection,
              AccountContext account)
      : local_(std::move(local)),
        remote_(std::move(remote)),
        selection_(std::move(selection)),
        account_(std::move(account)) {}

  Result<json::Value> Call(std::string_view operation, const json::Value& request) override {
    const json::Value* table =
        request.is_object() ? request.get_object().if_contains("TableName") : nullptr;
    if (table != nullptr && table->is_string()) {
      std::string_view name = table->get_string();
      if (selection_.MatchesAny({name, TableArn(account_, name)})) {
        return remote_->Call(operation, request);
      }
    }
    return local_->Call(operation, request);
  }

 private:
  std::unique_ptr<integrations::DynamoDb> local_;
  std::unique_ptr<integrations::DynamoDb> remote_;
  aws::RemoteSelection selection_;
  AccountContext account_;
};

// Publishes to the remote SNS when the task's topic (TopicArn or TargetArn) is selected,
// else to the local topics. Both backends take the same resources.
class TopicRouter final : public integrations::ServiceIntegration {
 public:
  TopicRouter(std::unique_ptr<integrations::ServiceIntegration> local,
              std::unique_ptr<integrations::ServiceIntegration> remote,
              aws::RemoteSelection selection)
      : local_(std::move(local)), remote_(std::move(remote)), selection_(std::move(selection)) {}

  bool Handles(const engine::TaskRequest& request) const override {
    return local_->Handles(request);
  }
  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    const json::Object* parameters =
        request.parameters != nullptr && request.parameters->is_object()
            ? &request.parameters->get_object()
            : nullptr;
    for (std::string_view key : {"TopicArn", "TargetArn"}) {
      const json::Value* arn = parameters ? parameters->if_contains(key) : nullptr;
      if (arn != nullptr && arn->is_string() && selection_.Matches(arn->get_string())) {
        return remote_->Invoke(request);
      }
    }
    return local_->Invoke(request);
  }

 private:
  std::unique_ptr<integrations::ServiceIntegration> local_;
  std::unique_ptr<integrations::ServiceIntegration> remote_;
  aws::RemoteSelection selection_;
};

// The aws layer's error for integration `where`, naming the configuration field (its own
// messages name the field already when the problem is in one: "integrations.sns.topics...").
Error IntegrationError(std::string_view where, const Error& error) {
  const bool names_field = error.cause.starts_with("integrations.");
  return Error{error.error, "autoretrain.json: " +
                                (names_field ? "" : "integrations." + std::string(where) + ": ") +
                                error.cause};
}

}  // namespace

PolicyFunctionConfig ProjectPolicy(const ProjectConfig& config) {
  PolicyFunctionConfig policy;
  policy.table = config.retraining.history_table;
  for (const auto& [name, model] : config.retraining.models) policy.models[name] = model.policy;
  if (config.retraining.reject_unknown_models) policy.fallback.reset();
  return policy;
}

Result<std::unique_ptr<integrations::DynamoDb>> MakeProjectDynamoDb(
    const ProjectConfig& config, store::Store& store, Clock& clock,
    std::shared_ptr<const aws::Environment> env) {
  const AccountContext& account = config.account;
  std::unique_ptr<integrations::DynamoDb> local = integrations::MakeLocalDynamoDb(
      store, integrations::LocalDynamoDbOptions{
                 .region = account.region, .account = account.account, .clock = &clock});
  // The configured tables and the retraining history's, unless DynamoDB itself holds it.
  const ServiceBackendConfig& dynamodb = config.integrations.dynamodb;
  std::map<std::string, json::Value> tables = config.integrations.dynamodb_tables;
  const std::string& history = config.retraining.history_table;
  if (!dynamodb.remote.MatchesAny({history, TableArn(account, history)})) {
    tables.emplace(history, HistoryTableDefinition(history));
  }
  for (const auto& [name, definition] : tables) {
    Result<json::Value> described = local->Call("DescribeTable", json::Object{{"TableName", name}});
    if (described.ok()) continue;
    json::Object request = definition.get_object();
    request["TableName"] = name;
    Result<json::Value> created = local->Call("CreateTable", json::Value(std::move(request)));
    // Another process of the project (`history` while `check` runs) may create it first.
    if (!created.ok() && created.error().error != "ResourceInUseException") {
      return Error{"InvalidProjectConfig", "autoretrain.json: integrations.dynamodb.tables." +
                                               name + ": " + created.error().error + ": " +
                                               created.error().cause};
    }
  }
  if (!dynamodb.AnyRemote()) return local;
  aws::DynamoDbClientOptions options;
  options.region = dynamodb.region;
  options.fallback_region = account.region;
  options.endpoint_url = dynamodb.endpoint_url;
  Result<std::unique_ptr<integrations::DynamoDb>> remote = aws::MakeDynamoDbClient(options, env);
  if (!remote.ok()) return IntegrationError("dynamodb", remote.error());
  if (dynamodb.remote.all) return std::move(remote).value();
  return std::unique_ptr<integrations::DynamoDb>(std::make_unique<TableRouter>(
      std::move(local), std::move(remote).value(), dynamodb.remote, account));
}

Status LocalRuntime::UseIntegrations(const ProjectConfig& config) {
  auto env = std::make_shared<aws::SystemEnvironment>();
  const IntegrationsConfig& integrations = config.integrations;

  // Step Functions and Lambda: only the selected resources go remote; the rest stay with the
  // router's built-in local integrations.
  if (integrations.states.AnyRemote()) {
    aws::RemoteStepFunctionsOptions options;
    options.state_machines = integrations.states.remote;
    options.region = integrations.states.region;
    options.fallback_region = account_.region;
    options.endpoint_url = integrations.states.endpoint_url;
    auto remote = aws::MakeRemoteStepFunctions(options, env);
    if (!remote.ok()) return IntegrationError("states", remote.error());
    remote.value()->set_launcher(&executions_);
    AddIntegration(std::move(remote).value());
  }
  if (integrations.lambda.AnyRemote()) {
    aws::RemoteLambdaOptions options;
    options.functions = integrations.lambda.remote;
    options.region = integrations.lambda.region;
    options.fallback_region = account_.region;
    options.endpoint_url = integrations.lambda.endpoint_url;
    auto remote = aws::MakeRemoteLambda(options, env);
    if (!remote.ok()) return IntegrationError("lambda", remote.error());
    remote.value()->set_launcher(&executions_);
    AddIntegration(std::move(remote).value());
  }
  if (Status sns = UseSns(config, env); !sns.ok()) return sns;

  // The HTTP task, with the project's connections.
  aws::HttpTaskOptions http;
  http.connections = integrations.http_connections;
  http.env = env;
  http.account = account_;
  http.allow_plain_http = integrations.http_allow_plain_http;
  auto http_task = aws::MakeHttpTaskIntegration(std::move(http));
  if (!http_task.ok()) return IntegrationError("http", http_task.error());
  AddIntegration(std::move(http_task).value());

  // DynamoDB: the local table store lives in the project's store, or in memory without one.
  if (history_store_ == nullptr) {
    Result<std::unique_ptr<store::Store>> memory = store::Store::OpenInMemory();
    if (!memory.ok()) return memory.take_error();
    table_store_ = std::move(memory).value();
  }
  Result<std::unique_ptr<integrations::DynamoDb>> dynamodb =
      MakeProjectDynamoDb(config, history_store_ ? *history_store_ : *table_store_, clock_, env);
  if (!dynamodb.ok()) return dynamodb.take_error();
  dynamodb_ = std::move(dynamodb).value();
  AddIntegration(integrations::MakeDynamoDbTasks(*dynamodb_, clock_));

  // The retraining policy reads the history through the same DynamoDB.
  functions_.Register(std::string(kPolicyFunctionName),
                      MakePolicyFunction(*dynamodb_, ProjectPolicy(config), &clock_));
  functions_.Register(std::string(kAlertFunctionName), MakeAlertFunction(config.alerts, env));
  functions_.Register(std::string(kApprovalFunctionName),
                      MakeApprovalFunction(*dynamodb_, config.retraining.history_table, clock_));
  return OkStatus();
}

Status LocalRuntime::UseSns(const ProjectConfig& config,
                            const std::shared_ptr<const aws::Environment>& env) {
  const ServiceBackendConfig& sns = config.integrations.sns;
  std::unique_ptr<integrations::ServiceIntegration> remote;
  if (sns.AnyRemote()) {
    aws::RemoteSnsOptions options;
    options.region = sns.region;
    options.fallback_region = account_.region;
    options.endpoint_url = sns.endpoint_url;
    auto made = aws::MakeRemoteSnsIntegration(options, env);
    if (!made.ok()) return IntegrationError("sns", made.error());
    remote = std::move(made).value();
    if (sns.remote.all) {
      AddIntegration(std::move(remote));
      return OkStatus();
    }
  }
  // Local topics record each message in the data folder (the project folder without one).
  aws::LocalSnsOptions options;
  options.account = account_;
  options.topics = config.integrations.sns_topics;
  options.messages_path =
      (std::filesystem::path(config.data_dir.empty() ? config.dir : config.data_dir) /
       std::string(kSnsMessagesFile))
          .string();
  options.now = [this] { return clock_.Now(); };
  auto local = aws::MakeLocalSnsIntegration(std::move(options));
  if (!local.ok()) return IntegrationError("sns", local.error());
  if (remote == nullptr) {
    AddIntegration(std::move(local).value());
  } else {
    AddIntegration(
        std::make_unique<TopicRouter>(std::move(local).value(), std::move(remote), sns.remote));
  }
  return OkStatus();
}

void LocalRuntime::AddIntegration(std::unique_ptr<integrations::ServiceIntegration> integration) {
  router_.add_integration(integration.get());
  integrations_.push_back(std::move(integration));
}

}  // namespace autoretrain::retrain
