// TaskEvents: the history events of one Task state attempt, named the way AWS names them for
// the task's Resource:
// - an optimized integration (arn:aws:states:::lambda:invoke, states:startExecution.sync, ...)
//   gives TaskScheduled/TaskStarted/TaskSucceeded/TaskFailed/TaskTimedOut with resourceType
//   "lambda" and resource "invoke" (the part after the last colon);
// - a plain Lambda function ARN gives LambdaFunctionScheduled/Started/Succeeded/Failed/TimedOut;
// - an activity ARN gives ActivityScheduled, ActivityStarted (when a worker got the task),
//   ActivitySucceeded/Failed/TimedOut, or ActivityScheduleFailed.
// Nothing is built when the history is not observed.
//
// Thread-safety: one TaskEvents per attempt, on the execution's thread.
#ifndef AUTORETRAIN_ENGINE_TASK_EVENTS_H_
#define AUTORETRAIN_ENGINE_TASK_EVENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "engine/history.h"

namespace autoretrain::engine {

// How AWS names a Resource in history events.
struct ResourceNames {
  bool lambda_function = false;  // a plain Lambda function ARN
  bool activity = false;         // arn:aws:states:REGION:ACCOUNT:activity:NAME
  std::string resource_type;     // "lambda", "states", "aws-sdk:s3", ...
  std::string resource;          // "invoke", "startExecution.sync", ...
};
ResourceNames ClassifyResource(std::string_view resource);

class TaskEvents {
 public:
  TaskEvents(History& history, std::string_view resource, const AccountContext& account);

  void Scheduled(const json::Value& parameters, std::optional<int64_t> timeout_seconds,
                 std::optional<int64_t> heartbeat_seconds);
  // TaskStarted/LambdaFunctionStarted as the task is invoked; nothing for an activity, whose
  // start is the worker's (WorkerStarted).
  void Started();
  void WorkerStarted(const std::string& worker_name);
  // ActivityScheduleFailed: the activity task could not be scheduled.
  void ScheduleFailed(const Error& error);
  bool activity() const { return is_activity_; }
  // TaskSubmitted: the task was started and goes on (.sync, callbacks); `output` is what
  // starting it returned.
  void Submitted(const json::Value& output);
  void Succeeded(const json::Value& output);
  // TaskFailed, or TaskTimedOut when the error is States.Timeout or States.HeartbeatTimeout.
  void Failed(const Error& error);

 private:
  History& history_;
  std::string_view resource_arn_;
  const AccountContext& account_;
  ResourceNames names_;
  bool is_activity_;  // known even when not observed: the engine's flow depends on it
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_TASK_EVENTS_H_
