// StepFunctionsService: the AWS Step Functions API (JSON 1.0, target prefix "AWSStepFunctions")
// over a project's LocalRuntime: state machines live in the project's store (the project's own
// ones from autoretrain.json and the ones created through the API), executions run in the
// runtime's ExecutionService, so executions started by the API, by schedules and by the CLI are
// the same executions. Requests are validated as the Step Functions API Reference defines them
// and answered with its response shapes and error types (docs/api.md lists the operations and
// where they differ from AWS).
//
// Thread-safety: Call may run on many threads at once. Operations that change state machines
// are serialized among themselves.
#ifndef AUTORETRAIN_SERVER_STEP_FUNCTIONS_SERVICE_H_
#define AUTORETRAIN_SERVER_STEP_FUNCTIONS_SERVICE_H_

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/server/api_handler.h"

namespace autoretrain::server {

// The X-Amz-Target prefix of Step Functions.
inline constexpr char kStepFunctionsTargetPrefix[] = "AWSStepFunctions";

class StepFunctionsService final : public JsonService {
 public:
  // `runtime` (with a store: history_store() non-null for anything to work) and `clock` must
  // outlive the service. `project_machines` are the names autoretrain.json defines: the API
  // cannot update or delete those (their definition file is the source of truth).
  StepFunctionsService(retrain::LocalRuntime& runtime, std::set<std::string> project_machines,
                       Clock& clock);

  // Registers in the runtime every active state machine the store holds that the project does
  // not define (the ones created through the API before a restart). Returns one problem per
  // machine that could not be loaded (its definition no longer compiles, say), each naming
  // the machine; those are skipped. Fails with the store's errors.
  Result<std::vector<std::string>> LoadStoredStateMachines();

  void Call(const Caller& caller, const std::string& operation, json::Object input,
            Done done) override;

  // Runs one operation synchronously (what Call does for every operation this service has).
  Result<json::Value> Invoke(const std::string& operation, const json::Object& input);

 private:
  using Operation = Result<json::Value> (StepFunctionsService::*)(const json::Object&);

  // State machines (sfn_state_machines.cc).
  Result<json::Value> CreateStateMachine(const json::Object& input);
  Result<json::Value> DescribeStateMachine(const json::Object& input);
  Result<json::Value> ListStateMachines(const json::Object& input);
  Result<json::Value> UpdateStateMachine(const json::Object& input);
  Result<json::Value> DeleteStateMachine(const json::Object& input);
  Result<json::Value> ValidateStateMachineDefinition(const json::Object& input);
  // Executions (sfn_executions.cc).
  Result<json::Value> StartExecution(const json::Object& input);
  Result<json::Value> StartSyncExecution(const json::Object& input);
  Result<json::Value> StopExecution(const json::Object& input);
  Result<json::Value> DescribeExecution(const json::Object& input);
  Result<json::Value> ListExecutions(const json::Object& input);
  Result<json::Value> GetExecutionHistory(const json::Object& input);
  Result<json::Value> DescribeStateMachineForExecution(const json::Object& input);
  // Callback tasks (sfn_tasks.cc).
  Result<json::Value> SendTaskSuccess(const json::Object& input);
  Result<json::Value> SendTaskFailure(const json::Object& input);
  Result<json::Value> SendTaskHeartbeat(const json::Object& input);

  // The store, or an InternalFailure saying the project has none.
  Result<store::Store*> Store();
  // The table of operations, by name.
  static const std::map<std::string, Operation, std::less<>>& Operations();

  retrain::LocalRuntime& runtime_;
  const std::set<std::string> project_machines_;
  Clock& clock_;
  std::mutex machines_mu_;  // serializes Create/Update/Delete
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_STEP_FUNCTIONS_SERVICE_H_
