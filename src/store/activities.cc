// Store: activities and the tasks scheduled for their workers. An activity task's token lives
// in task_tokens like a callback task's (the worker answers it with SendTaskSuccess/Failure/
// Heartbeat); what is added is which activity it waits for, its input, and which worker got it.
#include "autoretrain/store/store.h"
#include "store/operations.h"
#include "store/token.h"

namespace autoretrain::store {
namespace {

constexpr char kListQuery[] = "ListActivities";

Error ActivityDoesNotExist(const std::string& arn) {
  return Error{"ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'"};
}

constexpr char kByArn[] = "SELECT arn, name, creation_ms FROM activities WHERE arn = ?1";
constexpr char kByName[] = "SELECT arn, name, creation_ms FROM activities WHERE name = ?1";

// The activity `sql` (kByArn or kByName) selects with `key`, or nullopt.
Result<std::optional<ActivityRecord>> FindActivity(Database& db, const char* sql,
                                                   const std::string& key) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, key);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<ActivityRecord>();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading an activity");
  return std::optional<ActivityRecord>(
      ActivityRecord{stmt->Text(0), stmt->Text(1), FromMillis(stmt->Int(2))});
}

}  // namespace

Result<ActivityRecord> Store::CreateActivity(const std::string& arn, const std::string& name,
                                             TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto existing = FindActivity(*db_, kByName, name);
  if (!existing.ok()) return existing.take_error();
  if (*existing) return **existing;
  auto stmt = db_->Prepare("INSERT INTO activities (arn, name, creation_ms) VALUES (?1, ?2, ?3)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn).Bind(2, name).Bind(3, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "creating an activity"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return ActivityRecord{arn, name, FromMillis(ToMillis(now))};
}

Result<ActivityRecord> Store::DescribeActivity(const std::string& arn) {
  std::lock_guard lock(mu_);
  auto found = FindActivity(*db_, kByArn, arn);
  if (!found.ok()) return found.take_error();
  if (!*found) return ActivityDoesNotExist(arn);
  return **found;
}

Result<Page<ActivityRecord>> Store::ListActivities(const PageRequest& request) {
  auto size = PageSize(request.max_results);
  if (!size.ok()) return size.take_error();
  std::string after;  // names sort after ""
  if (!request.next_token.empty()) {
    auto fields = DecodeToken(request.next_token, kListQuery, 1);
    if (!fields.ok()) return fields.take_error();
    after = (*fields)[0];
  }
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "SELECT arn, name, creation_ms FROM activities WHERE name > ?1 ORDER BY name LIMIT ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, after).Bind(2, int64_t{*size} + 1);
  Page<ActivityRecord> page;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == *size) {
      page.next_token = EncodeToken(kListQuery, {page.items.back().name});
      break;
    }
    page.items.push_back(ActivityRecord{stmt->Text(0), stmt->Text(1), FromMillis(stmt->Int(2))});
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_->Fail(rc, "listing activities");
  return page;
}

Status Store::DeleteActivity(const std::string& arn) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("DELETE FROM activities WHERE arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn);
  return db_->Run(*stmt, "deleting an activity");
}

Status Store::RegisterActivityTask(const std::string& token, const std::string& execution_arn,
                                   const std::string& state_name, const std::string& activity_arn,
                                   const std::string& input, TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto activity = FindActivity(*db_, kByArn, activity_arn);
  if (!activity.ok()) return activity.take_error();
  if (!*activity) return ActivityDoesNotExist(activity_arn);
  auto ref = LookupExecution(*db_, execution_arn, /*require_running=*/true);
  if (!ref.ok()) return ref.take_error();
  auto stmt = db_->Prepare(
      "INSERT OR IGNORE INTO task_tokens (token, execution_id, state_name, created_ms, "
      "heartbeat_ms, status, activity_arn, input) VALUES (?1, ?2, ?3, ?4, ?4, 'WAITING', ?5, ?6)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, token).Bind(2, ref->id).Bind(3, state_name).Bind(4, ToMillis(now));
  stmt->Bind(5, activity_arn).Bind(6, input);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "scheduling an activity task"));
  return tx.Commit();
}

Result<std::optional<ActivityTask>> Store::GetActivityTask(const std::string& activity_arn,
                                                           const std::string& worker_name,
                                                           TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto activity = FindActivity(*db_, kByArn, activity_arn);
  if (!activity.ok()) return activity.take_error();
  if (!*activity) return ActivityDoesNotExist(activity_arn);
  auto next = db_->Prepare(
      "SELECT t.token, t.input FROM task_tokens t JOIN executions e ON e.id = t.execution_id "
      "WHERE t.activity_arn = ?1 AND t.started_ms IS NULL AND t.status = 'WAITING' "
      "AND e.status = 'RUNNING' ORDER BY t.created_ms, t.token LIMIT 1");
  if (!next.ok()) return next.take_error();
  next->Bind(1, activity_arn);
  int rc = next->Step();
  if (rc == SQLITE_DONE) return std::optional<ActivityTask>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading activity tasks");
  ActivityTask task{next->Text(0), next->OptionalText(1).value_or("{}")};
  auto take = db_->Prepare(
      "UPDATE task_tokens SET worker_name = ?2, started_ms = ?3, heartbeat_ms = ?3 "
      "WHERE token = ?1");
  if (!take.ok()) return take.take_error();
  take->Bind(1, task.token).Bind(2, worker_name).Bind(3, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*take, "handing out an activity task"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return std::optional<ActivityTask>(std::move(task));
}

}  // namespace autoretrain::store
