// The table operations of the local table store: CreateTable, DescribeTable, DeleteTable,
// ListTables. A table's description is kept as DescribeTable returns it; ItemCount and
// TableSizeBytes are counted when described.
#include <random>

#include "integrations/dynamodb_local.h"

namespace autoretrain::integrations::dynamo {
namespace {

std::string NewTableId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id += '-';
    id += i == 12 ? '4' : kHex[rng() & 0xf];
  }
  return id;
}

Result<const json::Array*> ArrayMember(const json::Object& request, std::string_view field,
                                       std::string_view wire_name) {
  const json::Value* v = request.if_contains(field);
  if (v == nullptr || v->is_null()) return MissingMember(wire_name);
  if (!v->is_array()) return Error{"SerializationException", "Unexpected field type"};
  return &v->get_array();
}

Error NotFoundTable(const std::string& name) {
  return Error{"ResourceNotFoundException",
               "Requested resource not found: Table: " + name + " not found"};
}

// Checks the key schema and attribute definitions as DynamoDB does.
Status CheckSchema(const json::Array& definitions, const json::Array& keys) {
  std::vector<std::string> defined, key_names;
  for (size_t i = 0; i < definitions.size(); ++i) {
    const json::Value& d = definitions[i];
    const json::Value* name = d.is_object() ? d.get_object().if_contains("AttributeName") : nullptr;
    const json::Value* type = d.is_object() ? d.get_object().if_contains("AttributeType") : nullptr;
    if (name == nullptr || !name->is_string()) {
      return MissingMember("attributeDefinitions." + std::to_string(i + 1) +
                           ".member.attributeName");
    }
    if (type == nullptr || !type->is_string()) {
      return MissingMember("attributeDefinitions." + std::to_string(i + 1) +
                           ".member.attributeType");
    }
    std::string t(type->get_string());
    if (t != "S" && t != "N" && t != "B") {
      return Validation("1 validation error detected: Value '" + t + "' at 'attributeDefinitions." +
                        std::to_string(i + 1) +
                        ".member.attributeType' failed to satisfy constraint: Member must satisfy "
                        "enum value set: [B, N, S]");
    }
    defined.emplace_back(name->get_string());
  }
  if (keys.empty() || keys.size() > 2) {
    return Validation("1 validation error detected: Value '" + json::Serialize(keys) +
                      "' at 'keySchema' failed to satisfy constraint: Member must have length " +
                      (keys.empty() ? "greater than or equal to 1" : "less than or equal to 2"));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const json::Value& k = keys[i];
    const json::Value* name = k.is_object() ? k.get_object().if_contains("AttributeName") : nullptr;
    const json::Value* type = k.is_object() ? k.get_object().if_contains("KeyType") : nullptr;
    if (name == nullptr || !name->is_string()) {
      return MissingMember("keySchema." + std::to_string(i + 1) + ".member.attributeName");
    }
    if (type == nullptr || !type->is_string()) {
      return MissingMember("keySchema." + std::to_string(i + 1) + ".member.keyType");
    }
    if (type->get_string() != "HASH" && type->get_string() != "RANGE") {
      return Validation("1 validation error detected: Value '" + std::string(type->get_string()) +
                        "' at 'keySchema." + std::to_string(i + 1) +
                        ".member.keyType' failed to satisfy constraint: Member must satisfy enum "
                        "value set: [HASH, RANGE]");
    }
    key_names.emplace_back(name->get_string());
  }
  if (key_names.size() > defined.size()) {
    return Validation("Invalid KeySchema: Some index key attribute have no definition");
  }
  for (const std::string& k : key_names) {
    if (std::find(defined.begin(), defined.end(), k) == defined.end()) {
      auto list = [](const std::vector<std::string>& v) {
        std::string out;
        for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
        return out;
      };
      return Validation(
          "One or more parameter values were invalid: Some index key attributes are not defined "
          "in AttributeDefinitions. Keys: [" +
          list(key_names) + "], AttributeDefinitions: [" + list(defined) + "]");
    }
  }
  if (key_names.size() == 2 && key_names[0] == key_names[1]) {
    return Validation(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (keys[0].at("KeyType").get_string() != "HASH") {
    return Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (keys.size() == 2 && keys[1].at("KeyType").get_string() != "RANGE") {
    return Validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  if (key_names.size() != defined.size()) {
    return Validation(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  }
  return OkStatus();
}

}  // namespace

Result<json::Value> CreateTable(LocalContext& ctx, json::Object& request) {
  auto name = TableNameOf(request);
  if (!name.ok()) return name.take_error();
  auto definitions = ArrayMember(request, "AttributeDefinitions", "attributeDefinitions");
  if (!definitions.ok()) return definitions.take_error();
  auto keys = ArrayMember(request, "KeySchema", "keySchema");
  if (!keys.ok()) return keys.take_error();
  for (std::string_view unsupported :
       {"LocalSecondaryIndexes", "GlobalSecondaryIndexes", "StreamSpecification"}) {
    if (request.contains(unsupported)) {
      return Validation("The local table store does not support " + std::string(unsupported) +
                        "; create the table without it (see docs/dynamodb.md)");
    }
  }
  auto billing = OptionalString(request, "BillingMode");
  if (!billing.ok()) return billing.take_error();
  const std::string mode = billing->value_or("PROVISIONED");
  if (mode != "PROVISIONED" && mode != "PAY_PER_REQUEST") {
    return Validation("1 validation error detected: Value '" + mode +
                      "' at 'billingMode' failed to satisfy constraint: Member must satisfy enum "
                      "value set: [PROVISIONED, PAY_PER_REQUEST]");
  }
  const json::Value* throughput = request.if_contains("ProvisionedThroughput");
  if (throughput && throughput->is_null()) throughput = nullptr;
  if (Status s = CheckSchema(**definitions, **keys); !s.ok()) return s.take_error();
  if (mode == "PAY_PER_REQUEST" && throughput != nullptr) {
    return Validation(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  int64_t read = 0, write = 0;
  if (mode == "PROVISIONED") {
    const json::Object* t =
        throughput && throughput->is_object() ? &throughput->get_object() : nullptr;
    const json::Value* r = t ? t->if_contains("ReadCapacityUnits") : nullptr;
    const json::Value* w = t ? t->if_contains("WriteCapacityUnits") : nullptr;
    if (r == nullptr || w == nullptr || !r->is_number() || !w->is_number()) {
      return Validation(
          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
          "must both be specified when BillingMode is PROVISIONED");
    }
    read = static_cast<int64_t>(json::AsDouble(*r));
    write = static_cast<int64_t>(json::AsDouble(*w));
  }
  const double created = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 ctx.clock.Now().time_since_epoch())
                                                 .count()) /
                         1000.0;
  json::Object d;
  d["AttributeDefinitions"] = **definitions;
  d["TableName"] = *name;
  d["KeySchema"] = **keys;
  d["TableStatus"] = "ACTIVE";
  d["CreationDateTime"] = created;
  d["ProvisionedThroughput"] = json::Object{
      {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", read}, {"WriteCapacityUnits", write}};
  d["TableSizeBytes"] = 0;
  d["ItemCount"] = 0;
  d["TableArn"] =
      "arn:aws:dynamodb:" + ctx.options.region + ":" + ctx.options.account + ":table/" + *name;
  d["TableId"] = NewTableId();
  if (mode == "PAY_PER_REQUEST") {
    d["BillingModeSummary"] = json::Object{{"BillingMode", "PAY_PER_REQUEST"},
                                           {"LastUpdateToPayPerRequestDateTime", created}};
  }
  if (Status s = ctx.store.CreateDynamoTable(*name, json::Serialize(d)); !s.ok()) {
    return s.take_error();
  }
  d["TableStatus"] = "CREATING";  // as DynamoDB answers CreateTable; it is ACTIVE at once here
  return json::Value(json::Object{{"TableDescription", std::move(d)}});
}

Result<json::Value> DescribeTable(LocalContext& ctx, json::Object& request) {
  auto name = TableNameOf(request);
  if (!name.ok()) return name.take_error();
  auto description = ctx.store.GetDynamoTable(*name);
  if (!description.ok()) return description.take_error();
  if (!*description) return NotFoundTable(*name);
  auto stats = ctx.store.DynamoTableStatistics(*name);
  if (!stats.ok())
    return stats.error().error == "ResourceNotFoundException" ? NotFoundTable(*name)
                                                              : stats.take_error();
  auto d = json::Parse(**description);
  if (!d.ok()) return d.take_error();
  d->get_object()["ItemCount"] = stats->item_count;
  d->get_object()["TableSizeBytes"] = stats->size_bytes;
  return json::Value(json::Object{{"Table", std::move(*d)}});
}

Result<json::Value> DeleteTable(LocalContext& ctx, json::Object& request) {
  auto described = DescribeTable(ctx, request);
  if (!described.ok()) return described;
  const std::string name(described->at("Table").at("TableName").get_string());
  if (Status s = ctx.store.DeleteDynamoTable(name); !s.ok()) {
    if (s.error().error == "ResourceNotFoundException") return NotFoundTable(name);
    return s.take_error();
  }
  json::Value table = std::move(described->get_object()["Table"]);
  table.get_object()["TableStatus"] = "DELETING";
  return json::Value(json::Object{{"TableDescription", std::move(table)}});
}

Result<json::Value> ListTables(LocalContext& ctx, json::Object& request) {
  auto start = OptionalString(request, "ExclusiveStartTableName");
  if (!start.ok()) return start.take_error();
  int64_t limit = 100;
  if (const json::Value* l = request.if_contains("Limit"); l && !l->is_null()) {
    if (!l->is_number())
      return Error{"SerializationException", "STRING_VALUE cannot be converted to Integer"};
    limit = static_cast<int64_t>(json::AsDouble(*l));
    if (limit < 1 || limit > 100) {
      return Validation("1 validation error detected: Value '" + std::to_string(limit) +
                        "' at 'limit' failed to satisfy constraint: Member must have value " +
                        (limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
    }
  }
  auto names = ctx.store.ListDynamoTables(start->value_or(""), limit + 1);
  if (!names.ok()) return names.take_error();
  json::Object out;
  json::Array list;
  const bool more = static_cast<int64_t>(names->size()) > limit;
  for (int64_t i = 0; i < static_cast<int64_t>(names->size()) && i < limit; ++i) {
    list.emplace_back((*names)[static_cast<size_t>(i)]);
  }
  if (more) out["LastEvaluatedTableName"] = list.back();
  out["TableNames"] = std::move(list);
  return json::Value(std::move(out));
}

}  // namespace autoretrain::integrations::dynamo
