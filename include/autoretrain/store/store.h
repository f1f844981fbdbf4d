// Store: the durable record of state machines, executions, their event histories and the
// checkpoints running executions resume from. One SQLite database: a file in the project's
// data folder (WAL journal) or an in-memory database for `autoretrain run`, `serve --in-memory`
// and tests, which keeps its history events outside SQLite (src/store/event_log.h).
//
// Durability. With Durability::kFull (the default for files) every commit is fsynced before
// Commit returns (PRAGMA synchronous=FULL in WAL mode): an accepted execution survives SIGKILL,
// an OS crash and power loss. kNormal (synchronous=NORMAL) survives SIGKILL but may lose the
// last commits on power loss; it is only for throwaway data. The price of kFull is an fsync
// per transaction, which is why writes are batched (WriteBatch, CommitGroup, GroupCommitter);
// bench/store_bench.cc measures it (figures in group_commit.h).
//
// Errors. Domain errors use AWS's names (StateMachineDoesNotExist, StateMachineAlreadyExists,
// ExecutionDoesNotExist, ExecutionAlreadyExists, InvalidToken, ValidationException) plus
// ExecutionNotRunning and InvalidHistoryEvent. SQLite failures become one of kStoreFull,
// kStoreReadOnly, kStoreLocked, kStoreCorrupt, kStoreError with a cause naming the database
// file, what was being done and SQLite's message. A failed write leaves the database as it was
// before the transaction. Nothing throws.
//
// Thread-safety: all methods may be called from any thread. One connection per Store, guarded
// by a mutex: calls run one at a time. Purge releases the mutex between its batches.
#ifndef AUTORETRAIN_STORE_STORE_H_
#define AUTORETRAIN_STORE_STORE_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/store/dynamo_tables.h"  // DynamoDB tables (local table store)
#include "autoretrain/store/records.h"
#include "autoretrain/store/write_batch.h"

namespace autoretrain::store {

// Error names of storage failures (Error::error).
inline constexpr char kStoreFull[] = "StoreFull";          // disk full or size limit reached
inline constexpr char kStoreReadOnly[] = "StoreReadOnly";  // read-only file, mount or no permission
inline constexpr char kStoreLocked[] = "StoreLocked";      // another process holds the database
inline constexpr char kStoreCorrupt[] = "StoreCorrupt";    // not a database, or damaged
inline constexpr char kStoreError[] = "StoreError";        // any other SQLite failure
// True for the storage failures that pass by themselves (the lock is released, space is freed,
// an I/O error clears): a write that failed with one is worth trying again later.
inline bool IsTransientStoreError(std::string_view error) {
  return error == kStoreLocked || error == kStoreFull || error == kStoreError;
}
// A read-only open found no schema at all: a new database nothing was recorded in yet (another
// process may be creating it at this moment).
inline constexpr char kStoreUninitialized[] = "StoreUninitialized";
// The file was written by a newer autoretrain (its schema version is above kSchemaVersion).
inline constexpr char kStoreSchemaTooNew[] = "StoreSchemaTooNew";

// The schema version this build creates and understands.
inline constexpr int kSchemaVersion = 7;  // 4: DynamoDB tables; 5: resource tags
// 6: published versions and aliases
// 7: EventBridge Scheduler schedules

// Resource tags: one tag of a state machine or activity (AWS's Tag shape).
struct ResourceTag {
  std::string key;
  std::string value;
  bool operator==(const ResourceTag&) const = default;
};
// AWS's limit of tags per resource (TooManyTags beyond it).
inline constexpr size_t kMaxTagsPerResource = 50;

// A Scheduler API schedule group or schedule as stored (Store's *Scheduler* methods).
struct SchedulerGroupRecord {
  std::string name;
  std::string document;  // JSON text
};
struct SchedulerScheduleRecord {
  std::string group;
  std::string name;
  std::string document;  // JSON text
};

// Published versions and aliases (store_versions.cc): the user-visible version numbers of
// PublishStateMachineVersion, each pointing at one definition revision (the internal versions
// above), and aliases routing executions to one or two of them.
struct PublishedVersion {
  std::string state_machine_arn;
  int64_t number = 0;    // 1, 2, ... per state machine, never reused
  int64_t revision = 0;  // the definition version (StateMachineRecord::version) it runs
  std::string description;
  TimePoint creation_date;
  // arn:...:stateMachine:NAME:NUMBER
  std::string Arn() const { return state_machine_arn + ":" + std::to_string(number); }
};
struct AliasRoute {
  int64_t version = 0;  // a PublishedVersion::number
  int64_t weight = 0;   // percent
  bool operator==(const AliasRoute&) const = default;
};
struct StateMachineAlias {
  std::string state_machine_arn;
  std::string name;
  std::string description;
  std::vector<AliasRoute> routes;  // 1 or 2, weights summing to 100
  TimePoint creation_date;
  TimePoint update_date;
  // arn:...:stateMachine:NAME:ALIAS
  std::string Arn() const { return state_machine_arn + ":" + name; }
};
// Which published version (and through which alias) an execution was started with.
struct ExecutionVersion {
  int64_t version = 0;
  std::optional<std::string> alias;
};
// Which executions ListExecutions lists (a version or alias ARN given to AWS's ListExecutions):
// those started with `version` (directly or through an alias), those started through `alias`;
// every execution when both are unset.
struct ExecutionVersionFilter {
  std::optional<int64_t> version;
  std::optional<std::string> alias;
};
// AWS's quotas: versions and aliases per state machine (ServiceQuotaExceededException beyond).
inline constexpr int64_t kMaxPublishedVersions = 1000;
inline constexpr int64_t kMaxAliases = 100;

class Database;  // the SQLite connection (internal: src/store/database.h)

enum class Durability { kFull, kNormal };

struct StoreOptions {
  Durability durability = Durability::kFull;
  // How long a write waits for another process's lock before failing with StoreLocked.
  std::chrono::milliseconds busy_timeout{5000};
  // Open without writing anything (no migration; writes fail with StoreReadOnly).
  bool read_only = false;
  // When set, the database may not grow past this many bytes (writes beyond fail with
  // StoreFull, as a full disk would). Rounded down to whole pages.
  std::optional<int64_t> max_size_bytes;
};

class Store {
 public:
  // Opens (creating if needed) the database file at `path` and brings its schema up to
  // kSchemaVersion in one transaction. Fails with a Store* error: kStoreSchemaTooNew for a
  // newer file, kStoreCorrupt for a file that is not a database, kStoreReadOnly when it cannot
  // be created or migrated (kStoreUninitialized when opened read-only before any schema),
  // kStoreLocked when another process holds it past busy_timeout.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreOptions options = {});
  // A private in-memory database with the current schema (gone when the Store is destroyed).
  static Result<std::unique_ptr<Store>> OpenInMemory();
  ~Store();

