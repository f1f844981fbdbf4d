// RemoteStepFunctions: the states:startExecution task integration against a real AWS Step
// Functions endpoint (or anything speaking its API, such as another `autoretrain serve`), for
// the state machines a project configures as remote. It is a ServiceIntegration: registered
// with the TaskRouter, it takes the tasks whose StateMachineArn it selects and leaves the rest
// to the local launcher. Results and errors have the shapes of the local integration
// (integrations/task_router.h), so a definition cannot tell the difference:
// - arn:aws:states:::states:startExecution: StartExecution; returns {ExecutionArn,
//   SdkHttpMetadata (the real response's), SdkResponseMetadata, StartDate (epoch ms)}.
// - .sync / .sync:2: StartExecution, then the task is submitted and each check calls
//   DescribeExecution (every second at first, then half the child's age, up to a minute);
//   the child's description (Input/Output as JSON text, or JSON with .sync:2) when it
//   succeeded, States.TaskFailed with that description as the cause otherwise. A check that
//   gets no answer (timeout, 5xx, throttling) tries again at the next check; after
//   kMaxFailedChecks in a row it fails with the error.
// - .waitForTaskToken: the token is registered in the local store through the launcher given
//   with set_launcher, then StartExecution runs remotely with the token in its Input; the
//   answer (SendTaskSuccess/Failure to this project) is read by the TaskRouter's own check,
//   exactly as for a local child. Without a launcher it fails with States.Runtime.
// Without a "Name" parameter the child's name is derived from the task's place in its
// execution (as the local integration derives it), so a task run again after a crash finds
// the child it started: AWS's StartExecution returns a running execution with the same name and
// input, and for an ended one (ExecutionAlreadyExists) the existing child is described and
// returned when its input is the same.
// Errors: the service's error type as "StepFunctions.<Type>Exception" (e.g.
// StepFunctions.StateMachineDoesNotExistException) with AWS's message and the Java SDK's
// suffix "(Service: AWSStepFunctions; Status Code: ...; Error Code: ...; Request ID: ...;
// Proxy: null)"; no usable answer or no credentials: StepFunctions.SdkClientException.
// Requests use AWS's JSON 1.0 protocol (X-Amz-Target: AWSStepFunctions.<Operation>), signed
// with SigV4 (service "states") and sent with the aws layer's HttpClient (retries, timeouts).
//
// Thread-safety: Handles and Invoke may be called concurrently; set_launcher only before.
#ifndef AUTORETRAIN_AWS_REMOTE_STEP_FUNCTIONS_H_
#define AUTORETRAIN_AWS_REMOTE_STEP_FUNCTIONS_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "autoretrain/aws/endpoints.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/remote_selection.h"
#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/service_integration.h"
#include "autoretrain/integrations/task_router.h"

namespace autoretrain::aws {

class RemoteStepFunctions final : public integrations::ServiceIntegration {
 public:
  // Checks of a .sync child that may fail in a row before the task fails.
  static constexpr int kMaxFailedChecks = 5;

  // Sends the state machines `selection` matches to `endpoint` with credentials from
  // `credentials`. `clock` (null: the system clock; must outlive this) times the checks and
  // signs requests.
  RemoteStepFunctions(RemoteSelection selection, Endpoint endpoint, CredentialsSource credentials,
                      HttpClientOptions http = {}, Clock* clock = nullptr);

  // Where .waitForTaskToken registers its token (the project's ExecutionService, the same
  // launcher the TaskRouter has); must outlive this. Null: those tasks fail.
  void set_launcher(integrations::ExecutionLauncher* launcher) { launcher_ = launcher; }

  // A states:startExecution task (any pattern) whose StateMachineArn is selected, or a check
  // of a .sync task whose child (its submitted ExecutionArn) belongs to a selected machine.
  bool Handles(const engine::TaskRequest& request) const override;
  Result<json::Value> Invoke(const engine::TaskRequest& request) override;

  const Endpoint& endpoint() const { return endpoint_; }

  // One call of the JSON 1.0 API: on success the response (whatever its status); fails with
  // StepFunctions.SdkClientException when no usable answer came.
  Result<HttpResponse> Call(std::string_view operation, const json::Object& input);

 private:
  // StartExecution for the task; `check_again_at` unused.
  Result<json::Value> StartExecution(const engine::TaskRequest& request);
  // The StartExecution result for the execution `name` of `machine_arn` that already exists
  // with the same input as `start_input` (the StartExecution request); fails otherwise.
  Result<json::Value> ExistingChild(const std::string& machine_arn, const std::string& name,
                                    const json::Object& start_input);
  Result<json::Value> CheckChild(const engine::TaskRequest& request, bool json_io);
  Result<json::Value> WaitForTaskToken(const engine::TaskRequest& request);
  // Counts a failed check of `execution_arn`; true when the task should fail now.
  bool CountFailedCheck(const std::string& execution_arn, bool succeeded);

  RemoteSelection selection_;
  Endpoint endpoint_;
  CredentialsSource credentials_;
  HttpClient http_;
  SystemClock system_clock_;
  Clock& clock_;
  integrations::ExecutionLauncher* launcher_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, int> failed_checks_;  // child execution ARN -> failures in a row
};

// Where remote Step Functions executions run (the project configuration's
// "integrations.states").
struct RemoteStepFunctionsOptions {
  RemoteSelection state_machines;           // which StateMachineArns are remote
  std::string region;                       // empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string fallback_region;              // when none of those is set (the project's)
  std::optional<std::string> endpoint_url;  // empty: AWS_ENDPOINT_URL_SFN, ..., AWS's own
  HttpClientOptions http;
};

// A RemoteStepFunctions with the region and endpoint resolved as the SDKs do (endpoints.h)
// and credentials from the default chain (credentials.h). `env` is kept for the chain. Fails
// with NoRegion, EndpointError or ConfigError (a malformed shared config file).
Result<std::unique_ptr<RemoteStepFunctions>> MakeRemoteStepFunctions(
    const RemoteStepFunctionsOptions& options, std::shared_ptr<const Environment> env);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_REMOTE_STEP_FUNCTIONS_H_
