// EventLog: the history events of an in-memory store, kept in a vector per execution (each
// event's texts and serialized details in one string, the most compact form) instead of rows of
// the history_events table, and counted here instead of in the executions row's last_event_id
// column. Nothing in memory outlives the process, so SQLite's rows buy nothing there; the
// inserts and the rewrite of the execution's row after every step made recording an execution
// take 1.5-2.4x as long and ~25% more memory (BENCHMARKS.md, "History events of the in-memory
// store").
//
// Transactions: the Database mirrors its BEGIN, COMMIT, ROLLBACK and savepoints here, so an
// append is undone exactly when SQLite undoes the rows written with it (a failed batch of a
// group commit, a failed commit). Outside a transaction an append is final at once, as a
// statement in SQLite's autocommit mode is.
//
// Thread-safety: none. The Store serializes all use with its mutex.
#ifndef AUTORETRAIN_STORE_EVENT_LOG_H_
#define AUTORETRAIN_STORE_EVENT_LOG_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "autoretrain/engine/observer.h"  // HistoryEvent

namespace autoretrain::store {

class EventLog {
 public:
  // Appends `events` to those of execution row `execution_id` (their ids continue the stored
  // ones: InsertEvents has checked them).
  void Append(int64_t execution_id, const std::vector<engine::HistoryEvent>& events);
  // The id of the execution's newest event (its event count); 0 when it has none.
  int64_t LastEventId(int64_t execution_id) const;
  // Up to `limit` events of the execution: from id `from` upwards, or with `reverse` from id
  // `from` (or the newest when lower) downwards.
  std::vector<engine::HistoryEvent> Read(int64_t execution_id, int64_t from, bool reverse,
                                         int64_t limit) const;
  // Forgets the events of execution row `execution_id`, which a committed transaction deleted.
  // Not undoable: call it outside a transaction.
  void Erase(int64_t execution_id);

  // The database's transaction boundaries (Database calls these).
  void Begin();
  void Commit();
  void Rollback();
  void Savepoint();
  void RollbackToSavepoint();  // the savepoint stays open, as SQLite's ROLLBACK TO leaves it
  void ReleaseSavepoint();

 private:
  // Undoes the appends of the open transaction after the first `kept` ones.
  void UndoTo(size_t kept);

  // One event in as little memory as it fits: its three texts in one string.
  struct StoredEvent {
    int64_t id;
    int64_t previous_event_id;
    TimePoint timestamp;
    uint32_t type_size;
    uint32_t details_key_size;
    std::string texts;  // type, details_key, then details as JSON (empty without a key)
  };
  static engine::HistoryEvent Restore(const StoredEvent& stored);

  struct Appended {
    int64_t execution_id;
    size_t size_before;
  };
  std::unordered_map<int64_t, std::vector<StoredEvent>> events_;  // by execution row
  bool in_transaction_ = false;
  std::vector<Appended> appended_;  // the open transaction's appends, oldest first
  std::vector<size_t> savepoints_;  // appended_.size() when each open savepoint began
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_EVENT_LOG_H_
