// Store: published state machine versions, aliases, and the version each execution was
// started with (tables published_versions, published_version_counters, state_machine_aliases,
// execution_versions; migration 6).
#include "autoretrain/store/store.h"
#include "store/operations.h"
#include "store/token.h"

namespace autoretrain::store {
namespace {

constexpr char kVersionsQuery[] = "ListStateMachineVersions";
constexpr char kAliasesQuery[] = "ListStateMachineAliases";

Error MachineDoesNotExist(const std::string& arn) {
  return Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'"};
}

Error VersionNotFound(const std::string& arn, int64_t number) {
  return Error{"ResourceNotFound", "Resource not found: state machine version '" + arn + ":" +
                                       std::to_string(number) +
                                       "' does not exist (ListStateMachineVersions lists them)"};
}

Error AliasNotFound(const std::string& arn, const std::string& name) {
  return Error{"ResourceNotFound", "Resource not found: state machine alias '" + arn + ":" + name +
                                       "' does not exist (ListStateMachineAliases lists them)"};
}

struct Machine {
  int64_t id = 0;
  int64_t revision = 0;
  bool active = false;
};

// The machine `arn`, or nullopt when unknown.
Result<std::optional<Machine>> FindMachine(Database& db, const std::string& arn) {
  auto stmt = db.Prepare("SELECT id, version, status FROM state_machines WHERE arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<Machine>();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading a state machine");
  return std::optional<Machine>(Machine{stmt->Int(0), stmt->Int(1), stmt->Text(2) == "ACTIVE"});
}

// The ACTIVE machine `arn`; StateMachineDoesNotExist otherwise.
Result<Machine> ActiveMachine(Database& db, const std::string& arn) {
  auto found = FindMachine(db, arn);
  if (!found.ok()) return found.take_error();
  if (!*found || !(*found)->active) return MachineDoesNotExist(arn);
  return **found;
}

// Statements are cached by address: every SQL text is a constant.
#define VERSION_COLUMNS "SELECT number, revision, description, creation_ms FROM published_versions "
constexpr char kSelectPublishedVersion[] =
    VERSION_COLUMNS "WHERE state_machine_id = ?1 AND number = ?2";
constexpr char kSelectVersionOfRevision[] =
    VERSION_COLUMNS "WHERE state_machine_id = ?1 AND revision = ?2 ORDER BY number DESC LIMIT 1";
constexpr char kSelectVersionPage[] =
    VERSION_COLUMNS "WHERE state_machine_id = ?1 AND number < ?2 ORDER BY number DESC LIMIT ?3";
#undef VERSION_COLUMNS

PublishedVersion ReadVersion(const Stmt& stmt, const std::string& arn) {
  return PublishedVersion{.state_machine_arn = arn,
                          .number = stmt.Int(0),
                          .revision = stmt.Int(1),
                          .description = stmt.Text(2),
                          .creation_date = FromMillis(stmt.Int(3))};
}

// Version `number` of machine row `id`, or nullopt.
Result<std::optional<PublishedVersion>> FindVersion(Database& db, const std::string& arn,
                                                    int64_t id, int64_t number) {
  auto stmt = db.Prepare(kSelectPublishedVersion);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, id).Bind(2, number);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<PublishedVersion>();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading a state machine version");
  return std::optional<PublishedVersion>(ReadVersion(*stmt, arn));
}

// A single integer a query without parameters but `id` returns.
Result<int64_t> CountOf(Database& db, const char* sql, int64_t id, std::string_view doing) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, id);
  if (int rc = stmt->Step(); rc != SQLITE_ROW) return db.Fail(rc, doing);
  return stmt->Int(0);
}

#define ALIAS_COLUMNS                                                                       \
  "SELECT name, description, version1, weight1, version2, weight2, creation_ms, update_ms " \
  "FROM state_machine_aliases "
constexpr char kSelectAlias[] = ALIAS_COLUMNS "WHERE state_machine_id = ?1 AND name = ?2";
constexpr char kSelectAliasPage[] =
    ALIAS_COLUMNS "WHERE state_machine_id = ?1 AND name > ?2 ORDER BY name LIMIT ?3";
#undef ALIAS_COLUMNS

StateMachineAlias ReadAlias(const Stmt& stmt, const std::string& arn) {
  StateMachineAlias alias;
  alias.state_machine_arn = arn;
  alias.name = stmt.Text(0);
  alias.description = stmt.Text(1);
  alias.routes.push_back({stmt.Int(2), stmt.Int(3)});
  if (!stmt.IsNull(4)) alias.routes.push_back({stmt.Int(4), stmt.Int(5)});
  alias.creation_date = FromMillis(stmt.Int(6));
  alias.update_date = FromMillis(stmt.Int(7));
  return alias;
}

