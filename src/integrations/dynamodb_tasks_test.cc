// The DynamoDB task integrations on the local table store: through the TaskRouter (result
// shapes, error names, parameter problems) and through the engine (a state machine that
// records a retraining version with a conditional put, catches the conflict, and reads it
// back).
#include "autoretrain/integrations/dynamodb_tasks.h"

#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/local_dynamodb.h"
#include "autoretrain/integrations/task_router.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using json::testing::J;

class DynamoDbTasksTest : public ::testing::Test {
 protected:
  DynamoDbTasksTest()
      : store_(store::Store::OpenInMemory().value()),
        db_(MakeLocalDynamoDb(*store_)),
        clock_(TimePoint(std::chrono::milliseconds(1767225600000))),
        tasks_(MakeDynamoDbTasks(*db_, clock_)),
        router_(functions_, clock_) {
    router_.add_integration(tasks_.get());
    auto made = db_->Call("CreateTable", J(R"({"TableName":"history",
        "AttributeDefinitions":[{"AttributeName":"model","AttributeType":"S"},
                                {"AttributeName":"version","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"model","KeyType":"HASH"},
                     {"AttributeName":"version","KeyType":"RANGE"}],
        "BillingMode":"PAY_PER_REQUEST"})"));
    EXPECT_TRUE(made.ok()) << made.error().cause;
  }

  Result<json::Value> Invoke(std::string_view resource, std::string_view parameters) {
    json::Value params = J(parameters);
    json::Value context = json::Object{};
    engine::TaskRequest request{.resource = resource,
                                .parameters = &params,
                                .context = &context,
                                .state_name = "Record",
                                .execution_arn =
                                    "arn:aws:states:us-east-1:123456789012:"
                                    "execution:m:e",
                                .timeout_seconds = std::nullopt};
    return router_.Invoke(request);
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<DynamoDb> db_;
  ManualClock clock_;
  std::unique_ptr<ServiceIntegration> tasks_;
  FunctionRegistry functions_;
  TaskRouter router_;
};

constexpr char kPutParameters[] = R"j({"TableName":"history",
    "Item":{"model":{"S":"fraud"},"version":{"N":"1"},"status":{"S":"RUNNING"}},
    "ConditionExpression":"attribute_not_exists(version)"})j";

TEST_F(DynamoDbTasksTest, OptimizedResultsCarryTheSdkMetadata) {
  auto put = Invoke("arn:aws:states:::dynamodb:putItem", kPutParameters);
  ASSERT_TRUE(put.ok()) << put.error().cause;
  const json::Object& metadata = put->at("SdkHttpMetadata").get_object();
  EXPECT_EQ(metadata.at("HttpStatusCode"), json::Value(200));
  const json::Object& headers = metadata.at("HttpHeaders").get_object();
  EXPECT_EQ(headers.at("Content-Length"), json::Value("2"));        // the body "{}"
  EXPECT_EQ(headers.at("x-amz-crc32"), json::Value("2745614147"));  // CRC-32 of "{}"
  EXPECT_EQ(headers.at("Date"), json::Value("Thu, 01 Jan 2026 00:00:00 GMT"));
  EXPECT_EQ(headers.at("Content-Type"), json::Value("application/x-amz-json-1.0"));
  EXPECT_EQ(put->at("SdkResponseMetadata").at("RequestId"), headers.at("x-amzn-RequestId"));
  EXPECT_EQ(put->get_object().size(), 2u);

  auto get = Invoke("arn:aws:states:::dynamodb:getItem",
                    R"({"TableName":"history","Key":{"model":{"S":"fraud"},"version":{"N":"1"}}})");
  ASSERT_TRUE(get.ok()) << get.error().cause;
  EXPECT_EQ(get->at("Item"),
            J(R"({"model":{"S":"fraud"},"version":{"N":"1"},"status":{"S":"RUNNING"}})"));
  EXPECT_TRUE(get->get_object().contains("SdkHttpMetadata"));
}

TEST_F(DynamoDbTasksTest, SdkResultsAreTheResponseBody) {
  ASSERT_TRUE(Invoke("arn:aws:states:::aws-sdk:dynamodb:putItem", kPutParameters).ok());
  auto updated = Invoke("arn:aws:states:::aws-sdk:dynamodb:updateItem",
                        R"({"TableName":"history","Key":{"model":{"S":"fraud"},"version":{"N":"1"}},
                            "UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},
                            "ExpressionAttributeValues":{":s":{"S":"SUCCEEDED"}},
                            "ReturnValues":"UPDATED_NEW"})");
  ASSERT_TRUE(updated.ok()) << updated.error().cause;
  EXPECT_EQ(*updated, J(R"({"Attributes":{"status":{"S":"SUCCEEDED"}}})"));
  auto query = Invoke("arn:aws:states:::aws-sdk:dynamodb:query",
                      R"({"TableName":"history","KeyConditionExpression":"model = :m",
                          "ExpressionAttributeValues":{":m":{"S":"fraud"}},"ScanIndexForward":false})");
  ASSERT_TRUE(query.ok()) << query.error().cause;
  EXPECT_EQ(query->at("Count"), json::Value(1));
  EXPECT_FALSE(query->get_object().contains("SdkHttpMetadata"));
  auto scan = Invoke("arn:aws:states:::aws-sdk:dynamodb:scan",
                     R"({"TableName":"history","Select":"COUNT"})");
  ASSERT_TRUE(scan.ok()) << scan.error().cause;
  EXPECT_EQ(*scan, J(R"({"Count":1,"ScannedCount":1})"));
}

