#include "store/database.h"
#include "store/sqlite_memory.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <thread>

#include <unistd.h>

namespace autoretrain::store {

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Stmt& Stmt::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

std::string Stmt::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, sqlite3_column_bytes(stmt_, column));
}

std::optional<std::string> Stmt::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const StoreOptions& options) {
  static const bool remapping = UseRemappingAllocatorForSqlite();
  (void)remapping;  // false: SQLite was initialized before; its own functions serve
  const bool memory = path == ":memory:";
  int flags = SQLITE_OPEN_NOMUTEX;  // the Store's mutex serializes all use
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  // An in-memory database is a file of SQLite's memdb VFS (private to the connection: its name
  // does not start with '/') rather than ":memory:": with ":memory:" every commit walks the
  // whole page cache (pcache1TruncateUnsafe), so commits got slower as the database grew
  // (BENCHMARKS.md, "StartExecution over signed HTTP").
  if (memory) flags |= SQLITE_OPEN_URI;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(memory ? "file:autoretrain?vfs=memdb" : path.c_str(), &handle, flags,
                           nullptr);
  if (handle == nullptr) return Error{kStoreError, "cannot allocate a SQLite connection"};
  std::unique_ptr<Database> db(new Database(handle, path, options.read_only));
  if (rc != SQLITE_OK) {
    Error error = db->Fail(rc, "opening");
    // SQLite retries a failed create read-only, so its errno is ENOENT, not the EACCES/EROFS
    // that explains it: ask the folder directly.
    const std::string folder = std::filesystem::path(path).parent_path().string();
    if ((rc & 0xff) == SQLITE_CANTOPEN &&
        access(folder.empty() ? "." : folder.c_str(), W_OK) != 0 &&
        (errno == EACCES || errno == EPERM || errno == EROFS)) {
      error.error = kStoreReadOnly;
      error.cause += "; the folder is not writable (" + std::string(std::strerror(errno)) + ")";
    }
    return error;
  }
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, static_cast<int>(options.busy_timeout.count()));
  if (memory) {
    // memdb caps a database at 1 GiB by default; ":memory:" had no cap, and neither does this.
    sqlite3_int64 no_cap = std::numeric_limits<sqlite3_int64>::max();
    if (int cap = sqlite3_file_control(handle, "main", SQLITE_FCNTL_SIZE_LIMIT, &no_cap);
        cap != SQLITE_OK) {
      return db->Fail(cap, "lifting the in-memory size cap");
    }
    db->event_log_ = std::make_unique<EventLog>();
  }

  // Reading the schema first makes "not a database" fail here, with a clear error.
  STORE_RETURN_IF_ERROR(db->Exec("SELECT count(*) FROM sqlite_schema", "reading the schema"));
  STORE_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON", "enabling foreign keys"));
  if (!options.read_only) {
    // Connections opening a new file at once all switch it to WAL, and SQLite answers all but one
    // SQLITE_BUSY at once, without calling the busy handler (the switch upgrades a read lock, and
    // waiting for that could deadlock). They try again until the busy timeout, as the handler
    // would have (DatabaseTest.OpensRacingOnANewFileAllSucceed).
    const char* journal = memory ? "PRAGMA journal_mode=MEMORY" : "PRAGMA journal_mode=WAL";
    const auto give_up = std::chrono::steady_clock::now() + options.busy_timeout;
    int rc;
    while (((rc = sqlite3_exec(handle, journal, nullptr, nullptr, nullptr)) & 0xff) ==
               SQLITE_BUSY &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (rc != SQLITE_OK) return db->Fail(rc, "choosing the journal");
  }
  STORE_RETURN_IF_ERROR(db->Exec(options.durability == Durability::kFull
                                     ? "PRAGMA synchronous=FULL"
                                     : "PRAGMA synchronous=NORMAL",
                                 "setting synchronous"));
  if (options.max_size_bytes) {
    auto page_size = db->Prepare("PRAGMA page_size");
    if (!page_size.ok()) return page_size.take_error();
    if (int rc = page_size->Step(); rc != SQLITE_ROW) return db->Fail(rc, "reading the page size");
    const int64_t pages = std::max<int64_t>(1, *options.max_size_bytes / page_size->Int(0));
    std::string sql = "PRAGMA max_page_count=" + std::to_string(pages);
    STORE_RETURN_IF_ERROR(db->Exec(sql.c_str(), "limiting the database size"));
  }
  return db;
}

Database::~Database() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Database::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return Stmt(it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(rc, "preparing a statement");
  statements_.emplace(sql, stmt);
  return Stmt(stmt);
}

Status Database::Exec(const char* sql, std::string_view doing) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(rc, doing);
  return OkStatus();
}

Status Database::Run(Stmt& stmt, std::string_view doing) {
  int rc = stmt.Step();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Fail(rc, doing);
  return OkStatus();
}

Error Database::Fail(int rc, std::string_view doing) const {
  const int sys = sqlite3_system_errno(db_);
  const char* name = kStoreError;
  const char* hint = "";
  switch (rc & 0xff) {
    case SQLITE_FULL:
      name = kStoreFull;
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      name = kStoreReadOnly;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      name = kStoreLocked;
      hint = "; another process holds the database and did not release it within the busy timeout";
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      name = kStoreCorrupt;
      hint = "; the file is not an autoretrain database or is damaged";
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      if (sys == ENOSPC) name = kStoreFull;
      if (sys == EACCES || sys == EPERM || sys == EROFS) name = kStoreReadOnly;
      break;
    default:
      break;
  }
  if (name == kStoreFull) hint = "; the disk is full or the database reached its size limit";
  if (name == kStoreReadOnly) hint = "; the file, its folder or the file system is not writable";
  std::string cause = std::string(doing) + " failed on database '" + path_ +
                      "': " + sqlite3_errmsg(db_) + " (" + sqlite3_errstr(rc);
  if (sys != 0 && ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_IOERR)) {
    cause += ", " + std::string(std::strerror(sys));
  }
  cause += ")";
  cause += hint;
  return Error{name, std::move(cause)};
}

Status Database::RunMirrored(const char* sql, std::string_view doing, void (EventLog::*mirror)()) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.take_error();
  STORE_RETURN_IF_ERROR(Run(*stmt, doing));
  if (event_log_) (event_log_.get()->*mirror)();
  return OkStatus();
}

Status Database::Begin() {
  return RunMirrored("BEGIN IMMEDIATE", "starting a write transaction", &EventLog::Begin);
}
Status Database::Commit() { return RunMirrored("COMMIT", "committing", &EventLog::Commit); }

void Database::Rollback() {
  if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  if (event_log_) event_log_->Rollback();
}

Status Database::Savepoint() {
  return RunMirrored("SAVEPOINT batch", "starting a batch", &EventLog::Savepoint);
}
Status Database::RollbackToSavepoint() {
  return RunMirrored("ROLLBACK TO batch", "rolling back a batch", &EventLog::RollbackToSavepoint);
}
Status Database::ReleaseSavepoint() {
  return RunMirrored("RELEASE batch", "ending a batch", &EventLog::ReleaseSavepoint);
}

}  // namespace autoretrain::store
