// Internals of the local DynamoDB table store (integrations/local_dynamodb.h): the request
// checks every operation shares and the operations themselves, one file per group
// (dynamodb_table_ops.cc, dynamodb_item_ops.cc, dynamodb_query_ops.cc).
//
// Thread-safety: plain functions; the Store serializes database access.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_LOCAL_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_LOCAL_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/integrations/local_dynamodb.h"
#include "autoretrain/store/store.h"
#include "integrations/dynamodb_expression.h"
#include "integrations/dynamodb_number.h"

namespace autoretrain::integrations::dynamo {

struct LocalContext {
  store::Store& store;
  const LocalDynamoDbOptions& options;
  Clock& clock;
};

// A table's primary key schema.
struct TableSchema {
  std::string name;
  std::string hash_name, hash_type;
  std::string range_name, range_type;  // empty without a sort key
  bool has_range() const { return !range_name.empty(); }
};

// "1 validation error detected: Value null at 'field' failed to satisfy constraint: Member
// must not be null" and friends.
Error MissingMember(std::string_view field);

// The request's TableName (checked as DynamoDB checks it).
Result<std::string> TableNameOf(const json::Object& request);

// The schema of table `name`; ResourceNotFoundException "Requested resource not found".
Result<TableSchema> LoadSchema(LocalContext& ctx, const std::string& name);

// Checks ExpressionAttributeNames/Values of `request` (validating and normalizing the values
// in place) and the rules tying them to `expressions` (the request's expression fields, in
// DynamoDB's order); refuses the legacy non-expression parameters `legacy`. On success `out`
// refers into `request`.
Status PrepareExpressions(json::Object& request,
                          std::initializer_list<std::string_view> expressions,
                          std::initializer_list<std::string_view> legacy, ExpressionContext* out);

// An optional string member; SerializationException when it is not a string.
Result<std::optional<std::string>> OptionalString(const json::Object& request,
                                                  std::string_view field);

// The store key of a Key parameter (exactly the key attributes, DynamoDB's messages).
Result<store::DynamoKey> KeyOfKeyParameter(const TableSchema& schema, json::Value& key);
// The store key of an item being put (its key attributes present and of the right types).
Result<store::DynamoKey> KeyOfItem(const TableSchema& schema, const json::Object& item);
// The key attributes of an item ({hash: v, range: v}).
json::Object KeyAttributes(const TableSchema& schema, const json::Object& item);

// The operations (request: the JSON body, already an object).
Result<json::Value> CreateTable(LocalContext& ctx, json::Object& request);
Result<json::Value> DescribeTable(LocalContext& ctx, json::Object& request);
Result<json::Value> DeleteTable(LocalContext& ctx, json::Object& request);
Result<json::Value> ListTables(LocalContext& ctx, json::Object& request);
Result<json::Value> PutItem(LocalContext& ctx, json::Object& request);
Result<json::Value> GetItem(LocalContext& ctx, json::Object& request);
Result<json::Value> UpdateItem(LocalContext& ctx, json::Object& request);
Result<json::Value> DeleteItem(LocalContext& ctx, json::Object& request);
Result<json::Value> Query(LocalContext& ctx, json::Object& request);
Result<json::Value> Scan(LocalContext& ctx, json::Object& request);

}  // namespace autoretrain::integrations::dynamo

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_LOCAL_H_
