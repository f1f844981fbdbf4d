// Store: state machines and the versions of their definitions.
#include "autoretrain/store/store.h"
#include "store/operations.h"
#include "store/token.h"

namespace autoretrain::store {
namespace {

#define SM_COLUMNS                                                                         \
  "SELECT s.id, s.arn, s.name, s.type, s.status, s.creation_ms, v.version, v.definition, " \
  "v.role_arn, v.created_ms FROM state_machines s JOIN state_machine_versions v "          \
  "ON v.state_machine_id = s.id "

constexpr char kSelectLatest[] = SM_COLUMNS "AND v.version = s.version WHERE s.arn = ?1";
constexpr char kSelectVersion[] = SM_COLUMNS "AND v.version = ?2 WHERE s.arn = ?1";
constexpr char kSelectByName[] = SM_COLUMNS "AND v.version = s.version WHERE s.name = ?1";
constexpr char kSelectPage[] = SM_COLUMNS
    "AND v.version = s.version WHERE s.status = 'ACTIVE' AND s.name > ?1 ORDER BY s.name "
    "LIMIT ?2";
constexpr char kListQuery[] = "ListStateMachines";

struct Row {
  int64_t id = 0;
  StateMachineRecord record;
};

Row ReadRow(const Stmt& stmt) {
  Row row;
  row.id = stmt.Int(0);
  StateMachineRecord& r = row.record;
  r.arn = stmt.Text(1);
  r.name = stmt.Text(2);
  r.type = stmt.Text(3);
  r.status = stmt.Text(4);
  r.creation_date = FromMillis(stmt.Int(5));
  r.version = stmt.Int(6);
  r.definition = stmt.Text(7);
  r.role_arn = stmt.Text(8);
  r.version_date = FromMillis(stmt.Int(9));
  return row;
}

Error DoesNotExist(const std::string& arn) {
  return Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'"};
}

// The row `sql` selects with `key` (and `version`), or nullopt when there is none.
Result<std::optional<Row>> Find(Database& db, const char* sql, const std::string& key,
                                int64_t version = 0) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, key);
  if (version != 0) stmt->Bind(2, version);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<Row>();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading a state machine");
  return std::optional<Row>(ReadRow(*stmt));
}

Status InsertVersion(Database& db, int64_t id, int64_t version, const std::string& definition,
                     const std::string& role_arn, TimePoint when) {
  auto stmt = db.Prepare(
      "INSERT INTO state_machine_versions (state_machine_id, version, definition, role_arn, "
      "created_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, id).Bind(2, version).Bind(3, definition).Bind(4, role_arn).Bind(5, ToMillis(when));
  return db.Run(*stmt, "writing a state machine version");
}

}  // namespace

Result<StateMachineRecord> Store::CreateStateMachine(const NewStateMachine& machine) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto existing = Find(*db_, kSelectByName, machine.name);
  if (!existing.ok()) return existing.take_error();
  if (*existing) {
    const StateMachineRecord& r = (*existing)->record;
    if (r.status == "DELETING") {
      return Error{"StateMachineDeleting", "State Machine is being deleted: '" + r.arn + "'"};
    }
    // As AWS: creating the same machine again is idempotent.
    if (r.arn == machine.arn && r.definition == machine.definition &&
        r.role_arn == machine.role_arn && r.type == machine.type) {
      return r;
    }
    return Error{"StateMachineAlreadyExists", "State Machine Already Exists: '" + r.arn + "'"};
  }
  auto insert = db_->Prepare(
      "INSERT INTO state_machines (arn, name, type, status, creation_ms, version) "
      "VALUES (?1, ?2, ?3, 'ACTIVE', ?4, 1) RETURNING id");
  if (!insert.ok()) return insert.take_error();
  insert->Bind(1, machine.arn).Bind(2, machine.name).Bind(3, machine.type);
  insert->Bind(4, ToMillis(machine.creation_date));
  int rc = insert->Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Error{"StateMachineAlreadyExists",
                 "State Machine Already Exists: '" + machine.arn + "'"};
  }
  if (rc != SQLITE_ROW) return db_->Fail(rc, "creating a state machine");
  const int64_t id = insert->Int(0);
  STORE_RETURN_IF_ERROR(db_->Run(*insert, "creating a state machine"));
  STORE_RETURN_IF_ERROR(
      InsertVersion(*db_, id, 1, machine.definition, machine.role_arn, machine.creation_date));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return StateMachineRecord{
      machine.arn,          machine.name, machine.definition,    machine.role_arn,
      machine.type,         "ACTIVE",     machine.creation_date, 1,
      machine.creation_date};
}

