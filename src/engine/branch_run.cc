#include "engine/branch_run.h"

#include <utility>

#include "engine/io_processing.h"

namespace autoretrain::engine {

BranchRun::BranchRun(RunContext& parent, const asl::StateMachine& machine, json::Value input,
                     std::string branch_path)
    : machine_(machine),
      variables_(parent.context.variables()),
      context_(parent.context.info()),
      rc_{.handler = parent.handler,
          .clock = parent.clock,
          .history = parent.history,
          .context = context_,
          .account = parent.account,
          .execution_arn = parent.execution_arn,
          .deadline = parent.deadline,
          .checkpoint = parent.checkpoint,
          .abort_requested = parent.abort_requested,
          .branch_path = std::move(branch_path),
          .jsonata_time_limit = parent.jsonata_time_limit},
      current_(std::move(input)),
      index_(machine.start_index) {
  context_.SetVariables(&variables_);
}

bool BranchRun::EnterState() {
  const asl::State& state = machine_.states[index_];
  // As at the top level: only a state that can observe its entry time, or a deadline, reads
  // the clock.
  const TimePoint now = rc_.deadline || state.reads_context ? rc_.clock.Now() : TimePoint();
  if (rc_.deadline && now >= *rc_.deadline) return false;
  rc_.state = &state;
  rc_.entered_time = now;
  rc_.retrier_attempts.clear();
  rc_.frame.reset();
  rc_.assigned.reset();
  rc_.submitted.reset();
  ++rc_.branch_step;
  context_.EnterState(state.name, now);
  rc_.entered_event_id = RecordStateEntered(rc_.history, state, current_);
  in_state_ = true;
  return true;
}

BranchRun::Progress BranchRun::Advance() {
  for (;;) {
    if (rc_.abort_requested != nullptr && rc_.abort_requested->load(std::memory_order_acquire)) {
      return Progress::kAborted;
    }
    if (rc_.history.overflowed()) return Progress::kAborted;  // the execution fails (Execution)
    if (!in_state_) {
      if (current_fits_) {
        index_ = SkipPassThroughStates(rc_, machine_, index_);
        if (rc_.history.overflowed()) return Progress::kAborted;
      }
      if (!EnterState()) return Progress::kTimedOut;
      if (rc_.history.overflowed()) return Progress::kAborted;
    } else if (suspended_) {
      if (rc_.clock.Now() < wake_at_) return Progress::kSuspended;
      suspended_ = false;
      rc_.woken = true;
    }
    const asl::State& state = *rc_.state;
    StateOutcome outcome = RunState(rc_, current_);  // leaves the state output in current_
    rc_.woken = false;
    if (outcome.kind == StateOutcome::Kind::kNext || outcome.kind == StateOutcome::Kind::kEnd) {
      Status finished = OkStatus();
      if (!outcome.input_unchanged || !current_fits_) {
        finished = CheckPayloadSize(current_, state.name);
        current_fits_ = finished.ok();
      }
      if (finished.ok()) finished = FinishState(rc_, current_);  // records the Exited event
      if (!finished.ok()) outcome = StateOutcome::Failed(finished.take_error());
    }
    switch (outcome.kind) {
      case StateOutcome::Kind::kSuspend:
        wake_at_ = outcome.wake_at;
        suspended_ = true;
        return Progress::kSuspended;
      case StateOutcome::Kind::kHalt:
        return Progress::kHalted;
      case StateOutcome::Kind::kTimedOut:
        return Progress::kTimedOut;
      case StateOutcome::Kind::kFailed:
        error_ = std::move(outcome.error);
        return Progress::kFailed;
      case StateOutcome::Kind::kNext:
      case StateOutcome::Kind::kEnd:
        break;
    }
    in_state_ = false;
    if (outcome.kind == StateOutcome::Kind::kEnd) return Progress::kSucceeded;
    index_ = outcome.next_index;
  }
}

}  // namespace autoretrain::engine
