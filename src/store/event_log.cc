#include "store/event_log.h"

#include <algorithm>

namespace autoretrain::store {

void EventLog::Append(int64_t execution_id, const std::vector<engine::HistoryEvent>& events) {
  std::vector<StoredEvent>& stored = events_[execution_id];
  if (in_transaction_) appended_.push_back(Appended{execution_id, stored.size()});
  for (const engine::HistoryEvent& event : events) {
    std::string texts = event.type + event.details_key;
    if (!event.details_key.empty()) texts += json::Serialize(event.details);
    stored.push_back(StoredEvent{event.id, event.previous_event_id, event.timestamp,
                                 static_cast<uint32_t>(event.type.size()),
                                 static_cast<uint32_t>(event.details_key.size()),
                                 std::move(texts)});
  }
}

engine::HistoryEvent EventLog::Restore(const StoredEvent& stored) {
  engine::HistoryEvent event;
  event.id = stored.id;
  event.previous_event_id = stored.previous_event_id;
  event.timestamp = stored.timestamp;
  std::string_view texts = stored.texts;
  event.type = texts.substr(0, stored.type_size);
  event.details_key = texts.substr(stored.type_size, stored.details_key_size);
  // The text is what Append serialized, so it parses.
  if (!event.details_key.empty()) {
    event.details = json::Parse(texts.substr(stored.type_size + stored.details_key_size)).value();
  }
  return event;
}

int64_t EventLog::LastEventId(int64_t execution_id) const {
  auto it = events_.find(execution_id);
  return it == events_.end() ? 0 : static_cast<int64_t>(it->second.size());
}

std::vector<engine::HistoryEvent> EventLog::Read(int64_t execution_id, int64_t from, bool reverse,
                                                 int64_t limit) const {
  std::vector<engine::HistoryEvent> page;
  auto it = events_.find(execution_id);
  if (it == events_.end()) return page;
  // Event id n is stored at index n - 1 (ids start at 1 and increase by one).
  const std::vector<StoredEvent>& events = it->second;
  const auto last = static_cast<int64_t>(events.size());
  if (reverse) {
    for (int64_t id = std::min(from, last); id >= 1 && limit-- > 0; --id) {
      page.push_back(Restore(events[id - 1]));
    }
  } else {
    for (int64_t id = std::max<int64_t>(from, 1); id <= last && limit-- > 0; ++id) {
      page.push_back(Restore(events[id - 1]));
    }
  }
  return page;
}

void EventLog::Erase(int64_t execution_id) { events_.erase(execution_id); }

void EventLog::Begin() {
  in_transaction_ = true;
  appended_.clear();
  savepoints_.clear();
}

void EventLog::Commit() {
  in_transaction_ = false;
  appended_.clear();
  savepoints_.clear();
}

void EventLog::Rollback() {
  UndoTo(0);
  Commit();  // nothing of the transaction is left to undo
}

void EventLog::Savepoint() { savepoints_.push_back(appended_.size()); }

void EventLog::RollbackToSavepoint() {
  if (!savepoints_.empty()) UndoTo(savepoints_.back());
}

void EventLog::ReleaseSavepoint() {
  if (!savepoints_.empty()) savepoints_.pop_back();
}

void EventLog::UndoTo(size_t kept) {
  while (appended_.size() > kept) {
    const Appended& append = appended_.back();
    auto it = events_.find(append.execution_id);
    if (it == events_.end()) {
      // Erased meanwhile (Erase's contract forbids it): nothing left to undo.
    } else if (append.size_before == 0) {
      events_.erase(it);
    } else {
      it->second.resize(append.size_before);
    }
    appended_.pop_back();
  }
}

}  // namespace autoretrain::store
