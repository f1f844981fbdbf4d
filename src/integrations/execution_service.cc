// ExecutionService: the worker pool, the timer queue, starts, stops and resumption
// (execution_service.h).
#include "autoretrain/integrations/execution_service.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <utility>

#include "autoretrain/asl/parser.h"
#include "integrations/checkpoint_codec.h"
#include "integrations/execution_name.h"

namespace autoretrain::integrations {
namespace {

Error AlreadyExists(const std::string& execution_arn) {
  return Error{"ExecutionAlreadyExists", "Execution Already Exists: '" + execution_arn + "'"};
}

// The compiled definition text of a stored state machine version.
Result<std::shared_ptr<const asl::StateMachine>> CompileStored(const std::string& definition) {
  asl::CompileResult compiled = asl::CompileText(definition);
  if (auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled)) {
    return std::move(*machine);
  }
  return Error{"States.Runtime", "the stored definition no longer compiles"};
}

}  // namespace

ExecutionService::ExecutionService(engine::Executor& executor, AccountContext account,
                                   HistoryRecorder* recorder, ExecutionServiceOptions options)
    : executor_(executor), account_(std::move(account)), recorder_(recorder), options_(options) {
  options_.workers = std::max(1, options_.workers);
}

ExecutionService::~ExecutionService() {
  WaitAll();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_cv_.notify_all();
  timer_cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  if (timer_thread_.joinable()) timer_thread_.join();
}

std::string ExecutionService::AddStateMachine(const std::string& name,
                                              std::shared_ptr<const asl::StateMachine> machine) {
  std::string arn = StateMachineArn(account_, name);
  std::lock_guard lock(mu_);
  machines_[arn] = Machine{name, std::move(machine)};
  return arn;
}

Result<std::optional<ExecutionLauncher::Started>> ExecutionService::FindStored(
    const std::string& state_machine_arn, const std::string& name, const json::Value& input,
    bool derived_name) {
  if (recorder_ == nullptr || recorder_->failed()) return std::optional<Started>();
  Result<std::optional<store::ExecutionRecord>> found =
      recorder_->store().FindExecution(state_machine_arn, name);
  if (!found.ok()) return found.take_error();
  if (!found->has_value()) return std::optional<Started>();
  const store::ExecutionRecord& record = **found;
  Started started{record.arn, record.start_date};
  if (derived_name) return std::optional<Started>(started);
  Result<json::Value> stored_input = json::Parse(record.input);
  if (record.status != engine::ExecutionStatus::kRunning || !stored_input.ok() ||
      *stored_input != input) {
    return AlreadyExists(record.arn);
  }
  return std::optional<Started>(started);
}

Result<ExecutionLauncher::Started> ExecutionService::Accept(const StartRequest& request,
                                                            bool awaited, Entry** accepted) {
  std::optional<ParsedArn> arn = ParseArn(request.state_machine_arn);
  if (!arn || arn->service != "states" || !arn->resource.starts_with("stateMachine:")) {
    return Error{"InvalidArn", "Invalid Arn: '" + std::string(request.state_machine_arn) + "'"};
  }
  std::string name = request.name.empty() ? NewExecutionName() : std::string(request.name);
  if (std::optional<std::string> problem = ExecutionNameProblem(name)) {
    return Error{"InvalidName", "Invalid Name: '" + name + "': " + *problem};
  }
  std::shared_ptr<const asl::StateMachine> compiled;
  std::string machine_name;
  std::string machine_arn;
  {
    std::lock_guard lock(mu_);
    auto machine = machines_.find(request.state_machine_arn);
    if (machine == machines_.end()) {
      return Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" +
                                                   std::string(request.state_machine_arn) + "'"};
    }
    compiled = request.definition ? request.definition : machine->second.compiled;
    machine_name = machine->second.name;
    machine_arn = machine->first;
    std::string execution_arn = ExecutionArn(account_, machine_name, name);
    if (auto existing = entries_.find(execution_arn); existing != entries_.end()) {
      const Entry& entry = *existing->second;
      if (request.derived_name || (entry.phase != Phase::kDone && entry.input == request.input)) {
        return Started{execution_arn, entry.start_date};
      }
      return AlreadyExists(execution_arn);
    }
  }
  Result<std::optional<Started>> stored =
      FindStored(machine_arn, name, request.input, request.derived_name);
  if (!stored.ok()) return stored.take_error();
  if (stored->has_value()) return std::move(**stored);
  {
    // Only a new execution counts against the quota (a child found again above does not).
    // Checked before the start is committed, so starts racing on other threads may pass it
    // together and exceed it by a few, as a quota may.
    std::lock_guard lock(mu_);
    if (running_ >= options_.max_open_executions) {
      return Error{"ExecutionLimitExceeded",
                   "The maximum number of open executions (" +
                       std::to_string(options_.max_open_executions) +
                       ") has been reached: executions must end or be stopped before another "
                       "one can start."};
    }
  }

  auto entry = std::make_unique<Entry>();
  entry->machine = compiled;
  entry->input = request.input;
  entry->start_date = executor_.clock().Now();
  engine::ExecutionSpec spec;
  spec.state_machine_arn = machine_arn;
  spec.state_machine_name = machine_name;
  spec.execution_name = name;
  spec.version_arn = request.version_arn;
  spec.alias_arn = request.alias_arn;
  spec.input = request.input;
  spec.start_date = entry->start_date;
  entry->execution = std::make_unique<engine::Execution>(executor_, *compiled, spec);
  const std::string execution_arn = entry->execution->result().execution_arn;
  if (recorder_ != nullptr) {
    Status committed = recorder_->CommitStart(execution_arn, request.definition_version);
    if (!committed.ok()) return committed.take_error();
  }
  Started started{execution_arn, entry->start_date};
  std::lock_guard lock(mu_);
  // Two callers raced to start the same name: the first one wins, as AWS's would.
  if (entries_.contains(execution_arn)) return Started{execution_arn, started.start_date};
  // Recorded and queued under one lock: every lock a start takes is one more chance to wait
  // for a worker that holds it.
  entry->awaited = awaited;
  *accepted = entry.get();
  entries_.emplace(execution_arn, std::move(entry));
  ++running_;
  if (options_.keep_finished && !awaited) started_order_.push_back(execution_arn);
  Enqueue(*accepted);
  return started;
}

