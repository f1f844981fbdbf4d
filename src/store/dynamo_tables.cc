// Store: the tables of the local DynamoDB table store (see dynamo_tables.h). A table is a row
// of dynamo_tables holding DescribeTable's JSON; its items are rows of dynamo_items, removed
// with it (ON DELETE CASCADE).
#include "autoretrain/store/store.h"
#include "store/database.h"
#include "store/dynamo_keys.h"

namespace autoretrain::store {

Error DynamoTableNotFound() {
  return Error{"ResourceNotFoundException", "Requested resource not found"};
}

Result<bool> DynamoTableExists(Database& db, const std::string& name) {
  auto stmt = db.Prepare("SELECT 1 FROM dynamo_tables WHERE name = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name);
  int rc = stmt->Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db.Fail(rc, "looking up DynamoDB table '" + name + "'");
}

Status Store::CreateDynamoTable(const std::string& name, const std::string& description) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto exists = DynamoTableExists(*db_, name);
  if (!exists.ok()) return exists.take_error();
  if (*exists) {
    return Error{"ResourceInUseException", "Table already exists: " + name};
  }
  auto stmt = db_->Prepare("INSERT INTO dynamo_tables (name, description) VALUES (?1, ?2)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name).Bind(2, description);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "creating DynamoDB table '" + name + "'"));
  return tx.Commit();
}

Result<std::optional<std::string>> Store::GetDynamoTable(const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("SELECT description FROM dynamo_tables WHERE name = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading DynamoDB table '" + name + "'");
  return std::optional<std::string>(stmt->Text(0));
}

Status Store::DeleteDynamoTable(const std::string& name) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto items = db_->Prepare("DELETE FROM dynamo_items WHERE table_name = ?1");
  if (!items.ok()) return items.take_error();
  items->Bind(1, name);
  STORE_RETURN_IF_ERROR(db_->Run(*items, "deleting the items of DynamoDB table '" + name + "'"));
  auto stmt = db_->Prepare("DELETE FROM dynamo_tables WHERE name = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "deleting DynamoDB table '" + name + "'"));
  if (db_->Changes() == 0) return DynamoTableNotFound();
  return tx.Commit();
}

Result<std::vector<std::string>> Store::ListDynamoTables(const std::string& after, int64_t limit) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("SELECT name FROM dynamo_tables WHERE name > ?1 ORDER BY name LIMIT ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, after).Bind(2, limit);
  std::vector<std::string> names;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) names.push_back(stmt->Text(0));
  if (rc != SQLITE_DONE) return db_->Fail(rc, "listing DynamoDB tables");
  return names;
}

Result<DynamoTableStats> Store::DynamoTableStatistics(const std::string& name) {
  std::lock_guard lock(mu_);
  auto exists = DynamoTableExists(*db_, name);
  if (!exists.ok()) return exists.take_error();
  if (!*exists) return DynamoTableNotFound();
  auto stmt = db_->Prepare(
      "SELECT count(*), coalesce(sum(length(item)), 0) FROM dynamo_items WHERE table_name = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name);
  int rc = stmt->Step();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "counting the items of DynamoDB table '" + name + "'");
  return DynamoTableStats{stmt->Int(0), stmt->Int(1)};
}

}  // namespace autoretrain::store