  // The schema version of the open database (kSchemaVersion after a successful Open).
  Result<int> SchemaVersion();
  // Runs PRAGMA integrity_check; returns "ok" when the database is sound, else its findings.
  Result<std::string> IntegrityCheck();

  // ---- State machines (state_machines.cc) ----

  // Creates version 1. StateMachineAlreadyExists when the name or ARN is taken (or
  // StateMachineDeleting when a machine of that name is being deleted).
  Result<StateMachineRecord> CreateStateMachine(const NewStateMachine& machine);
  // A new version with `definition` (and `role_arn` when non-empty); earlier versions are kept
  // for the executions that run them. An unchanged definition and role make no new version.
  // StateMachineDoesNotExist when unknown or being deleted.
  Result<StateMachineRecord> UpdateStateMachine(const std::string& arn,
                                                const std::string& definition,
                                                const std::string& role_arn, TimePoint now);
  // The latest version. StateMachineDoesNotExist when unknown.
  Result<StateMachineRecord> GetStateMachine(const std::string& arn);
  // A given version (also of a machine being deleted). StateMachineDoesNotExist when unknown.
  Result<StateMachineRecord> GetStateMachineVersion(const std::string& arn, int64_t version);
  // Active machines in name order. InvalidToken, ValidationException (maxResults).
  Result<Page<StateMachineRecord>> ListStateMachines(const PageRequest& request);
  // Deletes the machine and its versions; if executions of it are still stored it is marked
  // DELETING instead and removed by Purge once they are gone. StateMachineDoesNotExist.
  Status DeleteStateMachine(const std::string& arn);

  // ---- Executions (executions.cc) ----

