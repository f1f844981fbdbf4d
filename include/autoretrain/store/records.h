// The values the store keeps and returns: state machines with their definition versions,
// executions as DescribeExecution and ListExecutions report them, per-execution checkpoints,
// and the page shapes of the List and GetExecutionHistory calls.
//
// Thread-safety: plain values; safe to copy and move between threads.
#ifndef AUTORETRAIN_STORE_RECORDS_H_
#define AUTORETRAIN_STORE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/observer.h"

namespace autoretrain::store {

// AWS's page size limits for ListStateMachines, ListExecutions and GetExecutionHistory:
// maxResults 0 (or absent) means 100; more than 1000 is a ValidationException.
inline constexpr int kDefaultMaxResults = 100;
inline constexpr int kMaxMaxResults = 1000;

struct PageRequest {
  int max_results = 0;     // 0: kDefaultMaxResults
  std::string next_token;  // empty: the first page
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty when this is the last page
};

// A state machine as DescribeStateMachine reports it, at its latest version.
struct StateMachineRecord {
  std::string arn;
  std::string name;
  std::string definition;  // the ASL text exactly as given
  std::string role_arn;
  std::string type = "STANDARD";
  std::string status = "ACTIVE";  // "DELETING" after delete while executions still exist
  TimePoint creation_date;
  int64_t version = 1;     // 1 at creation, +1 for every update that changes the definition
  TimePoint version_date;  // when `version` was written (AWS's updateDate)
};

struct NewStateMachine {
  std::string arn;
  std::string name;
  std::string definition;
  std::string role_arn;
  std::string type = "STANDARD";
  TimePoint creation_date;
};

// What StartExecution records. Status is RUNNING; `input` is the JSON text as given.
struct NewExecution {
  std::string arn;
  std::string state_machine_arn;
  int64_t state_machine_version = 1;  // the definition version the execution runs
  std::string name;
  std::string input;
  TimePoint start_date;
};

// An execution as DescribeExecution reports it.
struct ExecutionRecord {
  std::string arn;
  std::string state_machine_arn;
  int64_t state_machine_version = 1;
  std::string name;
  engine::ExecutionStatus status = engine::ExecutionStatus::kRunning;
  std::string input;
  std::optional<std::string> output;  // JSON text, set when SUCCEEDED
  std::optional<std::string> error;   // set when FAILED, TIMED_OUT or ABORTED (may be empty)
  std::optional<std::string> cause;
  TimePoint start_date;
  std::optional<TimePoint> stop_date;  // set once finished
  int64_t last_event_id = 0;           // id of the newest history event

  // The execution as the engine reports it, input and output parsed back from their JSON text
  // (text that is not JSON stays a string).
  engine::ExecutionResult ToResult() const;
};

// A task token of a callback task (.waitForTaskToken) and what the worker sent for it.
struct TaskTokenRecord {
  std::string token;
  std::string execution_arn;
  std::string state_name;
  TimePoint created;
  TimePoint last_heartbeat;  // the creation time until a heartbeat arrives
  enum class Status { kWaiting, kSucceeded, kFailed };
  Status status = Status::kWaiting;
  std::optional<std::string> output;  // JSON text, when kSucceeded
  std::optional<std::string> error;   // when kFailed
  std::optional<std::string> cause;
  // An activity task's: the activity, and once a worker got it (GetActivityTask), its name
  // and when.
  std::optional<std::string> activity_arn;
  std::optional<std::string> worker_name;
  std::optional<TimePoint> started;
};

// An activity as DescribeActivity reports it.
struct ActivityRecord {
  std::string arn;
  std::string name;
  TimePoint creation_date;
};

// What GetActivityTask hands a worker.
struct ActivityTask {
  std::string token;
  std::string input;  // JSON text
};

// What SendTaskSuccess (output) or SendTaskFailure (error and cause) carries.
struct TaskCompletion {
  std::optional<std::string> output = std::nullopt;  // JSON text: success
  std::optional<std::string> error = std::nullopt;   // failure
  std::optional<std::string> cause = std::nullopt;
};

// How an execution ended. `status` must not be kRunning.
struct ExecutionEnd {
  std::string arn;
  engine::ExecutionStatus status = engine::ExecutionStatus::kSucceeded;
  TimePoint stop_date;
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

// Where a running execution resumes after a restart: the state to (re-)enter, the effective
// input of that state, its retry count, and an opaque JSON text the engine may use for
// anything else it needs (Map/Parallel progress, timers). `event_id` is filled in by the store:
// the id of the last history event committed with the checkpoint.
struct Checkpoint {
  std::string state_name;
  std::string state_input;
  int64_t retry_count = 0;
  std::string engine_data = "{}";
  int64_t event_id = 0;
};

// GetExecutionHistory's request: oldest first unless reverse_order.
struct HistoryQuery {
  bool reverse_order = false;
  int max_results = 0;  // 0: kDefaultMaxResults
  std::string next_token;
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_RECORDS_H_
