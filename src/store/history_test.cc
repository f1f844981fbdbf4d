#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::Event;
using testing::Events;
using testing::Execution;
using testing::Ids;

// All pages of the history of `arn`, `size` events per page.
std::vector<int64_t> AllIds(Store& store, const std::string& arn, bool reverse, int size) {
  std::vector<int64_t> ids;
  HistoryQuery query{reverse, size, ""};
  do {
    auto page = store.GetExecutionHistory(arn, query);
    EXPECT_TRUE(page.ok()) << page.error().cause;
    if (!page.ok()) break;
    EXPECT_LE(static_cast<int>(page->items.size()), size);
    for (int64_t id : Ids(page->items)) ids.push_back(id);
    query.next_token = page->next_token;
  } while (!query.next_token.empty());
  return ids;
}

// Every test runs on an in-memory store (events in its EventLog) and on a database file
// (events as rows of history_events).
class HistoryTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      StoreOptions options;
      options.durability = Durability::kNormal;
      auto file = Store::Open(dir_.File("history.db"), options);
      ASSERT_TRUE(file.ok()) << file.error().cause;
      store_ = std::move(file).value();
      ASSERT_TRUE(store_->CreateStateMachine(testing::Machine("M")).ok());
    } else {
      store_ = testing::MemoryStoreWithMachine();
    }
    ASSERT_TRUE(store_->StartExecution(Execution("e"), Events(1, 1)).ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  const std::string arn_ = Execution("e").arn;
};

INSTANTIATE_TEST_SUITE_P(Stores, HistoryTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "File" : "InMemory"; });

TEST_P(HistoryTest, EventsRoundTripWithTheirDetails) {
  engine::HistoryEvent started = Event(2, "TaskScheduled");
  started.previous_event_id = 1;
  started.details_key = "taskScheduledEventDetails";
  started.details = json::Object{{"resource", "invoke"}, {"parameters", R"({"a":1})"}};
  engine::HistoryEvent bare = Event(3, "ExecutionSucceeded");
  bare.details_key.clear();
  ASSERT_TRUE(store_->RecordStep(arn_, {started, bare}, std::nullopt).ok());
  auto page = store_->GetExecutionHistory(arn_, {});
  ASSERT_TRUE(page.ok()) << page.error().cause;
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(json::Serialize(page->items[1].ToJson()), json::Serialize(started.ToJson()));
  EXPECT_EQ(json::Serialize(page->items[2].ToJson()), json::Serialize(bare.ToJson()));
  EXPECT_TRUE(page->next_token.empty());
}

