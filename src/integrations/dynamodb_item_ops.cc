// The item operations of the local table store: PutItem, GetItem, UpdateItem, DeleteItem.
// Requests are checked in DynamoDB's order (parameters, attribute values, expressions, then the
// table and its key schema); each write reads, checks its condition and writes in one store
// transaction.
#include "integrations/dynamodb_eval.h"
#include "integrations/dynamodb_local.h"
#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations::dynamo {
namespace {

Error ConditionFailed() {
  return Error{"ConditionalCheckFailedException", "The conditional request failed"};
}

// ReturnValues, checked against DynamoDB's enum; `put_or_delete` allows only NONE and ALL_OLD.
Result<std::string> ReturnValuesOf(const json::Object& request, bool put_or_delete) {
  auto value = OptionalString(request, "ReturnValues");
  if (!value.ok()) return value.take_error();
  const std::string v = value->value_or("NONE");
  if (v != "NONE" && v != "ALL_OLD" && v != "UPDATED_OLD" && v != "ALL_NEW" && v != "UPDATED_NEW") {
    return Validation("1 validation error detected: Value '" + v +
                      "' at 'returnValues' failed to satisfy constraint: Member must satisfy "
                      "enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
  }
  if (put_or_delete && v != "NONE" && v != "ALL_OLD") {
    return Validation("ReturnValues can only be ALL_OLD or NONE");
  }
  return v;
}

Result<json::Value*> RequiredMember(json::Object& request, std::string_view field,
                                    std::string_view wire_name) {
  json::Value* v = request.if_contains(field);
  if (v == nullptr || v->is_null()) return MissingMember(wire_name);
  if (!v->is_object()) return Error{"SerializationException", "Unexpected field type"};
  return v;
}

// The optional ConditionExpression, parsed.
Result<std::optional<Node>> ConditionOf(const json::Object& request, ExpressionContext& ctx) {
  auto text = OptionalString(request, "ConditionExpression");
  if (!text.ok()) return text.take_error();
  if (!*text) return std::optional<Node>();
  auto node = ParseCondition(**text, "ConditionExpression", ctx);
  if (!node.ok()) return node.take_error();
  return std::optional<Node>(std::move(*node));
}

Result<json::Object> ParseStored(const std::optional<std::string>& text) {
  if (!text) return json::Object{};
  auto v = json::Parse(*text);
  if (!v.ok()) return v.take_error();
  return std::move(v->get_object());
}

}  // namespace

Result<json::Value> PutItem(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  auto item_value = RequiredMember(request, "Item", "item");
  if (!item_value.ok()) return item_value.take_error();
  ExpressionContext expressions;
  if (Status s = PrepareExpressions(request, {"ConditionExpression"},
                                    {"Expected", "ConditionalOperator"}, &expressions);
      !s.ok()) {
    return s.take_error();
  }
  if (Status s = ValidateItem(**item_value); !s.ok()) return s.take_error();
  auto return_values = ReturnValuesOf(request, true);
  if (!return_values.ok()) return return_values.take_error();
  const json::Object& item = (*item_value)->get_object();
  if (ItemSize(item) > kMaxItemBytes) {
    return Validation("Item size has exceeded the maximum allowed size");
  }
  auto condition = ConditionOf(request, expressions);
  if (!condition.ok()) return condition.take_error();
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  auto key = KeyOfItem(*schema, item);
  if (!key.ok()) return key.take_error();
  std::optional<json::Object> old;
  const std::string text = json::Serialize(item);
  Status written = ctx.store.WriteDynamoItem(
      *table, *key, [&](const std::optional<std::string>& current) -> Result<store::DynamoWrite> {
        auto existing = ParseStored(current);
        if (!existing.ok()) return existing.take_error();
        if (*condition && !Evaluate(**condition, *existing)) return ConditionFailed();
        if (current) old = std::move(*existing);
        return store::DynamoWrite{store::DynamoWrite::Kind::kPut, text};
      });
  if (!written.ok()) return written.take_error();
  json::Object out;
  if (*return_values == "ALL_OLD" && old) out["Attributes"] = std::move(*old);
  return json::Value(std::move(out));
}

Result<json::Value> GetItem(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  auto key_value = RequiredMember(request, "Key", "key");
  if (!key_value.ok()) return key_value.take_error();
  ExpressionContext expressions;
  if (Status s =
          PrepareExpressions(request, {"ProjectionExpression"}, {"AttributesToGet"}, &expressions);
      !s.ok()) {
    return s.take_error();
  }
  std::optional<std::vector<Path>> projection;
  auto projection_text = OptionalString(request, "ProjectionExpression");
  if (!projection_text.ok()) return projection_text.take_error();
  if (*projection_text) {
    auto paths = ParseProjection(**projection_text, expressions);
    if (!paths.ok()) return paths.take_error();
    projection = std::move(*paths);
  }
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  auto key = KeyOfKeyParameter(*schema, **key_value);
  if (!key.ok()) return key.take_error();
  auto stored = ctx.store.GetDynamoItem(*table, *key);
  if (!stored.ok()) return stored.take_error();
  json::Object out;
  if (*stored) {
    auto item = ParseStored(*stored);
    if (!item.ok()) return item.take_error();
    out["Item"] = projection ? Project(*item, *projection) : std::move(*item);
  }
  return json::Value(std::move(out));
}

Result<json::Value> UpdateItem(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  auto key_value = RequiredMember(request, "Key", "key");
  if (!key_value.ok()) return key_value.take_error();
  ExpressionContext expressions;
  if (Status s =
          PrepareExpressions(request, {"UpdateExpression", "ConditionExpression"},
                             {"AttributeUpdates", "Expected", "ConditionalOperator"}, &expressions);
      !s.ok()) {
    return s.take_error();
  }
  if (Status s = ValidateItem(**key_value); !s.ok()) return s.take_error();
  auto return_values = ReturnValuesOf(request, false);
  if (!return_values.ok()) return return_values.take_error();
  std::vector<UpdateAction> actions;
  auto update_text = OptionalString(request, "UpdateExpression");
  if (!update_text.ok()) return update_text.take_error();
  if (*update_text) {
    auto parsed = ParseUpdate(**update_text, expressions);
    if (!parsed.ok()) return parsed.take_error();
    actions = std::move(*parsed);
  }
  auto condition = ConditionOf(request, expressions);
  if (!condition.ok()) return condition.take_error();
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  auto key = KeyOfKeyParameter(*schema, **key_value);
  if (!key.ok()) return key.take_error();
  for (const UpdateAction& action : actions) {
    const std::string& head = action.path[0].name;
    if (head != schema->hash_name && head != schema->range_name) continue;
    if (action.path.size() > 1) {
      return Validation(
          "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
          "allowed: Key: " +
          head);
    }
    return Validation("One or more parameter values were invalid: Cannot update attribute " + head +
                      ". This attribute is part of the key");
  }
  std::vector<Path> paths;
  for (const UpdateAction& action : actions) paths.push_back(action.path);
  json::Object out;
  Status written = ctx.store.WriteDynamoItem(
      *table, *key, [&](const std::optional<std::string>& current) -> Result<store::DynamoWrite> {
        auto existing = ParseStored(current);
        if (!existing.ok()) return existing.take_error();
        if (*condition && !Evaluate(**condition, *existing)) return ConditionFailed();
        json::Object item = current ? *existing : (*key_value)->get_object();
        if (Status s = ApplyUpdate(actions, item); !s.ok()) return s.take_error();
        if (ItemSize(item) > kMaxItemBytes) {
          return Validation("Item size to update has exceeded the maximum allowed size");
        }
        const std::string& rv = *return_values;
        if (rv == "ALL_OLD" && current) out["Attributes"] = *existing;
        if (rv == "UPDATED_OLD" && current) out["Attributes"] = Project(*existing, paths);
        if (rv == "ALL_NEW") out["Attributes"] = item;
        if (rv == "UPDATED_NEW") out["Attributes"] = Project(item, paths);
        return store::DynamoWrite{store::DynamoWrite::Kind::kPut, json::Serialize(item)};
      });
  if (!written.ok()) return written.take_error();
  return json::Value(std::move(out));
}

Result<json::Value> DeleteItem(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  auto key_value = RequiredMember(request, "Key", "key");
  if (!key_value.ok()) return key_value.take_error();
  ExpressionContext expressions;
  if (Status s = PrepareExpressions(request, {"ConditionExpression"},
                                    {"Expected", "ConditionalOperator"}, &expressions);
      !s.ok()) {
    return s.take_error();
  }
  if (Status s = ValidateItem(**key_value); !s.ok()) return s.take_error();
  auto return_values = ReturnValuesOf(request, true);
  if (!return_values.ok()) return return_values.take_error();
  auto condition = ConditionOf(request, expressions);
  if (!condition.ok()) return condition.take_error();
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  auto key = KeyOfKeyParameter(*schema, **key_value);
  if (!key.ok()) return key.take_error();
  std::optional<json::Object> old;
  Status written = ctx.store.WriteDynamoItem(
      *table, *key, [&](const std::optional<std::string>& current) -> Result<store::DynamoWrite> {
        auto existing = ParseStored(current);
        if (!existing.ok()) return existing.take_error();
        if (*condition && !Evaluate(**condition, *existing)) return ConditionFailed();
        if (!current) return store::DynamoWrite{};
        old = std::move(*existing);
        return store::DynamoWrite{store::DynamoWrite::Kind::kDelete, ""};
      });
  if (!written.ok()) return written.take_error();
  json::Object out;
  if (*return_values == "ALL_OLD" && old) out["Attributes"] = std::move(*old);
  return json::Value(std::move(out));
}

}  // namespace autoretrain::integrations::dynamo