Result<std::optional<StateMachineAlias>> FindAlias(Database& db, const std::string& arn, int64_t id,
                                                   const std::string& name) {
  auto stmt = db.Prepare(kSelectAlias);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, id).Bind(2, name);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<StateMachineAlias>();
  if (rc != SQLITE_ROW) return db.Fail(rc, "reading a state machine alias");
  return std::optional<StateMachineAlias>(ReadAlias(*stmt, arn));
}

// ResourceNotFound unless every routed version exists.
Status CheckRoutes(Database& db, const std::string& arn, int64_t id,
                   const std::vector<AliasRoute>& routes) {
  for (const AliasRoute& route : routes) {
    auto version = FindVersion(db, arn, id, route.version);
    if (!version.ok()) return version.take_error();
    if (!*version) return VersionNotFound(arn, route.version);
  }
  return OkStatus();
}

void BindRoutes(Stmt& stmt, int first, const std::vector<AliasRoute>& routes) {
  stmt.Bind(first, routes.at(0).version).Bind(first + 1, routes.at(0).weight);
  if (routes.size() > 1) {
    stmt.Bind(first + 2, routes[1].version).Bind(first + 3, routes[1].weight);
  } else {
    stmt.BindNull(first + 2).BindNull(first + 3);
  }
}

}  // namespace

Result<PublishedVersion> Store::PublishStateMachineVersion(const std::string& arn,
                                                           std::optional<int64_t> expected_revision,
                                                           const std::string& description,
                                                           TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto machine = ActiveMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  if (expected_revision && *expected_revision != machine->revision) {
    return Error{"ConflictException",
                 "The revision ID " + std::to_string(*expected_revision) +
                     " does not match the current revision " + std::to_string(machine->revision) +
                     " of state machine '" + arn +
                     "': it changed since; DescribeStateMachine shows its revisionId"};
  }
  {
    auto existing = db_->Prepare(kSelectVersionOfRevision);
    if (!existing.ok()) return existing.take_error();
    existing->Bind(1, machine->id).Bind(2, machine->revision);
    int rc = existing->Step();
    if (rc == SQLITE_ROW) return ReadVersion(*existing, arn);
    if (rc != SQLITE_DONE) return db_->Fail(rc, "reading state machine versions");
  }
  auto count = CountOf(*db_, "SELECT count(*) FROM published_versions WHERE state_machine_id = ?1",
                       machine->id, "counting state machine versions");
  if (!count.ok()) return count.take_error();
  if (*count >= kMaxPublishedVersions) {
    return Error{"ServiceQuotaExceededException",
                 "state machine '" + arn + "' already has " + std::to_string(*count) +
                     " versions, the most AWS allows: delete unused ones "
                     "(DeleteStateMachineVersion) first"};
  }
  auto last = CountOf(*db_,
                      "SELECT coalesce((SELECT last_number FROM published_version_counters "
                      "WHERE state_machine_id = ?1), 0)",
                      machine->id, "reading the last state machine version number");
  if (!last.ok()) return last.take_error();
  PublishedVersion version{.state_machine_arn = arn,
                           .number = *last + 1,
                           .revision = machine->revision,
                           .description = description,
                           .creation_date = now};
  auto counter = db_->Prepare(
      "INSERT INTO published_version_counters (state_machine_id, last_number) VALUES (?1, ?2) "
      "ON CONFLICT (state_machine_id) DO UPDATE SET last_number = excluded.last_number");
  if (!counter.ok()) return counter.take_error();
  counter->Bind(1, machine->id).Bind(2, version.number);
  STORE_RETURN_IF_ERROR(db_->Run(*counter, "numbering a state machine version"));
  auto insert = db_->Prepare(
      "INSERT INTO published_versions (state_machine_id, number, revision, description, "
      "creation_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert.ok()) return insert.take_error();
  insert->Bind(1, machine->id).Bind(2, version.number).Bind(3, version.revision);
  insert->Bind(4, description).Bind(5, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*insert, "publishing a state machine version"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return version;
}

Result<PublishedVersion> Store::GetPublishedVersion(const std::string& arn, int64_t number) {
  std::lock_guard lock(mu_);
  auto machine = FindMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  if (!*machine) return VersionNotFound(arn, number);
  auto version = FindVersion(*db_, arn, (*machine)->id, number);
  if (!version.ok()) return version.take_error();
  if (!*version) return VersionNotFound(arn, number);
  return **version;
}

Result<Page<PublishedVersion>> Store::ListPublishedVersions(const std::string& arn,
                                                            const PageRequest& request) {
  auto size = PageSize(request.max_results);
  if (!size.ok()) return size.take_error();
  int64_t before = INT64_MAX;  // newest first: numbers below this
  if (!request.next_token.empty()) {
    auto fields = DecodeToken(request.next_token, std::string(kVersionsQuery) + arn, 1);
    if (!fields.ok()) return fields.take_error();
    auto number = TokenInt(request.next_token, (*fields)[0]);
    if (!number.ok()) return number.take_error();
    before = *number;
  }
  std::lock_guard lock(mu_);
  auto machine = ActiveMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  auto stmt = db_->Prepare(kSelectVersionPage);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, machine->id).Bind(2, before).Bind(3, int64_t{*size} + 1);
  Page<PublishedVersion> page;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == *size) {
      page.next_token = EncodeToken(std::string(kVersionsQuery) + arn,
                                    {std::to_string(page.items.back().number)});
      break;
    }
    page.items.push_back(ReadVersion(*stmt, arn));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_->Fail(rc, "listing state machine versions");
  return page;
}