  // Commits one StartExecution (see WriteBatch::StartExecution).
  Status StartExecution(const NewExecution& execution,
                        const std::vector<engine::HistoryEvent>& first_events);
  // The execution named `name` of `state_machine_arn`, or nullopt: what StartExecution needs to
  // apply AWS's rule (same input: return it; different input: ExecutionAlreadyExists).
  Result<std::optional<ExecutionRecord>> FindExecution(const std::string& state_machine_arn,
                                                       const std::string& name);
  // ExecutionDoesNotExist when unknown.
  Result<ExecutionRecord> DescribeExecution(const std::string& arn);
  // Executions of a state machine, newest start first, optionally only those with `status`
  // and those `started_with` selects. StateMachineDoesNotExist, InvalidToken,
  // ValidationException (maxResults).
  Result<Page<ExecutionRecord>> ListExecutions(const std::string& state_machine_arn,
                                               std::optional<engine::ExecutionStatus> status,
                                               const PageRequest& request,
                                               const ExecutionVersionFilter& started_with = {});
  // Every RUNNING execution, oldest first: what to resume at startup.
  Result<std::vector<ExecutionRecord>> ListRunningExecutions();
  // Commits one FinishExecution (see WriteBatch::FinishExecution).
  Status FinishExecution(const ExecutionEnd& end,
                         const std::vector<engine::HistoryEvent>& last_events);
  // AWS StopExecution, in one transaction. A RUNNING execution gets one "ExecutionAborted"
  // event (id last_event_id + 1, timestamp `now`, executionAbortedEventDetails holding the
  // given error and cause), status ABORTED, stop date `now`, the given error and cause, and
  // loses its checkpoint; whoever was running it then finds RecordStep and FinishExecution
  // refused with ExecutionNotRunning. An execution that already finished is left as it was
  // (no error, as AWS). Returns the execution as it now is (its stop_date is stopDate).
  // ExecutionDoesNotExist when unknown; ValidationException when `error` is longer than 256
  // bytes or `cause` longer than 32768 (AWS's limits).
  Result<ExecutionRecord> StopExecution(const std::string& execution_arn,
                                        const std::optional<std::string>& error,
                                        const std::optional<std::string>& cause, TimePoint now);

  // ---- History and checkpoints (history.cc, checkpoints.cc) ----

  // Appends events (and replaces the checkpoint when given) in one transaction; see
  // WriteBatch::RecordStep for the errors.
  Status RecordStep(const std::string& execution_arn,
                    const std::vector<engine::HistoryEvent>& events,
                    const std::optional<Checkpoint>& checkpoint);
  // A page of the history as GetExecutionHistory returns it. ExecutionDoesNotExist,
  // InvalidToken (also a token of another execution or direction), ValidationException.
  Result<Page<engine::HistoryEvent>> GetExecutionHistory(const std::string& execution_arn,
                                                         const HistoryQuery& query);
  // The checkpoint of a running execution, or nullopt when none was written (or it finished).
  // ExecutionDoesNotExist when unknown.
  Result<std::optional<Checkpoint>> GetCheckpoint(const std::string& execution_arn);

  // ---- Activities (activities.cc) ----

  // Creates activity `name` with ARN `arn`, or returns the existing one of that name (AWS's
  // CreateActivity is idempotent by name).
  Result<ActivityRecord> CreateActivity(const std::string& arn, const std::string& name,
                                        TimePoint now);
  // ActivityDoesNotExist when unknown.
  Result<ActivityRecord> DescribeActivity(const std::string& arn);
  // By name. InvalidToken, ValidationException (maxResults).
  Result<Page<ActivityRecord>> ListActivities(const PageRequest& request);
  // Deletes it (OK when it does not exist, as AWS). Tasks already scheduled stay until their
  // executions end.
  Status DeleteActivity(const std::string& arn);
  // Registers the task token of an activity task of the RUNNING `execution_arn` with its input
  // (JSON text), scheduled for workers of `activity_arn` (again: kept as it is).
  // ActivityDoesNotExist, ExecutionDoesNotExist, ExecutionNotRunning.
  Status RegisterActivityTask(const std::string& token, const std::string& execution_arn,
                              const std::string& state_name, const std::string& activity_arn,
                              const std::string& input, TimePoint now);
  // The oldest task of `activity_arn` no worker has got yet, now given to `worker_name`
  // (GetActivityTask; the caller polls for the long poll), or nullopt when there is none. Tasks
  // of executions no longer running are passed over. ActivityDoesNotExist.
  Result<std::optional<ActivityTask>> GetActivityTask(const std::string& activity_arn,
                                                      const std::string& worker_name,
                                                      TimePoint now);

  // Resource tags (store_tags.cc). They are keyed by resource ARN alone: the caller checks
  // that the resource exists and removes the tags when it deletes the resource.

  // Adds `tags` to `resource_arn` in one transaction; a key it already has gets the new value
  // (within `tags`, the last of a repeated key wins). TooManyTags, naming the resource, when it
  // would then have more than kMaxTagsPerResource tags: nothing is written.
  Status TagResource(const std::string& resource_arn, const std::vector<ResourceTag>& tags);
  // Removes the tags with `keys` (keys it does not have are skipped, as AWS) in one transaction.
  Status UntagResource(const std::string& resource_arn, const std::vector<std::string>& keys);
  // The resource's tags in key order (empty when it has none).
  Result<std::vector<ResourceTag>> ListResourceTags(const std::string& resource_arn);
  // Removes every tag of the resource (when it is deleted).
  Status DeleteResourceTags(const std::string& resource_arn);

