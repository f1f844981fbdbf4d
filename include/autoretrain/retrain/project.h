// A project: the folder a user works in. It holds the configuration (autoretrain.json), the
// state machine definitions, command functions and the local bucket directory:
//
//   autoretrain.json                  region, account, buckets_dir, data_dir, retention_days,
//                                     state_machines, functions, check, schedules, object_store,
//                                     integrations
//                                     (docs/project.md)
//   state_machines/*.asl.json         Amazon States Language definitions
//   functions/                        command functions (event JSON on stdin, result on stdout)
//   buckets/<bucket>/<key>            the local object store: s3://bucket/key
//   data/autoretrain.db               the store: every execution's record and history
//
// This header loads and validates the configuration (ProjectConfig), writes the starter project
// (InitProject), wires a configuration into a runnable set of functions, state machines and
// executions (LocalRuntime), and runs the retraining check once (RunCheck). The CLI and the
// future server share these; nothing here prints.
//
// Thread-safety: ProjectConfig is a plain value. LocalRuntime is filled (Add*) on one thread
// before it runs anything; Run and WaitAll may then be called from any thread. RunCheck and
// the loading functions are safe to call concurrently.
#ifndef AUTORETRAIN_RETRAIN_PROJECT_H_
#define AUTORETRAIN_RETRAIN_PROJECT_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_task.h"
#include "autoretrain/aws/remote_selection.h"
#include "autoretrain/aws/sns.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/integrations/execution_service.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/history_recorder.h"
#include "autoretrain/integrations/object_store.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/alert_function.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/retrain/policy.h"
#include "autoretrain/retrain/policy_function.h"

namespace autoretrain::retrain {

// The configuration file's name inside a project directory.
inline constexpr std::string_view kProjectConfigFile = "autoretrain.json";
// The built-in decision function's name (always registered by LocalRuntime).
inline constexpr std::string_view kDecisionFunctionName = "check_retraining_decision";
// The placeholder of the seed's trigger definition that InitProject fills in.
inline constexpr std::string_view kPipelineArnPlaceholder = "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE";
// The starter project's training pipeline state machine (the ARN InitProject writes).
inline constexpr std::string_view kPipelineStateMachineName = "creditcard-training-pipeline";
// The store's file name inside the project's data_dir.
inline constexpr std::string_view kDatabaseFile = "autoretrain.db";
// The file the local SNS topics append each published message to (one JSON line each), in
// the data_dir (the project folder without one).
inline constexpr std::string_view kSnsMessagesFile = "sns-messages.jsonl";

// One entry of "functions".
struct FunctionConfig {
  enum class Kind { kBuiltin, kCommand };
  Kind kind = Kind::kBuiltin;
  // kBuiltin: the decision function, reading this location of the object store.
  DecisionConfig decision;
  // kCommand: argv (argv[0] is looked up in PATH; relative paths are relative to the project
  // directory, which is also the working directory), timeout, extra environment, and which of
  // the daemon's variables it gets besides integrations::kInheritedEnvironment.
  std::vector<std::string> command;
  int timeout_seconds = 300;
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<std::string> inherit_environment;
};

// One entry of "schedules": fires `state_machine` with `input` at the slots of `expression`
// (EventBridge Scheduler syntax, evaluated in `timezone`); see ScheduleRunner.
struct ScheduleConfig {
  std::string expression;  // "cron(...)", "rate(...)" or "at(...)"; validated
  std::string timezone = "UTC";
  // A configured state machine's name and its input: "state_machine" and "input", or, with
  // "model", the retraining trigger and the model's ModelTriggerInput.
  std::string state_machine;
  json::Value input = json::Object{};
  std::string model;    // "model", when the schedule names one
  bool enabled = true;  // "state": "ENABLED" (default) or "DISABLED"
  // "flexible_time_window": 0 for mode OFF, else FLEXIBLE's maximum_window_minutes (1-1440).
  int flexible_window_minutes = 0;
  // "start_date" / "end_date" (StartDate/EndDate): no slot before or after them. As AWS does,
  // they do not apply to at() schedules.
  std::optional<TimePoint> start_date;
  std::optional<TimePoint> end_date;
  // "retry_policy" (RetryPolicy), AWS's defaults.
  int maximum_retry_attempts = 185;       // 0-185
  int maximum_event_age_seconds = 86400;  // 60-86400
  // "action_after_completion": "DELETE" (true) or "NONE" (false, the default).
  bool delete_after_completion = false;