TEST_P(HistoryTest, ForwardReverseAndPagination) {
  ASSERT_TRUE(store_->RecordStep(arn_, Events(2, 7), std::nullopt).ok());
  EXPECT_EQ(AllIds(*store_, arn_, false, 2), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(AllIds(*store_, arn_, true, 3), (std::vector<int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(AllIds(*store_, arn_, false, 7), (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(AllIds(*store_, arn_, true, 1000), (std::vector<int64_t>{7, 6, 5, 4, 3, 2, 1}));
  // A token keeps working while events are appended (keyset pagination).
  auto first = store_->GetExecutionHistory(arn_, {false, 4, ""});
  ASSERT_TRUE(store_->RecordStep(arn_, Events(8, 8), std::nullopt).ok());
  auto rest = store_->GetExecutionHistory(arn_, {false, 100, first->next_token});
  EXPECT_EQ(Ids(rest->items), (std::vector<int64_t>{5, 6, 7, 8}));
}

TEST_P(HistoryTest, TokensAreBoundToTheirQuery) {
  ASSERT_TRUE(store_->RecordStep(arn_, Events(2, 4), std::nullopt).ok());
  auto page = store_->GetExecutionHistory(arn_, {false, 2, ""});
  ASSERT_FALSE(page->next_token.empty());
  EXPECT_EQ(store_->GetExecutionHistory(arn_, {true, 2, page->next_token}).error().error,
            "InvalidToken");
  ASSERT_TRUE(store_->StartExecution(Execution("other"), Events(1, 1)).ok());
  EXPECT_EQ(store_->GetExecutionHistory(Execution("other").arn, {false, 2, page->next_token})
                .error()
                .error,
            "InvalidToken");
  EXPECT_EQ(store_->GetExecutionHistory(arn_, {false, 2, "zz"}).error().error, "InvalidToken");
  EXPECT_EQ(store_->GetExecutionHistory(arn_, {false, 1001, ""}).error().error,
            "ValidationException");
  EXPECT_EQ(store_->GetExecutionHistory("arn:none", {}).error().error, "ExecutionDoesNotExist");
}

TEST_P(HistoryTest, RejectsGapsDuplicatesAndBadPreviousIds) {
  auto gap = store_->RecordStep(arn_, Events(3, 3), std::nullopt);
  EXPECT_EQ(gap.error().error, "InvalidHistoryEvent");
  EXPECT_NE(gap.error().cause.find("does not follow event 1"), std::string::npos)
      << gap.error().cause;
  EXPECT_EQ(store_->RecordStep(arn_, Events(1, 1), std::nullopt).error().error,
            "InvalidHistoryEvent");
  engine::HistoryEvent self = Event(2);
  self.previous_event_id = 2;
  EXPECT_EQ(store_->RecordStep(arn_, {self}, std::nullopt).error().error, "InvalidHistoryEvent");
  // A batch failing half-way wrote nothing.
  auto partial = Events(2, 3);
  partial.push_back(Event(5));
  EXPECT_FALSE(store_->RecordStep(arn_, partial, std::nullopt).ok());
  EXPECT_EQ(store_->DescribeExecution(arn_)->last_event_id, 1);
  EXPECT_EQ(store_->GetExecutionHistory(arn_, {})->items.size(), 1u);
}

TEST_P(HistoryTest, CheckpointIsWrittenWithItsEventsAndDroppedAtTheEnd) {
  EXPECT_FALSE(*store_->GetCheckpoint(arn_));
  Checkpoint checkpoint{"Decide", R"({"x":1})", 2, R"({"timer":5})", 0};
  ASSERT_TRUE(store_->RecordStep(arn_, Events(2, 3), checkpoint).ok());
  auto stored = store_->GetCheckpoint(arn_);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->state_name, "Decide");
  EXPECT_EQ((*stored)->state_input, R"({"x":1})");
  EXPECT_EQ((*stored)->retry_count, 2);
  EXPECT_EQ((*stored)->engine_data, R"({"timer":5})");
  EXPECT_EQ((*stored)->event_id, 3);

  // A failing step changes neither the history nor the checkpoint.
  Checkpoint next{"Next", "{}", 0, "{}", 0};
  EXPECT_FALSE(store_->RecordStep(arn_, Events(5, 5), next).ok());
  EXPECT_EQ((*store_->GetCheckpoint(arn_))->state_name, "Decide");
  EXPECT_EQ(store_->DescribeExecution(arn_)->last_event_id, 3);

  ASSERT_TRUE(store_->RecordStep(arn_, Events(4, 4), next).ok());
  EXPECT_EQ((*store_->GetCheckpoint(arn_))->event_id, 4);
  ASSERT_TRUE(store_
                  ->FinishExecution({arn_, engine::ExecutionStatus::kSucceeded, testing::At(9),
                                     "{}", std::nullopt, std::nullopt},
                                    Events(5, 5))
                  .ok());
  EXPECT_FALSE(*store_->GetCheckpoint(arn_));
  EXPECT_EQ(store_->GetCheckpoint("arn:none").error().error, "ExecutionDoesNotExist");
}

TEST_P(HistoryTest, EventsOfARolledBackBatchAreNotRead) {
  // The second step has a gap, so the batch fails after the first step's events went in.
  WriteBatch steps;
  steps.RecordStep(arn_, Events(2, 3), std::nullopt);
  steps.RecordStep(arn_, Events(5, 5), std::nullopt);
  EXPECT_EQ(store_->Commit(steps).error().error, "InvalidHistoryEvent");
  EXPECT_EQ(AllIds(*store_, arn_, false, 10), (std::vector<int64_t>{1}));
  EXPECT_EQ(AllIds(*store_, arn_, true, 10), (std::vector<int64_t>{1}));
  // The next step follows the last stored event, and its own events are the ones read.
  ASSERT_TRUE(store_->RecordStep(arn_, {Event(2, "WaitStateEntered")}, std::nullopt).ok());
  auto page = store_->GetExecutionHistory(arn_, {});
  ASSERT_TRUE(page.ok()) << page.error().cause;
  EXPECT_EQ(Ids(page->items), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(page->items[1].type, "WaitStateEntered");

  // A start rolled back with its events: a later execution (which may get the same row) has
  // only its own history.
  WriteBatch start;
  start.StartExecution(Execution("gone"), Events(1, 3));
  start.RecordStep(Execution("gone").arn, Events(9, 9), std::nullopt);
  std::vector<Status> statuses = store_->CommitGroup({&start});
  EXPECT_EQ(statuses.at(0).error().error, "InvalidHistoryEvent");
  EXPECT_EQ(store_->GetExecutionHistory(Execution("gone").arn, {}).error().error,
            "ExecutionDoesNotExist");
  ASSERT_TRUE(store_->StartExecution(Execution("next"), {Event(1, "ExecutionStarted")}).ok());
  page = store_->GetExecutionHistory(Execution("next").arn, {});
  ASSERT_TRUE(page.ok()) << page.error().cause;
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].type, "ExecutionStarted");
}

}  // namespace
}  // namespace autoretrain::store
