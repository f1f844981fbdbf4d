#include "autoretrain/store/group_commit.h"

#include <atomic>
#include <thread>

#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::Events;
using testing::Execution;

TEST(GroupCommitTest, ManyThreadsCommitStepsThatAllBecomeDurable) {
  testing::TempDir dir;
  auto opened = Store::Open(dir.File("data.db"));
  ASSERT_TRUE(opened.ok()) << opened.error().cause;
  Store& store = **opened;
  ASSERT_TRUE(store.CreateStateMachine(testing::Machine("M")).ok());
  constexpr int kThreads = 4, kSteps = 25;
  {
    GroupCommitter committer(store);
    std::atomic<int> failures = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string name = "e" + std::to_string(t);
        WriteBatch start;
        start.StartExecution(Execution(name), Events(1, 1));
        if (!committer.Write(std::move(start)).ok()) ++failures;
        for (int step = 0; step < kSteps; ++step) {
          WriteBatch batch;
          const int64_t first = 2 + 2 * step;
          batch.RecordStep(Execution(name).arn, Events(first, first + 1),
                           Checkpoint{"S" + std::to_string(step), "{}", 0, "{}", 0});
          if (!committer.Write(std::move(batch)).ok()) ++failures;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures, 0);
    committer.Flush();  // Write returns from the callback, before the stats are updated
    EXPECT_EQ(committer.stats().batches, kThreads * (kSteps + 1));
  }
  for (int t = 0; t < kThreads; ++t) {
    const std::string arn = Execution("e" + std::to_string(t)).arn;
    EXPECT_EQ(store.DescribeExecution(arn)->last_event_id, 1 + 2 * kSteps);
    EXPECT_EQ((*store.GetCheckpoint(arn))->state_name, "S" + std::to_string(kSteps - 1));
  }
}

TEST(GroupCommitTest, GroupsWaitingBatchesIntoOneTransaction) {
  auto store = testing::MemoryStoreWithMachine();
  GroupCommitter committer(*store, {50, std::chrono::seconds(5)});
  for (int i = 0; i < 200; ++i) {
    WriteBatch batch;
    batch.StartExecution(Execution("e" + std::to_string(i)), Events(1, 1));
    committer.Submit(std::move(batch), nullptr);
  }
  committer.Flush();
  EXPECT_EQ(committer.stats().batches, 200);
  EXPECT_EQ(committer.stats().transactions, 4);  // each group filled to max_batches at once
  EXPECT_EQ(store->ListExecutions(testing::kMachineArn, std::nullopt, {1000, ""})->items.size(),
            200u);
}

TEST(GroupCommitTest, AFailingBatchFailsAloneAndItsCallbackSaysWhy) {
  auto store = testing::MemoryStoreWithMachine();
  std::vector<Status> results(3, OkStatus());
  {
    GroupCommitter committer(*store, {16, std::chrono::seconds(5)});
    WriteBatch a, bad, c;
    a.StartExecution(Execution("a"), Events(1, 1));
    bad.StartExecution(Execution("bad"), Events(1, 1));
    bad.RecordStep(Execution("bad").arn, Events(7, 7), std::nullopt);
    c.StartExecution(Execution("c"), Events(1, 2));
    committer.Submit(std::move(a), [&](const Status& s, WriteBatch&) { results[0] = s; });
    committer.Submit(std::move(bad), [&](const Status& s, WriteBatch&) { results[1] = s; });
    committer.Submit(std::move(c), [&](const Status& s, WriteBatch&) { results[2] = s; });
  }  // the destructor commits what is queued
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().error, "InvalidHistoryEvent");
  EXPECT_TRUE(results[2].ok());
  EXPECT_TRUE(store->DescribeExecution(Execution("a").arn).ok());
  EXPECT_EQ(store->DescribeExecution(Execution("bad").arn).error().error, "ExecutionDoesNotExist");
  EXPECT_EQ(store->DescribeExecution(Execution("c").arn)->last_event_id, 2);
}

TEST(GroupCommitTest, CommitGroupReportsOneStatusPerBatch) {
  auto store = testing::MemoryStoreWithMachine();
  WriteBatch ok, duplicate;
  ok.StartExecution(Execution("x"), Events(1, 1));
  duplicate.StartExecution(Execution("x"), Events(1, 1));
  auto statuses = store->CommitGroup({&ok, &duplicate});
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(statuses[1].error().error, "ExecutionAlreadyExists");
}

TEST(GroupCommitTest, AFailedWriteHandsTheBatchBack) {
  auto store = testing::MemoryStoreWithMachine();
  GroupCommitter committer(*store);
  WriteBatch first, again;
  first.StartExecution(Execution("x"), Events(1, 1));
  again.StartExecution(Execution("x"), Events(1, 2));
  WriteBatch unwritten;
  ASSERT_TRUE(committer.Write(std::move(first), &unwritten).ok());
  EXPECT_TRUE(unwritten.empty());
  EXPECT_EQ(committer.Write(std::move(again), &unwritten).error().error, "ExecutionAlreadyExists");
  ASSERT_EQ(unwritten.size(), 1u);
  std::vector<WriteBatch::Op> ops = unwritten.TakeOps();
  EXPECT_TRUE(unwritten.empty());
  EXPECT_EQ(std::get<WriteBatch::Start>(ops[0]).events.size(), 2u);
}

}  // namespace
}  // namespace autoretrain::store
