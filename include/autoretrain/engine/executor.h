// Executor: runs one execution of a compiled state machine to completion, with Step Functions'
// semantics: the input/output processing chain, every state type the compiled form holds, the
// context object, and the events of the execution history.
//
// Thread-safety: an Executor is stateless between runs and may run several executions at once
// on different threads, provided its TaskHandler and Observer allow that.
#ifndef AUTORETRAIN_ENGINE_EXECUTOR_H_
#define AUTORETRAIN_ENGINE_EXECUTOR_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
const char* ExecutionStatusName(ExecutionStatus status);

struct ExecutionSpec {
  std::string state_machine_arn;  // arn:aws:states:...:stateMachine:NAME
  std::string state_machine_name;
  std::string execution_name;  // empty: a new UUID is generated
  std::string role_arn;        // may be empty
  // The version and alias ARNs StartExecution was given (empty: the machine's own ARN), as
  // the ExecutionStarted event reports them.
  std::string version_arn;
  std::string alias_arn;
  json::Value input = json::Object{};
  // When set, the execution's start date (what StartExecution already reported to the
  // caller); otherwise the clock's time when Run begins.
  std::optional<TimePoint> start_date;
};

// What DescribeExecution reports about a finished execution.
struct ExecutionResult {
  std::string execution_arn;
  std::string state_machine_arn;
  std::string name;
  ExecutionStatus status = ExecutionStatus::kRunning;
  TimePoint start_date;
  TimePoint stop_date;
  json::Value input;
  std::optional<json::Value> output;  // set when SUCCEEDED
  std::optional<std::string> error;   // set when FAILED (may be empty string)
  std::optional<std::string> cause;

  // The DescribeExecution response object: executionArn, stateMachineArn, name, status,
  // startDate, stopDate, input, inputDetails, output, outputDetails, error, cause. Dates are
  // ISO 8601 strings here (the API layer converts to epoch seconds where AWS's protocol does).
  json::Value ToDescribeJson() const;
};

// AWS's hard quota on a Standard execution's history: the execution fails when it is reached.
inline constexpr int64_t kMaxHistoryEvents = 25000;

// How long one JSONata expression of a state may evaluate (ours: AWS documents no figure).
// Beyond it the state fails States.QueryEvaluationError with JSONata's U1001 "Expression
// evaluation timeout", so that an expression that never ends (a tail-recursive function
// calling itself forever runs in constant stack) cannot hold a worker thread for good.
inline constexpr std::chrono::milliseconds kJsonataTimeLimit{10'000};

class Executor {
 public:
  // `handler`, `clock` and `observer` (may be null) must outlive the Executor.
  Executor(TaskHandler& handler, Clock& clock, Observer* observer, AccountContext account = {});

  // Runs `machine` with `spec` until it succeeds or fails, on the calling thread (Wait states
  // and Retry delays sleep on the clock). Workflow errors end the execution as FAILED with
  // their error and cause; this never throws. For executions that must not hold a thread while
  // they wait, or that resume after a restart, see Execution (execution.h).
  ExecutionResult Run(const asl::StateMachine& machine, const ExecutionSpec& spec) const;

  TaskHandler& handler() const { return handler_; }
  // The clock executions run on.
  Clock& clock() const { return clock_; }
  Observer* observer() const { return observer_; }
  const AccountContext& account() const { return account_; }
  // ExecutionArn(account(), state_machine_name, execution_name), from a prefix made once (an
  // ARN per execution built from its six parts showed in profiles of short executions).
  std::string MakeExecutionArn(std::string_view state_machine_name,
                               std::string_view execution_name) const;
  // The most events an execution's history may hold (kMaxHistoryEvents unless changed; 0: no
  // limit, which AWS does not offer). An execution that needs more ends FAILED with
  // States.Runtime, its ExecutionFailed event taking the last id. Set before running.
  int64_t max_history_events() const { return max_history_events_; }
  void set_max_history_events(int64_t max) { max_history_events_ = max; }
  // How long one JSONata expression may evaluate (kJsonataTimeLimit unless changed; it must
  // stay positive). Set before running.
  std::chrono::milliseconds jsonata_time_limit() const { return jsonata_time_limit_; }
  void set_jsonata_time_limit(std::chrono::milliseconds limit) { jsonata_time_limit_ = limit; }

 private:
  TaskHandler& handler_;
  Clock& clock_;
  Observer* observer_;
  AccountContext account_;
  std::string execution_arn_prefix_;  // "arn:PARTITION:states:REGION:ACCOUNT:execution:"
  int64_t max_history_events_ = kMaxHistoryEvents;
  std::chrono::milliseconds jsonata_time_limit_ = kJsonataTimeLimit;
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_EXECUTOR_H_
