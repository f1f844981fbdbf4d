// Database: one SQLite connection with its cache of prepared statements, the translation of
// SQLite result codes into autoretrain::Error values (the Store* names of store.h), and
// transactions. Internal to the store layer.
//
// Thread-safety: none. The Store serializes all use with its mutex.
#ifndef AUTORETRAIN_STORE_DATABASE_H_
#define AUTORETRAIN_STORE_DATABASE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "autoretrain/common/result.h"
#include "autoretrain/store/store.h"
#include "store/event_log.h"

// Returns the error of a failed Status or Result expression from the enclosing function.
#define STORE_RETURN_IF_ERROR(expr)                             \
  do {                                                          \
    auto store_status_ = (expr);                                \
    if (!store_status_.ok()) return store_status_.take_error(); \
  } while (0)

namespace autoretrain::store {

// A prepared statement borrowed from the cache; reset and unbound when it goes out of scope.
// Text is bound without copying, so bound strings must outlive the Step calls.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, std::string_view value);
  Stmt& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Stmt& Bind(int index, const std::optional<std::string>& value);  // null when unset
  Stmt& BindNull(int index);

  // sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  // Makes the statement ready to run again (bindings stay; rebind what changes).
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens `path` (":memory:" for an in-memory database) with `options`' pragmas applied.
  // Does not touch the schema (see migrations.h). Fails with a Store* error.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const StoreOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A cached prepared statement for `sql`, which must have static storage (the cache is keyed
  // by its address). Compiled on first use; fails with a Store* error.
  Result<Stmt> Prepare(const char* sql);
  // Runs one or more statements without caching them (DDL, pragmas).
  Status Exec(const char* sql, std::string_view doing);
  // Steps `stmt` to completion of a statement that returns no rows.
  Status Run(Stmt& stmt, std::string_view doing);

  // The Error for SQLite result `rc` while `doing` something (see store.h for the names).
  Error Fail(int rc, std::string_view doing) const;

  // BEGIN IMMEDIATE (takes the write lock now, waiting up to busy_timeout) / COMMIT / ROLLBACK
  // (of whatever is left when SQLite has not rolled back by itself), mirrored in the event log.
  Status Begin();
  Status Commit();
  void Rollback();
  // SAVEPOINT / ROLLBACK TO / RELEASE of the one savepoint a transaction may hold (a batch of
  // Store::CommitGroup), mirrored in the event log.
  Status Savepoint();
  Status RollbackToSavepoint();
  Status ReleaseSavepoint();
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Number of rows the last INSERT/UPDATE/DELETE changed.
  int64_t Changes() const { return sqlite3_changes64(db_); }

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  // Where an in-memory database keeps its history events and their count instead of the
  // history_events table and the executions' last_event_id column (event_log.h); null for a
  // file.
  EventLog* event_log() { return event_log_.get(); }

 private:
  // Runs the transaction statement `sql` (static storage) and, once it succeeded, `mirror` on
  // the event log of an in-memory database.
  Status RunMirrored(const char* sql, std::string_view doing, void (EventLog::*mirror)());
  Database(sqlite3* db, std::string path, bool read_only)
      : db_(db), path_(std::move(path)), read_only_(read_only) {}

  sqlite3* db_;
  std::string path_;
  bool read_only_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
  std::unique_ptr<EventLog> event_log_;
};

// Owns a write transaction: Begin() starts it, Commit() ends it, and the destructor rolls back
// one that was begun and not committed.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) {}
  ~Transaction() {
    if (active_) db_.Rollback();
  }
  Status Begin() {
    STORE_RETURN_IF_ERROR(db_.Begin());
    active_ = true;
    return OkStatus();
  }
  // On failure the transaction is rolled back.
  Status Commit() {
    active_ = false;
    Status status = db_.Commit();
    if (!status.ok()) db_.Rollback();
    return status;
  }

 private:
  Database& db_;
  bool active_ = false;
};

// Milliseconds since the epoch, as dates are stored.
inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_DATABASE_H_