  // Not EventBridge options (its schedules never miss a slot): what the daemon does with slots
  // that passed while nothing could fire them, and while the previous execution still runs.
  // See ScheduleRunner and docs/schedules.md.
  enum class MissedSlots {
    kSkip,    // "SKIP" (default, as AWS): none is fired late
    kLatest,  // "LATEST": the most recent one, within the window
    kAll,     // "ALL": every one within the window, oldest first
  };
  // "missed_slots": {"policy": ..., "window_minutes": 1 to retention_days * 1440}.
  MissedSlots missed_slots = MissedSlots::kSkip;
  int catch_up_window_minutes = 1440;
  enum class Overlap {
    kAllow,      // "ALLOW" (default, as AWS): start it anyway
    kSkip,       // "SKIP": drop the slot
    kBufferOne,  // "BUFFER_ONE": start it when the previous ends; later slots meanwhile drop
  };
  Overlap overlap = Overlap::kAllow;  // "overlap"
};

// Which object store the decision function and the aws-sdk:s3:* tasks use ("object_store").
struct ObjectStoreConfig {
  enum class Type {
    kLocal,  // "local" (default): the directory buckets_dir
    kS3,     // "s3": S3 or an S3-compatible store (aws::MakeS3ObjectStore)
  };
  Type type = Type::kLocal;
  std::string region;                       // "" : AWS_REGION, profile, else the project's region
  std::optional<std::string> endpoint_url;  // unset: AWS_ENDPOINT_URL_S3, ..., AWS's endpoint
  std::optional<bool> path_style;           // unset: path-style for custom endpoints
};

// Where the task resources of one AWS service run ("integrations.<service>"; docs/project.md).
struct ServiceBackendConfig {
  // "backend": "remote" selects all its resources (`all`); "remote_resources": ARNs that run
  // remotely even when the backend is "local" (the default), a trailing '*' matching a prefix.
  aws::RemoteSelection remote;
  std::string region;                       // "": AWS_REGION, profile, else the project's
  std::optional<std::string> endpoint_url;  // unset: AWS_ENDPOINT_URL_<SERVICE>, ..., AWS's

