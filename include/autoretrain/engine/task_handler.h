// TaskHandler: how the engine hands the work of a Task state to integrations.
//
// The engine does the state's input/output processing; the handler only turns the effective
// parameters into a result (or a workflow error). Handlers are looked up by Resource ARN by
// whoever implements this interface (see integrations/task_router.h).
//
// Thread-safety: implementations must allow concurrent Invoke calls from different executions.
#ifndef AUTORETRAIN_ENGINE_TASK_HANDLER_H_
#define AUTORETRAIN_ENGINE_TASK_HANDLER_H_

#include <string>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

struct TaskRequest {
  std::string_view resource;      // the state's Resource, as written
  const json::Value* parameters;  // effective parameters (after InputPath and Parameters)
  const json::Value* context;     // the context object ($$) as the state sees it
  std::string_view state_name;
  std::string_view execution_arn;
  std::optional<int64_t> timeout_seconds;  // the state's effective TimeoutSeconds, if any
  std::optional<int64_t> heartbeat_seconds = std::nullopt;  // its HeartbeatSeconds, if any
  // Which run of the task this is within its execution: the id of the state's StateEntered
  // event (distinct each time a loop re-enters the state) and the retry attempt (0 first).
  int64_t state_entered_event_id = 0;
  int64_t retry_count = 0;
  // Inside a Parallel branch or Map iteration: the branch ("" at the top level) and the number
  // of states it entered up to this one. A resumed execution runs an interrupted Parallel or
  // Map state again from its start, with new event ids but the same branch path and step, so
  // these (with retry_count) name the same run of the task where the event id cannot.
  std::string_view branch_path{};
  int64_t branch_step = 0;

  // Tasks that go on after Invoke returns (.sync, callbacks). A handler that started such work
  // sets *check_again_at (when the caller provides it) and returns what starting it produced
  // (recorded as TaskSubmitted's output); the engine then suspends the Task state and calls
  // Invoke again with `submitted` pointing at that value, at that time or earlier when the
  // execution is woken. That call returns the task's result or error, or sets
  // *check_again_at again.
  std::optional<TimePoint>* check_again_at = nullptr;
  const json::Value* submitted = nullptr;  // set on the calls after submission
  // Activity tasks: a check sets *worker_name (when given) once a worker has got the task
  // (GetActivityTask), so that the engine records ActivityStarted.
  std::string* worker_name = nullptr;
};

class TaskHandler {
 public:
  virtual ~TaskHandler() = default;
  // Runs the task. On success returns the task result (before ResultSelector). On failure
  // returns the workflow error, e.g. {"States.TaskFailed", ...}, a function's own errorType, or
  // {"States.Runtime", ...} for an unknown resource.
  virtual Result<json::Value> Invoke(const TaskRequest& request) = 0;
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_TASK_HANDLER_H_
