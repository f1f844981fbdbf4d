// The local DynamoDB table store: the DynamoDb interface (integrations/dynamodb.h) over the
// project's SQLite store, the embedded default behind the Step Functions DynamoDB tasks and
// the retraining history. It accepts DynamoDB's JSON requests and answers with DynamoDB's
// response bodies and errors, so one definition runs against it or the real service.
//
// Operations: CreateTable, DescribeTable, DeleteTable, ListTables, PutItem, GetItem,
// UpdateItem, DeleteItem, Query, Scan, with condition, update, key condition, filter and
// projection expressions. What is and is not supported, and the errors: docs/dynamodb.md.
//
// Thread-safety: Call may be called concurrently; every conditional write is one SQLite
// transaction, so two writers of one item never interleave.
#ifndef AUTORETRAIN_INTEGRATIONS_LOCAL_DYNAMODB_H_
#define AUTORETRAIN_INTEGRATIONS_LOCAL_DYNAMODB_H_

#include <memory>
#include <string>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/store/store.h"

namespace autoretrain::integrations {

struct LocalDynamoDbOptions {
  // Used in TableArn ("arn:aws:dynamodb:REGION:ACCOUNT:table/NAME").
  std::string region = "us-east-1";
  std::string account = "123456789012";
  // For CreationDateTime; null: the system clock. Must outlive the store.
  Clock* clock = nullptr;
};

// A DynamoDb whose tables live in `store` (which must outlive it).
std::unique_ptr<DynamoDb> MakeLocalDynamoDb(store::Store& store, LocalDynamoDbOptions options = {});

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_LOCAL_DYNAMODB_H_
