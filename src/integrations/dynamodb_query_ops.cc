// Query and Scan on the local table store: key conditions become a range of encoded sort keys
// read in key order from the store in batches; Limit counts the items read (before the
// filter), a page stops at Limit or after 1 MB of items, and LastEvaluatedKey is the key of
// the last item read, as DynamoDB pages.
#include <map>

#include "integrations/dynamodb_eval.h"
#include "integrations/dynamodb_local.h"
#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations::dynamo {
namespace {

constexpr size_t kPageBytes = 1024 * 1024;
constexpr int64_t kBatch = 256;

struct KeyCondition {
  std::string op;  // "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"
  std::vector<json::Value> values;
};

// Turns a KeyConditionExpression tree into one condition per key attribute, with DynamoDB's
// messages for what a key condition may not contain.
Status CollectKeyConditions(const Node& node, std::map<std::string, KeyCondition>* out) {
  auto invalid = [](std::string m) { return Validation(std::move(m)); };
  switch (node.kind) {
    case NodeKind::kAnd:
      for (const Node& arg : node.args) {
        if (Status s = CollectKeyConditions(arg, out); !s.ok()) return s;
      }
      return OkStatus();
    case NodeKind::kOr:
      return invalid("Invalid operator used in KeyConditionExpression: OR");
    case NodeKind::kNot:
      return invalid("Invalid operator used in KeyConditionExpression: NOT");
    case NodeKind::kIn:
      return invalid("Invalid operator used in KeyConditionExpression: IN");
    default:
      break;
  }
  if (node.kind == NodeKind::kCompare && node.op == "<>") {
    return invalid("Invalid operator used in KeyConditionExpression: <>");
  }
  if (node.kind == NodeKind::kFunction && node.op != "begins_with") {
    if (node.op == "size")
      return invalid("KeyConditionExpressions cannot contain nested operations");
    return invalid("Invalid operator used in KeyConditionExpression: " + node.op);
  }
  KeyCondition condition;
  condition.op = node.kind == NodeKind::kBetween ? "BETWEEN" : node.op;
  if ((node.kind == NodeKind::kBetween || node.kind == NodeKind::kFunction) &&
      node.args[0].kind != NodeKind::kPath) {
    return invalid("Invalid condition in KeyConditionExpression: " +
                   std::string(node.kind == NodeKind::kBetween ? "BETWEEN" : node.op) +
                   " operator must have the key attribute as its first operand");
  }
  std::string attribute;
  size_t attribute_at = 0;
  for (size_t i = 0; i < node.args.size(); ++i) {
    const Node& arg = node.args[i];
    if (arg.kind == NodeKind::kPath) {
      if (!attribute.empty()) {
        return invalid(
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
      }
      if (arg.path.size() > 1) {
        return invalid("KeyConditionExpressions cannot have conditions on nested attributes");
      }
      attribute = arg.path[0].name;
      attribute_at = i;
    } else if (arg.kind == NodeKind::kFunction) {
      return invalid("KeyConditionExpressions cannot contain nested operations");
    } else {
      condition.values.push_back(arg.value);
    }
  }
  if (attribute.empty()) {
    return invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
  }
  if (out->count(attribute)) {
    return invalid("KeyConditionExpressions must only contain one condition per key");
  }
  if (attribute_at != 0) {  // ":v < sk" is "sk > :v"
    static const std::map<std::string, std::string> kFlip = {
        {"=", "="}, {"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
    condition.op = kFlip.at(condition.op);
  }
  (*out)[attribute] = std::move(condition);
  return OkStatus();
}

// The attribute names a filter reads (the first element of each path).
void PathHeads(const Node& node, std::set<std::string>* out) {
  if (node.kind == NodeKind::kPath && !node.path.empty()) out->insert(node.path[0].name);
  for (const Node& arg : node.args) PathHeads(arg, out);
}

// The smallest byte string greater than every string starting with `prefix`, or nullopt.
std::optional<std::string> PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

struct ReadOptions {
  store::DynamoItemRange range;
  std::optional<Node> filter;
  std::optional<std::vector<Path>> projection;
  bool count_only = false;
  int64_t limit = 0;  // 0: none
  int64_t segment = 0, total_segments = 0;
};

uint64_t Fnv(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Reads pages from the store until Limit, 1 MB or the end, and builds the response.
Result<json::Value> ReadPage(LocalContext& ctx, const TableSchema& schema, ReadOptions& read) {
  json::Array items;
  int64_t scanned = 0;
  size_t bytes = 0;
  std::optional<json::Object> last;
  bool stopped = false;
  while (!stopped) {
    read.range.limit = read.limit > 0 ? std::min(kBatch, read.limit - scanned) : kBatch;
    auto rows = ctx.store.ReadDynamoItems(schema.name, read.range);
    if (!rows.ok()) return rows.take_error();
    for (const store::DynamoItemRow& row : *rows) {
      read.range.after = row.key;
      if (read.total_segments > 0 &&
          static_cast<int64_t>(Fnv(row.key.hash) % static_cast<uint64_t>(read.total_segments)) !=
              read.segment) {
        continue;
      }
      auto parsed = json::Parse(row.item);
      if (!parsed.ok()) return parsed.take_error();
      json::Object& item = parsed->get_object();
      ++scanned;
      bytes += ItemSize(item);
      last = KeyAttributes(schema, item);
      if (!read.filter || Evaluate(*read.filter, item)) {
        if (!read.count_only) {
          items.push_back(read.projection ? json::Value(Project(item, *read.projection))
                                          : std::move(*parsed));
        } else {
          items.push_back(nullptr);
        }
      }
      if ((read.limit > 0 && scanned >= read.limit) || bytes >= kPageBytes) {
        stopped = true;
        break;
      }
    }
    if (static_cast<int64_t>(rows->size()) < read.range.limit) break;
  }
  json::Object out;
  out["Count"] = static_cast<int64_t>(items.size());
  out["ScannedCount"] = scanned;
  if (!read.count_only) out["Items"] = std::move(items);
  if (stopped && last) out["LastEvaluatedKey"] = std::move(*last);
  return json::Value(std::move(out));
}

// The parameters Query and Scan share: Select, Limit, filter, projection, ExclusiveStartKey.
Status CommonReadParameters(json::Object& request, ExpressionContext& expressions,
                            ReadOptions* read) {
  auto select = OptionalString(request, "Select");
  if (!select.ok()) return select.take_error();
  if (*select) {
    const std::string& s = **select;
    if (s != "ALL_ATTRIBUTES" && s != "ALL_PROJECTED_ATTRIBUTES" && s != "SPECIFIC_ATTRIBUTES" &&
        s != "COUNT") {
      return Validation("1 validation error detected: Value '" + s +
                        "' at 'select' failed to satisfy constraint: Member must satisfy enum "
                        "value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
                        "ALL_PROJECTED_ATTRIBUTES]");
    }
    read->count_only = s == "COUNT";
    if (s == "ALL_PROJECTED_ATTRIBUTES") {
      return Validation(
          "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is "
          "not supported when not using an index");
    }
  }
  if (const json::Value* limit = request.if_contains("Limit"); limit && !limit->is_null()) {
    if (!limit->is_number()) {
      return Error{"SerializationException", "STRING_VALUE cannot be converted to Integer"};
    }
    read->limit = static_cast<int64_t>(json::AsDouble(*limit));
    if (read->limit < 1) {
      return Validation("1 validation error detected: Value '" + std::to_string(read->limit) +
                        "' at 'limit' failed to satisfy constraint: Member must have value "
                        "greater than or equal to 1");
    }
  }
  if (json::Value* start = request.if_contains("ExclusiveStartKey"); start && !start->is_null()) {
    if (Status s = ValidateItem(*start); !s.ok()) {
      return Validation("The provided starting key is invalid: " + s.error().cause);
    }
  }
  auto filter = OptionalString(request, "FilterExpression");
  if (!filter.ok()) return filter.take_error();
  if (*filter) {
    auto node = ParseCondition(**filter, "FilterExpression", expressions);
    if (!node.ok()) return node.take_error();
    read->filter = std::move(*node);
  }
  auto projection = OptionalString(request, "ProjectionExpression");
  if (!projection.ok()) return projection.take_error();
  if (*projection) {
    auto paths = ParseProjection(**projection, expressions);
    if (!paths.ok()) return paths.take_error();
    read->projection = std::move(*paths);
  }
  if (read->count_only && read->projection) {
    return Validation("Cannot specify the ProjectionExpression when choosing to get a COUNT");
  }
  return OkStatus();
}

Result<std::optional<store::DynamoKey>> StartKey(const TableSchema& schema, json::Object& request) {
  json::Value* start = request.if_contains("ExclusiveStartKey");
  if (start == nullptr || start->is_null()) return std::optional<store::DynamoKey>();
  auto key = KeyOfKeyParameter(schema, *start);
  if (!key.ok()) return Validation("The provided starting key is invalid: " + key.error().cause);
  return std::optional<store::DynamoKey>(std::move(*key));
}

}  // namespace

Result<json::Value> Query(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  ExpressionContext expressions;
  if (Status s = PrepareExpressions(
          request, {"ProjectionExpression", "FilterExpression", "KeyConditionExpression"},
          {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}, &expressions);
      !s.ok()) {
    return s.take_error();
  }
  if (request.contains("IndexName")) {
    return Validation(
        "The local table store has no secondary indexes; query the table itself "
        "(remove IndexName)");
  }
  auto key_text = OptionalString(request, "KeyConditionExpression");
  if (!key_text.ok()) return key_text.take_error();
  if (!*key_text) {
    return Validation(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }
  ReadOptions read;
  auto key_node = ParseCondition(**key_text, "KeyConditionExpression", expressions);
  if (!key_node.ok()) return key_node.take_error();
  if (Status s = CommonReadParameters(request, expressions, &read); !s.ok()) return s.take_error();
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  std::map<std::string, KeyCondition> conditions;
  if (Status s = CollectKeyConditions(*key_node, &conditions); !s.ok()) return s.take_error();
  if (conditions.size() != 1 && conditions.size() != 2) {
    return Validation("Conditions can be of length 1 or 2 only");
  }
  if (const json::Value* forward = request.if_contains("ScanIndexForward");
      forward && forward->is_bool()) {
    read.range.forward = forward->get_bool();
  }
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  if (!schema->has_range() && conditions.size() > 1) {
    return Validation("Query key condition not supported");
  }
  for (bool hash : {true, false}) {
    if (!hash && !schema->has_range()) break;
    const std::string& name = hash ? schema->hash_name : schema->range_name;
    const std::string& type = hash ? schema->hash_type : schema->range_type;
    auto it = conditions.find(name);
    if (it == conditions.end()) {
      if (hash || conditions.size() > 1) {
        return Validation("Query condition missed key schema element: " + name);
      }
      continue;
    }
    for (const json::Value& v : it->second.values) {
      if (TypeOf(v) != type) {
        return Validation(
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
      }
    }
    if (hash && it->second.op != "=") return Validation("Query key condition not supported");
    if (it->second.op == "begins_with" && type == "N") {
      return Validation(
          "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not "
          "valid for N AttributeValue type");
    }
  }
  if (read.filter) {
    std::set<std::string> heads;
    PathHeads(*read.filter, &heads);
    for (const std::string& key : {schema->hash_name, schema->range_name}) {
      if (!key.empty() && heads.count(key)) {
        return Validation(
            "Filter Expression can only contain non-primary key attributes: Primary key "
            "attribute: " +
            key);
      }
    }
  }
  const KeyCondition& hash_condition = conditions.at(schema->hash_name);
  read.range.hash = KeyBytes(hash_condition.values[0]);
  if (auto it = conditions.find(schema->range_name);
      schema->has_range() && it != conditions.end()) {
    const KeyCondition& c = it->second;
    std::string first = KeyBytes(c.values[0]);
    if (c.op == "=") {
      read.range.low = read.range.high = first;
    } else if (c.op == "<" || c.op == "<=") {
      read.range.high = first;
      read.range.high_inclusive = c.op == "<=";
    } else if (c.op == ">" || c.op == ">=") {
      read.range.low = first;
      read.range.low_inclusive = c.op == ">=";
    } else if (c.op == "BETWEEN") {
      read.range.low = first;
      read.range.high = KeyBytes(c.values[1]);
    } else {  // begins_with
      read.range.low = first;
      read.range.high = PrefixEnd(first);
      read.range.high_inclusive = false;
    }
  }
  auto start = StartKey(*schema, request);
  if (!start.ok()) return start.take_error();
  if (*start) {
    if ((*start)->hash != *read.range.hash) {
      return Validation(
          "The provided starting key is outside query boundaries based on provided conditions");
    }
    read.range.after = **start;
  }
  return ReadPage(ctx, *schema, read);
}

Result<json::Value> Scan(LocalContext& ctx, json::Object& request) {
  auto table = TableNameOf(request);
  if (!table.ok()) return table.take_error();
  ExpressionContext expressions;
  if (Status s = PrepareExpressions(request, {"ProjectionExpression", "FilterExpression"},
                                    {"AttributesToGet", "ScanFilter", "ConditionalOperator"},
                                    &expressions);
      !s.ok()) {
    return s.take_error();
  }
  if (request.contains("IndexName")) {
    return Validation(
        "The local table store has no secondary indexes; scan the table itself "
        "(remove IndexName)");
  }
  ReadOptions read;
  if (Status s = CommonReadParameters(request, expressions, &read); !s.ok()) return s.take_error();
  if (Status s = CheckAllPlaceholdersUsed(expressions); !s.ok()) return s.take_error();
  const json::Value* segment = request.if_contains("Segment");
  const json::Value* total = request.if_contains("TotalSegments");
  if ((segment != nullptr) != (total != nullptr)) {
    return Validation(segment ? "The TotalSegments parameter is required but was not present in "
                                "the request when Segment parameter is present"
                              : "The Segment parameter is required but was not present in the "
                                "request when parameter TotalSegments is present");
  }
  if (segment != nullptr) {
    if (!segment->is_int64() || !total->is_int64()) {
      return Error{"SerializationException", "Segment and TotalSegments must be integers"};
    }
    read.segment = segment->get_int64();
    read.total_segments = total->get_int64();
    if (read.total_segments < 1 || read.total_segments > 1000000) {
      return Validation("1 validation error detected: Value '" +
                        std::to_string(read.total_segments) +
                        "' at 'totalSegments' failed to satisfy constraint: Member must have "
                        "value " +
                        (read.total_segments < 1 ? "greater than or equal to 1"
                                                 : "less than or equal to 1000000"));
    }
    if (read.segment < 0 || read.segment >= read.total_segments) {
      return Validation(
          "The Segment parameter is zero-based and must be less than parameter "
          "TotalSegments: Segment: " +
          std::to_string(read.segment) +
          " is not less than TotalSegments: " + std::to_string(read.total_segments));
    }
  }
  auto schema = LoadSchema(ctx, *table);
  if (!schema.ok()) return schema.take_error();
  auto start = StartKey(*schema, request);
  if (!start.ok()) return start.take_error();
  if (*start) read.range.after = **start;
  return ReadPage(ctx, *schema, read);
}

}  // namespace autoretrain::integrations::dynamo
