#include "autoretrain/integrations/local_executions.h"

#include <exception>
#include <system_error>

#include "integrations/execution_name.h"

namespace autoretrain::integrations {

struct LocalExecutions::Prepared {
  std::string execution_arn;
  engine::ExecutionSpec spec;
  std::shared_ptr<const asl::StateMachine> machine;
  TimePoint start_date;
  bool already_running = false;  // an idempotent repeat of a running execution
};

LocalExecutions::LocalExecutions(engine::Executor& executor, AccountContext account)
    : executor_(executor), account_(std::move(account)) {}

LocalExecutions::~LocalExecutions() {
  WaitAll();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

std::string LocalExecutions::AddStateMachine(const std::string& name,
                                             std::shared_ptr<const asl::StateMachine> machine) {
  std::string arn = StateMachineArn(account_, name);
  std::lock_guard lock(mu_);
  machines_[arn] = Machine{name, std::move(machine)};
  return arn;
}

Result<LocalExecutions::Prepared> LocalExecutions::Prepare(std::string_view state_machine_arn,
                                                           json::Value input,
                                                           std::string_view name) {
  std::optional<ParsedArn> arn = ParseArn(state_machine_arn);
  if (!arn || arn->service != "states" || !arn->resource.starts_with("stateMachine:")) {
    return Error{"InvalidArn", "Invalid Arn: '" + std::string(state_machine_arn) + "'"};
  }
  std::string execution_name = name.empty() ? NewExecutionName() : std::string(name);
  if (std::optional<std::string> problem = ExecutionNameProblem(execution_name)) {
    return Error{"InvalidName", "Invalid Name: '" + execution_name + "': " + *problem};
  }
  std::lock_guard lock(mu_);
  auto machine = machines_.find(state_machine_arn);
  if (machine == machines_.end()) {
    return Error{"StateMachineDoesNotExist",
                 "State Machine Does Not Exist: '" + std::string(state_machine_arn) + "'"};
  }
  Prepared prepared;
  prepared.execution_arn = ExecutionArn(account_, machine->second.name, execution_name);
  if (auto existing = executions_.find(prepared.execution_arn); existing != executions_.end()) {
    if (existing->second.result.has_value() || existing->second.input != input) {
      return Error{"ExecutionAlreadyExists",
                   "Execution Already Exists: '" + prepared.execution_arn + "'"};
    }
    prepared.start_date = existing->second.start_date;
    prepared.already_running = true;
    return prepared;
  }
  prepared.start_date = executor_.clock().Now();
  prepared.machine = machine->second.compiled;
  prepared.spec.state_machine_arn = machine->first;
  prepared.spec.state_machine_name = machine->second.name;
  prepared.spec.execution_name = execution_name;
  prepared.spec.input = input;
  prepared.spec.start_date = prepared.start_date;
  executions_.emplace(prepared.execution_arn, Record{std::move(input), prepared.start_date, {}});
  ++running_;
  return prepared;
}

namespace {

// Runs one execution; an exception escaping the engine (a bug) fails it instead of
// terminating the program.
engine::ExecutionResult RunGuarded(engine::Executor& executor, const asl::StateMachine& machine,
                                   const engine::ExecutionSpec& spec,
                                   const std::string& execution_arn) {
  try {
    return executor.Run(machine, spec);
  } catch (const std::exception& e) {
    engine::ExecutionResult failed;
    failed.execution_arn = execution_arn;
    failed.state_machine_arn = spec.state_machine_arn;
    failed.name = spec.execution_name;
    failed.status = engine::ExecutionStatus::kFailed;
    failed.input = spec.input;
    failed.error = "States.Runtime";
    failed.cause = std::string("internal error: ") + e.what();
    return failed;
  }
}

}  // namespace

void LocalExecutions::Finish(const std::string& execution_arn, engine::ExecutionResult result) {
  std::lock_guard lock(mu_);
  executions_[execution_arn].result = std::move(result);
  --running_;
  done_.notify_all();
}

Result<ExecutionLauncher::Started> LocalExecutions::Start(std::string_view state_machine_arn,
                                                          json::Value input,
                                                          std::string_view name) {
  Result<Prepared> prepared = Prepare(state_machine_arn, std::move(input), name);
  if (!prepared.ok()) return prepared.take_error();
  Started started{prepared->execution_arn, prepared->start_date};
  if (prepared->already_running) return started;
  std::lock_guard lock(mu_);
  started_order_.push_back(prepared->execution_arn);
  try {
    threads_.emplace_back([this, p = std::move(prepared).value()] {
      Finish(p.execution_arn, RunGuarded(executor_, *p.machine, p.spec, p.execution_arn));
    });
  } catch (const std::system_error& e) {
    started_order_.pop_back();
    executions_.erase(started.execution_arn);
    --running_;
    done_.notify_all();
    return Error{"ExecutionLimitExceeded",
                 std::string("cannot start another execution thread: ") + e.what()};
  }
  return started;
}

Result<engine::ExecutionResult> LocalExecutions::RunSync(std::string_view state_machine_arn,
                                                         json::Value input, std::string_view name) {
  Result<Prepared> prepared = Prepare(state_machine_arn, std::move(input), name);
  if (!prepared.ok()) return prepared.take_error();
  if (prepared->already_running) {
    return Error{"ExecutionAlreadyExists",
                 "Execution Already Exists: '" + prepared->execution_arn + "'"};
  }
  engine::ExecutionResult result =
      RunGuarded(executor_, *prepared->machine, prepared->spec, prepared->execution_arn);
  Finish(prepared->execution_arn, result);
  return result;
}

void LocalExecutions::WaitAll() {
  std::unique_lock lock(mu_);
  done_.wait(lock, [this] { return running_ == 0; });
}

std::optional<engine::ExecutionResult> LocalExecutions::Find(std::string_view execution_arn) const {
  std::lock_guard lock(mu_);
  auto it = executions_.find(execution_arn);
  if (it == executions_.end()) return std::nullopt;
  return it->second.result;
}

std::vector<std::string> LocalExecutions::StartedExecutions() const {
  std::lock_guard lock(mu_);
  return started_order_;
}

}  // namespace autoretrain::integrations
