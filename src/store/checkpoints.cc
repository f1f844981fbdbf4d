// Store: the checkpoint each running execution resumes from after a restart. It is written
// by RecordStep in the same transaction as the step's history events, so history and
// checkpoint always agree, and dropped when the execution finishes.
#include "autoretrain/store/store.h"
#include "store/operations.h"

namespace autoretrain::store {

Status WriteCheckpoint(Database& db, int64_t execution_id, const Checkpoint& checkpoint,
                       int64_t event_id) {
  auto stmt = db.Prepare(
      "INSERT OR REPLACE INTO checkpoints (execution_id, state_name, state_input, retry_count, "
      "engine_data, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, execution_id).Bind(2, checkpoint.state_name).Bind(3, checkpoint.state_input);
  stmt->Bind(4, checkpoint.retry_count).Bind(5, checkpoint.engine_data).Bind(6, event_id);
  return db.Run(*stmt, "writing a checkpoint");
}

Status DeleteCheckpoint(Database& db, int64_t execution_id) {
  auto stmt = db.Prepare("DELETE FROM checkpoints WHERE execution_id = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, execution_id);
  return db.Run(*stmt, "dropping a checkpoint");
}

Result<std::optional<Checkpoint>> Store::GetCheckpoint(const std::string& execution_arn) {
  std::lock_guard lock(mu_);
  auto ref = LookupExecution(*db_, execution_arn, /*require_running=*/false);
  if (!ref.ok()) return ref.take_error();
  auto stmt = db_->Prepare(
      "SELECT state_name, state_input, retry_count, engine_data, event_id FROM checkpoints "
      "WHERE execution_id = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, ref->id);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<Checkpoint>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading a checkpoint");
  return std::optional<Checkpoint>(
      Checkpoint{stmt->Text(0), stmt->Text(1), stmt->Int(2), stmt->Text(3), stmt->Int(4)});
}

}  // namespace autoretrain::store
