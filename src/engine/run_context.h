// RunContext: everything a state needs while one execution runs it (the machine, the task
// handler, the clock, the history, the context object, the execution's deadline), and
// StateOutcome, what running one state produced. The per-state runners are declared at the end;
// each lives in its own <type>_state.cc.
//
// Thread-safety: one RunContext per execution, used by the thread running it.
#ifndef AUTORETRAIN_ENGINE_RUN_CONTEXT_H_
#define AUTORETRAIN_ENGINE_RUN_CONTEXT_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/json/json.h"
#include "autoretrain/jsonata/jsonata.h"
#include "engine/context_object.h"
#include "engine/history.h"

namespace autoretrain::engine {

// A Task whose work goes on after its handler returned: what starting it returned (handed back
// to the handler at each check) and when its TimeoutSeconds runs out.
struct SubmittedTask {
  json::Value output;
  std::optional<TimePoint> deadline;
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_seconds;
  bool worker_reported = false;  // an activity task's ActivityStarted is recorded
};

// Working memory of a state that outlives one run of it: the branches of a Parallel or the
// iterations of a Map in progress while the state is suspended. Dropped when a state is
// entered, and when a retry starts the state over.
struct StateFrame {
  virtual ~StateFrame() = default;
};

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
  // Observer::OnCheckpoint); false when the execution must halt. Set by the Execution; inside
  // a branch it reports the enclosing top-level state, which a resumed execution runs again.
  std::function<bool()> checkpoint{};
  std::unique_ptr<StateFrame> frame{};  // the current state's, if it keeps one
  // Set once an abort was requested (Execution::RequestAbort): branches stop at their next
  // state boundary so that the execution can end.
  const std::atomic<bool>* abort_requested = nullptr;
  // Inside a Parallel branch or a Map iteration: which one ("" at the top level), e.g.
  // "Fan@5.0/1" for branch 1 of the state entered at event 5 on its first attempt, and how
  // many states the branch has entered so far. Together they name a run of a task the same
  // way when a resumed execution runs the enclosing state again (TaskRequest::branch_path).
  std::string branch_path{};
  int64_t branch_step = 0;
  // A Task whose work goes on after its handler returned (TaskRequest::check_again_at).
  std::unique_ptr<SubmittedTask> submitted{};
  // True when a resumed execution's callback task got back, in the context object, the token it
  // had when it was checkpointed: its next attempt keeps it (then it is cleared).
  bool task_token_resumed = false;
  // The variables the current state assigns (name -> value), evaluated but not yet applied:
  // they take effect when the state ends (FinishState).
  std::optional<json::Object> assigned{};
  // How long one JSONata expression may evaluate (Executor::jsonata_time_limit).
  std::chrono::milliseconds jsonata_time_limit = kJsonataTimeLimit;

  // The limits every JSONata expression of the state is evaluated under.
  jsonata::EvaluateOptions jsonata_options() const;

  // An error the engine raises inside the current state, with the prefix AWS puts on such
  // causes: "An error occurred while executing the state 'S' (entered at the event id #2). ".
  Error StateError(Error error) const;
};

// What running one state produced. The output of a state that continues or ends (kNext,
// kEnd) is not in the outcome: the runner leaves it in the raw input it was given, so that a
// state that passes its input on, or changes it in place, moves no JSON value at all.
struct StateOutcome {
  enum class Kind {
    kNext,      // continue at next_index with the output
    kEnd,       // the execution succeeds with the output
    kFailed,    // the execution fails with `error`
    kSuspend,   // run the state again (with RunContext::woken set) at `wake_at`
    kHalt,      // the execution was stopped elsewhere: end it without recording more
    kTimedOut,  // a branch of the state reached the execution's deadline
  };
  Kind kind = Kind::kEnd;
  int next_index = -1;
  // kNext, kEnd: the output is the raw input, untouched (the state only passed it on), so it
  // needs no new payload check if the input already passed one.
  bool input_unchanged = false;
  TimePoint wake_at{};
  Error error;