Result<StateMachineRecord> Store::UpdateStateMachine(const std::string& arn,
                                                     const std::string& definition,
                                                     const std::string& role_arn, TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto current = Find(*db_, kSelectLatest, arn);
  if (!current.ok()) return current.take_error();
  if (!*current || (*current)->record.status != "ACTIVE") return DoesNotExist(arn);
  Row row = std::move(**current);
  const std::string& new_role = role_arn.empty() ? row.record.role_arn : role_arn;
  if (definition == row.record.definition && new_role == row.record.role_arn) return row.record;
  const int64_t version = row.record.version + 1;
  STORE_RETURN_IF_ERROR(InsertVersion(*db_, row.id, version, definition, new_role, now));
  auto bump = db_->Prepare("UPDATE state_machines SET version = ?2 WHERE id = ?1");
  if (!bump.ok()) return bump.take_error();
  bump->Bind(1, row.id).Bind(2, version);
  STORE_RETURN_IF_ERROR(db_->Run(*bump, "updating a state machine"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  row.record.definition = definition;
  row.record.role_arn = new_role;
  row.record.version = version;
  row.record.version_date = now;
  return row.record;
}

Result<StateMachineRecord> Store::GetStateMachine(const std::string& arn) {
  std::lock_guard lock(mu_);
  auto found = Find(*db_, kSelectLatest, arn);
  if (!found.ok()) return found.take_error();
  if (!*found) return DoesNotExist(arn);
  return (*found)->record;
}

Result<StateMachineRecord> Store::GetStateMachineVersion(const std::string& arn, int64_t version) {
  std::lock_guard lock(mu_);
  auto found = Find(*db_, kSelectVersion, arn, version);
  if (!found.ok()) return found.take_error();
  if (!*found) return DoesNotExist(arn + ":" + std::to_string(version));
  return (*found)->record;
}

Result<Page<StateMachineRecord>> Store::ListStateMachines(const PageRequest& request) {
  auto size = PageSize(request.max_results);
  if (!size.ok()) return size.take_error();
  std::string after;  // names sort after ""
  if (!request.next_token.empty()) {
    auto fields = DecodeToken(request.next_token, kListQuery, 1);
    if (!fields.ok()) return fields.take_error();
    after = (*fields)[0];
  }
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(kSelectPage);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, after).Bind(2, int64_t{*size} + 1);
  Page<StateMachineRecord> page;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == *size) {
      page.next_token = EncodeToken(kListQuery, {page.items.back().name});
      break;
    }
    page.items.push_back(ReadRow(*stmt).record);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_->Fail(rc, "listing state machines");
  return page;
}

Status Store::DeleteStateMachine(const std::string& arn) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto found = Find(*db_, kSelectLatest, arn);
  if (!found.ok()) return found.take_error();
  if (!*found) return DoesNotExist(arn);
  // Executions keep their machine's versions until Purge removes them (AWS's DELETING).
  auto stmt = db_->Prepare(
      "UPDATE state_machines SET status = 'DELETING' WHERE id = ?1 AND EXISTS "
      "(SELECT 1 FROM executions WHERE state_machine_arn = ?2)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, (*found)->id).Bind(2, arn);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "deleting a state machine"));
  if (db_->Changes() == 0) {
    auto remove = db_->Prepare("DELETE FROM state_machines WHERE id = ?1");
    if (!remove.ok()) return remove.take_error();
    remove->Bind(1, (*found)->id);
    STORE_RETURN_IF_ERROR(db_->Run(*remove, "deleting a state machine"));
  }
  return tx.Commit();
}

}  // namespace autoretrain::store
