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

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/server/api_handler.h"

namespace autoretrain::server {

// The X-Amz-Target prefix of Step Functions.
inline constexpr char kStepFunctionsTargetPrefix[] = "AWSStepFunctions";

class ActivityPoller;  // server/activity_poller.h

class StepFunctionsService final : public JsonService {
 public:
  // `runtime` (with a store: history_store() non-null for anything to work) and `clock` must
  // outlive the service. `project_machines` are the names autoretrain.json defines: the API
  // cannot update or delete those (their definition file is the source of truth).
  StepFunctionsService(retrain::LocalRuntime& runtime, std::set<std::string> project_machines,
                       Clock& clock);
  // Answers the GetActivityTask polls still waiting (with no task).
  ~StepFunctionsService() override;

  // The handler TestState runs Task states with (the runtime's task router; must outlive the
  // service). Without one, a tested Task state fails with States.Runtime. Set before serving.
  void set_task_handler(engine::TaskHandler* handler);

  // How long GetActivityTask waits for a task before answering {} (AWS: 60 s), and how often
  // waiting polls look in the store. Set before serving.
  void set_activity_poll(std::chrono::milliseconds timeout, std::chrono::milliseconds interval);

  // Registers in the runtime every active state machine the store holds that the project does
  // not define (the ones created through the API before a restart). Returns one problem per
  // machine that could not be loaded (its definition no longer compiles, say), each naming
  // the machine; those are skipped. Fails with the store's errors.
  Result<std::vector<std::string>> LoadStoredStateMachines();

  // GetActivityTask answers later when no task is ready (the long poll); TestState runs on one
  // of the service's own threads (a task may take minutes; no I/O thread waits for it); every
  // other operation answers before returning.
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
  // Activities (sfn_activities.cc). GetActivityTask is asynchronous: not in Operations().
  Result<json::Value> CreateActivity(const json::Object& input);
  Result<json::Value> DescribeActivity(const json::Object& input);
  Result<json::Value> ListActivities(const json::Object& input);
  Result<json::Value> DeleteActivity(const json::Object& input);
  void GetActivityTask(const Caller& caller, const json::Object& input, Done done);
  // Callback tasks (sfn_tasks.cc).
  Result<json::Value> SendTaskSuccess(const json::Object& input);
  Result<json::Value> SendTaskFailure(const json::Object& input);
  Result<json::Value> SendTaskHeartbeat(const json::Object& input);
  // Resource tags of state machines and activities (sfn_tags.cc).
  Result<json::Value> TagResource(const json::Object& input);
  Result<json::Value> UntagResource(const json::Object& input);
  Result<json::Value> ListTagsForResource(const json::Object& input);
  // Published versions and aliases (sfn_versions.cc).
  Result<json::Value> PublishStateMachineVersion(const json::Object& input);
  Result<json::Value> ListStateMachineVersions(const json::Object& input);
  Result<json::Value> DeleteStateMachineVersion(const json::Object& input);
  Result<json::Value> CreateStateMachineAlias(const json::Object& input);
  Result<json::Value> DescribeStateMachineAlias(const json::Object& input);
  Result<json::Value> UpdateStateMachineAlias(const json::Object& input);
  Result<json::Value> DeleteStateMachineAlias(const json::Object& input);
  Result<json::Value> ListStateMachineAliases(const json::Object& input);
  // TestState (sfn_test_state.cc): runs one state with the runtime's task router.
  Result<json::Value> TestState(const json::Object& input);

  // The store, or an InternalFailure saying the project has none.
  Result<store::Store*> Store();
  // The table of operations, by name.
  static const std::map<std::string, Operation, std::less<>>& Operations();

  retrain::LocalRuntime& runtime_;
  const std::set<std::string> project_machines_;
  Clock& clock_;
  std::mutex machines_mu_;  // serializes Create/Update/Delete
  std::chrono::milliseconds activity_poll_timeout_{60000};
  std::chrono::milliseconds activity_poll_interval_{100};
  std::once_flag poller_once_;
  std::unique_ptr<ActivityPoller> poller_;  // made at the first parked GetActivityTask
  engine::TaskHandler* task_handler_ = nullptr;
  struct Background;  // TestState's threads (step_functions_service.cc)
  std::once_flag background_once_;
  std::unique_ptr<Background> background_;
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_STEP_FUNCTIONS_SERVICE_H_
