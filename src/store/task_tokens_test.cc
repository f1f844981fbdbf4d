// Store task tokens: registering a callback task's token, and SendTaskSuccess/Failure/
// Heartbeat on it with AWS's errors.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::At;
using testing::Events;
using testing::Execution;

class TaskTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MemoryStoreWithMachine();
    ASSERT_TRUE(store_->StartExecution(Execution("e"), Events(1, 1)).ok());
    ASSERT_TRUE(store_->RegisterTaskToken("tok", arn_, "Approve", At(1000)).ok());
  }

  std::unique_ptr<Store> store_;
  const std::string arn_ = Execution("e").arn;
};

TEST_F(TaskTokensTest, RegisteredTokenWaits) {
  auto token = store_->GetTaskToken("tok");
  ASSERT_TRUE(token.ok()) << token.error().cause;
  EXPECT_EQ(token->execution_arn, arn_);
  EXPECT_EQ(token->state_name, "Approve");
  EXPECT_EQ(token->status, TaskTokenRecord::Status::kWaiting);
  EXPECT_EQ(token->created, At(1000));
  EXPECT_EQ(token->last_heartbeat, At(1000));
  // Registering again (a resumed task) keeps it as it is.
  ASSERT_TRUE(store_->HeartbeatTaskToken("tok", At(2000)).ok());
  ASSERT_TRUE(store_->RegisterTaskToken("tok", arn_, "Approve", At(3000)).ok());
  EXPECT_EQ(store_->GetTaskToken("tok")->last_heartbeat, At(2000));
}

TEST_F(TaskTokensTest, SuccessAndFailureAreRecordedOnce) {
  ASSERT_TRUE(store_->CompleteTaskToken("tok", {.output = R"({"ok":true})"}, At(5000)).ok());
  auto token = store_->GetTaskToken("tok");
  EXPECT_EQ(token->status, TaskTokenRecord::Status::kSucceeded);
  EXPECT_EQ(token->output, R"({"ok":true})");
  // A second answer, or a heartbeat, finds the task gone, as AWS says.
  Status again = store_->CompleteTaskToken("tok", {.error = "E"}, At(6000));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "TaskTimedOut");
  EXPECT_EQ(store_->HeartbeatTaskToken("tok", At(6000)).error().error, "TaskTimedOut");

  ASSERT_TRUE(store_->RegisterTaskToken("tok2", arn_, "Approve", At(1000)).ok());
  ASSERT_TRUE(
      store_->CompleteTaskToken("tok2", {.error = "Rejected", .cause = "no"}, At(7000)).ok());
  token = store_->GetTaskToken("tok2");
  EXPECT_EQ(token->status, TaskTokenRecord::Status::kFailed);
  EXPECT_EQ(token->error, "Rejected");
  EXPECT_EQ(token->cause, "no");
}

TEST_F(TaskTokensTest, UnknownTokensAndEndedExecutionsHaveNoTask) {
  EXPECT_EQ(store_->GetTaskToken("nope").error().error, "TaskDoesNotExist");
  EXPECT_EQ(store_->CompleteTaskToken("nope", {.output = "1"}, At(1)).error().error,
            "TaskDoesNotExist");
  ASSERT_TRUE(store_->StopExecution(arn_, std::nullopt, std::nullopt, At(2000)).ok());
  EXPECT_EQ(store_->CompleteTaskToken("tok", {.output = "1"}, At(3000)).error().error,
            "TaskDoesNotExist");
  EXPECT_EQ(store_->RegisterTaskToken("tok3", arn_, "Approve", At(3000)).error().error,
            "ExecutionNotRunning");
}

TEST_F(TaskTokensTest, FailureFieldsHaveAwsLengthLimits) {
  EXPECT_EQ(store_->CompleteTaskToken("tok", {.error = std::string(257, 'e')}, At(1)).error().error,
            "ValidationException");
  EXPECT_EQ(
      store_->CompleteTaskToken("tok", {.error = "E", .cause = std::string(32769, 'c')}, At(1))
          .error()
          .error,
      "ValidationException");
}

}  // namespace
}  // namespace autoretrain::store
