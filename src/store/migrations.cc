#include "store/migrations.h"

#include <string>

namespace autoretrain::store {
namespace {

// Migration N takes the schema from version N-1 to N. Never edit a released migration; append.
constexpr const char* kMigrations[] = {
    // 1: state machines with versions, executions, history events, checkpoints.
    R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (0);
CREATE TABLE state_machines (
  id INTEGER PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  creation_ms INTEGER NOT NULL,
  version INTEGER NOT NULL);
CREATE TABLE state_machine_versions (
  state_machine_id INTEGER NOT NULL REFERENCES state_machines(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (state_machine_id, version)) WITHOUT ROWID;
CREATE TABLE executions (
  id INTEGER PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  state_machine_version INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT,
  cause TEXT,
  start_ms INTEGER NOT NULL,
  stop_ms INTEGER,
  last_event_id INTEGER NOT NULL,
  UNIQUE (state_machine_arn, name));
CREATE INDEX executions_by_start ON executions (state_machine_arn, start_ms, id);
CREATE INDEX executions_running ON executions (id) WHERE status = 'RUNNING';
CREATE INDEX executions_by_stop ON executions (stop_ms) WHERE stop_ms IS NOT NULL;
CREATE TABLE history_events (
  execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
  event_id INTEGER NOT NULL,
  previous_event_id INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  details_key TEXT NOT NULL,
  details TEXT NOT NULL,
  PRIMARY KEY (execution_id, event_id)) WITHOUT ROWID;
CREATE TABLE checkpoints (
  execution_id INTEGER PRIMARY KEY REFERENCES executions(id) ON DELETE CASCADE,
  state_name TEXT NOT NULL,
  state_input TEXT NOT NULL,
  retry_count INTEGER NOT NULL,
  engine_data TEXT NOT NULL,
  event_id INTEGER NOT NULL);
)sql",
    // 2: the task tokens of callback tasks (.waitForTaskToken).
    R"sql(
CREATE TABLE task_tokens (
  token TEXT PRIMARY KEY,
  execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
  state_name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  error TEXT,
  cause TEXT) WITHOUT ROWID;
CREATE INDEX task_tokens_by_execution ON task_tokens (execution_id);
)sql",
    // 3: activities, and the tokens of activity tasks (which activity, their input, and the
    // worker that got them).
    R"sql(
CREATE TABLE activities (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  creation_ms INTEGER NOT NULL) WITHOUT ROWID;
ALTER TABLE task_tokens ADD COLUMN activity_arn TEXT;
ALTER TABLE task_tokens ADD COLUMN input TEXT;
ALTER TABLE task_tokens ADD COLUMN worker_name TEXT;
ALTER TABLE task_tokens ADD COLUMN started_ms INTEGER;
CREATE INDEX task_tokens_scheduled ON task_tokens (activity_arn, created_ms)
  WHERE activity_arn IS NOT NULL AND started_ms IS NULL;
)sql",
    // 4: the local DynamoDB table store: tables with their description
    // (DescribeTable's JSON) and items by encoded key (hex of bytes that sort in DynamoDB's key
    // order; range_key is '' for tables without a sort key).
    R"sql(
CREATE TABLE dynamo_tables (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE dynamo_items (
  table_name TEXT NOT NULL REFERENCES dynamo_tables(name) ON DELETE CASCADE,
  hash_key TEXT NOT NULL,
  range_key TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (table_name, hash_key, range_key)) WITHOUT ROWID;
)sql",
    // 5: resource tags of state machines and activities (TagResource), by resource ARN.
    R"sql(
CREATE TABLE resource_tags (
  resource_arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource_arn, key)) WITHOUT ROWID;
)sql",
    // 6: published state machine versions (user-visible numbers pointing at a definition
    // version), the highest number ever published per machine (numbers are never reused),
    // aliases routing to one or two versions, and the version an execution was started with.
    R"sql(
CREATE TABLE published_versions (
  state_machine_id INTEGER NOT NULL REFERENCES state_machines(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  description TEXT NOT NULL,
  creation_ms INTEGER NOT NULL,
  PRIMARY KEY (state_machine_id, number)) WITHOUT ROWID;
CREATE TABLE published_version_counters (
  state_machine_id INTEGER PRIMARY KEY REFERENCES state_machines(id) ON DELETE CASCADE,
  last_number INTEGER NOT NULL);
CREATE TABLE state_machine_aliases (
  state_machine_id INTEGER NOT NULL REFERENCES state_machines(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  version1 INTEGER NOT NULL,
  weight1 INTEGER NOT NULL,
  version2 INTEGER,
  weight2 INTEGER,
  creation_ms INTEGER NOT NULL,
  update_ms INTEGER NOT NULL,
  PRIMARY KEY (state_machine_id, name)) WITHOUT ROWID;
CREATE TABLE execution_versions (
  execution_id INTEGER PRIMARY KEY REFERENCES executions(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  alias TEXT);
)sql",
    // 7: EventBridge Scheduler schedule groups and schedules created through the API, each as
    // its JSON document.
    R"sql(
CREATE TABLE scheduler_groups (
  name TEXT PRIMARY KEY,
  document TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE scheduler_schedules (
  group_name TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (group_name, name)) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

}  // namespace

Result<int> ReadSchemaVersion(Database& db) {
  auto exists = db.Prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
  if (!exists.ok()) return exists.take_error();
  if (int rc = exists->Step(); rc != SQLITE_ROW) return db.Fail(rc, "reading the schema version");
  if (exists->Int(0) == 0) return 0;
  auto version = db.Prepare("SELECT max(version) FROM schema_version");
  if (!version.ok()) return version.take_error();
  if (int rc = version->Step(); rc != SQLITE_ROW) return db.Fail(rc, "reading the schema version");
  return static_cast<int>(version->Int(0));
}

Status Migrate(Database& db) {
  auto version = ReadSchemaVersion(db);
  if (!version.ok()) return version.take_error();
  auto too_new = [&](int found) {
    return Error{kStoreSchemaTooNew,
                 "database '" + db.path() + "' has schema version " + std::to_string(found) +
                     ", written by a newer autoretrain; this one understands up to version " +
                     std::to_string(kSchemaVersion) + ". Upgrade autoretrain to open it."};
  };
  if (*version > kSchemaVersion) return too_new(*version);
  if (*version == kSchemaVersion) return OkStatus();
  if (db.read_only() && *version == 0) {
    return Error{kStoreUninitialized, "database '" + db.path() + "' has no schema yet"};
  }
  if (db.read_only()) {
    return Error{kStoreReadOnly, "database '" + db.path() + "' needs its schema upgraded from " +
                                     std::to_string(*version) + " to " +
                                     std::to_string(kSchemaVersion) + " but was opened read-only"};
  }
  Transaction tx(db);
  STORE_RETURN_IF_ERROR(tx.Begin());
  // Another process may have migrated between the first read and taking the write lock.
  version = ReadSchemaVersion(db);
  if (!version.ok()) return version.take_error();
  if (*version > kSchemaVersion) return too_new(*version);
  for (int next = *version + 1; next <= kSchemaVersion; ++next) {
    const std::string doing = "applying schema migration " + std::to_string(next);
    STORE_RETURN_IF_ERROR(db.Exec(kMigrations[next - 1], doing));
    const std::string set = "UPDATE schema_version SET version = " + std::to_string(next);
    STORE_RETURN_IF_ERROR(db.Exec(set.c_str(), doing));
  }
  return tx.Commit();
}

}  // namespace autoretrain::store