  // EventBridge Scheduler schedules (store_schedules.cc): the schedule groups and schedules
  // created through the Scheduler API, each stored as its document (JSON text the server
  // layer writes and reads; the store does not look inside). Keyed by group and name.

  // Creates group `name` with `tags` (ListResourceTags(arn)) in one transaction.
  // ConflictException, naming it, when it exists; TooManyTags as TagResource.
  Status CreateSchedulerGroup(const std::string& name, const std::string& document,
                              const std::string& arn, const std::vector<ResourceTag>& tags);
  // The group's document, or nullopt when there is no such group.
  Result<std::optional<std::string>> GetSchedulerGroup(const std::string& name);
  // Every group in name order.
  Result<std::vector<SchedulerGroupRecord>> ListSchedulerGroups();
  // Deletes the group, every schedule in it and its tags (those of `arn`), in one
  // transaction. ResourceNotFoundException, naming it, when there is no such group.
  Status DeleteSchedulerGroup(const std::string& name, const std::string& arn);
  // Creates the schedule. ConflictException when the group already has one of that name.
  Status CreateSchedulerSchedule(const SchedulerScheduleRecord& schedule);
  // Replaces the document of an existing schedule. ResourceNotFoundException when unknown.
  Status ReplaceSchedulerSchedule(const SchedulerScheduleRecord& schedule);
  // The schedule's document, or nullopt when unknown.
  Result<std::optional<std::string>> GetSchedulerSchedule(const std::string& group,
                                                          const std::string& name);
  // Every schedule, by group then name.
  Result<std::vector<SchedulerScheduleRecord>> ListSchedulerSchedules();
  // Deletes the schedule. ResourceNotFoundException when unknown.
  Status DeleteSchedulerSchedule(const std::string& group, const std::string& name);

  // ---- Published versions and aliases (store_versions.cc) ----

  // Publishes the current revision of the ACTIVE machine `arn` as a new version numbered one
  // past the highest ever published (numbers are never reused), or returns the version that
  // already publishes that revision (AWS's idempotency; its description is kept).
  // StateMachineDoesNotExist (unknown or being deleted); ConflictException when
  // `expected_revision` is set and is not the current revision; ServiceQuotaExceededException
  // when the machine already has kMaxPublishedVersions versions.
  Result<PublishedVersion> PublishStateMachineVersion(const std::string& arn,
                                                      std::optional<int64_t> expected_revision,
                                                      const std::string& description,
                                                      TimePoint now);
  // Version `number` of `arn`. ResourceNotFound when there is none.
  Result<PublishedVersion> GetPublishedVersion(const std::string& arn, int64_t number);
  // The versions of `arn`, newest first. StateMachineDoesNotExist, InvalidToken,
  // ValidationException (maxResults).
  Result<Page<PublishedVersion>> ListPublishedVersions(const std::string& arn,
                                                       const PageRequest& request);
  // Deletes version `number` (OK when there is none, as AWS). ConflictException, naming the
  // alias, when an alias routes to it.
  Status DeletePublishedVersion(const std::string& arn, int64_t number);
  // Creates alias `alias.name` of `alias.state_machine_arn` (creation_date and update_date
  // from `alias.creation_date`). Creating the same alias again (same description and routes)
  // returns the existing one. StateMachineDoesNotExist; ResourceNotFound when a routed version
  // does not exist; ConflictException when an alias of that name exists with another
  // configuration; ServiceQuotaExceededException beyond kMaxAliases.
  Result<StateMachineAlias> CreateAlias(const StateMachineAlias& alias);
  // The alias `name` of `arn`. ResourceNotFound when there is none.
  Result<StateMachineAlias> GetAlias(const std::string& arn, const std::string& name);
  // Replaces the description and/or routes that are set; update_date becomes `now`.
  // ResourceNotFound for an unknown alias or routed version.
  Result<StateMachineAlias> UpdateAlias(const std::string& arn, const std::string& name,
                                        const std::optional<std::string>& description,
                                        const std::optional<std::vector<AliasRoute>>& routes,
                                        TimePoint now);
  // Deletes the alias (OK when there is none).
  Status DeleteAlias(const std::string& arn, const std::string& name);
  // The aliases of `arn` in name order. StateMachineDoesNotExist, InvalidToken,
  // ValidationException (maxResults).
  Result<Page<StateMachineAlias>> ListAliases(const std::string& arn, const PageRequest& request);
  // Deletes every version and alias of `arn` (when the machine is deleted).
  Status DeleteVersionsAndAliases(const std::string& arn);
  // Records that the stored execution `execution_arn` was started with `version` (kept as it
  // is when already recorded). ExecutionDoesNotExist.
  Status RecordExecutionVersion(const std::string& execution_arn, const ExecutionVersion& version);
  // What RecordExecutionVersion recorded, or nullopt (started with the machine's own ARN).
  Result<std::optional<ExecutionVersion>> GetExecutionVersion(const std::string& execution_arn);

