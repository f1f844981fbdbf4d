// RunContext: everything a state needs while one execution runs it (the machine, the task
// handler, the clock, the history, the context object, the execution's deadline), and
// StateOutcome, what running one state produced. The per-state runners are declared at the end;
// each lives in its own <type>_state.cc.
//
// Thread-safety: one RunContext per execution, used by the thread running it.
#ifndef AUTORETRAIN_ENGINE_RUN_CONTEXT_H_
#define AUTORETRAIN_ENGINE_RUN_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/json/json.h"
#include "engine/context_object.h"
#include "engine/history.h"

namespace autoretrain::engine {

struct RunContext {
  TaskHandler& handler;
  Clock& clock;
  History& history;
  ContextObject& context;
  const AccountContext& account;
  std::string_view execution_arn;
  std::optional<TimePoint> deadline = std::nullopt;  // the execution's TimeoutSeconds, if any
  const asl::State* state = nullptr;                 // the state being run
  int64_t entered_event_id = 0;                      // id of its <Type>StateEntered event
  TimePoint entered_time{};                          // when it was entered
  // Attempts counted by each Retrier of the current state (empty until a retrier counts).
  std::vector<int> retrier_attempts{};
  // True when the state runs again because the suspension it asked for has ended.
  bool woken = false;
  // Reports the position "about to invoke the current task" to the observer (see
  // Observer::OnCheckpoint); false when the execution must halt. Set by the Execution.
  std::function<bool()> checkpoint{};

  // An error the engine raises inside the current state, with the prefix AWS puts on such
  // causes: "An error occurred while executing the state 'S' (entered at the event id #2). ".
  Error StateError(Error error) const;
};

// What running one state produced.
struct StateOutcome {
  enum class Kind {
    kNext,     // continue at next_index with `output`
    kEnd,      // the execution succeeds with `output`
    kFailed,   // the execution fails with `error`
    kSuspend,  // run the state again (with RunContext::woken set) at `wake_at`
    kHalt,     // the execution was stopped elsewhere: end it without recording more
  };
  Kind kind = Kind::kEnd;
  int next_index = -1;
  TimePoint wake_at{};
  json::Value output;
  Error error;

  // Follows the state's Next (or End) with `output`.
  static StateOutcome Transition(const asl::State& state, json::Value&& output);
  static StateOutcome GoTo(int next_index, json::Value&& output);
  static StateOutcome End(json::Value&& output);
  static StateOutcome Failed(Error error);
  static StateOutcome Suspend(TimePoint wake_at);
  static StateOutcome Halt();
};

// The state runners: each runs rc.state on its raw input, which it may consume (move from or
// modify in place; the caller no longer needs it). Taken by reference rather than by value:
// every move of a JSON value is an out-of-line call.
StateOutcome RunPassState(RunContext& rc, json::Value& input);
StateOutcome RunTaskState(RunContext& rc, json::Value& input);
StateOutcome RunChoiceState(RunContext& rc, json::Value& input);
StateOutcome RunWaitState(RunContext& rc, json::Value& input);
StateOutcome RunSucceedState(RunContext& rc, json::Value& input);
StateOutcome RunFailState(RunContext& rc, json::Value& input);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_RUN_CONTEXT_H_
