// The checkpoint codec: a ResumePoint survives the trip through the store's record, variables
// included, and a record that does not fit the machine is reported as corrupt.
#include "integrations/checkpoint_codec.h"

#include <gtest/gtest.h>

#include <chrono>

#include "autoretrain/asl/parser.h"
#include "autoretrain/engine/execution.h"

namespace autoretrain::integrations {
namespace {

std::shared_ptr<const asl::StateMachine> Machine() {
  return std::get<std::shared_ptr<const asl::StateMachine>>(
      asl::CompileText(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}})"));
}

TEST(CheckpointCodecTest, RoundTripsAPointWithVariables) {
  auto machine = Machine();
  const json::Value input = json::Object{{"a", 1}};
  const json::Object variables{{"count", 3}, {"names", json::Array{"x", "y"}}};
  const TimePoint entered(std::chrono::milliseconds(1795402800000));
  engine::ResumePoint point{.state_index = 0,
                            .state_name = "W",
                            .input = &input,
                            .entered_time = entered,
                            .entered_event_id = 2,
                            .retry_count = 1,
                            .retrier_attempts = {1, 0},
                            .wake_at = entered + std::chrono::seconds(5),
                            .last_event_id = 2,
                            .variables = &variables,
                            .task_token = "token-1"};
  store::Checkpoint record = EncodeCheckpoint(point);
  record.event_id = 2;
  auto decoded = DecodeCheckpoint(record, *machine);
  ASSERT_TRUE(decoded.ok()) << decoded.error().cause;
  const engine::ResumePoint& back = (*decoded)->point;
  EXPECT_EQ(back.state_name, "W");
  EXPECT_EQ(*back.input, input);
  EXPECT_EQ(back.entered_time, entered);
  EXPECT_EQ(back.retrier_attempts, (std::vector<int>{1, 0}));
  EXPECT_EQ(back.wake_at, point.wake_at);
  ASSERT_NE(back.variables, nullptr);
  EXPECT_EQ(*back.variables, variables);
  EXPECT_EQ(back.task_token, "token-1");

  // Without variables the record has none, and the point none either.
  point.variables = nullptr;
  record = EncodeCheckpoint(point);
  EXPECT_EQ(record.engine_data.find("variables"), std::string::npos);
  EXPECT_EQ((*DecodeCheckpoint(record, *machine))->point.variables, nullptr);
}

TEST(CheckpointCodecTest, VariablesAsDeepAsTheEngineAllowsReadBack) {
  auto machine = Machine();
  json::Value deepest = 1;
  for (int i = 0; i < engine::kMaxVariableDepth; ++i) deepest = json::Array{std::move(deepest)};
  const json::Object variables{{"v", deepest}};
  const json::Value input = json::Object{};
  engine::ResumePoint point;
  point.state_index = 0;
  point.state_name = "W";
  point.input = &input;
  point.entered_event_id = 2;
  point.variables = &variables;
  auto decoded = DecodeCheckpoint(EncodeCheckpoint(point), *machine);
  ASSERT_TRUE(decoded.ok()) << decoded.error().cause;
  ASSERT_NE((*decoded)->point.variables, nullptr);
  EXPECT_EQ(*(*decoded)->point.variables, variables);
}

TEST(CheckpointCodecTest, VariablesThatAreNotAnObjectAreCorrupt) {
  auto machine = Machine();
  const json::Value input = json::Object{};
  store::Checkpoint record =
      EncodeCheckpoint(engine::ResumePoint{.state_index = 0, .state_name = "W", .input = &input});
  record.engine_data = R"({"enteredEventId":2,"enteredTime":0,"attempts":[],"variables":[1]})";
  auto decoded = DecodeCheckpoint(record, *machine);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().error, "StoreCorrupt");
}

}  // namespace
}  // namespace autoretrain::integrations
