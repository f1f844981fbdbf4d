// Store activities: CreateActivity (idempotent by name), Describe/List/Delete, and activity
// tasks: scheduled for an activity, handed to one worker at a time, oldest first.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::At;
using testing::Events;
using testing::Execution;

constexpr char kWorkArn[] = "arn:aws:states:us-east-1:123456789012:activity:work";

class ActivitiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MemoryStoreWithMachine();
    ASSERT_TRUE(store_->StartExecution(Execution("e"), Events(1, 1)).ok());
    ASSERT_TRUE(store_->CreateActivity(kWorkArn, "work", At(500)).ok());
  }

  std::unique_ptr<Store> store_;
  const std::string arn_ = Execution("e").arn;
};

TEST_F(ActivitiesTest, CreateIsIdempotentByName) {
  auto again = store_->CreateActivity(kWorkArn, "work", At(900));
  ASSERT_TRUE(again.ok()) << again.error().cause;
  EXPECT_EQ(again->creation_date, At(500));
  auto described = store_->DescribeActivity(kWorkArn);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->name, "work");
  EXPECT_EQ(
      store_->DescribeActivity("arn:aws:states:us-east-1:123456789012:activity:x").error().cause,
      "Activity Does Not Exist: 'arn:aws:states:us-east-1:123456789012:activity:x'");
}

TEST_F(ActivitiesTest, ListPagesByNameAndDeleteRemoves) {
  ASSERT_TRUE(store_->CreateActivity(kWorkArn + std::string("2"), "work2", At(600)).ok());
  ASSERT_TRUE(store_->CreateActivity(kWorkArn + std::string("0"), "work0", At(700)).ok());
  auto first = store_->ListActivities({.max_results = 2, .next_token = ""});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].name, "work");
  EXPECT_EQ(first->items[1].name, "work0");
  auto second = store_->ListActivities({.max_results = 2, .next_token = first->next_token});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].name, "work2");
  EXPECT_TRUE(second->next_token.empty());
  ASSERT_TRUE(store_->DeleteActivity(kWorkArn).ok());
  ASSERT_TRUE(store_->DeleteActivity(kWorkArn).ok());  // again: nothing to do, as AWS
  EXPECT_EQ(store_->DescribeActivity(kWorkArn).error().error, "ActivityDoesNotExist");
}

TEST_F(ActivitiesTest, TasksGoToOneWorkerEachOldestFirst) {
  ASSERT_TRUE(
      store_->RegisterActivityTask("t2", arn_, "Work", kWorkArn, R"({"n":2})", At(2000)).ok());
  ASSERT_TRUE(
      store_->RegisterActivityTask("t1", arn_, "Work", kWorkArn, R"({"n":1})", At(1000)).ok());
  auto got = store_->GetActivityTask(kWorkArn, "w1", At(3000));
  ASSERT_TRUE(got.ok()) << got.error().cause;
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->token, "t1");
  EXPECT_EQ((*got)->input, R"({"n":1})");
  auto token = store_->GetTaskToken("t1");
  EXPECT_EQ(token->activity_arn, kWorkArn);
  EXPECT_EQ(token->worker_name, "w1");
  EXPECT_EQ(token->started, At(3000));
  EXPECT_EQ(token->last_heartbeat, At(3000));  // the heartbeat clock starts with the worker
  EXPECT_EQ((*store_->GetActivityTask(kWorkArn, "w2", At(3001)))->token, "t2");
  EXPECT_FALSE(store_->GetActivityTask(kWorkArn, "w3", At(3002))->has_value());
  // The worker answers as for a callback task.
  ASSERT_TRUE(store_->CompleteTaskToken("t1", {.output = "{}"}, At(4000)).ok());
  EXPECT_EQ(store_->GetTaskToken("t1")->status, TaskTokenRecord::Status::kSucceeded);
}

TEST_F(ActivitiesTest, UnknownActivitiesAndEndedExecutions) {
  const std::string other = "arn:aws:states:us-east-1:123456789012:activity:other";
  EXPECT_EQ(store_->RegisterActivityTask("t", arn_, "Work", other, "{}", At(1)).error().error,
            "ActivityDoesNotExist");
  EXPECT_EQ(store_->GetActivityTask(other, "w", At(1)).error().error, "ActivityDoesNotExist");
  ASSERT_TRUE(store_->RegisterActivityTask("t", arn_, "Work", kWorkArn, "{}", At(1)).ok());
  ASSERT_TRUE(store_->StopExecution(arn_, "E", "c", At(2)).ok());
  EXPECT_FALSE(store_->GetActivityTask(kWorkArn, "w", At(3))->has_value());
}

}  // namespace
}  // namespace autoretrain::store
