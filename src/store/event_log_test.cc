#include "store/event_log.h"

#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::Event;
using testing::Events;
using testing::Ids;

TEST(EventLogTest, ReadsForwardAndBackwardAndCounts) {
  EventLog log;
  log.Append(7, Events(1, 3));
  log.Append(7, Events(4, 5));
  EXPECT_EQ(log.LastEventId(7), 5);
  EXPECT_EQ(log.LastEventId(8), 0);
  EXPECT_EQ(Ids(log.Read(7, 1, false, 100)), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(Ids(log.Read(7, 2, false, 2)), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Ids(log.Read(7, 1000, true, 2)), (std::vector<int64_t>{5, 4}));
  EXPECT_EQ(Ids(log.Read(7, 2, true, 10)), (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(log.Read(8, 1, false, 100).empty());
  EXPECT_TRUE(log.Read(7, 6, false, 100).empty());
  log.Erase(7);
  EXPECT_EQ(log.LastEventId(7), 0);
  EXPECT_TRUE(log.Read(7, 1, false, 100).empty());
}

TEST(EventLogTest, RollbacksUndoTheTransactionsAppends) {
  EventLog log;
  log.Append(1, Events(1, 2));  // outside a transaction: final at once
  log.Begin();
  log.Append(1, Events(3, 3));
  log.Append(2, Events(1, 1));
  log.Rollback();
  EXPECT_EQ(log.LastEventId(1), 2);
  EXPECT_EQ(log.LastEventId(2), 0);

  log.Begin();
  log.Append(1, Events(3, 3));
  log.Savepoint();
  log.Append(1, Events(4, 5));
  log.Append(3, Events(1, 2));
  log.RollbackToSavepoint();
  log.ReleaseSavepoint();
  log.Savepoint();
  log.Append(1, {Event(4, "TaskScheduled")});
  log.ReleaseSavepoint();
  log.Commit();
  EXPECT_EQ(log.LastEventId(3), 0);
  std::vector<engine::HistoryEvent> events = log.Read(1, 1, false, 100);
  EXPECT_EQ(Ids(events), (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(events.back().type, "TaskScheduled");
  log.Rollback();  // after the commit: nothing to undo
  EXPECT_EQ(log.LastEventId(1), 4);
}

}  // namespace
}  // namespace autoretrain::store
