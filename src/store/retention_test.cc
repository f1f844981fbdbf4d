#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using engine::ExecutionStatus;
using testing::At;
using testing::Events;
using testing::Execution;

TEST(RetentionTest, PurgesFinishedExecutionsBeforeTheCutoffInBatches) {
  auto store = testing::MemoryStoreWithMachine();
  WriteBatch batch;
  // 1200 executions finished at 10000..11199, two still running.
  for (int i = 0; i < 1200; ++i) {
    const std::string name = "old" + std::to_string(i);
    batch.StartExecution(Execution(name), Events(1, 2));
    batch.FinishExecution({Execution(name).arn, ExecutionStatus::kSucceeded, At(10000 + i), "{}",
                           std::nullopt, std::nullopt},
                          Events(3, 3));
  }
  batch.StartExecution(Execution("run1"), Events(1, 1));
  batch.RecordStep(Execution("run1").arn, Events(2, 2), Checkpoint{"S", "{}", 0, "{}", 0});
  batch.StartExecution(Execution("run2", 1), Events(1, 1));
  ASSERT_TRUE(store->Commit(batch).ok());

  // Cutoff 11100: the 1100 that stopped before it go (3 transactions of at most 500).
  auto purged = store->PurgeFinishedBefore(At(11100), 500);
  ASSERT_TRUE(purged.ok()) << purged.error().cause;
  EXPECT_EQ(*purged, 1100);
  EXPECT_EQ(store->DescribeExecution(Execution("old0").arn).error().error, "ExecutionDoesNotExist");
  EXPECT_EQ(store->GetExecutionHistory(Execution("old1099").arn, {}).error().error,
            "ExecutionDoesNotExist");
  EXPECT_EQ(store->GetExecutionHistory(Execution("old1100").arn, {})->items.size(), 3u);
  // Running executions are never purged, however old.
  EXPECT_EQ(store->ListRunningExecutions()->size(), 2u);
  EXPECT_EQ((*store->GetCheckpoint(Execution("run1").arn))->state_name, "S");
  auto left = store->ListExecutions(testing::kMachineArn, std::nullopt, {1000, ""});
  EXPECT_EQ(left->items.size(), 102u);

  EXPECT_EQ(*store->PurgeFinishedBefore(At(11100), 500), 0);
  EXPECT_EQ(*store->PurgeFinishedBefore(At(20000), 7), 100);
  EXPECT_EQ(store->PurgeFinishedBefore(At(20000), 0).error().error, "ValidationException");
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace autoretrain::store
