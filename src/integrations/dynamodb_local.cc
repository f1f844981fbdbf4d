// The local DynamoDB table store: request checks shared by the operations, and the
// dispatcher behind MakeLocalDynamoDb.
#include "integrations/dynamodb_local.h"

#include <regex>

#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations {
namespace dynamo {

Error MissingMember(std::string_view field) {
  return Validation("1 validation error detected: Value null at '" + std::string(field) +
                    "' failed to satisfy constraint: Member must not be null");
}

Result<std::optional<std::string>> OptionalString(const json::Object& request,
                                                  std::string_view field) {
  const json::Value* v = request.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return Error{"SerializationException",
                 std::string(v->is_number() ? "NUMBER_VALUE" : "Start of structure") +
                     " cannot be converted to String (field " + std::string(field) + ")"};
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::string> TableNameOf(const json::Object& request) {
  auto name = OptionalString(request, "TableName");
  if (!name.ok()) return name.take_error();
  if (!*name) {
    return Validation("The parameter 'TableName' is required but was not present in the request");
  }
  const std::string& n = **name;
  if (n.size() < 3 || n.size() > 255) {
    return Validation(
        "TableName must be at least 3 characters long and at most 255 characters long");
  }
  static const std::regex kPattern("[a-zA-Z0-9_.-]+");
  if (!std::regex_match(n, kPattern)) {
    return Validation("1 validation error detected: Value '" + n +
                      "' at 'tableName' failed to satisfy constraint: Member must satisfy "
                      "regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  return n;
}

Result<TableSchema> LoadSchema(LocalContext& ctx, const std::string& name) {
  auto description = ctx.store.GetDynamoTable(name);
  if (!description.ok()) return description.take_error();
  if (!*description) return Error{"ResourceNotFoundException", "Requested resource not found"};
  auto parsed = json::Parse(**description);
  if (!parsed.ok()) return Error{"InternalServerError", "table '" + name + "' is damaged"};
  const json::Object& d = parsed->get_object();
  TableSchema schema;
  schema.name = name;
  auto type_of = [&](std::string_view attribute) {
    for (const json::Value& def : d.at("AttributeDefinitions").get_array()) {
      if (def.at("AttributeName").get_string() == attribute) {
        return std::string(def.at("AttributeType").get_string());
      }
    }
    return std::string("S");
  };
  for (const json::Value& key : d.at("KeySchema").get_array()) {
    std::string attribute(key.at("AttributeName").get_string());
    if (key.at("KeyType").get_string() == "HASH") {
      schema.hash_type = type_of(attribute);
      schema.hash_name = std::move(attribute);
    } else {
      schema.range_type = type_of(attribute);
      schema.range_name = std::move(attribute);
    }
  }
  return schema;
}

Status PrepareExpressions(json::Object& request,
                          std::initializer_list<std::string_view> expressions,
                          std::initializer_list<std::string_view> legacy, ExpressionContext* out) {
  std::string given_expressions, given_legacy;
  for (std::string_view e : expressions) {
    if (request.contains(e))
      given_expressions += (given_expressions.empty() ? "" : ", ") + std::string(e);
  }
  for (std::string_view l : legacy) {
    if (request.contains(l)) given_legacy += (given_legacy.empty() ? "" : ", ") + std::string(l);
  }
  if (!given_expressions.empty() && !given_legacy.empty()) {
    return Validation(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {" +
        given_legacy + "} Expression parameters: {" + given_expressions + "}");
  }
  if (!given_legacy.empty()) {
    return Validation("The local table store supports only expression parameters; replace {" +
                      given_legacy +
                      "} with ConditionExpression, UpdateExpression, KeyConditionExpression, "
                      "FilterExpression or ProjectionExpression");
  }
  json::Value* names = request.if_contains("ExpressionAttributeNames");
  json::Value* values = request.if_contains("ExpressionAttributeValues");
  if (names && names->is_null()) names = nullptr;
  if (values && values->is_null()) values = nullptr;
  if (names != nullptr && given_expressions.empty()) {
    return Validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  std::vector<std::string_view> value_expressions;
  bool any_value_expression = false;
  for (std::string_view e : expressions) {
    if (e == "ProjectionExpression") continue;
    value_expressions.push_back(e);
    if (request.contains(e)) any_value_expression = true;
  }
  if (values != nullptr && !value_expressions.empty() && !any_value_expression) {
    std::string list;
    for (size_t i = 0; i < value_expressions.size(); ++i) {
      list += (i ? " and " : "") + std::string(value_expressions[i]);
    }
    return Validation("ExpressionAttributeValues can only be specified when using expressions: " +
                      list + (value_expressions.size() > 1 ? " are" : " is") + " null");
  }
  static const std::regex kNameKey("#[0-9a-zA-Z_]+"), kValueKey(":[0-9a-zA-Z_]+");
  if (names != nullptr) {
    if (!names->is_object()) return Error{"SerializationException", "Unexpected field type"};
    if (names->get_object().empty())
      return Validation("ExpressionAttributeNames must not be empty");
    for (const auto& [key, name] : names->get_object()) {
      if (!std::regex_match(std::string(key), kNameKey)) {
        return Validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                          std::string(key) + "\"");
      }
      if (!name.is_string()) return Error{"SerializationException", "Unexpected field type"};
    }
    out->names = &names->get_object();
  }
  if (values != nullptr) {
    if (!values->is_object()) return Error{"SerializationException", "Unexpected field type"};
    if (values->get_object().empty()) {
      return Validation("ExpressionAttributeValues must not be empty");
    }
    for (const auto& [key, value] : values->get_object()) {
      if (!std::regex_match(std::string(key), kValueKey)) {
        return Validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                          std::string(key) + "\"");
      }
    }
    for (auto& [key, value] : values->get_object()) {
      if (Status s = ValidateValue(value); !s.ok()) {
        if (s.error().error != "ValidationException") return s;
        return Validation("ExpressionAttributeValues contains invalid value: " + s.error().cause +
                          " for key " + std::string(key));
      }
    }
    out->values = &values->get_object();
  }
  return OkStatus();
}

namespace {

Result<std::string> KeyPiece(const json::Value& value, const std::string& name,
                             const std::string& type, bool hash) {
  const json::Value& inner = value.get_object().begin()->value();
  if ((type == "S" || type == "B") && inner.get_string().empty()) {
    return Validation(
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty " +
        std::string(type == "S" ? "string" : "binary") + " value. Key: " + name);
  }
  std::string bytes = KeyBytes(value);
  if (type != "N" && hash && bytes.size() > 2048) {
    return Validation(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
        "size limit of2048 bytes");
  }
  if (type != "N" && !hash && bytes.size() > 1024) {
    return Validation(
        "One or more parameter values were invalid: Aggregated size of all range keys has "
        "exceeded the size limit of 1024 bytes");
  }
  return bytes;
}

}  // namespace

Result<store::DynamoKey> KeyOfKeyParameter(const TableSchema& schema, json::Value& key) {
  if (!key.is_object()) return Error{"SerializationException", "Unexpected field type"};
  if (Status s = ValidateItem(key); !s.ok()) return s.take_error();
  const json::Object& o = key.get_object();
  const size_t expected = schema.has_range() ? 2 : 1;
  auto mismatch = [] { return Validation("The provided key element does not match the schema"); };
  if (o.size() != expected) return mismatch();
  store::DynamoKey out;
  const json::Value* hash = o.if_contains(schema.hash_name);
  if (hash == nullptr || TypeOf(*hash) != schema.hash_type) return mismatch();
  auto h = KeyPiece(*hash, schema.hash_name, schema.hash_type, true);
  if (!h.ok()) return h.take_error();
  out.hash = std::move(*h);
  if (schema.has_range()) {
    const json::Value* range = o.if_contains(schema.range_name);
    if (range == nullptr || TypeOf(*range) != schema.range_type) return mismatch();
    auto r = KeyPiece(*range, schema.range_name, schema.range_type, false);
    if (!r.ok()) return r.take_error();
    out.range = std::move(*r);
  }
  return out;
}

Result<store::DynamoKey> KeyOfItem(const TableSchema& schema, const json::Object& item) {
  store::DynamoKey out;
  for (bool hash : {true, false}) {
    if (!hash && !schema.has_range()) break;
    const std::string& name = hash ? schema.hash_name : schema.range_name;
    const std::string& type = hash ? schema.hash_type : schema.range_type;
    const json::Value* v = item.if_contains(name);
    if (v == nullptr) {
      return Validation("One or more parameter values were invalid: Missing the key " + name +
                        " in the item");
    }
    if (TypeOf(*v) != type) {
      return Validation("One or more parameter values were invalid: Type mismatch for key " + name +
                        " expected: " + type + " actual: " + std::string(TypeOf(*v)));
    }
    auto piece = KeyPiece(*v, name, type, hash);
    if (!piece.ok()) return piece.take_error();
    (hash ? out.hash : out.range) = std::move(*piece);
  }
  return out;
}

json::Object KeyAttributes(const TableSchema& schema, const json::Object& item) {
  json::Object key;
  if (const json::Value* h = item.if_contains(schema.hash_name)) key[schema.hash_name] = *h;
  if (schema.has_range()) {
    if (const json::Value* r = item.if_contains(schema.range_name)) key[schema.range_name] = *r;
  }
  return key;
}

}  // namespace dynamo

namespace {

class LocalDynamoDb final : public DynamoDb {
 public:
  LocalDynamoDb(store::Store& store, LocalDynamoDbOptions options)
      : store_(store), options_(std::move(options)) {}

  Result<json::Value> Call(std::string_view operation, const json::Value& request) override {
    using Op = Result<json::Value> (*)(dynamo::LocalContext&, json::Object&);
    static const std::pair<std::string_view, Op> kOperations[] = {
        {"CreateTable", dynamo::CreateTable},
        {"DescribeTable", dynamo::DescribeTable},
        {"DeleteTable", dynamo::DeleteTable},
        {"ListTables", dynamo::ListTables},
        {"PutItem", dynamo::PutItem},
        {"GetItem", dynamo::GetItem},
        {"UpdateItem", dynamo::UpdateItem},
        {"DeleteItem", dynamo::DeleteItem},
        {"Query", dynamo::Query},
        {"Scan", dynamo::Scan}};
    Op op = nullptr;
    for (auto [name, fn] : kOperations) {
      if (name == operation) op = fn;
    }
    if (op == nullptr) {
      return Error{"UnknownOperationException",
                   "The local table store does not support the DynamoDB operation '" +
                       std::string(operation) +
                       "'; it supports CreateTable, DescribeTable, DeleteTable, ListTables, "
                       "PutItem, GetItem, UpdateItem, DeleteItem, Query and Scan"};
    }
    if (!request.is_object()) {
      return Error{"SerializationException",
                   "the request body of " + std::string(operation) + " must be a JSON object"};
    }
    json::Object body = request.get_object();
    dynamo::LocalContext ctx{store_, options_, options_.clock ? *options_.clock : system_clock_};
    return op(ctx, body);
  }

 private:
  store::Store& store_;
  LocalDynamoDbOptions options_;
  SystemClock system_clock_;
};

}  // namespace

std::unique_ptr<DynamoDb> MakeLocalDynamoDb(store::Store& store, LocalDynamoDbOptions options) {
  return std::make_unique<LocalDynamoDb>(store, std::move(options));
}

}  // namespace autoretrain::integrations
