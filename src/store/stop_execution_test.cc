// Store::StopExecution: AWS StopExecution on the durable record.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using engine::ExecutionStatus;
using testing::At;
using testing::Events;
using testing::Execution;

class StopExecutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MemoryStoreWithMachine();
    ASSERT_TRUE(store_->StartExecution(Execution("e"), Events(1, 1)).ok());
    ASSERT_TRUE(store_->RecordStep(arn_, Events(2, 3), Checkpoint{"S", "{}", 0, "{}", 0}).ok());
    ASSERT_TRUE(store_->GetCheckpoint(arn_).value());
  }

  std::vector<engine::HistoryEvent> History() {
    auto page = store_->GetExecutionHistory(arn_, {});
    EXPECT_TRUE(page.ok()) << page.error().cause;
    return page.ok() ? page->items : std::vector<engine::HistoryEvent>{};
  }

  std::unique_ptr<Store> store_;
  const std::string arn_ = Execution("e").arn;
};

TEST_F(StopExecutionTest, StopsARunningExecution) {
  auto stopped = store_->StopExecution(arn_, "Manual", "stopped by the operator", At(9000));
  ASSERT_TRUE(stopped.ok()) << stopped.error().cause;
  EXPECT_EQ(stopped->status, ExecutionStatus::kAborted);
  EXPECT_EQ(stopped->stop_date, At(9000));
  EXPECT_EQ(stopped->error, "Manual");
  EXPECT_EQ(stopped->cause, "stopped by the operator");
  EXPECT_FALSE(stopped->output);
  EXPECT_EQ(stopped->last_event_id, 4);

  auto described = store_->DescribeExecution(arn_);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->status, ExecutionStatus::kAborted);
  EXPECT_EQ(described->stop_date, At(9000));

  auto events = History();
  ASSERT_EQ(events.size(), 4u);
  const engine::HistoryEvent& aborted = events.back();
  EXPECT_EQ(aborted.id, 4);
  EXPECT_EQ(aborted.previous_event_id, 3);
  EXPECT_EQ(aborted.timestamp, At(9000));
  EXPECT_EQ(aborted.type, "ExecutionAborted");
  EXPECT_EQ(aborted.details_key, "executionAbortedEventDetails");
  EXPECT_EQ(json::Serialize(aborted.details),
            R"({"error":"Manual","cause":"stopped by the operator"})");

  EXPECT_FALSE(store_->GetCheckpoint(arn_).value());
  EXPECT_TRUE(store_->ListRunningExecutions()->empty());
}

TEST_F(StopExecutionTest, DetailsHoldOnlyWhatWasGiven) {
  auto stopped = store_->StopExecution(arn_, std::nullopt, std::nullopt, At(9000));
  ASSERT_TRUE(stopped.ok()) << stopped.error().cause;
  EXPECT_FALSE(stopped->error);
  EXPECT_FALSE(stopped->cause);
  EXPECT_EQ(json::Serialize(History().back().details), "{}");

  ASSERT_TRUE(store_->StartExecution(Execution("f"), Events(1, 1)).ok());
  ASSERT_TRUE(store_->StopExecution(Execution("f").arn, std::nullopt, "why", At(9500)).ok());
  auto page = store_->GetExecutionHistory(Execution("f").arn, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(json::Serialize(page->items.back().details), R"({"cause":"why"})");
}

TEST_F(StopExecutionTest, ErrorAndCauseHaveAwsLengthLimits) {
  auto long_error = store_->StopExecution(arn_, std::string(257, 'e'), std::nullopt, At(9000));
  ASSERT_FALSE(long_error.ok());
  EXPECT_EQ(long_error.error().error, "ValidationException");
  EXPECT_NE(long_error.error().cause.find("'error'"), std::string::npos);
  auto long_cause = store_->StopExecution(arn_, std::nullopt, std::string(32769, 'c'), At(9000));
  ASSERT_FALSE(long_cause.ok());
  EXPECT_EQ(long_cause.error().error, "ValidationException");
  EXPECT_EQ(store_->DescribeExecution(arn_)->status, ExecutionStatus::kRunning);
  auto at_limits =
      store_->StopExecution(arn_, std::string(256, 'e'), std::string(32768, 'c'), At(9000));
  ASSERT_TRUE(at_limits.ok()) << at_limits.error().cause;
  EXPECT_EQ(at_limits->status, ExecutionStatus::kAborted);
}

TEST_F(StopExecutionTest, UnknownExecutionDoesNotExist) {
  const std::string arn = Execution("nope").arn;
  auto stopped = store_->StopExecution(arn, std::nullopt, std::nullopt, At(9000));
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().error, "ExecutionDoesNotExist");
  EXPECT_EQ(stopped.error().cause, "Execution Does Not Exist: '" + arn + "'");
}

