// Store: executions (start, finish, stop, describe, list) and the WriteBatch operations on them.
#include <limits>
#include <tuple>

#include "autoretrain/json/json.h"
#include "autoretrain/store/store.h"
#include "store/operations.h"
#include "store/token.h"

namespace autoretrain::store {

namespace {

json::Value ParseStoredJson(const std::string& text) {
  Result<json::Value> parsed = json::Parse(text);
  return parsed.ok() ? std::move(parsed).value() : json::Value(text);
}

}  // namespace

engine::ExecutionResult ExecutionRecord::ToResult() const {
  engine::ExecutionResult result;
  result.execution_arn = arn;
  result.state_machine_arn = state_machine_arn;
  result.name = name;
  result.status = status;
  result.start_date = start_date;
  if (stop_date) result.stop_date = *stop_date;
  result.input = ParseStoredJson(input);
  if (output) result.output = ParseStoredJson(*output);
  result.error = error;
  result.cause = cause;
  return result;
}
namespace {

#define EXECUTION_COLUMNS                                                                      \
  "SELECT arn, state_machine_arn, state_machine_version, name, status, input, output, error, " \
  "cause, start_ms, stop_ms, last_event_id, id FROM executions "

constexpr char kSelectByArn[] = EXECUTION_COLUMNS "WHERE arn = ?1";
constexpr char kSelectByName[] = EXECUTION_COLUMNS "WHERE state_machine_arn = ?1 AND name = ?2";
constexpr char kSelectRunning[] = EXECUTION_COLUMNS "WHERE status = 'RUNNING' ORDER BY id";
constexpr char kSelectPage[] = EXECUTION_COLUMNS
    "WHERE state_machine_arn = ?1 AND (start_ms, id) < (?2, ?3) AND (?4 IS NULL OR status = ?4) "
    "AND (?6 IS NULL AND ?7 IS NULL OR EXISTS (SELECT 1 FROM execution_versions v "
    "WHERE v.execution_id = executions.id AND (?6 IS NULL OR v.version = ?6) "
    "AND (?7 IS NULL OR v.alias = ?7))) "
    "ORDER BY start_ms DESC, id DESC LIMIT ?5";

ExecutionRecord ReadExecutionRow(Database& db, const Stmt& stmt) {
  ExecutionRecord r;
  r.arn = stmt.Text(0);
  r.state_machine_arn = stmt.Text(1);
  r.state_machine_version = stmt.Int(2);
  r.name = stmt.Text(3);
  r.status = ParseExecutionStatus(stmt.Text(4)).value_or(engine::ExecutionStatus::kRunning);
  r.input = stmt.Text(5);
  r.output = stmt.OptionalText(6);
  r.error = stmt.OptionalText(7);
  r.cause = stmt.OptionalText(8);
  r.start_date = FromMillis(stmt.Int(9));
  if (!stmt.IsNull(10)) r.stop_date = FromMillis(stmt.Int(10));
  const EventLog* log = db.event_log();
  r.last_event_id = log ? log->LastEventId(stmt.Int(12)) : stmt.Int(11);
  return r;
}

Error DoesNotExist(const std::string& arn) {
  return Error{"ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"};
}

// The execution `arn` as DescribeExecution reports it; ExecutionDoesNotExist when unknown.
Result<ExecutionRecord> SelectExecution(Database& db, const std::string& arn) {
  auto stmt = db.Prepare(kSelectByArn);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return DoesNotExist(arn);
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading an execution");
  return ReadExecutionRow(db, *stmt);
}

// Reads every row of `stmt` (already bound).
Result<std::vector<ExecutionRecord>> ReadAll(Database& db, Stmt& stmt) {
  std::vector<ExecutionRecord> rows;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) rows.push_back(ReadExecutionRow(db, stmt));
  if (rc != SQLITE_DONE) return db.Fail(rc, "reading executions");
  return rows;
}

}  // namespace

std::optional<engine::ExecutionStatus> ParseExecutionStatus(std::string_view name) {
  using engine::ExecutionStatus;
  for (auto status :
       {ExecutionStatus::kRunning, ExecutionStatus::kSucceeded, ExecutionStatus::kFailed,
        ExecutionStatus::kTimedOut, ExecutionStatus::kAborted}) {
    if (name == engine::ExecutionStatusName(status)) return status;
  }
  return std::nullopt;
}

