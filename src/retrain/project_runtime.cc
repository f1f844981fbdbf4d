// LocalRuntime: a project's functions and state machines wired to the engine (project.h).
#include <filesystem>
#include <system_error>
#include <variant>

#include "autoretrain/asl/parser.h"
#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {

namespace {

// Forwards every event to each of its observers, in order.
class ObserverList final : public engine::Observer {
 public:
  explicit ObserverList(std::vector<engine::Observer*> observers)
      : observers_(std::move(observers)) {}
  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override {
    for (engine::Observer* observer : observers_) observer->OnEvent(execution_arn, event);
  }
  bool OnCheckpoint(std::string_view execution_arn, const engine::ResumePoint& point) override {
    bool go_on = true;
    for (engine::Observer* observer : observers_) {
      go_on = observer->OnCheckpoint(execution_arn, point) && go_on;
    }
    return go_on;
  }

 private:
  const std::vector<engine::Observer*> observers_;
};

// Compiles the definition `text` read from `path` (named in diagnostics).
Result<std::shared_ptr<const asl::StateMachine>> CompileDefinition(const std::string& text,
                                                                   const std::string& path) {
  asl::CompileResult compiled = asl::CompileText(text);
  if (auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled)) {
    return std::move(*machine);
  }
  std::string cause;
  for (const asl::Diagnostic& d : std::get<std::vector<asl::Diagnostic>>(compiled)) {
    if (!cause.empty()) cause += '\n';
    cause += path + ": " + d.ToString();
  }
  return Error{"InvalidDefinition", std::move(cause)};
}

Result<std::string> ReadDefinition(const std::string& path) {
  Result<std::string> text = ReadFileLimited(path, kMaxDefinitionBytes);
  if (!text.ok()) return Error{"DefinitionNotReadable", text.error().cause};
  return text;
}

}  // namespace

Result<std::shared_ptr<const asl::StateMachine>> LoadDefinition(const std::string& path) {
  Result<std::string> text = ReadDefinition(path);
  if (!text.ok()) return text.take_error();
  return CompileDefinition(*text, path);
}

LocalRuntime::LocalRuntime(AccountContext account, std::string working_dir, std::string buckets_dir,
                           engine::Observer* observer, HistorySink history,
                           const RuntimeOptions& options)
    : account_(std::move(account)),
      working_dir_(std::move(working_dir)),
      buckets_dir_(std::move(buckets_dir)),
      lock_(std::move(history.lock)),
      history_store_(std::move(history.store)),
      recorder_(history_store_ ? std::make_unique<integrations::HistoryRecorder>(
                                     *history_store_, history.database, std::move(history.warn),
                                     options.history_failures)
                               : nullptr),
      observers_(recorder_ && observer
                     ? std::make_unique<ObserverList>(
                           std::vector<engine::Observer*>{observer, recorder_.get()})
                     : nullptr),
      store_(integrations::MakeLocalObjectStore(buckets_dir_)),
      router_(functions_, clock_, account_),
      decorated_(options.decorate ? options.decorate(router_) : nullptr),
      executor_(decorated_ ? static_cast<engine::TaskHandler&>(*decorated_) : router_, clock_,
                observers_  ? observers_.get()
                : recorder_ ? recorder_.get()
                            : observer,
                account_),
      executions_(executor_, account_, recorder_.get(),
                  integrations::ExecutionServiceOptions{.keep_finished = options.keep_finished}) {
  router_.set_launcher(&executions_);
  router_.set_object_store(store_.get());
  AddFunction(std::string(kDecisionFunctionName), FunctionConfig{});
}

LocalRuntime::~LocalRuntime() { executions_.WaitAll(); }

