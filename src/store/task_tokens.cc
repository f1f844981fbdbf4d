// Store: the task tokens of callback tasks. A token is registered WAITING by the execution's
// task before the token leaves the process; a worker's SendTaskSuccess/Failure/Heartbeat
// (`autoretrain task ...`, from any process) changes it here, and the waiting task reads it
// back at its next check.
#include "autoretrain/store/store.h"
#include "store/operations.h"

namespace autoretrain::store {
namespace {

const char* StatusText(TaskTokenRecord::Status status) {
  switch (status) {
    case TaskTokenRecord::Status::kWaiting:
      return "WAITING";
    case TaskTokenRecord::Status::kSucceeded:
      return "SUCCEEDED";
    case TaskTokenRecord::Status::kFailed:
      return "FAILED";
  }
  return "WAITING";
}

Error TaskDoesNotExist() {
  return Error{"TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'"};
}

// The token's row with its execution's status; TaskDoesNotExist when unknown.
struct TokenRow {
  TaskTokenRecord record;
  bool execution_running = false;
};

Result<TokenRow> SelectToken(Database& db, const std::string& token) {
  auto stmt = db.Prepare(
      "SELECT t.token, e.arn, t.state_name, t.created_ms, t.heartbeat_ms, t.status, t.output, "
      "t.error, t.cause, e.status, t.activity_arn, t.worker_name, t.started_ms FROM task_tokens t "
      "JOIN executions e ON e.id = t.execution_id WHERE t.token = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, token);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return TaskDoesNotExist();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading a task token");
  TokenRow row;
  TaskTokenRecord& r = row.record;
  r.token = stmt->Text(0);
  r.execution_arn = stmt->Text(1);
  r.state_name = stmt->Text(2);
  r.created = FromMillis(stmt->Int(3));
  r.last_heartbeat = FromMillis(stmt->Int(4));
  const std::string status = stmt->Text(5);
  r.status = status == "SUCCEEDED" ? TaskTokenRecord::Status::kSucceeded
             : status == "FAILED"  ? TaskTokenRecord::Status::kFailed
                                   : TaskTokenRecord::Status::kWaiting;
  r.output = stmt->OptionalText(6);
  r.error = stmt->OptionalText(7);
  r.cause = stmt->OptionalText(8);
  row.execution_running = stmt->Text(9) == "RUNNING";
  r.activity_arn = stmt->OptionalText(10);
  r.worker_name = stmt->OptionalText(11);
  if (!stmt->IsNull(12)) r.started = FromMillis(stmt->Int(12));
  return row;
}

// A token a worker may still answer: known, its execution running, not yet completed.
Result<TokenRow> AnswerableToken(Database& db, const std::string& token) {
  Result<TokenRow> row = SelectToken(db, token);
  if (!row.ok()) return row;
  if (!row->execution_running) return TaskDoesNotExist();
  if (row->record.status != TaskTokenRecord::Status::kWaiting) {
    return Error{"TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'"};
  }
  return row;
}

}  // namespace

Status Store::RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                                const std::string& state_name, TimePoint now) {
  std::lock_guard lock(mu_);
  auto ref = LookupExecution(*db_, execution_arn, /*require_running=*/true);
  if (!ref.ok()) return ref.take_error();
  auto stmt = db_->Prepare(
      "INSERT OR IGNORE INTO task_tokens (token, execution_id, state_name, created_ms, "
      "heartbeat_ms, status) VALUES (?1, ?2, ?3, ?4, ?4, 'WAITING')");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, token).Bind(2, ref->id).Bind(3, state_name).Bind(4, ToMillis(now));
  return db_->Run(*stmt, "registering a task token");
}

Result<TaskTokenRecord> Store::GetTaskToken(const std::string& token) {
  std::lock_guard lock(mu_);
  Result<TokenRow> row = SelectToken(*db_, token);
  if (!row.ok()) return row.take_error();
  return std::move(row->record);
}

Status Store::CompleteTaskToken(const std::string& token, const TaskCompletion& completion,
                                TimePoint now) {
  // SendTaskFailure's request limits.
  if (completion.error && completion.error->size() > 256) {
    return Error{"ValidationException",
                 "1 validation error detected: Value at 'error' failed to satisfy constraint: "
                 "Member must have length less than or equal to 256"};
  }
  if (completion.cause && completion.cause->size() > 32768) {
    return Error{"ValidationException",
                 "1 validation error detected: Value at 'cause' failed to satisfy constraint: "
                 "Member must have length less than or equal to 32768"};
  }
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  Result<TokenRow> row = AnswerableToken(*db_, token);
  if (!row.ok()) return row.take_error();
  auto stmt = db_->Prepare(
      "UPDATE task_tokens SET status = ?2, output = ?3, error = ?4, cause = ?5, "
      "heartbeat_ms = ?6 WHERE token = ?1");
  if (!stmt.ok()) return stmt.take_error();
  const auto status =
      completion.output ? TaskTokenRecord::Status::kSucceeded : TaskTokenRecord::Status::kFailed;
  stmt->Bind(1, token).Bind(2, std::string_view(StatusText(status)));
  stmt->Bind(3, completion.output).Bind(4, completion.error).Bind(5, completion.cause);
  stmt->Bind(6, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "completing a task token"));
  return tx.Commit();
}

Status Store::HeartbeatTaskToken(const std::string& token, TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  Result<TokenRow> row = AnswerableToken(*db_, token);
  if (!row.ok()) return row.take_error();
  auto stmt = db_->Prepare("UPDATE task_tokens SET heartbeat_ms = ?2 WHERE token = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, token).Bind(2, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "recording a task heartbeat"));
  return tx.Commit();
}

}  // namespace autoretrain::store
