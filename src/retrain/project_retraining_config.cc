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

}  // namespace

void ParseRetraining(FieldChecker& fields, const json::Value* models, const json::Value* retraining,
                     RetrainingConfig* out) {
  if (retraining != nullptr) {
    const json::Object* obj = fields.ExpectObject(
        *retraining, "retraining",
        "{\"history_table\": NAME, \"unknown_models\": \"default\" or \"reject\"}");
    if (obj != nullptr) {
      fields.RejectUnknown(*obj, "retraining", {"history_table", "unknown_models"});
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
  const json::Object* obj =
      fields.ExpectObject(*models, "models", "an object of model names, each {\"policy\": {...}}");
  if (obj == nullptr) return;
  for (const auto& [name, model] : *obj) {
    const std::string path = JoinPath("models", name);
    if (name.empty() || name.size() > kMaxModelName) {
      fields.Problem(path, "a model name is 1 to 256 characters");
      continue;
    }
    const json::Object* entry = fields.ExpectObject(model, path, "{\"policy\": {...}}");
    if (entry == nullptr) continue;
    fields.RejectUnknown(*entry, path, {"policy"});
    ModelPolicy policy;
    if (const json::Value* value = entry->if_contains("policy")) {
      ParsePolicyInto(*value, path + ".policy", fields, &policy);
    }
    out->models.emplace(std::string(name), policy);
  }
}

void ParseAlerts(FieldChecker& fields, const json::Value& value, AlertsConfig* out) {
  const json::Object* obj = fields.ExpectObject(
      value, "alerts", "{\"slack\": [{\"webhook_url_env\": VAR}], \"console_url\": URL}");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, "alerts", {"slack", "console_url"});
  if (auto url = OptionalEndpointUrl(fields, *obj, "alerts", "console_url")) {
    out->console_url = *url;
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
