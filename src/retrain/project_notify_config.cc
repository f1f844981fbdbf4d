// autoretrain.json's notification integrations: the local SNS topics ("integrations.sns.
// topics") and the HTTP task's connections ("integrations.http"). Only shapes are checked
// here; the aws layer checks names, URLs and what each authorization type needs when the
// runtime builds the integrations (docs/project.md, "Integrations").
#include "retrain/project_sections.h"

namespace autoretrain::retrain {
namespace {

// `value` (at `path`) as an array, or null after recording a problem.
const json::Array* ExpectArray(FieldChecker& fields, const json::Value& value,
                               const std::string& path, const std::string& what) {
  if (value.is_array()) return &value.get_array();
  fields.Problem(path, "expected " + what + ", got " + std::string(json::TypeName(value)));
  return nullptr;
}

std::string Indexed(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

aws::LocalSnsSubscription ParseSubscription(FieldChecker& fields, const json::Object& obj,
                                            const std::string& path) {
  aws::LocalSnsSubscription out;
  fields.RejectUnknown(obj, path, {"protocol", "endpoint", "raw_message_delivery"});
  out.protocol = fields.RequiredString(obj, path, "protocol").value_or("");
  out.endpoint = fields.RequiredString(obj, path, "endpoint").value_or("");
  out.raw_message_delivery = fields.OptionalBool(obj, path, "raw_message_delivery").value_or(false);
  return out;
}

aws::LocalSnsTopic ParseTopic(FieldChecker& fields, const json::Object& obj,
                              const std::string& path) {
  aws::LocalSnsTopic out;
  fields.RejectUnknown(obj, path, {"name", "subscriptions", "content_based_deduplication"});
  out.name = fields.RequiredString(obj, path, "name").value_or("");
  out.content_based_deduplication =
      fields.OptionalBool(obj, path, "content_based_deduplication").value_or(false);
  if (const json::Value* subscriptions = obj.if_contains("subscriptions")) {
    const std::string list_path = path + ".subscriptions";
    if (const json::Array* list =
            ExpectArray(fields, *subscriptions, list_path,
                        "an array of {\"protocol\": \"https\", \"endpoint\": URL} objects")) {
      for (size_t i = 0; i < list->size(); ++i) {
        const std::string entry_path = Indexed(list_path, i);
        if (const json::Object* entry = fields.ExpectObject(
                (*list)[i], entry_path, "{\"protocol\": \"https\", \"endpoint\": URL}")) {
          out.subscriptions.push_back(ParseSubscription(fields, *entry, entry_path));
        }
      }
    }
  }
  return out;
}

// [{"key": K, "value": V} or {"key": K, "value_env": VAR}, ...]
std::vector<aws::ConnectionParameter> ParseParameters(FieldChecker& fields,
                                                      const json::Object& connection,
                                                      const std::string& path,
                                                      std::string_view key) {
  std::vector<aws::ConnectionParameter> out;
  const json::Value* value = connection.if_contains(key);
  if (value == nullptr) return out;
  const std::string list_path = JoinPath(path, key);
  const std::string shape =
      "{\"key\": NAME, \"value\": TEXT} or {\"key\": NAME, \"value_env\": VAR}";
  const json::Array* list = ExpectArray(fields, *value, list_path, "an array of " + shape);
  if (list == nullptr) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string entry_path = Indexed(list_path, i);
    const json::Object* entry = fields.ExpectObject((*list)[i], entry_path, shape);
    if (entry == nullptr) continue;
    fields.RejectUnknown(*entry, entry_path, {"key", "value", "value_env"});
    aws::ConnectionParameter parameter;
    parameter.key = fields.RequiredString(*entry, entry_path, "key").value_or("");
    auto literal = fields.OptionalString(*entry, entry_path, "value");
    auto from_env = fields.OptionalString(*entry, entry_path, "value_env");
    if (literal.has_value() == from_env.has_value()) {
      fields.Problem(entry_path, "expected exactly one of \"value\" and \"value_env\"");
      continue;
    }
    parameter.value = literal.value_or("");
    parameter.value_env = from_env.value_or("");
    out.push_back(std::move(parameter));
  }
  return out;
}

aws::HttpConnection ParseConnection(FieldChecker& fields, const json::Object& obj,
                                    const std::string& path) {
  aws::HttpConnection out;
  fields.RejectUnknown(
      obj, path,
      {"arn", "authorization_type", "api_key_name", "api_key_value_env", "username", "password_env",
       "authorization_endpoint", "http_method", "client_id", "client_secret_env", "oauth_headers",
       "oauth_query", "oauth_body", "headers", "query", "body"});
  out.arn = fields.RequiredString(obj, path, "arn").value_or("");
  // EventBridge's AuthorizationType names.
  if (auto type = fields.RequiredString(obj, path, "authorization_type")) {
    if (*type == "API_KEY") {
      out.auth = aws::ConnectionAuth::kApiKey;
    } else if (*type == "BASIC") {
      out.auth = aws::ConnectionAuth::kBasic;
    } else if (*type == "OAUTH_CLIENT_CREDENTIALS") {
      out.auth = aws::ConnectionAuth::kOAuthClientCredentials;
    } else {
      fields.Problem(
          JoinPath(path, "authorization_type"),
          "expected \"API_KEY\", \"BASIC\" or \"OAUTH_CLIENT_CREDENTIALS\", got '" + *type + "'");
    }
  }
  auto text = [&](std::string_view key, std::string* field) {
    if (auto value = fields.OptionalString(obj, path, key)) *field = *value;
  };
  text("api_key_name", &out.api_key_name);
  text("api_key_value_env", &out.api_key_value_env);
  text("username", &out.username);
  text("password_env", &out.password_env);
  text("authorization_endpoint", &out.authorization_endpoint);
  text("http_method", &out.oauth_method);
  text("client_id", &out.client_id);
  text("client_secret_env", &out.client_secret_env);
  out.oauth_headers = ParseParameters(fields, obj, path, "oauth_headers");
  out.oauth_query = ParseParameters(fields, obj, path, "oauth_query");
  out.oauth_body = ParseParameters(fields, obj, path, "oauth_body");
  out.headers = ParseParameters(fields, obj, path, "headers");
  out.query = ParseParameters(fields, obj, path, "query");
  out.body = ParseParameters(fields, obj, path, "body");
  return out;
}

}  // namespace

void ParseSnsTopics(FieldChecker& fields, const json::Object& sns,
                    std::vector<aws::LocalSnsTopic>* out) {
  const json::Value* value = sns.if_contains("topics");
  if (value == nullptr) return;
  const std::string path = "integrations.sns.topics";
  const json::Array* topics = ExpectArray(fields, *value, path,
                                          "an array of {\"name\": \"alerts\", \"subscriptions\": "
                                          "[...]} objects");
  if (topics == nullptr) return;
  for (size_t i = 0; i < topics->size(); ++i) {
    const std::string topic_path = Indexed(path, i);
    if (const json::Object* topic = fields.ExpectObject(
            (*topics)[i], topic_path, "{\"name\": \"alerts\", \"subscriptions\": [...]}")) {
      out->push_back(ParseTopic(fields, *topic, topic_path));
    }
  }
}

void ParseHttpIntegration(FieldChecker& fields, const json::Value& value, IntegrationsConfig* out) {
  const std::string path = "integrations.http";
  const json::Object* obj = fields.ExpectObject(
      value, path, "{\"connections\": [...], \"allow_plain_http\": true or false}");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, path, {"connections", "allow_plain_http"});
  out->http_allow_plain_http = fields.OptionalBool(*obj, path, "allow_plain_http").value_or(true);
  const json::Value* connections = obj->if_contains("connections");
  if (connections == nullptr) return;
  const std::string list_path = path + ".connections";
  const json::Array* list =
      ExpectArray(fields, *connections, list_path,
                  "an array of {\"arn\": CONNECTION_ARN, \"authorization_type\": ...} objects");
  if (list == nullptr) return;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string entry_path = Indexed(list_path, i);
    if (const json::Object* entry = fields.ExpectObject(
            (*list)[i], entry_path, "{\"arn\": CONNECTION_ARN, \"authorization_type\": ...}")) {
      out->http_connections.push_back(ParseConnection(fields, *entry, entry_path));
    }
  }
}

}  // namespace autoretrain::retrain