  // Follows the state's Next (or End).
  static StateOutcome Transition(const asl::State& state, bool input_unchanged = false) {
    return state.end ? End(input_unchanged) : GoTo(state.next_index, input_unchanged);
  }
  static StateOutcome GoTo(int next_index, bool input_unchanged = false) {
    return Of(Kind::kNext, next_index, input_unchanged);
  }
  static StateOutcome End(bool input_unchanged = false) {
    return Of(Kind::kEnd, -1, input_unchanged);
  }
  static StateOutcome Failed(Error error) {
    StateOutcome o = Of(Kind::kFailed);
    o.error = std::move(error);
    return o;
  }
  static StateOutcome Suspend(TimePoint wake_at) {
    StateOutcome o = Of(Kind::kSuspend);
    o.wake_at = wake_at;
    return o;
  }
  static StateOutcome Halt() { return Of(Kind::kHalt); }
  static StateOutcome TimedOut() { return Of(Kind::kTimedOut); }

 private:
  static StateOutcome Of(Kind kind, int next_index = -1, bool input_unchanged = false) {
    StateOutcome o;
    o.kind = kind;
    o.next_index = next_index;
    o.input_unchanged = input_unchanged;
    return o;
  }
};

// The state runners: each runs rc.state on its raw input `input`, which it may consume, and
// on kNext or kEnd leaves the state's output there. A runner that may run the state again
// (kSuspend: a Wait, a retry) or hand the input to a Catcher leaves it unchanged until then.
StateOutcome RunPassState(RunContext& rc, json::Value& input);
StateOutcome RunTaskState(RunContext& rc, json::Value& input);
StateOutcome RunChoiceState(RunContext& rc, json::Value& input);
StateOutcome RunWaitState(RunContext& rc, json::Value& input);
StateOutcome RunSucceedState(RunContext& rc, json::Value& input);
StateOutcome RunFailState(RunContext& rc, json::Value& input);
StateOutcome RunParallelState(RunContext& rc, json::Value& input);
StateOutcome RunMapState(RunContext& rc, json::Value& input);

// The same for states whose QueryLanguage is JSONata (jsonata_states.cc); Task and Wait states
// handle both languages in their own runners.
StateOutcome RunJsonataPassState(RunContext& rc, json::Value& input);
StateOutcome RunJsonataChoiceState(RunContext& rc, json::Value& input);
StateOutcome RunJsonataSucceedState(RunContext& rc, json::Value& input);
StateOutcome RunJsonataFailState(RunContext& rc, json::Value& input);

// Runs rc.state, whatever its type.
StateOutcome RunState(RunContext& rc, json::Value& input);
// The index of the first state, from `index` on in `machine`, that has to run: Pass states that
// only hand their input on to a Next (State::passes_input_on) are passed over as two event ids
// each (their Entered and Exited) while nothing can see more of them: no observer, no deadline.
// Each counts in rc.branch_step, as a branch counts the states it enters (so that the names
// derived from it stay the same). Stops at an abort request and when the history is full,
// leaving that state to the caller. The caller's current input must already have passed the
// payload check.
int SkipPassThroughStates(RunContext& rc, const asl::StateMachine& machine, int index);
// Records the <Type>StateEntered event of `state` with its raw input; returns its id.
int64_t RecordObservedStateEntered(History& history, const asl::State& state,
                                   const json::Value& input);
inline int64_t RecordStateEntered(History& history, const asl::State& state,
                                  const json::Value& input) {
  // Unobserved, the event is only numbered: spare the call (every state of a run comes here).
  if (!history.observed()) return history.Number();
  return RecordObservedStateEntered(history, state, input);
}
// The end of a state that succeeded or was caught with `output`: checks the variables it assigned
// (rc.assigned) against AWS's limits, records its <Type>StateExited event with its output (and
// the variables, as "assignedVariables"), and applies them to the scope. Fails with
// States.DataLimitExceeded, recording nothing, when a limit is exceeded.
Status FinishStateWithDetails(RunContext& rc, const json::Value& output);
inline Status FinishState(RunContext& rc, const json::Value& output) {
  if (rc.assigned || rc.history.observed()) return FinishStateWithDetails(rc, output);
  if (rc.state->type != asl::StateType::kFail) rc.history.Number();  // <Type>StateExited
  return OkStatus();
}

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_RUN_CONTEXT_H_
