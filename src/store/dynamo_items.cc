// Store: the items of the local DynamoDB table store (see dynamo_tables.h): point reads, range
// reads in key order for Query and Scan, and conditional writes in one transaction.
#include "autoretrain/store/store.h"
#include "store/database.h"
#include "store/dynamo_keys.h"

namespace autoretrain::store {
namespace {

// Binds an optional key bound (hex) or NULL.
void BindBound(Stmt& stmt, int index, const std::optional<std::string>& bytes,
               std::string* storage) {
  if (!bytes) {
    stmt.BindNull(index);
    return;
  }
  *storage = HexKey(*bytes);
  stmt.Bind(index, *storage);
}

}  // namespace

Result<std::optional<std::string>> Store::GetDynamoItem(const std::string& table,
                                                        const DynamoKey& key) {
  std::lock_guard lock(mu_);
  auto exists = DynamoTableExists(*db_, table);
  if (!exists.ok()) return exists.take_error();
  if (!*exists) return DynamoTableNotFound();
  auto stmt = db_->Prepare(
      "SELECT item FROM dynamo_items WHERE table_name = ?1 AND hash_key = ?2 AND range_key = ?3");
  if (!stmt.ok()) return stmt.take_error();
  const std::string hash = HexKey(key.hash), range = HexKey(key.range);
  stmt->Bind(1, table).Bind(2, hash).Bind(3, range);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading an item of DynamoDB table '" + table + "'");
  return std::optional<std::string>(stmt->Text(0));
}

Result<std::vector<DynamoItemRow>> Store::ReadDynamoItems(const std::string& table,
                                                          const DynamoItemRange& range) {
  // One statement per shape (SQL must be static): a partition forwards or backwards, or the
  // whole table. Absent bounds are NULL parameters.
  static constexpr char kForward[] =
      "SELECT hash_key, range_key, item FROM dynamo_items WHERE table_name = ?1 AND hash_key = ?2"
      " AND (?3 IS NULL OR range_key > ?3 OR (?4 AND range_key = ?3))"
      " AND (?5 IS NULL OR range_key < ?5 OR (?6 AND range_key = ?5))"
      " AND (?7 IS NULL OR range_key > ?7) ORDER BY range_key ASC LIMIT ?8";
  static constexpr char kBackward[] =
      "SELECT hash_key, range_key, item FROM dynamo_items WHERE table_name = ?1 AND hash_key = ?2"
      " AND (?3 IS NULL OR range_key > ?3 OR (?4 AND range_key = ?3))"
      " AND (?5 IS NULL OR range_key < ?5 OR (?6 AND range_key = ?5))"
      " AND (?7 IS NULL OR range_key < ?7) ORDER BY range_key DESC LIMIT ?8";
  static constexpr char kAll[] =
      "SELECT hash_key, range_key, item FROM dynamo_items WHERE table_name = ?1"
      " AND (?2 IS NULL OR (hash_key, range_key) > (?2, ?3))"
      " ORDER BY hash_key, range_key LIMIT ?4";
  std::lock_guard lock(mu_);
  auto exists = DynamoTableExists(*db_, table);
  if (!exists.ok()) return exists.take_error();
  if (!*exists) return DynamoTableNotFound();
  std::string hash, low, high, after_hash, after_range;
  Result<Stmt> stmt = db_->Prepare(!range.hash ? kAll : range.forward ? kForward : kBackward);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, table);
  if (range.hash) {
    hash = HexKey(*range.hash);
    stmt->Bind(2, hash);
    BindBound(*stmt, 3, range.low, &low);
    stmt->Bind(4, int64_t{range.low_inclusive});
    BindBound(*stmt, 5, range.high, &high);
    stmt->Bind(6, int64_t{range.high_inclusive});
    BindBound(*stmt, 7, range.after ? std::optional(range.after->range) : std::nullopt,
              &after_range);
    stmt->Bind(8, range.limit);
  } else {
    BindBound(*stmt, 2, range.after ? std::optional(range.after->hash) : std::nullopt, &after_hash);
    BindBound(*stmt, 3, range.after ? std::optional(range.after->range) : std::nullopt,
              &after_range);
    stmt->Bind(4, range.limit);
  }
  std::vector<DynamoItemRow> rows;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    rows.push_back(
        DynamoItemRow{{UnhexKey(stmt->Text(0)), UnhexKey(stmt->Text(1))}, stmt->Text(2)});
  }
  if (rc != SQLITE_DONE) return db_->Fail(rc, "reading items of DynamoDB table '" + table + "'");
  return rows;
}

Status Store::WriteDynamoItem(const std::string& table, const DynamoKey& key,
                              const DynamoDecide& decide) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto exists = DynamoTableExists(*db_, table);
  if (!exists.ok()) return exists.take_error();
  if (!*exists) return DynamoTableNotFound();
  const std::string hash = HexKey(key.hash), range = HexKey(key.range);
  std::optional<std::string> current;
  {
    auto read = db_->Prepare(
        "SELECT item FROM dynamo_items WHERE table_name = ?1 AND hash_key = ?2 AND "
        "range_key = ?3");
    if (!read.ok()) return read.take_error();
    read->Bind(1, table).Bind(2, hash).Bind(3, range);
    int rc = read->Step();
    if (rc == SQLITE_ROW) {
      current = read->Text(0);
    } else if (rc != SQLITE_DONE) {
      return db_->Fail(rc, "reading an item of DynamoDB table '" + table + "'");
    }
  }
  Result<DynamoWrite> write = decide(current);
  if (!write.ok()) return write.take_error();
  if (write->kind == DynamoWrite::Kind::kNone) return tx.Commit();
  if (write->kind == DynamoWrite::Kind::kDelete) {
    auto del = db_->Prepare(
        "DELETE FROM dynamo_items WHERE table_name = ?1 AND hash_key = ?2 AND range_key = ?3");
    if (!del.ok()) return del.take_error();
    del->Bind(1, table).Bind(2, hash).Bind(3, range);
    STORE_RETURN_IF_ERROR(db_->Run(*del, "deleting an item of DynamoDB table '" + table + "'"));
    return tx.Commit();
  }
  auto put = db_->Prepare(
      "INSERT OR REPLACE INTO dynamo_items (table_name, hash_key, range_key, item) "
      "VALUES (?1, ?2, ?3, ?4)");
  if (!put.ok()) return put.take_error();
  put->Bind(1, table).Bind(2, hash).Bind(3, range).Bind(4, write->item);
  STORE_RETURN_IF_ERROR(db_->Run(*put, "writing an item of DynamoDB table '" + table + "'"));
  return tx.Commit();
}

}  // namespace autoretrain::store