Status Store::DeletePublishedVersion(const std::string& arn, int64_t number) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto machine = FindMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  if (!*machine) return OkStatus();
  const int64_t id = (*machine)->id;
  {
    auto routed = db_->Prepare(
        "SELECT name FROM state_machine_aliases WHERE state_machine_id = ?1 AND "
        "(version1 = ?2 OR version2 = ?2) ORDER BY name LIMIT 1");
    if (!routed.ok()) return routed.take_error();
    routed->Bind(1, id).Bind(2, number);
    int rc = routed->Step();
    if (rc == SQLITE_ROW) {
      return Error{"ConflictException",
                   "Version to be deleted must not be referenced by an alias. Current list of "
                   "aliases referencing this version: [" +
                       arn + ":" + routed->Text(0) +
                       "]; point the alias at another version (UpdateStateMachineAlias) or delete "
                       "it first"};
    }
    if (rc != SQLITE_DONE) return db_->Fail(rc, "reading state machine aliases");
  }
  auto stmt =
      db_->Prepare("DELETE FROM published_versions WHERE state_machine_id = ?1 AND number = ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, id).Bind(2, number);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "deleting a state machine version"));
  return tx.Commit();
}

Result<StateMachineAlias> Store::CreateAlias(const StateMachineAlias& alias) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  const std::string& arn = alias.state_machine_arn;
  auto machine = ActiveMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  auto existing = FindAlias(*db_, arn, machine->id, alias.name);
  if (!existing.ok()) return existing.take_error();
  if (*existing) {
    if ((*existing)->description == alias.description && (*existing)->routes == alias.routes) {
      return **existing;
    }
    return Error{"ConflictException",
                 "An alias with the name '" + alias.name + "' already exists for state machine '" +
                     arn +
                     "' with another configuration: change it with UpdateStateMachineAlias, or "
                     "choose another name"};
  }
  STORE_RETURN_IF_ERROR(CheckRoutes(*db_, arn, machine->id, alias.routes));
  auto count =
      CountOf(*db_, "SELECT count(*) FROM state_machine_aliases WHERE state_machine_id = ?1",
              machine->id, "counting state machine aliases");
  if (!count.ok()) return count.take_error();
  if (*count >= kMaxAliases) {
    return Error{"ServiceQuotaExceededException",
                 "state machine '" + arn + "' already has " + std::to_string(*count) +
                     " aliases, the most AWS allows: delete unused ones (DeleteStateMachineAlias) "
                     "first"};
  }
  auto insert = db_->Prepare(
      "INSERT INTO state_machine_aliases (state_machine_id, name, description, version1, "
      "weight1, version2, weight2, creation_ms, update_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
  if (!insert.ok()) return insert.take_error();
  insert->Bind(1, machine->id).Bind(2, alias.name).Bind(3, alias.description);
  BindRoutes(*insert, 4, alias.routes);
  insert->Bind(8, ToMillis(alias.creation_date));
  STORE_RETURN_IF_ERROR(db_->Run(*insert, "creating a state machine alias"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  StateMachineAlias created = alias;
  created.update_date = alias.creation_date;
  return created;
}

Result<StateMachineAlias> Store::GetAlias(const std::string& arn, const std::string& name) {
  std::lock_guard lock(mu_);
  auto machine = FindMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  if (!*machine) return AliasNotFound(arn, name);
  auto alias = FindAlias(*db_, arn, (*machine)->id, name);
  if (!alias.ok()) return alias.take_error();
  if (!*alias) return AliasNotFound(arn, name);
  return **alias;
}

Result<StateMachineAlias> Store::UpdateAlias(const std::string& arn, const std::string& name,
                                             const std::optional<std::string>& description,
                                             const std::optional<std::vector<AliasRoute>>& routes,
                                             TimePoint now) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto machine = FindMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  if (!*machine) return AliasNotFound(arn, name);
  const int64_t id = (*machine)->id;
  auto found = FindAlias(*db_, arn, id, name);
  if (!found.ok()) return found.take_error();
  if (!*found) return AliasNotFound(arn, name);
  StateMachineAlias alias = std::move(**found);
  if (description) alias.description = *description;
  if (routes) {
    STORE_RETURN_IF_ERROR(CheckRoutes(*db_, arn, id, *routes));
    alias.routes = *routes;
  }
  alias.update_date = now;
  auto update = db_->Prepare(
      "UPDATE state_machine_aliases SET description = ?3, version1 = ?4, weight1 = ?5, "
      "version2 = ?6, weight2 = ?7, update_ms = ?8 WHERE state_machine_id = ?1 AND name = ?2");
  if (!update.ok()) return update.take_error();
  update->Bind(1, id).Bind(2, name).Bind(3, alias.description);
  BindRoutes(*update, 4, alias.routes);
  update->Bind(8, ToMillis(now));
  STORE_RETURN_IF_ERROR(db_->Run(*update, "updating a state machine alias"));
  STORE_RETURN_IF_ERROR(tx.Commit());
  return alias;
}

Status Store::DeleteAlias(const std::string& arn, const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "DELETE FROM state_machine_aliases WHERE name = ?2 AND state_machine_id = "
      "(SELECT id FROM state_machines WHERE arn = ?1)");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, arn).Bind(2, name);
  return db_->Run(*stmt, "deleting a state machine alias");
}

