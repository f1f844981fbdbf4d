#include "autoretrain/engine/executor.h"

namespace autoretrain::engine {

const char* ExecutionStatusName(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "RUNNING";
}

json::Value ExecutionResult::ToDescribeJson() const {
  json::Object out;
  out["executionArn"] = execution_arn;
  out["stateMachineArn"] = state_machine_arn;
  out["name"] = name;
  out["status"] = ExecutionStatusName(status);
  out["startDate"] = FormatIso8601(start_date);
  if (status != ExecutionStatus::kRunning) out["stopDate"] = FormatIso8601(stop_date);
  out["input"] = json::Serialize(input);
  out["inputDetails"] = json::Object{{"included", true}};
  if (output) {
    out["output"] = json::Serialize(*output);
    out["outputDetails"] = json::Object{{"included", true}};
  }
  if (error) out["error"] = *error;
  if (cause) out["cause"] = *cause;
  return out;
}

}  // namespace autoretrain::engine
