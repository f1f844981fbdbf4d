// autoretrain.json's "integrations": for each AWS service, whether its task resources run
// locally (the default) or on the real service (or a compatible endpoint). docs/project.md.
#include "retrain/project_sections.h"

namespace autoretrain::retrain {
namespace {

// Whether `pattern` (an ARN, or an ARN prefix followed by '*') has the shape of a `service` ARN.
bool IsServiceArnPattern(std::string_view pattern, std::string_view service) {
  std::string_view arn = pattern;
  if (arn.ends_with('*')) arn.remove_suffix(1);
  // arn:PARTITION:SERVICE:...
  if (!arn.starts_with("arn:")) return false;
  size_t partition_end = arn.find(':', 4);
  if (partition_end == std::string_view::npos || partition_end == 4) return false;
  std::string_view rest = arn.substr(partition_end + 1);
  return rest.starts_with(service) && rest.size() > service.size() && rest[service.size()] == ':';
}

// The fields every service takes (backend, remote_resources, region, endpoint_url) into
// *out; returns the service's object (null when absent or not an object) for the caller to
// read its own fields. `allowed`: every field name the service takes.
const json::Object* ParseService(FieldChecker& fields, const json::Object& integrations,
                                 std::string_view name, std::string_view arn_service,
                                 std::string_view example,
                                 std::initializer_list<std::string_view> allowed,
                                 ServiceBackendConfig* out) {
  const json::Value* value = integrations.if_contains(name);
  if (value == nullptr) return nullptr;
  const std::string path = JoinPath("integrations", name);
  const json::Object* obj = fields.ExpectObject(
      *value, path, "{\"backend\": \"local\" or \"remote\", \"remote_resources\": [ARN, ...]}");
  if (obj == nullptr) return nullptr;
  fields.RejectUnknown(*obj, path, allowed);
  if (auto backend = fields.OptionalString(*obj, path, "backend")) {
    if (*backend == "remote") {
      out->remote.all = true;
    } else if (*backend != "local") {
      fields.Problem(path + ".backend", "expected \"local\" or \"remote\", got '" + *backend + "'");
    }
  }
  if (const json::Value* resources = obj->if_contains("remote_resources")) {
    const std::string list_path = path + ".remote_resources";
    if (!resources->is_array()) {
      fields.Problem(list_path,
                     "expected an array of ARNs, got " + std::string(json::TypeName(*resources)));
    } else {
      size_t index = 0;
      for (const json::Value& entry : resources->get_array()) {
        const std::string entry_path = list_path + "[" + std::to_string(index++) + "]";
        if (!entry.is_string() || !IsServiceArnPattern(entry.get_string(), arn_service)) {
          fields.Problem(entry_path, "expected an ARN of the " + std::string(arn_service) +
                                         " service (a trailing '*' matches a prefix) such as \"" +
                                         std::string(example) + "\", got " +
                                         json::Serialize(entry));
          continue;
        }
        out->remote.patterns.emplace_back(entry.get_string());
      }
    }
  }
  if (auto region = OptionalRegion(fields, *obj, path, "region")) out->region = *region;
  out->endpoint_url = OptionalEndpointUrl(fields, *obj, path, "endpoint_url");
  return obj;
}

// "dynamodb.tables": {NAME: CreateTable request without TableName}. The local table store
// checks each request when it creates the table; here only the shape.
void ParseTables(FieldChecker& fields, const json::Object& dynamodb,
                 std::map<std::string, json::Value>* out) {
  const json::Value* value = dynamodb.if_contains("tables");
  if (value == nullptr) return;
  const json::Object* tables = fields.ExpectObject(
      *value, "integrations.dynamodb.tables",
      "an object of table names, each a CreateTable request ({\"KeySchema\": [...], "
      "\"AttributeDefinitions\": [...]})");
  if (tables == nullptr) return;
  for (const auto& [name, request] : *tables) {
    const std::string path = "integrations.dynamodb.tables." + std::string(name);
    const json::Object* body = fields.ExpectObject(
        request, path,
        "a CreateTable request ({\"KeySchema\": [...], \"AttributeDefinitions\": [...]})");
    if (body == nullptr) continue;
    if (body->contains("TableName")) {
      fields.Problem(path + ".TableName", "not allowed: the table's name is its key in 'tables'");
      continue;
    }
    out->emplace(std::string(name), request);
  }
}

}  // namespace

void ParseIntegrations(FieldChecker& fields, const json::Value& value, IntegrationsConfig* out) {
  const json::Object* obj =
      fields.ExpectObject(value, "integrations", "an object of services (states, lambda, ...)");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, "integrations", {"states", "lambda", "sns", "dynamodb", "http"});
  auto service = [&](std::string_view name, std::string_view example,
                     ServiceBackendConfig* config) {
    return ParseService(fields, *obj, name, name, example,
                        {"backend", "remote_resources", "region", "endpoint_url"}, config);
  };
  service("states", "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline", &out->states);
  service("lambda", "arn:aws:lambda:us-east-1:123456789012:function:train", &out->lambda);
  if (const json::Object* sns = ParseService(
          fields, *obj, "sns", "sns", "arn:aws:sns:us-east-1:123456789012:alerts",
          {"backend", "remote_resources", "region", "endpoint_url", "topics"}, &out->sns)) {
    ParseSnsTopics(fields, *sns, &out->sns_topics);
  }
  if (const json::Object* dynamodb = ParseService(
          fields, *obj, "dynamodb", "dynamodb",
          "arn:aws:dynamodb:us-east-1:123456789012:table/retraining-history",
          {"backend", "remote_resources", "region", "endpoint_url", "tables"}, &out->dynamodb)) {
    ParseTables(fields, *dynamodb, &out->dynamodb_tables);
  }
  if (const json::Value* http = obj->if_contains("http")) ParseHttpIntegration(fields, *http, out);
}

}  // namespace autoretrain::retrain
