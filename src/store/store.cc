#include "autoretrain/store/store.h"

#include "store/database.h"
#include "store/migrations.h"
#include "store/operations.h"

namespace autoretrain::store {

Store::Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, StoreOptions options) {
  auto db = Database::Open(path, options);
  if (!db.ok()) return db.take_error();
  STORE_RETURN_IF_ERROR(Migrate(**db));
  return std::unique_ptr<Store>(new Store(std::move(db).value()));
}

Result<std::unique_ptr<Store>> Store::OpenInMemory() { return Open(":memory:"); }

Result<int> Store::SchemaVersion() {
  std::lock_guard lock(mu_);
  return ReadSchemaVersion(*db_);
}

Result<std::string> Store::IntegrityCheck() {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("PRAGMA integrity_check");
  if (!stmt.ok()) return stmt.take_error();
  std::string findings;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (!findings.empty()) findings += "\n";
    findings += stmt->Text(0);
  }
  if (rc != SQLITE_DONE) return db_->Fail(rc, "checking integrity");
  return findings;
}

Status Store::Commit(const WriteBatch& batch) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  for (const auto& op : batch.ops()) STORE_RETURN_IF_ERROR(ApplyOp(*db_, op));
  return tx.Commit();
}

std::vector<Status> Store::CommitGroup(const std::vector<const WriteBatch*>& batches) {
  std::lock_guard lock(mu_);
  std::vector<Status> results;
  results.reserve(batches.size());
  auto fail_all = [&](const Error& error) {
    results.assign(batches.size(), Status(error));
    return results;
  };
  Transaction tx(*db_);
  if (Status begun = tx.Begin(); !begun.ok()) return fail_all(begun.error());
  for (const WriteBatch* batch : batches) {
    if (Status s = db_->Savepoint(); !s.ok()) return fail_all(s.error());
    Status applied = OkStatus();
    for (const auto& op : batch->ops()) {
      applied = ApplyOp(*db_, op);
      if (!applied.ok()) break;
    }
    if (!applied.ok()) {
      // SQLite rolls the whole transaction back itself after some failures (disk full, I/O
      // errors): then nothing of this group survives.
      if (!db_->InTransaction()) return fail_all(applied.error());
      if (Status s = db_->RollbackToSavepoint(); !s.ok()) return fail_all(s.error());
    }
    if (Status s = db_->ReleaseSavepoint(); !s.ok()) return fail_all(s.error());
    results.push_back(std::move(applied));
  }
  if (Status committed = tx.Commit(); !committed.ok()) return fail_all(committed.error());
  return results;
}

}  // namespace autoretrain::store
