#include "autoretrain/server/aws_shapes.h"

#include <gtest/gtest.h>

namespace autoretrain::server {
namespace {

TimePoint At(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

TEST(AwsShapesTest, DatesAsEpochSecondsOrIso) {
  EXPECT_EQ(json::Serialize(DateJson(At(1732622400123), DateFormat::kEpochSeconds)),
            "1732622400.123");
  EXPECT_EQ(json::Serialize(DateJson(At(1732622400000), DateFormat::kEpochSeconds)), "1732622400");
  EXPECT_EQ(DateJson(At(1732622400123), DateFormat::kIso8601).as_string(),
            "2024-11-26T12:00:00.123Z");
}

TEST(AwsShapesTest, DescribeExecutionConvertsItsDates) {
  store::ExecutionRecord record;
  record.arn = "arn:aws:states:us-east-1:123456789012:execution:m:e";
  record.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  record.name = "e";
  record.status = engine::ExecutionStatus::kSucceeded;
  record.input = R"({"a":1})";
  record.output = "2";
  record.start_date = At(1000);
  record.stop_date = At(2500);
  json::Value epoch = DescribeExecutionJson(record, DateFormat::kEpochSeconds);
  EXPECT_EQ(json::Serialize(epoch.at("startDate")), "1");
  EXPECT_EQ(json::Serialize(epoch.at("stopDate")), "2.5");
  EXPECT_EQ(epoch.at("input").as_string(), R"({"a":1})");
  EXPECT_EQ(epoch.at("output").as_string(), "2");
  json::Value iso = DescribeExecutionJson(record, DateFormat::kIso8601);
  EXPECT_EQ(iso.at("stopDate").as_string(), "1970-01-01T00:00:02.500Z");
}

TEST(AwsShapesTest, HistoryWithoutExecutionData) {
  store::Page<engine::HistoryEvent> page;
  engine::HistoryEvent started;
  started.id = 1;
  started.timestamp = At(1500);
  started.type = "ExecutionStarted";
  started.details_key = "executionStartedEventDetails";
  started.details = json::Object{
      {"input", "{}"}, {"inputDetails", json::Object{{"truncated", false}}}, {"roleArn", "r"}};
  page.items.push_back(started);
  page.next_token = "t";
  json::Value full = HistoryJson(page, DateFormat::kEpochSeconds);
  EXPECT_EQ(json::Serialize(full.at("events").as_array()[0].at("timestamp")), "1.5");
  EXPECT_TRUE(full.at("events")
                  .as_array()[0]
                  .at("executionStartedEventDetails")
                  .as_object()
                  .contains("input"));
  EXPECT_EQ(full.at("nextToken").as_string(), "t");
  json::Value lean = HistoryJson(page, DateFormat::kEpochSeconds, /*include_data=*/false);
  const json::Object& details =
      lean.at("events").as_array()[0].at("executionStartedEventDetails").as_object();
  EXPECT_FALSE(details.contains("input"));
  EXPECT_TRUE(details.contains("roleArn"));
}

TEST(AwsShapesTest, ListsOmitTheTokenOnTheLastPage) {
  store::Page<store::StateMachineRecord> machines;
  store::StateMachineRecord record;
  record.arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  record.name = "m";
  record.creation_date = At(3000);
  machines.items.push_back(record);
  json::Value listed = ListStateMachinesJson(machines, DateFormat::kEpochSeconds);
  EXPECT_EQ(json::Serialize(listed),
            R"({"stateMachines":[{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:)"
            R"(stateMachine:m","name":"m","type":"STANDARD","creationDate":3}]})");
  store::Page<store::ExecutionRecord> executions;
  EXPECT_EQ(json::Serialize(ListExecutionsJson(executions, DateFormat::kIso8601)),
            R"({"executions":[]})");
}

}  // namespace
}  // namespace autoretrain::server
