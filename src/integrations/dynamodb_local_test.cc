// The local table store through the DynamoDb interface: table operations, atomic concurrent
// updates, the item size limit, exact 38-digit numbers, paging backwards, persistence.
#include "autoretrain/integrations/local_dynamodb.h"

#include <gtest/gtest.h>

#include <thread>

#include "integrations/test_util.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using json::testing::J;

constexpr char kTable[] = R"({"TableName":"runs",
    "AttributeDefinitions":[{"AttributeName":"model","AttributeType":"S"},
                            {"AttributeName":"version","AttributeType":"N"}],
    "KeySchema":[{"AttributeName":"model","KeyType":"HASH"},
                 {"AttributeName":"version","KeyType":"RANGE"}],
    "BillingMode":"PAY_PER_REQUEST"})";

class LocalDynamoDbTest : public ::testing::Test {
 protected:
  LocalDynamoDbTest() { Open(); }
  void Open() {
    store_ = store::Store::Open(dir_.path() + "/data.db").value();
    db_ = MakeLocalDynamoDb(*store_,
                            {.region = "eu-west-1", .account = "111122223333", .clock = &clock_});
  }
  Result<json::Value> Call(std::string_view op, std::string_view request) {
    return db_->Call(op, J(request));
  }

  testing::TempDir dir_;
  ManualClock clock_{TimePoint(std::chrono::milliseconds(1767225600500))};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<DynamoDb> db_;
};

TEST_F(LocalDynamoDbTest, TableOperationsAnswerAsDynamoDb) {
  auto created = Call("CreateTable", kTable);
  ASSERT_TRUE(created.ok()) << created.error().cause;
  const json::Value& d = created->at("TableDescription");
  EXPECT_EQ(d.at("TableStatus"), json::Value("CREATING"));
  EXPECT_EQ(d.at("TableArn"), json::Value("arn:aws:dynamodb:eu-west-1:111122223333:table/runs"));
  EXPECT_EQ(d.at("CreationDateTime").as_double(), 1767225600.5);
  EXPECT_EQ(d.at("BillingModeSummary").at("BillingMode"), json::Value("PAY_PER_REQUEST"));
  EXPECT_EQ(Call("CreateTable", kTable).error().error, "ResourceInUseException");
  ASSERT_TRUE(
      Call("PutItem", R"({"TableName":"runs","Item":{"model":{"S":"m"},"version":{"N":"1"}}})")
          .ok());
  auto described = Call("DescribeTable", R"({"TableName":"runs"})");
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->at("Table").at("TableStatus"), json::Value("ACTIVE"));
  EXPECT_EQ(described->at("Table").at("ItemCount"), json::Value(1));
  ASSERT_TRUE(
      Call(
          "CreateTable",
          R"({"TableName":"other","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})")
          .ok());
  EXPECT_EQ(*Call("ListTables", R"({"Limit":1})"),
            J(R"({"TableNames":["other"],"LastEvaluatedTableName":"other"})"));
  EXPECT_EQ(*Call("ListTables", R"({"ExclusiveStartTableName":"other"})"),
            J(R"({"TableNames":["runs"]})"));
  auto deleted = Call("DeleteTable", R"({"TableName":"runs"})");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->at("TableDescription").at("TableStatus"), json::Value("DELETING"));
  auto gone = Call("DescribeTable", R"({"TableName":"runs"})");
  EXPECT_EQ(gone.error().error, "ResourceNotFoundException");
  EXPECT_EQ(gone.error().cause, "Requested resource not found: Table: runs not found");
  auto bad =
      Call("CreateTable",
           R"({"TableName":"xyz","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"j","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(bad.error().cause,
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [j], AttributeDefinitions: [k]");
  EXPECT_EQ(Call("Scan", R"({"TableName":"runs"})").error().cause, "Requested resource not found");
  EXPECT_EQ(Call("BatchWriteItem", "{}").error().error, "UnknownOperationException");
}

TEST_F(LocalDynamoDbTest, ConcurrentUpdatesOfOneItemAreAtomic) {
  ASSERT_TRUE(Call("CreateTable", kTable).ok());
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        auto r =
            Call("UpdateItem", R"({"TableName":"runs","Key":{"model":{"S":"m"},"version":{"N":"1"}},
            "UpdateExpression":"ADD runs :one","ExpressionAttributeValues":{":one":{"N":"1"}}})");
        EXPECT_TRUE(r.ok()) << r.error().cause;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto got =
      Call("GetItem", R"({"TableName":"runs","Key":{"model":{"S":"m"},"version":{"N":"1"}}})");
  EXPECT_EQ(got->at("Item").at("runs"), J(R"({"N":"100"})"));
}

TEST_F(LocalDynamoDbTest, LimitsAndExactNumbers) {
  ASSERT_TRUE(Call("CreateTable", kTable).ok());
  json::Value big = J(R"({"TableName":"runs","Item":{"model":{"S":"m"},"version":{"N":"1"}}})");
  big.at("Item").as_object()["blob"] = json::Object{{"S", std::string(400 * 1024, 'x')}};
  EXPECT_EQ(db_->Call("PutItem", big).error().cause,
            "Item size has exceeded the maximum allowed size");
  ASSERT_TRUE(Call("PutItem", R"({"TableName":"runs","Item":{"model":{"S":"m"},"version":{"N":"1"},
      "n":{"N":"12345678901234567890123456789012345677"}}})")
                  .ok());
  auto added =
      Call("UpdateItem", R"({"TableName":"runs","Key":{"model":{"S":"m"},"version":{"N":"1"}},
      "UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}},
      "ReturnValues":"UPDATED_NEW"})");
  ASSERT_TRUE(added.ok()) << added.error().cause;
  EXPECT_EQ(*added, J(R"({"Attributes":{"n":{"N":"12345678901234567890123456789012345678"}}})"));
  auto cond =
      Call("DeleteItem", R"({"TableName":"runs","Key":{"model":{"S":"m"},"version":{"N":"1"}},
      "ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"12345678901234567890123456789012345679"}}})");
  EXPECT_EQ(cond.error().error, "ConditionalCheckFailedException");  // one unit off: not equal
}

TEST_F(LocalDynamoDbTest, QueryPagesBackwardsAndItemsSurviveReopening) {
  ASSERT_TRUE(Call("CreateTable", kTable).ok());
  for (const char* v : {"1", "2", "10", "-3", "2.5"}) {
    ASSERT_TRUE(
        db_->Call(
               "PutItem",
               J(std::string(R"({"TableName":"runs","Item":{"model":{"S":"m"},"version":{"N":")") +
                 v + R"("}}})"))
            .ok());
  }
  db_.reset();
  store_.reset();
  Open();
  std::vector<std::string> seen;
  json::Value request =
      J(R"({"TableName":"runs","KeyConditionExpression":"model = :m AND version > :low",
      "ExpressionAttributeValues":{":m":{"S":"m"},":low":{"N":"-3"}},"ScanIndexForward":false,"Limit":2})");
  for (int page = 0; page < 5; ++page) {
    auto got = db_->Call("Query", request);
    ASSERT_TRUE(got.ok()) << got.error().cause;
    for (const json::Value& item : got->at("Items").as_array()) {
      seen.emplace_back(item.at("version").at("N").as_string());
    }
    if (!got->as_object().contains("LastEvaluatedKey")) break;
    request.as_object()["ExclusiveStartKey"] = got->at("LastEvaluatedKey");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"10", "2.5", "2", "1"}));
}

}  // namespace
}  // namespace autoretrain::integrations
