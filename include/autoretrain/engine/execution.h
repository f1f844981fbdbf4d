// Execution: one execution of a compiled state machine as a resumable step machine. Advance()
// runs states until the execution ends or has to wait (a Wait state, a Retry delay); it then
// returns kSuspended with the time to call it again, holding no thread in between. The
// position an execution can resume from (ResumePoint) is reported to the Observer before every
// task invocation and at every suspension, so a durable observer can commit it with the events
// before the task's side effects begin; Execution::Resume continues from such a point after a
// restart.
//
// Determinism. Resuming replays from the last committed point: states after it run again with
// the same event ids and retry counts (Pass, Choice, Succeed and Fail are pure; a Task is
// invoked again, with the same state-entered event id and retry count, which the task handler
// can use to make its effect idempotent, as startExecution's derived child names do).
//
// Thread-safety: Advance, Abort and Halt must not run concurrently with each other (one worker
// at a time owns an execution). RequestAbort may be called from any thread at any time.
#ifndef AUTORETRAIN_ENGINE_EXECUTION_H_
#define AUTORETRAIN_ENGINE_EXECUTION_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

// How deep a variable's value may nest (an Assign beyond fails States.DataLimitExceeded): the
// JSON limit less two levels, so that a checkpoint may hold the variables two levels down
// ({"variables": {"name": value}}) and still be read back by json::Parse.
inline constexpr int kMaxVariableDepth = json::kMaxDepth - 2;

// Where a running execution can continue from: inside the state at `state_index`, entered at
// event `entered_event_id` with raw input `input`, after `retry_count` retries (and
// `retrier_attempts[i]` attempts counted by the state's i-th Retrier). `wake_at` is set when the
// state is suspended: a Wait state ends at that time, a Task makes its next attempt then.
// `last_event_id` is the id of the last history event before the point; `variables` are the
// execution's workflow variables (inside a Parallel or Map state, those of the execution's own
// scope: the state runs again from its start). A point with
// `entered_event_id` 0 is before the state was entered (an execution that never reached a
// checkpoint resumes at StartAt with its input this way).
struct ResumePoint {
  int state_index = -1;
  std::string_view state_name{};  // the name of states[state_index]

  const json::Value* input = nullptr;  // not owned
  TimePoint entered_time{};
  int64_t entered_event_id = 0;
  int64_t retry_count = 0;
  std::vector<int> retrier_attempts{};
  std::optional<TimePoint> wake_at{};
  int64_t last_event_id = 0;
  // The execution's variables (name -> value) at this point; null: none.  Not owned.
  const json::Object* variables = nullptr;
  // The task token of a callback task (.waitForTaskToken) at this point, which its next
  // attempt after a resume keeps; empty: none.
  std::string_view task_token{};
};

class Execution {
 public:
  enum class Progress { kFinished, kSuspended };

  // A new execution of `machine` (which must outlive it): records ExecutionStarted now.
  Execution(const Executor& executor, const asl::StateMachine& machine, const ExecutionSpec& spec);
  // An execution continuing at `at` (its input is copied); nothing is recorded until it
  // advances. `spec` must name the execution and carry its input and start date.
  Execution(const Executor& executor, const asl::StateMachine& machine, const ExecutionSpec& spec,
            const ResumePoint& at);
  ~Execution();
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Runs until the execution ends (kFinished: result() is final) or suspends (kSuspended: call
  // again once wake_at() has passed; an earlier call only suspends again). Never throws.
  Progress Advance();
  // When suspended: when to advance again (already brought forward to the execution's
  // deadline when that comes first).
  TimePoint wake_at() const { return wake_at_; }
  bool finished() const { return result_.status != ExecutionStatus::kRunning; }

  // Ends a suspended (or not yet advanced) execution as ABORTED, recording ExecutionAborted
  // with the given error and cause. Does nothing once finished.
  void Abort(std::optional<std::string> error, std::optional<std::string> cause);
  // Asks an execution that another thread is advancing to abort at its next state boundary
  // (Advance then returns kFinished, ABORTED). Safe from any thread.
  void RequestAbort(std::optional<std::string> error, std::optional<std::string> cause);
  // Ends an execution that is not being advanced as FAILED, recording ExecutionFailed with
  // `error` (for a resumed execution that cannot continue, or an internal error). Does nothing
  // once finished.
  void Fail(Error error);
  // Ends the execution as ABORTED without recording anything: it was stopped elsewhere and
  // the stop is already recorded.
  void Halt();
  // Brings the wake-up of an execution suspended in a Task that waits for submitted work
  // (.sync) forward to now, so that the next Advance checks the work at once; does nothing in
  // any other state. Same threading rules as Advance.
  void WakeSubmittedTask();

  const ExecutionResult& result() const { return result_; }
  ExecutionResult& result() { return result_; }

 private:
  struct AbortRequest {
    std::optional<std::string> error;
    std::optional<std::string> cause;
  };
  Execution(const Executor& executor, const asl::StateMachine& machine, const ExecutionSpec& spec,
            std::string name);
  struct Parts;  // the history, context object and run context (execution.cc)
  // Enters the state at index_; false when the execution ended instead (timed out, or an
  // unknown state index).
  bool EnterState();
  Progress Finish(ExecutionStatus status);
  Progress TimedOut();
  Progress Aborted(AbortRequest request);
  // Ends the execution FAILED because its history is full (History::overflowed).
  Progress HistoryLimitReached();
  // Reports the current position to the observer; false when the execution must halt.
  bool Checkpoint(std::optional<TimePoint> wake_at);

  const Executor& executor_;
  const asl::StateMachine& machine_;
  ExecutionResult result_;
  std::string role_arn_;
  std::string machine_name_;
  // Parts lives in this buffer rather than on the heap: an allocation and a free are ~7% of a
  // short execution's run time (execution.cc checks that it fits).
  alignas(16) unsigned char parts_storage_[608];
  Parts* parts_ = nullptr;
  json::Value current_;  // the raw input of the current (or next) state
  // current_ passed the payload check (it is the output of a state that was checked): a state
  // that passes it on unchanged needs no new check.
  bool current_fits_ = false;
  int index_ = -1;           // the current (or next) state
  bool in_state_ = false;    // the state at index_ was entered and has not ended
  bool suspended_ = false;   // waiting for wake_at_
  TimePoint state_wake_at_;  // when the suspended state asked to wake
  TimePoint wake_at_;        // state_wake_at_ or the deadline, whichever comes first
  std::atomic<bool> abort_requested_{false};
  std::mutex abort_mu_;  // guards abort_request_
  AbortRequest abort_request_;
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_EXECUTION_H_