Result<ExecutionLauncher::Started> ExecutionService::Start(const StartRequest& request) {
  Entry* accepted = nullptr;
  return Accept(request, /*awaited=*/false, &accepted);
}

Result<engine::ExecutionResult> ExecutionService::RunSync(std::string_view state_machine_arn,
                                                          json::Value input,
                                                          std::string_view name) {
  Entry* accepted = nullptr;
  Result<Started> started = Accept(
      StartRequest{.state_machine_arn = state_machine_arn, .input = std::move(input), .name = name},
      /*awaited=*/true, &accepted);
  if (!started.ok()) return started.take_error();
  if (accepted == nullptr) return AlreadyExists(started->execution_arn);
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [accepted] { return accepted->phase == Phase::kDone; });
  engine::ExecutionResult result = *accepted->result;
  if (!options_.keep_finished) entries_.erase(started->execution_arn);
  return result;
}

void ExecutionService::Enqueue(Entry* entry) {
  entry->phase = Phase::kReady;
  ready_.push_back(entry);
  // Workers start on demand, up to the limit: a one-off `autoretrain run` pays for one thread,
  // not for the whole pool.
  if (idle_workers_ == 0 && static_cast<int>(workers_.size()) < options_.workers) {
    try {
      workers_.emplace_back([this] { WorkerLoop(); });
      return;
    } catch (const std::system_error&) {
      // Out of threads: the workers already running take it. With none at all it cannot run.
      if (workers_.empty()) {
        ready_.pop_back();
        entry->execution->Fail(
            Error{"States.Runtime", "the execution cannot run: no worker thread could be started"});
        Finished(entry);
        return;
      }
    }
  }
  ready_cv_.notify_one();
}

void ExecutionService::WorkerLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_workers_;
    ready_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
    --idle_workers_;
    if (ready_.empty()) return;  // stopping
    Entry* entry = ready_.front();
    ready_.pop_front();
    entry->phase = Phase::kAdvancing;
    lock.unlock();
    Advance(entry);
    lock.lock();
    if (entry->execution->finished()) {
      Retired retired = Finished(entry);
      // Its memory (history, input, output) is freed without holding mu_, which every start
      // and every other worker needs.
      lock.unlock();
      retired = Retired{};
      lock.lock();
    } else if (entry->stop_requested) {
      // Stopped while it was being advanced, after its last abort check: advance it again now
      // (which ends it) instead of letting it wait.
      Enqueue(entry);
    } else if (WokenWhileAdvancing(entry)) {
      Enqueue(entry);
    } else {
      entry->phase = Phase::kWaiting;
      entry->wake_at = entry->execution->wake_at();
      timers_.push(Timer{entry->wake_at, entry->execution->result().execution_arn});
      // The timer thread too starts with the first execution that waits.
      if (timer_thread_.joinable()) {
        timer_cv_.notify_one();
      } else {
        try {
          timer_thread_ = std::thread([this] { TimerLoop(); });
        } catch (const std::system_error&) {
          timers_.pop();
          entry->execution->Fail(Error{
              "States.Runtime", "the execution cannot wait: no timer thread could be started"});
          Finished(entry);
        }
      }
    }
  }
}

