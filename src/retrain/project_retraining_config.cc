// autoretrain.json's "models" (each model's retraining policy), "retraining" (the history
// table, what an unconfigured model gets) and "alerts" (where send_retraining_alert posts).
// docs/retraining-policy.md.
#include "retrain/policy_config.h"
#include "retrain/project_sections.h"

namespace autoretrain::retrain {
namespace {

// DynamoDB's table names: 3 to 255 of A-Z a-z 0-9 _ - .
bool IsTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// The policy function's limit on model names.
constexpr size_t kMaxModelName = 256;

// A state machine ARN: arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME.
bool IsStateMachineArn(std::string_view arn) {
  return arn.starts_with("arn:") && arn.find(":states:") != std::string_view::npos &&
         arn.find(":stateMachine:") != std::string_view::npos;
}

// models.NAME.decision: {"bucket": B, "key": K}.
std::optional<DecisionLocation> ParseDecisionLocation(FieldChecker& fields,
                                                      const json::Value& value,
                                                      const std::string& path) {
  const json::Object* obj = fields.ExpectObject(value, path, "{\"bucket\": B, \"key\": K}");
  if (obj == nullptr) return std::nullopt;
  fields.RejectUnknown(*obj, path, {"bucket", "key"});
  std::optional<std::string> bucket = fields.RequiredString(*obj, path, "bucket");
  std::optional<std::string> key = fields.RequiredString(*obj, path, "key");
  if (bucket && bucket->empty()) fields.Problem(path + ".bucket", "expected a bucket name");
  if (key && key->empty()) fields.Problem(path + ".key", "expected an object key");
  if (!bucket || !key || bucket->empty() || key->empty()) return std::nullopt;
  return DecisionLocation{*bucket, *key};
}

// models.NAME.pipeline: a project state machine's name or a state machine ARN, as an ARN.
std::string ParsePipeline(FieldChecker& fields, const json::Object& model, const std::string& path,
                          const ProjectConfig& project) {
  std::optional<std::string> pipeline = fields.OptionalString(model, path, "pipeline");
  if (!pipeline) return "";
  if (IsStateMachineArn(*pipeline)) return *pipeline;
  if (project.state_machines.count(*pipeline)) {
    return StateMachineArn(project.account, *pipeline);
  }
  if (!fields.HasProblemUnder("state_machines")) {
    fields.Problem(path + ".pipeline",
                   Quote(*pipeline) +
                       " is neither one of the configured state_machines nor a state machine "
                       "ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)" +
                       fields.Hint(*pipeline, project.state_machines));
  }
  return "";
}

}  // namespace

Result<json::Value> ModelTriggerInput(const ProjectConfig& config, std::string_view name) {
  auto model = config.retraining.models.find(name);
  if (model == config.retraining.models.end()) {
    return Error{"InvalidProjectConfig",
                 "autoretrain.json: models: no model named '" + std::string(name) +
                     "': add it under \"models\" with its \"pipeline\" (and \"decision\")"};
  }
  if (model->second.pipeline_arn.empty()) {
    return Error{"InvalidProjectConfig",
                 "autoretrain.json: models." + std::string(name) +
                     ".pipeline: not set; the retraining trigger needs the training pipeline "
                     "to start: a configured state machine's name or a state machine ARN"};
  }
  // Without its own location, the model's decision file is where the decision function
  // looks by default.
  DecisionConfig fallback;
  if (auto fn = config.functions.find("check_retraining_decision");
      fn != config.functions.end() && fn->second.kind == FunctionConfig::Kind::kBuiltin) {
    fallback = fn->second.decision;
  }
  const DecisionLocation location =
      model->second.decision.value_or(DecisionLocation{fallback.bucket, fallback.key});
  json::Value input = json::Object{
      {"model", std::string(name)},
      {"decision_location", json::Object{{"bucket", location.bucket}, {"key", location.key}}},
      {"pipeline_arn", model->second.pipeline_arn}};
  if (!config.alerts.sns_topic_arn.empty()) {
    input.get_object()["alert_topic_arn"] = config.alerts.sns_topic_arn;
  }
  return input;
}

Result<std::string> RetrainingTrigger(const ProjectConfig& config) {
  const std::string trigger = config.retraining.trigger.empty() ? std::string(kPolicyTriggerName)
                                                                : config.retraining.trigger;
  if (!config.state_machines.count(trigger)) {
    return Error{"InvalidProjectConfig",
                 "the retraining trigger " + Quote(trigger) +
                     " is not one of the configured state_machines: add it, or name another in "
                     "retraining.trigger"};
  }
  return trigger;
}

void ResolveModelTarget(FieldChecker& fields, const ProjectConfig& project, const std::string& path,
                        const std::string& model, std::string* state_machine, json::Value* input) {
  Result<std::string> trigger = RetrainingTrigger(project);
  if (!trigger.ok()) {
    if (!fields.HasProblemUnder("state_machines") && !fields.HasProblemUnder("retraining")) {
      fields.Problem(path + ".model", trigger.error().cause);
    }
    return;
  }
  if (fields.HasProblemUnder("models." + model)) return;  // already reported there
  Result<json::Value> trigger_input = ModelTriggerInput(project, model);
  if (!trigger_input.ok()) {
    std::string cause = trigger_input.error().cause;
    if (cause.starts_with("autoretrain.json: ")) cause.erase(0, 18);
    fields.Problem(path + ".model", cause + fields.Hint(model, project.retraining.models));
    return;
  }
  *state_machine = *trigger;
  *input = std::move(trigger_input).value();
}

void ParseRetraining(FieldChecker& fields, const json::Value* models, const json::Value* retraining,
                     ProjectConfig* project) {
  RetrainingConfig* out = &project->retraining;
  if (retraining != nullptr) {
    const json::Object* obj = fields.ExpectObject(
        *retraining, "retraining",
        "{\"history_table\": NAME, \"trigger\": NAME, \"unknown_models\": \"default\" or "
        "\"reject\"}");
    if (obj != nullptr) {
      fields.RejectUnknown(*obj, "retraining", {"history_table", "trigger", "unknown_models"});
      if (auto trigger = fields.OptionalString(*obj, "retraining", "trigger")) {
        if (project->state_machines.count(*trigger)) {
          out->trigger = *trigger;
        } else if (!fields.HasProblemUnder("state_machines")) {
          fields.Problem("retraining.trigger", Quote(*trigger) +
                                                   " is not one of the configured state_machines" +
                                                   fields.Hint(*trigger, project->state_machines));
        }
      }
      if (auto table = fields.OptionalString(*obj, "retraining", "history_table")) {
        if (IsTableName(*table)) {
          out->history_table = *table;
        } else {
          fields.Problem("retraining.history_table",
                         "expected a DynamoDB table name (3 to 255 letters, digits, '_', '-' "
                         "and '.'), got '" +
                             *table + "'");
        }
      }
      if (auto unknown = fields.OptionalString(*obj, "retraining", "unknown_models")) {
        if (*unknown == "reject" || *unknown == "default") {
          out->reject_unknown_models = *unknown == "reject";
        } else {
          fields.Problem("retraining.unknown_models",
                         "expected \"default\" or \"reject\", got '" + *unknown + "'");
        }
      }
    }
  }
  if (models == nullptr) return;
  const json::Object* obj = fields.ExpectObject(
      *models, "models",
      "an object of model names, each {\"policy\": {...}, \"decision\": {...}, \"pipeline\": "
      "NAME}");
  if (obj == nullptr) return;
  for (const auto& [name, model] : *obj) {
    const std::string path = JoinPath("models", name);
    if (name.empty() || name.size() > kMaxModelName) {
      fields.Problem(path, "a model name is 1 to 256 characters");
      continue;
    }
    const json::Object* entry = fields.ExpectObject(
        model, path, "{\"policy\": {...}, \"decision\": {...}, \"pipeline\": NAME}");
    if (entry == nullptr) continue;
    fields.RejectUnknown(*entry, path, {"policy", "decision", "pipeline"});
    ModelConfig config;
    if (const json::Value* value = entry->if_contains("policy")) {
      ParsePolicyInto(*value, path + ".policy", fields, &config.policy);
    }
    if (const json::Value* value = entry->if_contains("decision")) {
      config.decision = ParseDecisionLocation(fields, *value, path + ".decision");
    }
    config.pipeline_arn = ParsePipeline(fields, *entry, path, *project);
    out->models.emplace(std::string(name), std::move(config));
  }
}

void ParseAlerts(FieldChecker& fields, const json::Value& value, const ProjectConfig& project,
                 AlertsConfig* out) {
  const json::Object* obj = fields.ExpectObject(
      value, "alerts",
      "{\"slack\": [{\"webhook_url_env\": VAR}], \"sns_topic\": NAME, \"console_url\": URL}");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, "alerts", {"slack", "sns_topic", "console_url"});
  if (auto url = OptionalEndpointUrl(fields, *obj, "alerts", "console_url")) {
    out->console_url = *url;
  }
  if (auto topic = fields.OptionalString(*obj, "alerts", "sns_topic")) {
    std::vector<std::string> declared;
    for (const aws::LocalSnsTopic& t : project.integrations.sns_topics) declared.push_back(t.name);
    const std::optional<ParsedArn> arn = ParseArn(*topic);
    if (arn && arn->service == "sns" && !arn->resource.empty()) {
      out->sns_topic_arn = *topic;
    } else if (std::find(declared.begin(), declared.end(), *topic) != declared.end()) {
      out->sns_topic_arn = SnsTopicArn(project.account, *topic);
    } else {
      fields.Problem("alerts.sns_topic",
                     Quote(*topic) +
                         " is neither a topic of integrations.sns.topics nor an SNS topic ARN "
                         "(arn:aws:sns:REGION:ACCOUNT:NAME)" +
                         DidYouMean(*topic, declared));
    }
  }
  const json::Value* slack = obj->if_contains("slack");
  if (slack == nullptr) return;
  if (!slack->is_array()) {
    fields.Problem("alerts.slack", "expected an array of {\"webhook_url_env\": VAR}, got " +
                                       std::string(json::TypeName(*slack)));
    return;
  }
  for (size_t i = 0; i < slack->get_array().size(); ++i) {
    const std::string path = "alerts.slack[" + std::to_string(i) + "]";
    const json::Object* entry = fields.ExpectObject(
        slack->get_array()[i], path, "{\"webhook_url_env\": VAR, \"max_attempts\": N}");
    if (entry == nullptr) continue;
    fields.RejectUnknown(*entry, path, {"webhook_url_env", "max_attempts"});
    SlackAlertTarget target;
    // The URL is a secret: only the name of the variable holding it is configured.
    target.webhook_url_env = fields.RequiredString(*entry, path, "webhook_url_env").value_or("");
    if (auto attempts = fields.OptionalInteger(*entry, path, "max_attempts", 1, 10)) {
      target.max_attempts = static_cast<int>(*attempts);
    }
    out->slack.push_back(std::move(target));
  }
}

}  // namespace autoretrain::retrain
