// TaskRouter: the engine's TaskHandler for local runs. It dispatches on the Resource ARN:
// - arn:aws:states:::lambda:invoke: Parameters {FunctionName, Payload, ...}; returns AWS's
//   envelope {ExecutedVersion:"$LATEST", Payload, SdkHttpMetadata, SdkResponseMetadata,
//   StatusCode:200}; a function failure fails the task with the function's error.
// - arn:aws:lambda:REGION:ACCOUNT:function:NAME: invokes NAME with the effective parameters
//   as the event and returns the function's result directly.
// - arn:aws:states:::states:startExecution: Parameters {StateMachineArn, Input (object or JSON
//   string), Name?}; starts the execution through the ExecutionLauncher and returns
//   {ExecutionArn, SdkHttpMetadata, SdkResponseMetadata, StartDate (epoch milliseconds)}
//   without waiting for it, as AWS does. An Input string that is not JSON fails with
//   StepFunctions.InvalidExecutionInputException.
// - The .sync/.waitForTaskToken patterns of both fail with States.Runtime ("not supported
//   yet"). A missing FunctionName/StateMachineArn fails with States.Runtime; an unknown
//   function with Lambda.ResourceNotFoundException and AWS's "Function not found: ARN" cause.
// - arn:aws:states:::aws-sdk:s3:getObject|putObject|headObject|listObjectsV2: on the object
//   store given with set_object_store (integrations/s3_tasks.h).
// Integrations added with add_integration (service_integration.h) are asked first, in the
// order added, so a project can send a resource to another backend (a remote endpoint).
// Anything else fails with States.Runtime naming the unsupported resource.
//
// Thread-safety: Invoke may be called concurrently once construction is done.
#ifndef AUTORETRAIN_INTEGRATIONS_TASK_ROUTER_H_
#define AUTORETRAIN_INTEGRATIONS_TASK_ROUTER_H_

#include <string>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/object_store.h"
#include "autoretrain/integrations/service_integration.h"
#include "autoretrain/store/records.h"

namespace autoretrain::integrations {

// Starts executions of state machines by ARN (implemented by ExecutionService).
class ExecutionLauncher {
 public:
  virtual ~ExecutionLauncher() = default;
  struct StartRequest {
    std::string_view state_machine_arn;
    json::Value input;
    std::string_view name;  // empty: a new UUID
    // The name was derived from the calling task (no "Name" parameter): an execution that
    // already has it was started by an earlier run of the same task and is returned as is.
    bool derived_name = false;
    // When set, the execution runs this definition (a published version's, for StartExecution
    // with a version or alias ARN) instead of the machine's current one, and the store records
    // it as running definition version `definition_version`.
    std::shared_ptr<const asl::StateMachine> definition = nullptr;
    int64_t definition_version = 0;
    // The version and alias ARNs started (ExecutionSpec's), for the ExecutionStarted event.
    std::string_view version_arn = {};
    std::string_view alias_arn = {};
  };
  struct Started {
    std::string execution_arn;
    TimePoint start_date;
  };
  // Starts and returns at once. Fails with StateMachineDoesNotExist, InvalidName,
  // ExecutionAlreadyExists (a different input under an existing name) as AWS's
  // StartExecution does; the task then fails with "StepFunctions.<that error>Exception".
  virtual Result<Started> Start(const StartRequest& request) = 0;

  // The execution as DescribeExecution reports it (status kRunning while it runs), for
  // states:startExecution.sync. Fails with ExecutionDoesNotExist. The default cannot describe.
  virtual Result<engine::ExecutionResult> Describe(std::string_view execution_arn);
  // Asks to advance the execution `waiter` (suspended in a .sync task) as soon as
  // `execution_arn` ends, rather than at its next check. The default does nothing.
  virtual void WakeWhenDone(std::string_view execution_arn, std::string_view waiter);