TEST_F(StopExecutionTest, AFinishedExecutionIsLeftAsItWas) {
  ASSERT_TRUE(store_
                  ->FinishExecution({arn_, ExecutionStatus::kSucceeded, At(5000), R"({"ok":1})",
                                     std::nullopt, std::nullopt},
                                    Events(4, 4))
                  .ok());
  auto stopped = store_->StopExecution(arn_, "Manual", "late", At(9000));
  ASSERT_TRUE(stopped.ok()) << stopped.error().cause;
  EXPECT_EQ(stopped->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(stopped->stop_date, At(5000));  // the date it stopped, not the call's
  EXPECT_EQ(stopped->output, R"({"ok":1})");
  EXPECT_FALSE(stopped->error);
  EXPECT_EQ(History().size(), 4u);

  // Stopping twice: the second call finds it ABORTED and changes nothing either.
  ASSERT_TRUE(store_->StartExecution(Execution("f"), Events(1, 1)).ok());
  ASSERT_TRUE(store_->StopExecution(Execution("f").arn, "A", std::nullopt, At(6000)).ok());
  auto again = store_->StopExecution(Execution("f").arn, "B", std::nullopt, At(7000));
  ASSERT_TRUE(again.ok()) << again.error().cause;
  EXPECT_EQ(again->status, ExecutionStatus::kAborted);
  EXPECT_EQ(again->stop_date, At(6000));
  EXPECT_EQ(again->error, "A");
  EXPECT_EQ(again->last_event_id, 2);
}

TEST_F(StopExecutionTest, TheWriterOfAStoppedExecutionIsRefused) {
  ASSERT_TRUE(store_->StopExecution(arn_, std::nullopt, std::nullopt, At(9000)).ok());
  // The engine that was running it does not know yet and writes its next step and its end.
  auto step = store_->RecordStep(arn_, Events(4, 4), Checkpoint{"T", "{}", 0, "{}", 0});
  ASSERT_FALSE(step.ok());
  EXPECT_EQ(step.error().error, "ExecutionNotRunning");
  auto finish = store_->FinishExecution(
      {arn_, ExecutionStatus::kSucceeded, At(9100), "{}", std::nullopt, std::nullopt},
      Events(5, 5));
  ASSERT_FALSE(finish.ok());
  EXPECT_EQ(finish.error().error, "ExecutionNotRunning");
  // Nothing of either was written.
  auto record = store_->DescribeExecution(arn_);
  EXPECT_EQ(record->status, ExecutionStatus::kAborted);
  EXPECT_EQ(record->last_event_id, 4);
  EXPECT_FALSE(store_->GetCheckpoint(arn_).value());
}

TEST(StopExecutionFaultTest, AReadOnlyStoreCannotStop) {
  testing::TempDir dir;
  const std::string path = dir.File("data.db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.error().cause;
    ASSERT_TRUE((*store)->CreateStateMachine(testing::Machine("M")).ok());
    ASSERT_TRUE((*store)->StartExecution(Execution("e"), Events(1, 1)).ok());
  }
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(path, options);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto stopped = (*store)->StopExecution(Execution("e").arn, std::nullopt, std::nullopt, At(9));
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().error, kStoreReadOnly);
  EXPECT_EQ((*store)->DescribeExecution(Execution("e").arn)->status, ExecutionStatus::kRunning);
}

}  // namespace
}  // namespace autoretrain::store