Result<ExecutionRef> LookupExecution(Database& db, const std::string& arn, bool require_running) {
  auto stmt = db.Prepare("SELECT id, last_event_id, status FROM executions WHERE arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return DoesNotExist(arn);
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading an execution");
  if (require_running && stmt->Text(2) != "RUNNING") {
    return Error{"ExecutionNotRunning",
                 "Execution is not running: '" + arn + "' (status " + stmt->Text(2) + ")"};
  }
  const int64_t id = stmt->Int(0);
  const EventLog* log = db.event_log();
  return ExecutionRef{id, log ? log->LastEventId(id) : stmt->Int(1)};
}

Status ApplyStart(Database& db, const WriteBatch::Start& op) {
  const NewExecution& e = op.execution;
  auto stmt = db.Prepare(
      "INSERT INTO executions (arn, state_machine_arn, state_machine_version, name, status, "
      "input, start_ms, last_event_id) VALUES (?1, ?2, ?3, ?4, 'RUNNING', ?5, ?6, 0) "
      "RETURNING id");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, e.arn).Bind(2, e.state_machine_arn).Bind(3, e.state_machine_version);
  stmt->Bind(4, e.name).Bind(5, e.input).Bind(6, ToMillis(e.start_date));
  int rc = stmt->Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Error{"ExecutionAlreadyExists", "Execution Already Exists: '" + e.arn + "'"};
  }
  if (rc != SQLITE_ROW) return db.Fail(rc, "starting an execution");
  ExecutionRef ref{stmt->Int(0), 0};
  STORE_RETURN_IF_ERROR(db.Run(*stmt, "starting an execution"));
  return InsertEvents(db, e.arn, ref, op.events);
}

Status ApplyFinish(Database& db, const WriteBatch::Finish& op) {
  const ExecutionEnd& end = op.end;
  if (end.status == engine::ExecutionStatus::kRunning) {
    return Error{"ValidationException", "an execution cannot finish with status RUNNING"};
  }
  auto ref = LookupExecution(db, end.arn, /*require_running=*/true);
  if (!ref.ok()) return ref.take_error();
  STORE_RETURN_IF_ERROR(InsertEvents(db, end.arn, *ref, op.events));
  auto stmt = db.Prepare(
      "UPDATE executions SET status = ?2, stop_ms = ?3, output = ?4, error = ?5, cause = ?6 "
      "WHERE id = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, ref->id).Bind(2, std::string_view(engine::ExecutionStatusName(end.status)));
  stmt->Bind(3, ToMillis(end.stop_date)).Bind(4, end.output).Bind(5, end.error).Bind(6, end.cause);
  STORE_RETURN_IF_ERROR(db.Run(*stmt, "finishing an execution"));
  return DeleteCheckpoint(db, ref->id);
}

Status Store::StartExecution(const NewExecution& execution,
                             const std::vector<engine::HistoryEvent>& first_events) {
  WriteBatch batch;
  batch.StartExecution(execution, first_events);
  return Commit(batch);
}

Status Store::FinishExecution(const ExecutionEnd& end,
                              const std::vector<engine::HistoryEvent>& last_events) {
  WriteBatch batch;
  batch.FinishExecution(end, last_events);
  return Commit(batch);
}

Result<std::optional<ExecutionRecord>> Store::FindExecution(const std::string& state_machine_arn,
                                                            const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(kSelectByName);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, state_machine_arn).Bind(2, name);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<ExecutionRecord>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading an execution");
  return std::optional<ExecutionRecord>(ReadExecutionRow(*db_, *stmt));
}

Result<ExecutionRecord> Store::DescribeExecution(const std::string& arn) {
  std::lock_guard lock(mu_);
  return SelectExecution(*db_, arn);
}