Result<Page<StateMachineAlias>> Store::ListAliases(const std::string& arn,
                                                   const PageRequest& request) {
  auto size = PageSize(request.max_results);
  if (!size.ok()) return size.take_error();
  std::string after;  // names sort after ""
  if (!request.next_token.empty()) {
    auto fields = DecodeToken(request.next_token, std::string(kAliasesQuery) + arn, 1);
    if (!fields.ok()) return fields.take_error();
    after = (*fields)[0];
  }
  std::lock_guard lock(mu_);
  auto machine = ActiveMachine(*db_, arn);
  if (!machine.ok()) return machine.take_error();
  auto stmt = db_->Prepare(kSelectAliasPage);
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, machine->id).Bind(2, after).Bind(3, int64_t{*size} + 1);
  Page<StateMachineAlias> page;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    if (static_cast<int>(page.items.size()) == *size) {
      page.next_token = EncodeToken(std::string(kAliasesQuery) + arn, {page.items.back().name});
      break;
    }
    page.items.push_back(ReadAlias(*stmt, arn));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_->Fail(rc, "listing state machine aliases");
  return page;
}

Status Store::DeleteVersionsAndAliases(const std::string& arn) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  for (const char* sql : {"DELETE FROM state_machine_aliases WHERE state_machine_id = "
                          "(SELECT id FROM state_machines WHERE arn = ?1)",
                          "DELETE FROM published_versions WHERE state_machine_id = "
                          "(SELECT id FROM state_machines WHERE arn = ?1)"}) {
    auto stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.take_error();
    stmt->Bind(1, arn);
    STORE_RETURN_IF_ERROR(db_->Run(*stmt, "deleting state machine versions and aliases"));
  }
  return tx.Commit();
}

Status Store::RecordExecutionVersion(const std::string& execution_arn,
                                     const ExecutionVersion& version) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "INSERT OR IGNORE INTO execution_versions (execution_id, version, alias) "
      "SELECT id, ?2, ?3 FROM executions WHERE arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, execution_arn).Bind(2, version.version).Bind(3, version.alias);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "recording an execution's state machine version"));
  if (db_->Changes() == 0) {
    auto ref = LookupExecution(*db_, execution_arn, /*require_running=*/false);
    if (!ref.ok()) return ref.take_error();
  }
  return OkStatus();
}

Result<std::optional<ExecutionVersion>> Store::GetExecutionVersion(
    const std::string& execution_arn) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "SELECT v.version, v.alias FROM execution_versions v JOIN executions e "
      "ON e.id = v.execution_id WHERE e.arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, execution_arn);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<ExecutionVersion>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading an execution's state machine version");
  return std::optional<ExecutionVersion>(ExecutionVersion{stmt->Int(0), stmt->OptionalText(1)});
}

}  // namespace autoretrain::store
