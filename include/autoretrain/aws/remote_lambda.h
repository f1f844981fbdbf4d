// RemoteLambda: Lambda task integrations against the real AWS Lambda Invoke API (or anything
// speaking it), for the functions a project configures as remote. It is a ServiceIntegration:
// registered with the TaskRouter, it takes the tasks whose function it selects and leaves the
// rest to the local functions. Results and errors have the shapes of the local integration
// (integrations/task_router.h):
// - arn:aws:states:::lambda:invoke (Parameters FunctionName, Payload, Qualifier,
//   InvocationType, LogType, ClientContext): returns {ExecutedVersion, Payload,
//   SdkHttpMetadata (the real response's headers), SdkResponseMetadata, StatusCode}.
// - arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]: the effective parameters are the
//   event; returns the function's result itself.
// - arn:aws:states:::lambda:invoke.waitForTaskToken: the token is registered in the local
//   store through the launcher given with set_launcher, then the function is invoked; the
//   TaskRouter's own check reads the answer. Without a launcher: States.Runtime.
// A function error (X-Amz-Function-Error) fails the task as Step Functions does: the error is
// the payload's errorType ("Lambda.Unknown" when it has none, e.g. an out-of-memory crash) and
// the cause is the payload text ({"errorMessage", "errorType", "stackTrace"}). Service errors
// are "Lambda.<Type>" with AWS's message and the Java SDK's suffix: 404
// Lambda.ResourceNotFoundException, 429 Lambda.TooManyRequestsException, 5xx without a type
// Lambda.ServiceException, any other answer without a type Lambda.AWSLambdaException. No
// usable answer (timeout, refused connection, malformed response, a non-JSON payload) or no
// credentials: Lambda.SdkClientException. A task with TimeoutSeconds waits no longer than
// that for the function and then fails with States.Timeout.
// Requests: POST /2015-03-31/functions/NAME/invocations, signed with SigV4 (service "lambda"),
// sent with the aws layer's HttpClient.
//
// Thread-safety: Handles and Invoke may be called concurrently; set_launcher only before.
#ifndef AUTORETRAIN_AWS_REMOTE_LAMBDA_H_
#define AUTORETRAIN_AWS_REMOTE_LAMBDA_H_

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

// The HTTP options Lambda calls default to: a function may run 15 minutes, so an attempt may
// take that long (plus a little for the network).
HttpClientOptions LambdaHttpDefaults();

class RemoteLambda final : public integrations::ServiceIntegration {
 public:
  // Sends the functions `selection` matches (by the name or ARN the task gives, or by the
  // bare function name) to `endpoint` with credentials from `credentials`. `clock` (null:
  // the system clock; must outlive this) signs requests and times callback checks.
  RemoteLambda(RemoteSelection selection, Endpoint endpoint, CredentialsSource credentials,
               HttpClientOptions http = LambdaHttpDefaults(), Clock* clock = nullptr);

  // Where lambda:invoke.waitForTaskToken registers its token (the project's ExecutionService,
  // the same launcher the TaskRouter has); must outlive this. Null: those tasks fail.
  void set_launcher(integrations::ExecutionLauncher* launcher) { launcher_ = launcher; }

  // lambda:invoke (request-response, or .waitForTaskToken before submission) with a selected
  // FunctionName, or a selected function ARN as the resource.
  bool Handles(const engine::TaskRequest& request) const override;
  Result<json::Value> Invoke(const engine::TaskRequest& request) override;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Call;
  // Invokes the function; on success the response with a 2xx status and no function error.
  Result<HttpResponse> InvokeFunction(const Call& call);
  // The client for calls limited to `timeout_seconds` (0: the default one).
  HttpClient& ClientFor(int64_t timeout_seconds);
  Result<json::Value> InvokeLambda(const engine::TaskRequest& request);

  RemoteSelection selection_;
  Endpoint endpoint_;
  CredentialsSource credentials_;
  HttpClientOptions http_options_;
  SystemClock system_clock_;
  Clock& clock_;
  integrations::ExecutionLauncher* launcher_ = nullptr;
  std::mutex mutex_;
  std::map<int64_t, std::unique_ptr<HttpClient>> clients_;  // by timeout; 0: the default
};

// Where remote Lambda functions run (the project configuration's "integrations.lambda").
struct RemoteLambdaOptions {
  RemoteSelection functions;                // names, ARNs or prefixes of the remote functions
  std::string region;                       // empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string fallback_region;              // when none of those is set (the project's)
  std::optional<std::string> endpoint_url;  // empty: AWS_ENDPOINT_URL_LAMBDA, ..., AWS's own
  HttpClientOptions http = LambdaHttpDefaults();
};

// A RemoteLambda with the region and endpoint resolved as the SDKs do (endpoints.h) and
// credentials from the default chain (credentials.h). `env` is kept for the chain. Fails
// with NoRegion, EndpointError or ConfigError (a malformed shared config file).
Result<std::unique_ptr<RemoteLambda>> MakeRemoteLambda(const RemoteLambdaOptions& options,
                                                       std::shared_ptr<const Environment> env);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_REMOTE_LAMBDA_H_
