// Store: execution history events (GetExecutionHistory) and the RecordStep operation.
#include <limits>

#include "autoretrain/store/store.h"
#include "store/operations.h"
#include "store/token.h"

namespace autoretrain::store {
namespace {

#define EVENT_COLUMNS                                                                  \
  "SELECT event_id, previous_event_id, timestamp_ms, type, details_key, details FROM " \
  "history_events WHERE execution_id = ?1 "

constexpr char kSelectForward[] = EVENT_COLUMNS "AND event_id >= ?2 ORDER BY event_id LIMIT ?3";
constexpr char kSelectReverse[] =
    EVENT_COLUMNS "AND event_id <= ?2 ORDER BY event_id DESC LIMIT ?3";

Error Invalid(const std::string& arn, const engine::HistoryEvent& event, const std::string& why) {
  return Error{"InvalidHistoryEvent", "history event " + std::to_string(event.id) + " (" +
                                          event.type + ") of execution '" + arn + "' " + why};
}

// Up to `limit` events of execution row `execution_id` (ARN `arn`): from id `from` upwards, or
// downwards when `reverse`.
Result<std::vector<engine::HistoryEvent>> ReadEvents(Database& db, const std::string& arn,
                                                     int64_t execution_id, int64_t from,
                                                     bool reverse, int64_t limit) {
  if (const EventLog* log = db.event_log()) return log->Read(execution_id, from, reverse, limit);
  auto stmt = db.Prepare(reverse ? kSelectReverse : kSelectForward);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, execution_id).Bind(2, from).Bind(3, limit);
  std::vector<engine::HistoryEvent> events;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    engine::HistoryEvent& event = events.emplace_back();
    event.id = stmt->Int(0);
    event.previous_event_id = stmt->Int(1);
    event.timestamp = FromMillis(stmt->Int(2));
    event.type = stmt->Text(3);
    event.details_key = stmt->Text(4);
    if (event.details_key.empty()) continue;
    auto details = json::Parse(stmt->Text(5));
    if (!details.ok()) {
      return Error{kStoreCorrupt, "history event " + std::to_string(event.id) + " of '" + arn +
                                      "' in database '" + db.path() +
                                      "' has unreadable details: " + details.error().cause};
    }
    event.details = std::move(details).value();
  }
  if (rc != SQLITE_DONE) return db.Fail(rc, "reading history events");
  return events;
}

}  // namespace

Status InsertEvents(Database& db, const std::string& arn, ExecutionRef& ref,
                    const std::vector<engine::HistoryEvent>& events) {
  if (events.empty()) return OkStatus();
  int64_t last = ref.last_event_id;
  for (const engine::HistoryEvent& event : events) {
    if (event.id != last + 1) {
      return Invalid(
          arn, event,
          "does not follow event " + std::to_string(last) + ": ids must increase by one");
    }
    if (event.previous_event_id < 0 || event.previous_event_id >= event.id) {
      return Invalid(arn, event,
                     "has previousEventId " + std::to_string(event.previous_event_id) +
                         ", which must be below its id");
    }
    last = event.id;
  }
  ref.last_event_id = last;
  if (EventLog* log = db.event_log()) {
    log->Append(ref.id, events);  // which also counts them: no row to update
    return OkStatus();
  }
  auto insert = db.Prepare(
      "INSERT INTO history_events (execution_id, event_id, previous_event_id, timestamp_ms, "
      "type, details_key, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert.ok()) return insert.take_error();
  insert->Bind(1, ref.id);
  for (const engine::HistoryEvent& event : events) {
    const std::string details = event.details_key.empty() ? "" : json::Serialize(event.details);
    insert->Bind(2, event.id).Bind(3, event.previous_event_id);
    insert->Bind(4, ToMillis(event.timestamp)).Bind(5, event.type);
    insert->Bind(6, event.details_key).Bind(7, details);
    STORE_RETURN_IF_ERROR(db.Run(*insert, "appending history events"));
    insert->Reset();
  }
  auto update = db.Prepare("UPDATE executions SET last_event_id = ?2 WHERE id = ?1");
  if (!update.ok()) return update.take_error();
  update->Bind(1, ref.id).Bind(2, ref.last_event_id);
  return db.Run(*update, "appending history events");
}

Status ApplyStep(Database& db, const WriteBatch::Step& op) {
  auto ref = LookupExecution(db, op.execution_arn, /*require_running=*/true);
  if (!ref.ok()) return ref.take_error();
  STORE_RETURN_IF_ERROR(InsertEvents(db, op.execution_arn, *ref, op.events));
  if (!op.checkpoint) return OkStatus();
  return WriteCheckpoint(db, ref->id, *op.checkpoint, ref->last_event_id);
}

Status Store::RecordStep(const std::string& execution_arn,
                         const std::vector<engine::HistoryEvent>& events,
                         const std::optional<Checkpoint>& checkpoint) {
  WriteBatch batch;
  batch.RecordStep(execution_arn, events, checkpoint);
  return Commit(batch);
}

Result<Page<engine::HistoryEvent>> Store::GetExecutionHistory(const std::string& execution_arn,
                                                              const HistoryQuery& query) {
  auto size = PageSize(query.max_results);
  if (!size.ok()) return size.take_error();
  const std::string key =
      "GetExecutionHistory\n" + execution_arn + (query.reverse_order ? "\nreverse" : "");
  // The id of the first event of the page.
  int64_t from = query.reverse_order ? std::numeric_limits<int64_t>::max() : 1;
  if (!query.next_token.empty()) {
    auto fields = DecodeToken(query.next_token, key, 1);
    if (!fields.ok()) return fields.take_error();
    auto id = TokenInt(query.next_token, (*fields)[0]);
    if (!id.ok()) return id.take_error();
    from = *id;
  }
  std::lock_guard lock(mu_);
  auto ref = LookupExecution(*db_, execution_arn, /*require_running=*/false);
  if (!ref.ok()) return ref.take_error();
  // One event more than the page holds tells whether another page follows.
  auto events = ReadEvents(*db_, execution_arn, ref->id, from, query.reverse_order, *size + 1);
  if (!events.ok()) return events.take_error();
  Page<engine::HistoryEvent> page;
  page.items = std::move(events).value();
  if (static_cast<int>(page.items.size()) > *size) {
    page.next_token = EncodeToken(key, {std::to_string(page.items[*size].id)});
    page.items.resize(*size);
  }
  return page;
}

}  // namespace autoretrain::store