  // Callback tasks (.waitForTaskToken): a token is registered (WAITING) before any worker can
  // see it, and read back at each check to see whether a worker answered it (`autoretrain task
  // success|failure|heartbeat`). The default has nowhere to keep tokens: both fail, saying so.
  virtual Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                                   const std::string& state_name);
  virtual Result<store::TaskTokenRecord> GetTaskToken(const std::string& token);
  // Activity tasks: the token is registered with the task's input for the activity's workers
  // (GetActivityTask hands it out; the answer comes as for a callback task, read back with
  // GetTaskToken). The default fails like RegisterTaskToken.
  virtual Status RegisterActivityTask(const std::string& token, const std::string& execution_arn,
                                      const std::string& state_name,
                                      const std::string& activity_arn, const std::string& input);
};

class TaskRouter final : public engine::TaskHandler {
 public:
  // `functions` and `clock` must outlive the router; `launcher` may be set later.
  TaskRouter(const FunctionRegistry& functions, Clock& clock, AccountContext account = {});
  void set_launcher(ExecutionLauncher* launcher) { launcher_ = launcher; }
  // The store behind the aws-sdk:s3:* integrations (null: they fail with States.Runtime);
  // must outlive the router.
  void set_object_store(ObjectStore* store) { object_store_ = store; }
  // Asks `integration` (which must outlive the router) before the built-in resources and
  // the integrations added earlier. Only before the router runs anything.
  void add_integration(ServiceIntegration* integration) { integrations_.push_back(integration); }

  Result<json::Value> Invoke(const engine::TaskRequest& request) override;

 private:
  Result<json::Value> InvokeLambda(const engine::TaskRequest& request);
  Result<json::Value> InvokeFunctionArn(const engine::TaskRequest& request);
  Result<json::Value> StartExecution(const engine::TaskRequest& request);
  // `<api>.waitForTaskToken` (api: lambda:invoke or states:startExecution): registers the
  // task's token ($$.Task.Token), calls the api and submits the task; on the calls after that,
  // checks the token (CheckTaskToken).
  Result<json::Value> WaitForTaskToken(const engine::TaskRequest& request, std::string_view api);
  // The answer a worker gave for the token: its output, its error, States.HeartbeatTimeout
  // when no heartbeat came within HeartbeatSeconds, or a next check time.
  Result<json::Value> CheckTaskToken(const engine::TaskRequest& request);
  // An activity ARN: schedules the task for the activity's workers with its token and submits
  // it; on the calls after that, checks the token (CheckTaskToken, which also reports the
  // worker once one got the task).
  Result<json::Value> ScheduleActivityTask(const engine::TaskRequest& request);
  // startExecution.sync (.sync:2 when `json_io`): starts the child and submits the task, or,
  // on the calls after that, checks the child (CheckChild).
  Result<json::Value> StartExecutionSync(const engine::TaskRequest& request, bool json_io);
  // A check of a child started by startExecution.sync (.sync:2 when `json_io`): its
  // DescribeExecution shape when it ended, States.TaskFailed when it did not succeed, or a
  // next check time while it runs.
  Result<json::Value> CheckChild(const engine::TaskRequest& request, bool json_io);
  Error FunctionNotFound(std::string_view name) const;

  const FunctionRegistry& functions_;
  Clock& clock_;
  AccountContext account_;
  ExecutionLauncher* launcher_ = nullptr;
  ObjectStore* object_store_ = nullptr;  // aws-sdk:s3:* tasks
  std::vector<ServiceIntegration*> integrations_;
};

// The name of a child execution started without "Name": derived from the parent execution, the
// state, which entry of it (its event id, or its place in a Parallel branch or Map iteration)
// and which attempt, so that running the same task again (after a crash) names the same child
// instead of starting a second one. AWS picks a random UUID here; the format is the same. Used
// by the local startExecution and by the remote one (aws/remote_step_functions.h).
std::string ChildExecutionName(const engine::TaskRequest& request);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_TASK_ROUTER_H_