  // Whether any resource runs remotely.
  bool AnyRemote() const { return remote.all || !remote.patterns.empty(); }
};

// "integrations": which backend each service's task resources use. Local by default.
struct IntegrationsConfig {
  ServiceBackendConfig states;    // state machines started by states:startExecution
  ServiceBackendConfig lambda;    // functions invoked by lambda:invoke or their ARN
  ServiceBackendConfig sns;       // topics published to
  ServiceBackendConfig dynamodb;  // tables
  // "dynamodb.tables": tables the local table store creates when they do not exist yet, by
  // name, each a DynamoDB CreateTable request without its TableName.
  std::map<std::string, json::Value> dynamodb_tables;
  // "sns.topics": the topics the local backend knows, with their http(s) subscriptions.
  std::vector<aws::LocalSnsTopic> sns_topics;
  // "http": the EventBridge connections arn:aws:states:::http:invoke tasks authenticate with,
  // and whether http:// endpoints are allowed ("allow_plain_http", default true).
  std::vector<aws::HttpConnection> http_connections;
  bool http_allow_plain_http = true;
};

// An object in the object store.
struct DecisionLocation {
  std::string bucket;
  std::string key;
};

// One entry of "models": what the retraining trigger needs to run for this model.
struct ModelConfig {
  ModelPolicy policy;  // "policy"
  // "decision": {"bucket", "key"}: where the monitoring job leaves this model's decision file.
  // Unset: the check_retraining_decision function's configured location.
  std::optional<DecisionLocation> decision;
  // "pipeline": the training pipeline the trigger starts, as a state machine ARN (the field
  // takes a project state machine's name or an ARN). "": not configured.
  std::string pipeline_arn;
};

// "models" and "retraining": each model's retraining policy and where the retraining history
// is kept; read by the built-in evaluate_retraining_policy (docs/retraining-policy.md).
struct RetrainingConfig {
  // "retraining.history_table": the ledger table (created in the local table store unless
  // integrations.dynamodb sends it to DynamoDB).
  std::string history_table = "autoretrain-retraining-history";
  // "retraining.trigger": the state machine that schedules and `check` naming a "model" run,
  // with ModelTriggerInput as input. Default: kPolicyTriggerName.
  std::string trigger;
  // "models": {NAME: {"policy": {...}, "decision": {...}, "pipeline": NAME_OR_ARN}}.
  std::map<std::string, ModelConfig, std::less<>> models;
  // "retraining.unknown_models": "default" (a model without a policy gets the default policy)
  // or "reject" (it fails with UnknownModel).
  bool reject_unknown_models = false;
};

struct ProjectConfig {
  std::string dir;          // absolute project directory
  AccountContext account;   // region and account_id
  std::string buckets_dir;  // absolute; the local object store root
  std::string data_dir;     // absolute; holds the store. Empty: no store (history in memory only)
  // How many days a finished execution stays in the store ("retention_days", 1 to 36500; AWS
  // keeps closed executions 90 days). PurgeExpiredExecutions applies it.
  int retention_days = 90;
  ObjectStoreConfig object_store;                     // "object_store"; local by default
  IntegrationsConfig integrations;                    // "integrations"; local by default
  RetrainingConfig retraining;                        // "models" and "retraining"
  AlertsConfig alerts;                                // "alerts" (send_retraining_alert)
  std::map<std::string, std::string> state_machines;  // name -> absolute definition path
  std::map<std::string, FunctionConfig> functions;    // name -> function
  // "check.state_machine" and "check.input", or, with "check.model", the retraining trigger
  // and that model's ModelTriggerInput. Empty when not configured.
  std::string check_state_machine;
  json::Value check_input = json::Object{};
  std::map<std::string, ScheduleConfig> schedules;  // name -> schedule ("schedules")
};

// The input the retraining trigger runs with for model `name` of `config`:
// {"model": NAME, "decision_location": {"bucket", "key"}, "pipeline_arn": ARN}
// (docs/retraining-policy.md#many-models). Fails with Error{"InvalidProjectConfig", ...} when
// the model is not configured or has no pipeline.
Result<json::Value> ModelTriggerInput(const ProjectConfig& config, std::string_view name);

// The state machine that runs the retraining loop for a model: retraining.trigger, by default
// kPolicyTriggerName. Fails with Error{"InvalidProjectConfig", ...} when it is not one of the
// configured state machines.
Result<std::string> RetrainingTrigger(const ProjectConfig& config);

// Reads and validates DIR/autoretrain.json. On failure returns Error{"InvalidProjectConfig",
// cause} where the cause lists every problem, one per line, each naming the file, the field path
// and what was expected ("autoretrain.json: functions.prepare_data.timeout_seconds: expected a
// positive integer, got string"); unknown fields get a "did you mean" hint when one is close.
// A missing or unreadable file fails with Error{"ProjectNotFound", ...}.
Result<ProjectConfig> LoadProject(const std::string& dir);

// Validates configuration text as LoadProject does; relative paths resolve against `dir`.
// Checks that definition files exist.
Result<ProjectConfig> ParseProjectConfig(std::string_view text, const std::string& dir);

// The configuration used when there is no project: account defaults, buckets_dir = DIR/buckets,
// no data_dir (nothing is stored), no state machines, no functions besides the built-in one.
ProjectConfig DefaultProject(const std::string& dir);

// The starter project's triggers: the seed's (the default `check` and schedule target) and
// the policy-driven one (state_machines/policy_trigger.asl.json).
inline constexpr std::string_view kSeedTriggerName = "creditcard-auto-retraining-trigger";
inline constexpr std::string_view kPolicyTriggerName = "creditcard-policy-retraining-trigger";
enum class StarterTemplate {
  kSeed,    // `check` and the weekly schedule run the seed's trigger
  kPolicy,  // they run the policy-driven trigger (the seed's stays in the project)
};

// Writes every file of the embedded starter project (project_template.h) into `dir`, creating
// directories; in state_machines/retraining_trigger.asl.json the pipeline ARN placeholder is
// replaced with the ARN of creditcard-training-pipeline in the default account; with
// StarterTemplate::kPolicy, autoretrain.json's check and schedule name the policy trigger. Without
// `force`, fails with Error{"FileExists", "<path> already exists ..."} before writing anything
// if any target file exists. Other failures: Error{"WriteFailed", ...}. On success returns
// the relative paths written, sorted.
Result<std::vector<std::string>> InitProject(const std::string& dir, bool force,
                                             StarterTemplate starter = StarterTemplate::kSeed);

// DATA_DIR/autoretrain.db, or "" when the configuration has no data_dir.
std::string DatabasePath(const ProjectConfig& config);

// Opens the project's store for reading what was recorded. When the database file does not
// exist yet, an empty in-memory store (nothing was recorded). Fails with the store's errors
// (StoreLocked, StoreCorrupt, ...) or Error{"InvalidProjectConfig", ...} without a data_dir.
Result<std::unique_ptr<store::Store>> OpenProjectStore(const ProjectConfig& config);

// Retention: deletes from `store` the executions that finished more than
// config.retention_days days before `now`, with their event histories and checkpoints, a
// hundred per transaction so that running executions' writes interleave (see
// Store::PurgeFinishedBefore). Returns how many were deleted; fails with the store's errors
// (batches already committed stay deleted) or Error{"InvalidProjectConfig", ...} when
// retention_days is not positive.
Result<int64_t> PurgeExpiredExecutions(const ProjectConfig& config, store::Store& store,
                                       TimePoint now);

// The largest definition file LoadDefinition reads (Step Functions' definition size quota).
inline constexpr size_t kMaxDefinitionBytes = 1024 * 1024;

// Reads a whole file of at most `max_bytes` bytes. Fails with Error{"FileNotReadable", cause
// naming the file and the reason} or Error{"FileTooLarge", ...} (reading stops at the limit,
// so a device or a huge file never hangs or exhausts memory).
Result<std::string> ReadFileLimited(const std::string& path, size_t max_bytes);

// Reads and compiles a definition file. On failure returns Error{"InvalidDefinition", cause}
// with one line per diagnostic, "<path>: <CODE>: <message> at <location>", or
// Error{"DefinitionNotReadable", ...} when the file cannot be read.
Result<std::shared_ptr<const asl::StateMachine>> LoadDefinition(const std::string& path);

// ProjectLock: while a process holds it, no other process runs the project's executions. It is
// what makes resuming interrupted executions safe: an execution the store holds as RUNNING is
// either run by the lock's holder or by nobody (its process died), never by two processes. An
// flock on DATA_DIR/autoretrain.db.lock, released by the kernel when the holder exits or dies.
class ProjectLock {
 public:
  // Takes the lock at `path`, waiting up to `timeout` for another holder (`notify` hears once
  // that we are waiting). Fails with Error{"ProjectBusy", cause naming the holder's pid and what
  // to do} when the holder keeps it longer; with Error{"StoreReadOnly", ...} when the lock file
  // cannot be created or opened (no permission, read-only file system).
  static Result<std::unique_ptr<ProjectLock>> Acquire(const std::string& path,
                                                      std::chrono::milliseconds timeout,
                                                      const integrations::WarningSink& notify);
  ~ProjectLock();
  ProjectLock(const ProjectLock&) = delete;
  ProjectLock& operator=(const ProjectLock&) = delete;