void ExecutionService::Advance(Entry* entry) {
  try {
    entry->execution->Advance();
  } catch (const std::exception& e) {
    // A bug in the engine or a handler: the execution fails instead of the program.
    entry->execution->Fail(Error{"States.Runtime", std::string("internal error: ") + e.what()});
  }
}

ExecutionService::Retired ExecutionService::Finished(Entry* entry) {
  entry->phase = Phase::kDone;
  const std::string execution_arn = entry->execution->result().execution_arn;
  WakeWaiters(execution_arn);
  if (options_.keep_finished || entry->awaited) {
    entry->result = std::move(entry->execution->result());
  }
  Retired retired{std::move(entry->machine), std::move(entry->execution), std::move(entry->input)};
  // RunSync takes an awaited result (and drops the entry) itself.
  if (!options_.keep_finished && !entry->awaited) entries_.erase(execution_arn);
  --running_;
  done_cv_.notify_all();
  return retired;
}

bool ExecutionService::WokenWhileAdvancing(Entry* entry) {
  if (!std::exchange(entry->wake_requested, false)) return false;
  entry->execution->WakeSubmittedTask();
  return entry->execution->wake_at() <= executor_.clock().Now();
}

void ExecutionService::WakeWaiters(const std::string& execution_arn) {
  auto [first, last] = waiters_.equal_range(execution_arn);
  for (auto it = first; it != last; ++it) {
    auto waiter = entries_.find(it->second);
    if (waiter == entries_.end()) continue;
    Entry* entry = waiter->second.get();
    if (entry->phase == Phase::kAdvancing) {
      // Still on its way to suspending: woken as soon as it does (WorkerLoop).
      entry->wake_requested = true;
    } else if (entry->phase == Phase::kWaiting) {
      entry->execution->WakeSubmittedTask();
      // Advanced now if that brought its wake-up forward; its queued timer goes stale.
      if (entry->execution->wake_at() < entry->wake_at) Enqueue(entry);
    }
  }
  waiters_.erase(first, last);
}

void ExecutionService::WakeWhenDone(std::string_view execution_arn, std::string_view waiter) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(execution_arn);
  if (it == entries_.end() || it->second->phase == Phase::kDone) return;
  waiters_.emplace(std::string(execution_arn), std::string(waiter));
}

Result<engine::ExecutionResult> ExecutionService::Describe(std::string_view execution_arn) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(execution_arn);
    if (it != entries_.end()) {
      const Entry& entry = *it->second;
      if (entry.result) return *entry.result;
      if (entry.execution) {
        // A worker may be advancing it right now: only what never changes after the start is
        // read (not its status or output, which it writes as it ends).
        const engine::ExecutionResult& started = entry.execution->result();
        engine::ExecutionResult running;
        running.execution_arn = started.execution_arn;
        running.state_machine_arn = started.state_machine_arn;
        running.name = started.name;
        running.start_date = entry.start_date;
        running.input = entry.input;
        return running;
      }
    }
  }
  if (recorder_ != nullptr && !recorder_->failed()) {
    Result<store::ExecutionRecord> record =
        recorder_->store().DescribeExecution(std::string(execution_arn));
    if (record.ok()) return record->ToResult();
  }
  return Error{"ExecutionDoesNotExist",
               "Execution Does Not Exist: '" + std::string(execution_arn) + "'"};
}

Status ExecutionService::RegisterTaskToken(const std::string& token,
                                           const std::string& execution_arn,
                                           const std::string& state_name) {
  if (recorder_ == nullptr || recorder_->failed()) {
    return ExecutionLauncher::RegisterTaskToken(token, execution_arn, state_name);
  }
  return recorder_->store().RegisterTaskToken(token, execution_arn, state_name,
                                              executor_.clock().Now());
}

Result<store::TaskTokenRecord> ExecutionService::GetTaskToken(const std::string& token) {
  if (recorder_ == nullptr || recorder_->failed()) return ExecutionLauncher::GetTaskToken(token);
  return recorder_->store().GetTaskToken(token);
}

Status ExecutionService::RegisterActivityTask(const std::string& token,
                                              const std::string& execution_arn,
                                              const std::string& state_name,
                                              const std::string& activity_arn,
                                              const std::string& input) {
  if (recorder_ == nullptr || recorder_->failed()) {
    return ExecutionLauncher::RegisterActivityTask(token, execution_arn, state_name, activity_arn,
                                                   input);
  }
  return recorder_->store().RegisterActivityTask(token, execution_arn, state_name, activity_arn,
                                                 input, executor_.clock().Now());
}