TEST_F(DynamoDbTasksTest, ErrorsAreNamedPerIntegrationKind) {
  ASSERT_TRUE(Invoke("arn:aws:states:::dynamodb:putItem", kPutParameters).ok());
  auto optimized = Invoke("arn:aws:states:::dynamodb:putItem", kPutParameters);
  ASSERT_FALSE(optimized.ok());
  EXPECT_EQ(optimized.error().error, "DynamoDB.ConditionalCheckFailedException");
  EXPECT_TRUE(optimized.error().cause.starts_with(
      "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: "
      "ConditionalCheckFailedException; Request ID: "))
      << optimized.error().cause;
  auto sdk = Invoke("arn:aws:states:::aws-sdk:dynamodb:putItem", kPutParameters);
  ASSERT_FALSE(sdk.ok());
  EXPECT_EQ(sdk.error().error, "DynamoDb.ConditionalCheckFailedException");
  EXPECT_TRUE(sdk.error().cause.starts_with(
      "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: "));
  auto missing = Invoke("arn:aws:states:::dynamodb:getItem",
                        R"({"TableName":"nope","Key":{"model":{"S":"x"}}})");
  EXPECT_EQ(missing.error().error, "DynamoDB.ResourceNotFoundException");
  auto invalid = Invoke("arn:aws:states:::aws-sdk:dynamodb:getItem",
                        R"({"TableName":"history","Key":{"model":{"S":"x"}}})");
  EXPECT_EQ(invalid.error().error, "DynamoDb.ValidationException");
  EXPECT_NE(invalid.error().cause.find("The provided key element does not match the schema"),
            std::string::npos);
}

TEST_F(DynamoDbTasksTest, UnsupportedResourcesAndParametersAreRuntimeErrors) {
  auto query = Invoke("arn:aws:states:::dynamodb:query", R"({"TableName":"history"})");
  EXPECT_EQ(query.error().error, "States.Runtime");
  EXPECT_NE(query.error().cause.find("Supported: dynamodb:putItem"), std::string::npos);
  EXPECT_EQ(Invoke("arn:aws:states:::aws-sdk:dynamodb:batchWriteItem", "{}").error().error,
            "States.Runtime");
  EXPECT_EQ(Invoke("arn:aws:states:::dynamodb:putItem.sync", kPutParameters).error().error,
            "States.Runtime");
  EXPECT_EQ(Invoke("arn:aws:states:::dynamodb:putItem", "[1]").error().error, "States.Runtime");
}

TEST_F(DynamoDbTasksTest, AStateMachineRecordsAVersionAndCatchesTheConflict) {
  auto compiled = asl::CompileText(R"j({
    "StartAt": "Record",
    "States": {
      "Record": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
        "Parameters": {
          "TableName": "history",
          "Item": {"model": {"S.$": "$.model"}, "version": {"N.$": "$.version"},
                   "decision": {"S": "YES"}},
          "ConditionExpression": "attribute_not_exists(version)"},
        "ResultPath": null,
        "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                   "ResultPath": "$.conflict", "Next": "Conflict"}],
        "Next": "Read"},
      "Read": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": "history",
                       "Key": {"model": {"S.$": "$.model"}, "version": {"N.$": "$.version"}}},
        "ResultSelector": {"decision.$": "$.Item.decision.S"},
        "End": true},
      "Conflict": {"Type": "Pass", "Result": "conflict", "End": true}
    }})j");
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const asl::StateMachine>>(compiled));
  const auto& machine = *std::get<std::shared_ptr<const asl::StateMachine>>(compiled);
  engine::Executor executor(router_, clock_, nullptr);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:history";
  spec.state_machine_name = "history";
  spec.input = J(R"({"model":"fraud","version":"7"})");
  engine::ExecutionResult first = executor.Run(machine, spec);
  ASSERT_EQ(first.status, engine::ExecutionStatus::kSucceeded) << first.cause.value_or("");
  EXPECT_EQ(*first.output, J(R"({"decision":"YES"})"));
  engine::ExecutionResult second = executor.Run(machine, spec);
  ASSERT_EQ(second.status, engine::ExecutionStatus::kSucceeded) << second.cause.value_or("");
  EXPECT_EQ(*second.output, J(R"("conflict")"));
}

}  // namespace
}  // namespace autoretrain::integrations
