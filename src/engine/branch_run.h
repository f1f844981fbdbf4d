// BranchRun: one Parallel branch or one Map iteration, a step machine over a nested state
// machine that shares the execution's history, task handler, clock and deadline but has its
// own context object ($$.State is the branch's current state) and its own variable scope
// (reading through to the enclosing one, dropped with the branch). Advance() runs states until the
// branch ends or has to wait, like Execution::Advance one level down; the enclosing Parallel or
// Map state advances its branches in turn (concurrency is cooperative: one thread, waits
// overlap, task invocations do not).
//
// Thread-safety: used by the thread running the execution.
#ifndef AUTORETRAIN_ENGINE_BRANCH_RUN_H_
#define AUTORETRAIN_ENGINE_BRANCH_RUN_H_

#include <string>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "engine/context_object.h"
#include "engine/run_context.h"
#include "engine/variables.h"

namespace autoretrain::engine {

class BranchRun {
 public:
  enum class Progress {
    kSucceeded,  // output() holds the branch's result
    kFailed,     // error() holds the error it failed with
    kSuspended,  // call again once wake_at() has passed
    kHalted,     // the execution was stopped elsewhere
    kTimedOut,   // the execution's deadline passed
    kAborted,    // an abort was requested, or the history is full: the execution ends
  };

  // A branch of the state `parent` runs (which must outlive it) over `machine`, starting with
  // `input`; `branch_path` names it (RunContext::branch_path).
  BranchRun(RunContext& parent, const asl::StateMachine& machine, json::Value input,
            std::string branch_path);
  BranchRun(const BranchRun&) = delete;
  BranchRun& operator=(const BranchRun&) = delete;

  Progress Advance();
  TimePoint wake_at() const { return wake_at_; }
  json::Value& output() { return current_; }
  Error& error() { return error_; }

 private:
  // Enters the state at index_; false when the deadline has passed.
  bool EnterState();

  const asl::StateMachine& machine_;
  Variables variables_;  // the branch's own scope, inside the enclosing one
  ContextObject context_;
  RunContext rc_;
  json::Value current_;        // the raw input of the current state; the output once succeeded
  bool current_fits_ = false;  // current_ passed the payload check (as in Execution)
  int index_;
  bool in_state_ = false;
  bool suspended_ = false;
  TimePoint wake_at_{};
  Error error_;
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_BRANCH_RUN_H_