  // ---- Task tokens of callback tasks (task_tokens.cc) ----

  // Registers `token`, issued to a .waitForTaskToken task of the RUNNING execution
  // `execution_arn` in state `state_name`, as WAITING (again registering it keeps it as it
  // is: a resumed task reuses its token). ExecutionDoesNotExist, ExecutionNotRunning.
  Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                           const std::string& state_name, TimePoint now);
  // The token as it is now. TaskDoesNotExist when unknown.
  Result<TaskTokenRecord> GetTaskToken(const std::string& token);
  // SendTaskSuccess (`completion.output` set) or SendTaskFailure (`error`/`cause`), as AWS
  // answers them: TaskDoesNotExist for an unknown token or one whose execution has ended,
  // TaskTimedOut for one already completed; ValidationException for an error longer than 256
  // bytes or a cause longer than 32768.
  Status CompleteTaskToken(const std::string& token, const TaskCompletion& completion,
                           TimePoint now);
  // SendTaskHeartbeat: records `now` as the token's last heartbeat. Errors as above.
  Status HeartbeatTaskToken(const std::string& token, TimePoint now);

  // ---- DynamoDB tables of the local table store (dynamo_tables.cc, dynamo_items.cc) ----

  // Creates table `name` with `description` (JSON text). ResourceInUseException when a table
  // of that name exists.
  Status CreateDynamoTable(const std::string& name, const std::string& description);
  // The table's description, or nullopt when there is no such table.
  Result<std::optional<std::string>> GetDynamoTable(const std::string& name);
  // Deletes the table and all its items in one transaction. ResourceNotFoundException.
  Status DeleteDynamoTable(const std::string& name);
  // Up to `limit` table names after `after` (all from the first when empty), in name order.
  Result<std::vector<std::string>> ListDynamoTables(const std::string& after, int64_t limit);
  // How many items the table holds and their stored size. ResourceNotFoundException.
  Result<DynamoTableStats> DynamoTableStatistics(const std::string& name);
  // The item (JSON text) stored under `key`, or nullopt. ResourceNotFoundException when the
  // table does not exist.
  Result<std::optional<std::string>> GetDynamoItem(const std::string& table, const DynamoKey& key);
  // The items in `range` (see DynamoItemRange), in its order. ResourceNotFoundException.
  Result<std::vector<DynamoItemRow>> ReadDynamoItems(const std::string& table,
                                                     const DynamoItemRange& range);
  // A conditional write in one transaction: reads the item under `key`, calls `decide` with
  // it, and applies what it returns (put, delete or nothing). Nothing is written when the
  // table does not exist (ResourceNotFoundException), `decide` fails (its error) or SQLite
  // fails. `decide` runs with the store's lock held: it must not call the Store.
  Status WriteDynamoItem(const std::string& table, const DynamoKey& key,
                         const DynamoDecide& decide);

  // ---- Batches (store.cc) ----

  // Applies every operation of `batch` in one transaction: all or nothing. On failure the
  // error of the first failing operation, and nothing was written.
  Status Commit(const WriteBatch& batch);
  // Applies many batches in one transaction (one fsync), each all or nothing: a failing batch
  // is rolled back alone and the others still commit. Returns one Status per batch, in order;
  // when the transaction itself cannot commit, every batch gets that error.
  std::vector<Status> CommitGroup(const std::vector<const WriteBatch*>& batches);

  // ---- Retention (retention.cc) ----

  // Deletes executions that finished before `cutoff`, with their events and checkpoints,
  // `batch_size` executions per transaction (the mutex is released between transactions so
  // running work interleaves), then state machines marked DELETING that have no executions
  // left. Returns how many executions were deleted; on failure, the error (batches already
  // committed stay deleted).
  Result<int64_t> PurgeFinishedBefore(TimePoint cutoff, int batch_size = 500);

 private:
  explicit Store(std::unique_ptr<Database> db);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_STORE_H_