 private:
  explicit ProjectLock(int fd) : fd_(fd) {}
  int fd_;
};

// How long a process waits for another one running the same project's executions.
inline constexpr std::chrono::seconds kProjectLockTimeout{60};

// Where a LocalRuntime records execution history: an open store and its path (for warnings),
// and who hears about a failure. An empty `store` records nothing.
struct HistorySink {
  std::unique_ptr<ProjectLock> lock;  // held while the store is used to run executions
  std::unique_ptr<store::Store> store;
  std::string database;
  integrations::WarningSink warn;
};

// Opens (creating DATA_DIR and the database when needed) the store of a project with a
// data_dir. A failure to open is not an error: it is reported through `warn` and the sink
// records nothing, so executions still run.
HistorySink OpenHistorySink(const ProjectConfig& config, integrations::WarningSink warn);

// Wraps the runtime's task router in another TaskHandler (see LocalRuntime's constructor).
using TaskHandlerDecorator =
    std::function<std::unique_ptr<engine::TaskHandler>(engine::TaskHandler& router)>;

// How a LocalRuntime is put together beyond its project.
struct RuntimeOptions {
  // Puts a TaskHandler in front of the task router: called once with the router, it returns
  // the handler the executor then uses for every Task state (typically forwarding what it does
  // not handle to the router). This is how `run --mock-config` answers mocked states
  // (integrations::MockedTaskHandler). Empty: the router itself.
  TaskHandlerDecorator decorate{};
  // How long ForProject waits for another process holding the ProjectLock.
  std::chrono::milliseconds lock_timeout = kProjectLockTimeout;
  // Keep finished executions' results for executions().Find (off for a long-running daemon,
  // whose memory must stay flat; results are in the store).
  bool keep_finished = true;
  // Keep the store in memory (Store::OpenInMemory) instead of data_dir's database: state
  // machines, executions and histories last as long as the runtime; no ProjectLock is taken
  // and nothing is resumed (`serve --in-memory`).
  bool in_memory_store = false;
  // What the history recorder does when the store cannot be written: a daemon refuses the
  // starts it cannot make durable (integrations::FailurePolicy).
  integrations::FailurePolicy history_failures = integrations::FailurePolicy::kStopRecording;
};

// Everything needed to run state machines locally: the object store, the function registry
// (with the built-in decision function), the task router, the executor on the system clock,
// the in-memory execution service and, with a HistorySink, the durable history of every
// execution (integrations::HistoryRecorder).
class LocalRuntime {
 public:
  // Command functions run in `working_dir` with AUTORETRAIN_BUCKETS_DIR=`buckets_dir` (both
  // absolute). `observer` (may be null) sees every execution's events and must outlive this.
  // State machines added later are registered in `history`'s store, executions recorded.
  LocalRuntime(AccountContext account, std::string working_dir, std::string buckets_dir,
               engine::Observer* observer, HistorySink history = {},
               const RuntimeOptions& options = {});
  ~LocalRuntime();  // waits for running executions, then for their history to be committed

