#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using engine::ExecutionStatus;
using testing::At;
using testing::Events;
using testing::Execution;

ExecutionEnd Succeeded(const std::string& name, int64_t stop_ms = 5000) {
  return ExecutionEnd{Execution(name).arn, ExecutionStatus::kSucceeded,
                      At(stop_ms),         R"({"ok":true})",
                      std::nullopt,        std::nullopt};
}

TEST(ExecutionsTest, StartThenDescribe) {
  auto store = testing::MemoryStoreWithMachine();
  ASSERT_TRUE(store->StartExecution(Execution("e1", 1234), Events(1, 1)).ok());
  auto e = store->DescribeExecution(Execution("e1").arn);
  ASSERT_TRUE(e.ok()) << e.error().cause;
  EXPECT_EQ(e->name, "e1");
  EXPECT_EQ(e->state_machine_arn, testing::kMachineArn);
  EXPECT_EQ(e->status, ExecutionStatus::kRunning);
  EXPECT_EQ(e->input, R"({"n":"e1"})");
  EXPECT_EQ(e->start_date, At(1234));
  EXPECT_FALSE(e->stop_date);
  EXPECT_FALSE(e->output);
  EXPECT_EQ(e->last_event_id, 1);
}

TEST(ExecutionsTest, FinishRecordsStatusOutputOrError) {
  auto store = testing::MemoryStoreWithMachine();
  ASSERT_TRUE(store->StartExecution(Execution("ok"), Events(1, 1)).ok());
  ASSERT_TRUE(store->StartExecution(Execution("bad"), Events(1, 1)).ok());
  ASSERT_TRUE(store->FinishExecution(Succeeded("ok"), Events(2, 3)).ok());
  ASSERT_TRUE(store
                  ->FinishExecution({Execution("bad").arn, ExecutionStatus::kFailed, At(6000),
                                     std::nullopt, "States.TaskFailed", "boom"},
                                    Events(2, 2))
                  .ok());
  auto ok = store->DescribeExecution(Execution("ok").arn);
  EXPECT_EQ(ok->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(ok->output, R"({"ok":true})");
  EXPECT_EQ(ok->stop_date, At(5000));
  EXPECT_EQ(ok->last_event_id, 3);
  auto bad = store->DescribeExecution(Execution("bad").arn);
  EXPECT_EQ(bad->status, ExecutionStatus::kFailed);
  EXPECT_EQ(bad->error, "States.TaskFailed");
  EXPECT_EQ(bad->cause, "boom");
  EXPECT_FALSE(bad->output);
  // Finishing twice, or stepping a finished execution, is refused.
  EXPECT_EQ(store->FinishExecution(Succeeded("ok"), Events(4, 4)).error().error,
            "ExecutionNotRunning");
  EXPECT_EQ(store->RecordStep(Execution("ok").arn, Events(4, 4), std::nullopt).error().error,
            "ExecutionNotRunning");
}

TEST(ExecutionsTest, NameIsUniquePerStateMachineAndFindSupportsIdempotentStart) {
  auto store = testing::MemoryStoreWithMachine();
  EXPECT_FALSE(*store->FindExecution(testing::kMachineArn, "e1"));
  ASSERT_TRUE(store->StartExecution(Execution("e1"), Events(1, 1)).ok());
  auto again = store->StartExecution(Execution("e1"), Events(1, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "ExecutionAlreadyExists");
  auto found = store->FindExecution(testing::kMachineArn, "e1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->input, Execution("e1").input);  // the caller compares inputs
  // The failed start left nothing behind.
  EXPECT_EQ(store->DescribeExecution(Execution("e1").arn)->last_event_id, 1);
}

TEST(ExecutionsTest, UnknownExecutionsDoNotExist) {
  auto store = testing::MemoryStoreWithMachine();
  EXPECT_EQ(store->DescribeExecution("arn:x").error().error, "ExecutionDoesNotExist");
  EXPECT_EQ(store->FinishExecution(Succeeded("x"), {}).error().error, "ExecutionDoesNotExist");
  EXPECT_EQ(store->ListExecutions("arn:none", std::nullopt, {}).error().error,
            "StateMachineDoesNotExist");
}

TEST(ExecutionsTest, ListsNewestFirstWithStatusFilterAndPagination) {
  auto store = testing::MemoryStoreWithMachine();
  // Five executions; two share a start time (the later insert counts as newer).
  const int64_t starts[] = {100, 300, 200, 300, 50};
  for (int i = 0; i < 5; ++i) {
    std::string name = "e" + std::to_string(i);
    ASSERT_TRUE(store->StartExecution(Execution(name, starts[i]), Events(1, 1)).ok());
  }
  ASSERT_TRUE(store->FinishExecution(Succeeded("e1"), {}).ok());
  ASSERT_TRUE(store->FinishExecution(Succeeded("e4"), {}).ok());

  std::vector<std::string> names;
  PageRequest request{2, ""};
  do {
    auto page = store->ListExecutions(testing::kMachineArn, std::nullopt, request);
    ASSERT_TRUE(page.ok()) << page.error().cause;
    EXPECT_LE(page->items.size(), 2u);
    for (const auto& e : page->items) names.push_back(e.name);
    request.next_token = page->next_token;
  } while (!request.next_token.empty());
  EXPECT_EQ(names, (std::vector<std::string>{"e3", "e1", "e2", "e0", "e4"}));

  auto running = store->ListExecutions(testing::kMachineArn, ExecutionStatus::kRunning, {});
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->items.size(), 3u);
  EXPECT_EQ(running->items[0].name, "e3");
  auto succeeded =
      store->ListExecutions(testing::kMachineArn, ExecutionStatus::kSucceeded, {1, ""});
  ASSERT_TRUE(succeeded.ok());
  ASSERT_EQ(succeeded->items.size(), 1u);
  EXPECT_EQ(succeeded->items[0].name, "e1");
  // A token of one filter is not valid for another.
  auto mixed = store->ListExecutions(testing::kMachineArn, ExecutionStatus::kRunning,
                                     {1, succeeded->next_token});
  EXPECT_EQ(mixed.error().error, "InvalidToken");
  EXPECT_EQ(store->ListExecutions(testing::kMachineArn, std::nullopt, {1001, ""}).error().error,
            "ValidationException");
}

TEST(ExecutionsTest, ListRunningExecutionsForRecovery) {
  auto store = testing::MemoryStoreWithMachine();
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(store->StartExecution(Execution(name), Events(1, 1)).ok());
  }
  ASSERT_TRUE(store->FinishExecution(Succeeded("b"), {}).ok());
  auto running = store->ListRunningExecutions();
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->size(), 2u);
  EXPECT_EQ((*running)[0].name, "a");
  EXPECT_EQ((*running)[1].name, "c");
}

TEST(ExecutionsTest, BatchIsAllOrNothing) {
  auto store = testing::MemoryStoreWithMachine();
  WriteBatch batch;
  batch.StartExecution(Execution("x"), Events(1, 1));
  batch.RecordStep(Execution("x").arn, Events(3, 3), std::nullopt);  // a gap: fails
  auto status = store->Commit(batch);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().error, "InvalidHistoryEvent");
  EXPECT_EQ(store->DescribeExecution(Execution("x").arn).error().error, "ExecutionDoesNotExist");
}

}  // namespace
}  // namespace autoretrain::store