void ExecutionService::TimerLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (stopping_) return;
    if (timers_.empty()) {
      timer_cv_.wait(lock);
      continue;
    }
    const TimePoint at = timers_.top().at;
    const TimePoint now = executor_.clock().Now();
    if (at > now) {
      // Capped, so a wall clock that jumps is read again now and then.
      executor_.clock().WaitUntil(lock, timer_cv_, std::min(at, now + std::chrono::seconds(1)));
      continue;
    }
    const std::string execution_arn = timers_.top().execution_arn;
    timers_.pop();
    // A stale timer: the entry was woken early (Stop, a .sync child's end) since it was queued,
    // and may have finished and been dropped since.
    auto found = entries_.find(execution_arn);
    if (found == entries_.end()) continue;
    Entry* entry = found->second.get();
    if (entry->phase != Phase::kWaiting || entry->wake_at != at) continue;
    Enqueue(entry);
  }
}

Status ExecutionService::Stop(std::string_view execution_arn, std::optional<std::string> error,
                              std::optional<std::string> cause) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(execution_arn);
  if (it == entries_.end()) {
    return Error{"ExecutionDoesNotExist",
                 "Execution Does Not Exist: '" + std::string(execution_arn) + "'"};
  }
  Entry* entry = it->second.get();
  if (entry->phase == Phase::kDone) return OkStatus();
  entry->stop_requested = true;
  entry->execution->RequestAbort(std::move(error), std::move(cause));
  // A waiting execution is advanced now, which ends it; its timer goes stale.
  if (entry->phase == Phase::kWaiting) Enqueue(entry);
  return OkStatus();
}

Result<std::vector<std::string>> ExecutionService::ResumeInterrupted(store::Store& store) {
  Result<std::vector<store::ExecutionRecord>> running = store.ListRunningExecutions();
  if (!running.ok()) return running.take_error();
  std::vector<std::string> resumed;
  for (const store::ExecutionRecord& record : *running) {
    auto entry = std::make_unique<Entry>();
    Result<json::Value> input = json::Parse(record.input);
    engine::ExecutionSpec spec;
    spec.state_machine_arn = record.state_machine_arn;
    spec.execution_name = record.name;
    spec.input = input.ok() ? *input : json::Value(json::Object{});
    spec.start_date = record.start_date;
    entry->input = spec.input;
    entry->start_date = record.start_date;

    // The definition version the execution started with, and where it stopped.
    Error problem;
    Result<store::StateMachineRecord> version =
        store.GetStateMachineVersion(record.state_machine_arn, record.state_machine_version);
    if (version.ok()) {
      spec.state_machine_name = version->name;
      Result<std::shared_ptr<const asl::StateMachine>> compiled =
          CompileStored(version->definition);
      if (compiled.ok()) {
        entry->machine = std::move(compiled).value();
      } else {
        problem = compiled.take_error();
      }
    } else {
      problem = version.take_error();
    }
    std::unique_ptr<DecodedCheckpoint> decoded;
    if (entry->machine) {
      Result<std::optional<store::Checkpoint>> checkpoint = store.GetCheckpoint(record.arn);
      if (!checkpoint.ok()) return checkpoint.take_error();
      if (checkpoint->has_value()) {
        Result<std::unique_ptr<DecodedCheckpoint>> d =
            DecodeCheckpoint(**checkpoint, *entry->machine);
        if (d.ok()) {
          decoded = std::move(d).value();
        } else {
          problem = d.take_error();
        }
      } else {
        // Accepted but never reached a checkpoint: it starts over at StartAt.
        decoded = std::make_unique<DecodedCheckpoint>();
        decoded->input = spec.input;
        decoded->point.state_index = entry->machine->start_index;
        decoded->point.input = &decoded->input;
        decoded->point.last_event_id = record.last_event_id;
      }
    }
    if (decoded) {
      decoded->point.last_event_id = record.last_event_id;
      entry->execution =
          std::make_unique<engine::Execution>(executor_, *entry->machine, spec, decoded->point);
    } else {
      // It cannot continue: it ends FAILED, so it is not resumed again at every start.
      static const asl::StateMachine kNoStates;
      entry->execution = std::make_unique<engine::Execution>(
          executor_, kNoStates, spec, engine::ResumePoint{.last_event_id = record.last_event_id});
      entry->execution->Fail(Error{"States.Runtime", "the execution cannot be resumed: " +
                                                         problem.error + ": " + problem.cause});
    }
    resumed.push_back(record.arn);
    std::lock_guard lock(mu_);
    Entry* raw = entry.get();
    entries_.emplace(record.arn, std::move(entry));
    ++running_;
    Enqueue(raw);
  }
  return resumed;
}

void ExecutionService::WaitAll() {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [this] { return running_ == 0; });
}

std::optional<engine::ExecutionResult> ExecutionService::Find(
    std::string_view execution_arn) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(execution_arn);
  if (it == entries_.end()) return std::nullopt;
  return it->second->result;
}

std::vector<std::string> ExecutionService::StartedExecutions() const {
  std::lock_guard lock(mu_);
  return started_order_;
}

int64_t ExecutionService::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

}  // namespace autoretrain::integrations