  // A runtime with the project's functions and state machines, recording history in the
  // project's store when it has a data_dir, or in memory with options.in_memory_store (a store
  // failure is reported through `warn` and never fails a run). With the data_dir's store it
  // first takes the ProjectLock (waiting up to options.lock_timeout; 0: fail at once). Fails
  // when a definition does not compile (Error as LoadDefinition's) or with ProjectBusy. Then it
  // resumes every execution an interrupted process left RUNNING in the store (resumed() lists
  // them); a store that cannot be read for that fails with its Store* error.
  static Result<std::unique_ptr<LocalRuntime>> ForProject(const ProjectConfig& config,
                                                          engine::Observer* observer,
                                                          integrations::WarningSink warn = {},
                                                          const RuntimeOptions& options = {});

  // Adds or replaces the function `name`.
  void AddFunction(const std::string& name, const FunctionConfig& config);
  // Compiles `path` and adds it as state machine `name` (registering its definition in the
  // store); returns its ARN.
  Result<std::string> AddStateMachineFile(const std::string& name, const std::string& path);
  // Adds (or replaces) the compiled state machine `name` whose definition text is `definition`,
  // registering it in the store (a new version when the text changed); returns its ARN. A
  // store failure is reported through the runtime's warning sink, never here.
  std::string AddStateMachine(const std::string& name,
                              std::shared_ptr<const asl::StateMachine> machine,
                              const std::string& definition);
  // The store executions are recorded in; null without one (no data_dir, or it could not be
  // opened). The API server reads and writes state machines and executions through it.
  store::Store* history_store() { return history_store_.get(); }
  // The ARN a state machine called `name` has in this runtime's account.
  std::string ArnOf(std::string_view name) const;

  // Runs the state machine to completion (on the worker pool; this thread waits). `execution_name`
  // empty: a generated name. Fails when the execution cannot start (unknown state machine, invalid
  // name), as StartExecution would.
  Result<engine::ExecutionResult> Run(std::string_view state_machine_arn, json::Value input,
                                      std::string_view execution_name);
  // Waits for every execution started so far.
  void WaitAll();

  // The executions ForProject resumed, oldest first.
  const std::vector<std::string>& resumed() const { return resumed_; }
  // Deletes executions that finished more than `retention_days` ago (PurgeExpiredExecutions);
  // 0 without a store.
  Result<int64_t> PurgeExpired(const ProjectConfig& config);
  // Writes again the execution ends the store refused (HistoryRecorder::RetryHeldEnds); a
  // daemon calls it every few seconds. Nothing without a store.
  void RetryHeldEnds();

  integrations::ExecutionService& executions() { return executions_; }
  const AccountContext& account() const { return account_; }
  // The DynamoDB behind the dynamodb tasks and the retraining history: the local table store,
  // the remote service, or both by table (set by ForProject; null before).
  integrations::DynamoDb* dynamodb() { return dynamodb_.get(); }

