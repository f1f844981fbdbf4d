// The DynamoDB task integrations of Step Functions, over any DynamoDb (the local table store or
// the real service), registered with TaskRouter::add_integration:
//
// - Optimized: arn:aws:states:::dynamodb:putItem, :getItem, :updateItem, :deleteItem. The
//   result is DynamoDB's response body plus SdkHttpMetadata and SdkResponseMetadata, as AWS's
//   optimized integration returns them; errors are "DynamoDB.<Exception>" (for example
//   DynamoDB.ConditionalCheckFailedException) with the AWS SDK for Java's cause suffix
//   " (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID: ...; Proxy:
//   null)".
// - AWS SDK: arn:aws:states:::aws-sdk:dynamodb:<action> for getItem, putItem, updateItem,
//   deleteItem, query, scan, createTable, describeTable, deleteTable and listTables. The result
//   is the response body alone; errors are "DynamoDb.<Exception>" (the SDK's service name, as
//   Step Functions names AWS SDK errors).
//
// Parameters are DynamoDB's request fields (TableName, Key, Item, ...). Transport failures of a
// remote DynamoDb keep their own names (HttpTimeout, ...). Request-response only: a .sync or
// .waitForTaskToken suffix fails with States.Runtime. See docs/dynamodb.md.
//
// Thread-safety: as thread-safe as the DynamoDb (both implementations allow concurrent calls).
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_TASKS_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_TASKS_H_

#include <memory>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/integrations/service_integration.h"

namespace autoretrain::integrations {

// The integration over `db`; `clock` dates the SdkHttpMetadata. Both must outlive it.
std::unique_ptr<ServiceIntegration> MakeDynamoDbTasks(DynamoDb& db, Clock& clock);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_TASKS_H_
