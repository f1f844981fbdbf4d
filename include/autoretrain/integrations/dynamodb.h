// DynamoDb: the DynamoDB API as the Step Functions DynamoDB integrations and the retraining
// history use it, with two implementations that accept the same requests and give the same
// responses and errors: the local table store in the project's SQLite database (the embedded
// default) and the real service (or any DynamoDB-compatible endpoint) over HTTPS.
//
// Requests and responses are DynamoDB's JSON API bodies, attribute values in DynamoDB's typed
// format ({"S": "..."}, {"N": "12"}, {"M": {...}}, ...).
//
// Thread-safety: implementations allow concurrent calls.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_H_

#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations {

class DynamoDb {
 public:
  virtual ~DynamoDb() = default;
  // Runs `operation` ("PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan", and
  // whatever else the implementation documents) with `request`, the operation's JSON request
  // body, and returns its JSON response body. Fails with the error DynamoDB reports, its
  // exception name as `error` without a namespace ("ConditionalCheckFailedException",
  // "ResourceNotFoundException", "ValidationException", ...) and its message as `cause`;
  // transport and credential failures use the aws layer's names (HttpTimeout, NoCredentials...).
  virtual Result<json::Value> Call(std::string_view operation, const json::Value& request) = 0;
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_H_