 private:
  // Replaces the local object store with `store` (the project's object_store), for the task
  // router and the default decision function. ForProject calls it before adding the project's
  // functions, which then read through it too.
  void UseObjectStore(std::unique_ptr<integrations::ObjectStore> store);
  // Sets up the backends of config.integrations (project_integrations.cc), registers their
  // task integrations with the router, creates the retraining history table in the local
  // table store (unless it is remote) and registers evaluate_retraining_policy over it. ForProject
  // calls it before anything runs. Fails with InvalidProjectConfig (a table that cannot be created)
  // or the aws layer's NoRegion, EndpointError, ConfigError, the cause naming the integration.
  Status UseIntegrations(const ProjectConfig& config);
  // The local topics, the remote service, or both by topic (part of UseIntegrations).
  Status UseSns(const ProjectConfig& config, const std::shared_ptr<const aws::Environment>& env);
  void AddIntegration(std::unique_ptr<integrations::ServiceIntegration> integration);

  AccountContext account_;
  std::string working_dir_;
  std::string buckets_dir_;
  SystemClock clock_;
  std::unique_ptr<ProjectLock> lock_;  // set with history_store_
  std::vector<std::string> resumed_;
  std::unique_ptr<store::Store> history_store_;              // null: no durable history
  std::unique_ptr<integrations::HistoryRecorder> recorder_;  // set with history_store_
  std::unique_ptr<engine::Observer> observers_;              // the observer and the recorder
  std::unique_ptr<integrations::ObjectStore> store_;
  integrations::FunctionRegistry functions_;
  integrations::TaskRouter router_;
  std::unique_ptr<engine::TaskHandler> decorated_;  // null: the executor uses router_
  engine::Executor executor_;
  integrations::ExecutionService executions_;
  std::unique_ptr<store::Store> table_store_;  // the table store without history_store_
  std::unique_ptr<integrations::DynamoDb> dynamodb_;
  std::vector<std::unique_ptr<integrations::ServiceIntegration>> integrations_;
};

// What evaluate_retraining_policy needs from the project: its history table and policies.
PolicyFunctionConfig ProjectPolicy(const ProjectConfig& config);

// The DynamoDB `config.integrations.dynamodb` chooses: the local table store in `store`, the
// remote service, or both by table. The configured tables and the retraining history table
// are created in the local store when missing. `store` and `clock` must outlive the result.
// Fails with InvalidProjectConfig (a table that cannot be created) or the aws layer's
// NoRegion, EndpointError, ConfigError.
Result<std::unique_ptr<integrations::DynamoDb>> MakeProjectDynamoDb(
    const ProjectConfig& config, store::Store& store, Clock& clock,
    std::shared_ptr<const aws::Environment> env);

// The object store `config.object_store` chooses: the local directory buckets_dir, or S3 (an
// aws::S3ObjectStore with the region, endpoint and credentials resolved from the configuration
// and the environment as the AWS SDKs do). Fails with the S3 backend's NoRegion, EndpointError
// or ConfigError, the cause naming autoretrain.json's object_store.
Result<std::unique_ptr<integrations::ObjectStore>> MakeProjectObjectStore(
    const ProjectConfig& config);

// What one retraining check did.
struct CheckReport {
  std::optional<std::string> decision;  // the decision function's retraining_required
  std::optional<std::string> branch;  // the state entered after the first Choice after the decision
  engine::ExecutionResult trigger;
  std::optional<engine::ExecutionResult> pipeline;  // the execution the trigger started

  // True when the trigger succeeded and the pipeline, if one started, succeeded too.
  bool succeeded() const;
  // {"decision", "branch", "trigger": <DescribeExecution>, "pipeline": <DescribeExecution> or
  // null}; decision and branch are null when unknown.
  json::Value ToJson() const;
};

// Resumes executions an interrupted process left running, runs the configured check state
// machine once with check.input and waits for the executions it starts; they are recorded in
// the project's store (a store failure goes to `warn`), and executions older than
// retention_days are purged. Fails
// (Error{"InvalidProjectConfig", ...}, or LoadDefinition's errors) when the project cannot run;
// a failed execution is a report, not an error.
Result<CheckReport> RunCheck(const ProjectConfig& config, integrations::WarningSink warn = {});

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_PROJECT_H_