// AWS StopExecution (STANDARD workflows). The API reference lists no "not running" error for
// StopExecution, only ExecutionDoesNotExist, InvalidArn, ValidationException and the KMS
// errors, and its response always carries stopDate
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html):
// stopping an execution that already closed succeeds and changes nothing. We answer with the
// record as it is, so stop_date is the date it actually stopped (LocalStack answers with the
// time of the call instead; the reference does not say which).
Result<ExecutionRecord> Store::StopExecution(const std::string& execution_arn,
                                             const std::optional<std::string>& error,
                                             const std::optional<std::string>& cause,
                                             TimePoint now) {
  // StopExecution's request limits.
  for (const auto& [field, value, limit] :
       {std::tuple{"error", &error, size_t{256}}, std::tuple{"cause", &cause, size_t{32768}}}) {
    if (*value && (*value)->size() > limit) {
      return Error{"ValidationException",
                   std::string("1 validation error detected: Value at '") + field +
                       "' failed to satisfy constraint: Member must have length less than or "
                       "equal to " +
                       std::to_string(limit)};
    }
  }
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto record = SelectExecution(*db_, execution_arn);
  if (!record.ok()) return record.take_error();
  if (record->status != engine::ExecutionStatus::kRunning) {
    STORE_RETURN_IF_ERROR(tx.Commit());
    return record;
  }
  // AWS records the abort as one ExecutionAborted event whose details hold only what the
  // caller gave ({} when neither).
  engine::HistoryEvent aborted;
  aborted.id = record->last_event_id + 1;
  aborted.previous_event_id = record->last_event_id;
  aborted.timestamp = now;
  aborted.type = "ExecutionAborted";
  aborted.details_key = "executionAbortedEventDetails";
  json::Object details;
  if (error) details["error"] = *error;
  if (cause) details["cause"] = *cause;
  aborted.details = std::move(details);
  WriteBatch::Finish finish{ExecutionEnd{execution_arn, engine::ExecutionStatus::kAborted, now,
                                         std::nullopt, error, cause},
                            {std::move(aborted)}};
  STORE_RETURN_IF_ERROR(ApplyFinish(*db_, finish));
  auto stopped = SelectExecution(*db_, execution_arn);
  if (!stopped.ok()) return stopped.take_error();
  STORE_RETURN_IF_ERROR(tx.Commit());
  return stopped;
}

Result<Page<ExecutionRecord>> Store::ListExecutions(const std::string& state_machine_arn,
                                                    std::optional<engine::ExecutionStatus> status,
                                                    const PageRequest& request,
                                                    const ExecutionVersionFilter& started_with) {
  auto size = PageSize(request.max_results);
  if (!size.ok()) return size.take_error();
  const std::string query = "ListExecutions\n" + state_machine_arn + "\n" +
                            (status ? engine::ExecutionStatusName(*status) : "") + "\n" +
                            (started_with.version ? std::to_string(*started_with.version) : "") +
                            "\n" + started_with.alias.value_or("");
  // Newest first: the page starts below (start_ms, id) of the token.
  int64_t before_start = std::numeric_limits<int64_t>::max();
  int64_t before_id = std::numeric_limits<int64_t>::max();
  if (!request.next_token.empty()) {
    auto fields = DecodeToken(request.next_token, query, 2);
    if (!fields.ok()) return fields.take_error();
    auto start = TokenInt(request.next_token, (*fields)[0]);
    if (!start.ok()) return start.take_error();
    auto id = TokenInt(request.next_token, (*fields)[1]);
    if (!id.ok()) return id.take_error();
    before_start = *start;
    before_id = *id;
  }
  std::lock_guard lock(mu_);
  auto machine = db_->Prepare("SELECT 1 FROM state_machines WHERE arn = ?1");
  if (!machine.ok()) return machine.take_error();
  machine->Bind(1, state_machine_arn);
  if (int rc = machine->Step(); rc != SQLITE_ROW) {
    if (rc != SQLITE_DONE) return db_->Fail(rc, "reading a state machine");
    return Error{"StateMachineDoesNotExist",
                 "State Machine Does Not Exist: '" + state_machine_arn + "'"};
  }
  auto stmt = db_->Prepare(kSelectPage);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, state_machine_arn).Bind(2, before_start).Bind(3, before_id);
  if (status) {
    stmt->Bind(4, std::string_view(engine::ExecutionStatusName(*status)));
  } else {
    stmt->BindNull(4);
  }
  stmt->Bind(5, int64_t{*size} + 1);
  if (started_with.version) {
    stmt->Bind(6, *started_with.version);
  } else {
    stmt->BindNull(6);
  }
  stmt->Bind(7, started_with.alias);
  Page<ExecutionRecord> page;
  int64_t last_row_id = 0;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == *size) {
      // A row beyond the page exists: the last row returned keys the next page.
      const int64_t last_start = ToMillis(page.items.back().start_date);
      page.next_token =
          EncodeToken(query, {std::to_string(last_start), std::to_string(last_row_id)});
      break;
    }
    page.items.push_back(ReadExecutionRow(*db_, *stmt));
    last_row_id = stmt->Int(12);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_->Fail(rc, "listing executions");
  return page;
}

Result<std::vector<ExecutionRecord>> Store::ListRunningExecutions() {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(kSelectRunning);
  if (!stmt.ok()) return stmt.take_error();
  return ReadAll(*db_, *stmt);
}

}  // namespace autoretrain::store