Result<std::unique_ptr<LocalRuntime>> LocalRuntime::ForProject(const ProjectConfig& config,
                                                               engine::Observer* observer,
                                                               integrations::WarningSink warn,
                                                               const RuntimeOptions& options) {
  HistorySink history;
  if (options.in_memory_store) {
    Result<std::unique_ptr<store::Store>> memory = store::Store::OpenInMemory();
    if (!memory.ok()) return memory.take_error();
    history.store = std::move(memory).value();
    history.database = ":memory:";
    history.warn = std::move(warn);
  } else if (!config.data_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    Result<std::unique_ptr<ProjectLock>> lock =
        ProjectLock::Acquire(DatabasePath(config) + ".lock", options.lock_timeout, warn);
    if (lock.ok()) {
      history = OpenHistorySink(config, std::move(warn));
      history.lock = std::move(lock).value();
    } else if (lock.error().error == "ProjectBusy") {
      return lock.take_error();
    } else if (warn) {
      // Nothing can be recorded (or resumed) without the lock: the executions run in memory.
      warn(integrations::HistoryWarning(DatabasePath(config), lock.error()));
    }
  }
  auto runtime = std::make_unique<LocalRuntime>(config.account, config.dir, config.buckets_dir,
                                                observer, std::move(history), options);
  if (config.object_store.type != ObjectStoreConfig::Type::kLocal) {
    Result<std::unique_ptr<integrations::ObjectStore>> store = MakeProjectObjectStore(config);
    if (!store.ok()) return store.take_error();
    runtime->UseObjectStore(std::move(store).value());
  }
  if (Status wired = runtime->UseIntegrations(config); !wired.ok()) return wired.take_error();
  for (const auto& [name, function] : config.functions) runtime->AddFunction(name, function);
  for (const auto& [name, path] : config.state_machines) {
    Result<std::string> arn = runtime->AddStateMachineFile(name, path);
    if (!arn.ok()) return arn.take_error();
  }
  if (runtime->history_store_ && !runtime->recorder_->failed()) {
    Result<std::vector<std::string>> resumed =
        runtime->executions_.ResumeInterrupted(*runtime->history_store_);
    if (!resumed.ok()) return resumed.take_error();
    runtime->resumed_ = std::move(resumed).value();
  }
  return runtime;
}

void LocalRuntime::AddFunction(const std::string& name, const FunctionConfig& config) {
  if (config.kind == FunctionConfig::Kind::kBuiltin) {
    functions_.Register(name, MakeDecisionFunction(*store_, config.decision));
    return;
  }
  integrations::CommandSpec spec;
  spec.argv = config.command;
  spec.working_dir = working_dir_;
  spec.inherit = config.inherit_environment;
  spec.env = config.environment;
  spec.env.emplace_back("AUTORETRAIN_BUCKETS_DIR", buckets_dir_);
  spec.timeout_seconds = config.timeout_seconds;
  functions_.Register(name, integrations::MakeCommandFunction(std::move(spec)));
}

Result<std::string> LocalRuntime::AddStateMachineFile(const std::string& name,
                                                      const std::string& path) {
  Result<std::string> text = ReadDefinition(path);
  if (!text.ok()) return text.take_error();
  Result<std::shared_ptr<const asl::StateMachine>> machine = CompileDefinition(*text, path);
  if (!machine.ok()) return machine.take_error();
  return AddStateMachine(name, std::move(*machine), *text);
}

std::string LocalRuntime::AddStateMachine(const std::string& name,
                                          std::shared_ptr<const asl::StateMachine> machine,
                                          const std::string& definition) {
  std::string arn = executions_.AddStateMachine(name, std::move(machine));
  if (recorder_) recorder_->RegisterStateMachine(arn, name, definition, clock_.Now());
  return arn;
}

std::string LocalRuntime::ArnOf(std::string_view name) const {
  return StateMachineArn(account_, name);
}

Result<engine::ExecutionResult> LocalRuntime::Run(std::string_view state_machine_arn,
                                                  json::Value input,
                                                  std::string_view execution_name) {
  return executions_.RunSync(state_machine_arn, std::move(input), execution_name);
}

void LocalRuntime::WaitAll() { executions_.WaitAll(); }

void LocalRuntime::RetryHeldEnds() {
  if (recorder_) recorder_->RetryHeldEnds();
}

Result<int64_t> LocalRuntime::PurgeExpired(const ProjectConfig& config) {
  if (!history_store_ || recorder_->failed()) return int64_t{0};
  return PurgeExpiredExecutions(config, *history_store_, clock_.Now());
}

}  // namespace autoretrain::retrain
