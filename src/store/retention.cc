// Store: retention. Finished executions older than a cutoff go, a few hundred per transaction,
// so a purge of millions never holds the write lock for long.
#include "autoretrain/store/store.h"
#include "store/operations.h"

namespace autoretrain::store {

Result<int64_t> Store::PurgeFinishedBefore(TimePoint cutoff, int batch_size) {
  if (batch_size <= 0) {
    return Error{"ValidationException", "the purge batch size must be positive"};
  }
  int64_t purged = 0;
  for (;;) {
    std::lock_guard lock(mu_);  // released between batches
    Transaction tx(*db_);
    STORE_RETURN_IF_ERROR(tx.Begin());
    // Events and checkpoints follow by ON DELETE CASCADE; an in-memory store's events once
    // the deletion has committed.
    auto stmt = db_->Prepare(
        "DELETE FROM executions WHERE id IN (SELECT id FROM executions WHERE stop_ms < ?1 "
        "ORDER BY stop_ms LIMIT ?2) RETURNING id");
    if (!stmt.ok()) return stmt.take_error();
    stmt->Bind(1, ToMillis(cutoff)).Bind(2, int64_t{batch_size});
    std::vector<int64_t> ids;
    int rc;
    while ((rc = stmt->Step()) == SQLITE_ROW) ids.push_back(stmt->Int(0));
    if (rc != SQLITE_DONE) return db_->Fail(rc, "purging finished executions");
    STORE_RETURN_IF_ERROR(tx.Commit());
    if (EventLog* log = db_->event_log()) {
      for (int64_t id : ids) log->Erase(id);
    }
    const auto deleted = static_cast<int64_t>(ids.size());
    purged += deleted;
    if (deleted < batch_size) break;
  }
  std::lock_guard lock(mu_);
  auto machines = db_->Prepare(
      "DELETE FROM state_machines WHERE status = 'DELETING' AND NOT EXISTS "
      "(SELECT 1 FROM executions e WHERE e.state_machine_arn = state_machines.arn)");
  if (!machines.ok()) return machines.take_error();
  STORE_RETURN_IF_ERROR(db_->Run(*machines, "removing deleted state machines"));
  return purged;
}

}  // namespace autoretrain::store
