// The execution loop: enters states one after another, records their events, suspends for
// waits, and ends the execution as SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
#include "autoretrain/engine/execution.h"

#include <chrono>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "engine/context_object.h"
#include "engine/history.h"
#include "engine/io_processing.h"
#include "engine/run_context.h"
#include "engine/variables.h"

namespace autoretrain::engine {
namespace {

// The machine's name as the execution ARN carries it; callers may give only the machine ARN.
std::string MachineName(const ExecutionSpec& spec) {
  if (!spec.state_machine_name.empty()) return spec.state_machine_name;
  std::string_view arn = spec.state_machine_arn;
  return std::string(arn.substr(arn.rfind(':') + 1));
}

}  // namespace

struct Execution::Parts {
  Parts(const Executor& executor, const ExecutionInfo& info)
      : history(executor.observer(), info.execution_arn, executor.clock(),
                executor.max_history_events()),
        context(info),
        rc{.handler = executor.handler(),
           .clock = executor.clock(),
           .history = history,
           .context = context,
           .account = executor.account(),
           .execution_arn = info.execution_arn,
           .jsonata_time_limit = executor.jsonata_time_limit()} {}
  History history;
  ContextObject context;
  RunContext rc;
  Variables variables;  // the execution's own scope
};

Execution::Execution(const Executor& executor, const asl::StateMachine& machine,
                     const ExecutionSpec& spec, std::string name)
    : executor_(executor),
      machine_(machine),
      role_arn_(spec.role_arn),
      machine_name_(MachineName(spec)) {
  result_.name = std::move(name);
  result_.state_machine_arn = spec.state_machine_arn;
  result_.execution_arn = executor.MakeExecutionArn(machine_name_, result_.name);
  result_.input = spec.input;
  result_.start_date = spec.start_date ? *spec.start_date : executor.clock().Now();
  static_assert(sizeof(Parts) <= sizeof(parts_storage_) && alignof(Parts) <= 16,
                "Execution::parts_storage_ is too small for Execution::Parts");
  parts_ = new (parts_storage_)
      Parts(executor, ExecutionInfo{.execution_arn = result_.execution_arn,
                                    .execution_name = result_.name,
                                    .role_arn = role_arn_,
                                    .state_machine_arn = result_.state_machine_arn,
                                    .state_machine_name = machine_name_,
                                    .start_time = result_.start_date,
                                    .input = &result_.input});
  parts_->context.SetVariables(&parts_->variables);
  if (machine.timeout_seconds) {
    parts_->rc.deadline = result_.start_date + std::chrono::seconds(*machine.timeout_seconds);
  }
  if (executor.observer() != nullptr) {
    parts_->rc.checkpoint = [this] { return Checkpoint(std::nullopt); };
  }
  parts_->rc.abort_requested = &abort_requested_;
}

Execution::Execution(const Executor& executor, const asl::StateMachine& machine,
                     const ExecutionSpec& spec)
    : Execution(executor, machine, spec,
                spec.execution_name.empty() ? NewExecutionName() : spec.execution_name) {
  parts_->history.RecordAt(result_.start_date, "ExecutionStarted", "executionStartedEventDetails",
                           [&] {
                             json::Object details{{"input", json::Serialize(result_.input)},
                                                  {"inputDetails", NotTruncated()},
                                                  {"roleArn", role_arn_}};
                             if (!spec.alias_arn.empty())
                               details["stateMachineAliasArn"] = spec.alias_arn;
                             if (!spec.version_arn.empty())
                               details["stateMachineVersionArn"] = spec.version_arn;
                             return json::Value(std::move(details));
                           });
  current_ = spec.input;
  index_ = machine.start_index;
}

Execution::Execution(const Executor& executor, const asl::StateMachine& machine,
                     const ExecutionSpec& spec, const ResumePoint& at)
    : Execution(executor, machine, spec, spec.execution_name) {
  parts_->history.ResumeAfter(at.last_event_id);
  if (at.input != nullptr) current_ = *at.input;
  if (at.variables != nullptr) parts_->variables.Restore(*at.variables);
  index_ = at.state_index;
  if (at.entered_event_id == 0) return;  // enters the state when it advances
  if (index_ < 0 || index_ >= static_cast<int>(machine.states.size())) return;
  in_state_ = true;
  const asl::State& state = machine.states[index_];
  parts_->rc.state = &state;
  parts_->rc.entered_event_id = at.entered_event_id;
  parts_->rc.entered_time = at.entered_time;
  parts_->rc.retrier_attempts = at.retrier_attempts;
  parts_->context.EnterState(state.name, at.entered_time);
  parts_->context.SetRetryCount(at.retry_count);
  if (!at.task_token.empty()) {
    parts_->context.SetTaskToken(std::string(at.task_token));
    parts_->rc.task_token_resumed = true;
  }
  if (at.wake_at) {
    suspended_ = true;
    state_wake_at_ = *at.wake_at;
    wake_at_ = parts_->rc.deadline && *parts_->rc.deadline < state_wake_at_ ? *parts_->rc.deadline
                                                                            : state_wake_at_;
  }
}

Execution::~Execution() { parts_->~Parts(); }

bool Execution::Checkpoint(std::optional<TimePoint> wake_at) {
  Observer* observer = executor_.observer();
  if (observer == nullptr) return true;
  ResumePoint point{.state_index = index_,
                    .state_name = parts_->rc.state->name,
                    .input = &current_,
                    .entered_time = parts_->rc.entered_time,
                    .entered_event_id = parts_->rc.entered_event_id,
                    .retry_count = parts_->context.retry_count(),
                    .retrier_attempts = parts_->rc.retrier_attempts,
                    .wake_at = wake_at,
                    .last_event_id = parts_->history.last_id(),
                    .variables = &parts_->variables.values(),
                    .task_token = parts_->context.task_token()
                                      ? std::string_view(*parts_->context.task_token())
                                      : std::string_view()};
  return observer->OnCheckpoint(result_.execution_arn, point);
}

Execution::Progress Execution::Finish(ExecutionStatus status) {
  result_.status = status;
  result_.stop_date = executor_.clock().Now();
  return Progress::kFinished;
}

Execution::Progress Execution::TimedOut() {
  result_.error = "States.Timeout";
  parts_->history.Record("ExecutionTimedOut", "executionTimedOutEventDetails", [&] {
    return json::Value(json::Object{{"error", "States.Timeout"}});
  });
  return Finish(ExecutionStatus::kTimedOut);
}

Execution::Progress Execution::Aborted(AbortRequest request) {
  parts_->history.Record("ExecutionAborted", "executionAbortedEventDetails", [&] {
    json::Object details;
    if (request.error) details["error"] = *request.error;
    if (request.cause) details["cause"] = *request.cause;
    return json::Value(std::move(details));
  });
  result_.error = std::move(request.error);
  result_.cause = std::move(request.cause);
  return Finish(ExecutionStatus::kAborted);
}

void Execution::Abort(std::optional<std::string> error, std::optional<std::string> cause) {
  if (finished()) return;
  Aborted(AbortRequest{std::move(error), std::move(cause)});
}

void Execution::RequestAbort(std::optional<std::string> error, std::optional<std::string> cause) {
  std::lock_guard lock(abort_mu_);
  abort_request_ = AbortRequest{std::move(error), std::move(cause)};
  abort_requested_.store(true, std::memory_order_release);
}

void Execution::Fail(Error error) {
  if (finished()) return;
  parts_->history.Record("ExecutionFailed", "executionFailedEventDetails", [&] {
    return json::Value(json::Object{{"error", error.error}, {"cause", error.cause}});
  });
  result_.error = std::move(error.error);
  result_.cause = std::move(error.cause);
  Finish(ExecutionStatus::kFailed);
}

Execution::Progress Execution::HistoryLimitReached() {
  Fail(Error{"States.Runtime", "The execution reached the maximum number of history events (" +
                                   std::to_string(parts_->history.max_events()) + ")."});
  return Progress::kFinished;
}

void Execution::WakeSubmittedTask() {
  if (!suspended_ || parts_->rc.submitted == nullptr) return;
  const TimePoint now = executor_.clock().Now();
  if (now < state_wake_at_) state_wake_at_ = now;
  if (now < wake_at_) wake_at_ = now;
}

void Execution::Halt() {
  if (!finished()) Finish(ExecutionStatus::kAborted);
}

bool Execution::EnterState() {
  if (index_ < 0 || index_ >= static_cast<int>(machine_.states.size())) {
    // Unreachable for a validated machine; reported rather than trusted.
    result_.error = "States.Runtime";
    result_.cause = "Transition to an unknown state index " + std::to_string(index_);
    Finish(ExecutionStatus::kFailed);
    return false;
  }
  const asl::State& state = machine_.states[index_];
  RunContext& rc = parts_->rc;
  // The entry time is only observable through the deadline and $$.State.EnteredTime; a state
  // that reads neither spares the clock read.
  const TimePoint now = rc.deadline || state.reads_context ? executor_.clock().Now() : TimePoint();
  if (rc.deadline && now >= *rc.deadline) {
    TimedOut();
    return false;
  }
  rc.state = &state;
  rc.entered_time = now;
  rc.retrier_attempts.clear();
  parts_->context.EnterState(state.name, now);
  rc.frame.reset();
  rc.assigned.reset();
  rc.submitted.reset();
  rc.entered_event_id = RecordStateEntered(parts_->history, state, current_);
  in_state_ = true;
  return true;
}

Execution::Progress Execution::Advance() {
  if (finished()) return Progress::kFinished;
  RunContext& rc = parts_->rc;
  for (;;) {
    if (abort_requested_.load(std::memory_order_acquire)) {
      std::lock_guard lock(abort_mu_);
      return Aborted(std::move(abort_request_));
    }
    if (!in_state_) {
      if (current_fits_) {
        index_ = SkipPassThroughStates(rc, machine_, index_);
        if (parts_->history.overflowed()) return HistoryLimitReached();
      }
      if (!EnterState()) return Progress::kFinished;
    } else if (suspended_) {
      const TimePoint now = executor_.clock().Now();
      if (now < wake_at_) return Progress::kSuspended;
      // Woken by the deadline rather than by the state's own time: the execution timed out.
      if (rc.deadline && *rc.deadline < state_wake_at_) return TimedOut();
      suspended_ = false;
      rc.woken = true;
    }
    if (parts_->history.overflowed()) return HistoryLimitReached();
    const asl::State& state = *rc.state;
    StateOutcome outcome = RunState(rc, current_);  // leaves the state output in current_
    rc.woken = false;
    if (outcome.kind == StateOutcome::Kind::kNext || outcome.kind == StateOutcome::Kind::kEnd) {
      Status finished = OkStatus();
      if (!outcome.input_unchanged || !current_fits_) {
        finished = CheckPayloadSize(current_, state.name);
        current_fits_ = finished.ok();
      }
      if (finished.ok()) finished = FinishState(rc, current_);  // records the Exited event
      if (!finished.ok()) outcome = StateOutcome::Failed(finished.take_error());
    }
    // Branches stop at their next state boundary once the history is full (BranchRun).
    if (parts_->history.overflowed()) return HistoryLimitReached();
    switch (outcome.kind) {
      case StateOutcome::Kind::kSuspend: {
        state_wake_at_ = outcome.wake_at;
        wake_at_ = rc.deadline && *rc.deadline < state_wake_at_ ? *rc.deadline : state_wake_at_;
        suspended_ = true;
        // A wait that is already over needs neither a checkpoint nor a trip through the caller.
        if (wake_at_ <= executor_.clock().Now()) continue;
        if (!Checkpoint(state_wake_at_)) {
          Halt();
          return Progress::kFinished;
        }
        return Progress::kSuspended;
      }
      case StateOutcome::Kind::kHalt:
        Halt();
        return Progress::kFinished;
      case StateOutcome::Kind::kTimedOut:
        return TimedOut();
      case StateOutcome::Kind::kNext:
      case StateOutcome::Kind::kEnd:
        break;
      case StateOutcome::Kind::kFailed:
        parts_->history.Record("ExecutionFailed", "executionFailedEventDetails", [&] {
          return json::Value(
              json::Object{{"error", outcome.error.error}, {"cause", outcome.error.cause}});
        });
        result_.error = std::move(outcome.error.error);
        result_.cause = std::move(outcome.error.cause);
        return Finish(ExecutionStatus::kFailed);
    }
    in_state_ = false;
    if (outcome.kind == StateOutcome::Kind::kEnd) {
      if (rc.deadline && executor_.clock().Now() >= *rc.deadline) return TimedOut();
      parts_->history.Record("ExecutionSucceeded", "executionSucceededEventDetails", [&] {
        return json::Value(
            json::Object{{"output", json::Serialize(current_)}, {"outputDetails", NotTruncated()}});
      });
      result_.output = std::move(current_);
      return Finish(ExecutionStatus::kSucceeded);
    }
    index_ = outcome.next_index;
  }
}

}  // namespace autoretrain::engine
