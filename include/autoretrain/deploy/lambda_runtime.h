// The AWS Lambda custom runtime (`autoretrain lambda`): the Runtime API loop that runs a
// function (the built-in decision function) inside Lambda's provided.al2023 runtime.
//
// The loop asks the Runtime API for the next invocation (GET
// /2018-06-01/runtime/invocation/next, with no timeout: Lambda may freeze the process between
// invocations), runs the function on the event and posts the result to
// .../invocation/{id}/response, or the error as {"errorMessage", "errorType", "stackTrace"} to
// .../invocation/{id}/error with the Lambda-Runtime-Function-Error-Type header. A failure
// before the loop starts (the function cannot be set up) goes to /runtime/init/error.
//
// Errors an invocation reports:
//   the function's own error         its errorType and errorMessage (NoSuchKey, ...)
//   an event that is not JSON         Runtime.UnmarshalError
//   any other failure of the call     its error name (InvalidDecisionRequest, ...)
//   a result Lambda refuses (> 6 MB)  Function.ResponseSizeTooLarge
//   the deadline passed               Sandbox.Timedout ("Task timed out after N ms"), when
//                                     Lambda-Runtime-Deadline-Ms passed before the function
//                                     started or before it returned (Lambda itself stops a
//                                     function at its timeout; this keeps a late result from
//                                     being posted as a success)
// A Runtime API that cannot be reached or answers an unexpected status ends the loop with
// Error{"RuntimeApiError", cause naming the request and the status}.
//
// Thread-safety: one loop per process, on one thread; RuntimeApi implementations need not be
// thread-safe.
#ifndef AUTORETRAIN_DEPLOY_LAMBDA_RUNTIME_H_
#define AUTORETRAIN_DEPLOY_LAMBDA_RUNTIME_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "autoretrain/aws/environment.h"
#include "autoretrain/common/result.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/retrain/decision.h"

namespace autoretrain::deploy {

// The Lambda response payload limit (synchronous invocations).
inline constexpr size_t kMaxLambdaResponseBytes = 6 * 1024 * 1024;

struct Invocation {
  std::string request_id;              // Lambda-Runtime-Aws-Request-Id
  std::optional<int64_t> deadline_ms;  // Lambda-Runtime-Deadline-Ms (Unix milliseconds)
  std::string function_arn;            // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;                // Lambda-Runtime-Trace-Id
  std::string event;                   // the body: the event JSON
};

struct LambdaError {
  std::string type;     // errorType
  std::string message;  // errorMessage
};

// The Runtime API, an interface so the loop can be tested without HTTP.
class RuntimeApi {
 public:
  virtual ~RuntimeApi() = default;
  // Waits for the next invocation. Fails with RuntimeApiError.
  virtual Result<Invocation> Next() = 0;
  // Posts the invocation's result. Fails with RuntimeApiError (413: Function.ResponseSizeTooLarge).
  virtual Status Respond(const std::string& request_id, const std::string& body) = 0;
  // Posts the invocation's error. Fails with RuntimeApiError.
  virtual Status Fail(const std::string& request_id, const LambdaError& error) = 0;
  // Posts an initialization error. Fails with RuntimeApiError.
  virtual Status InitError(const LambdaError& error) = 0;
};

// The Runtime API at `endpoint` (AWS_LAMBDA_RUNTIME_API: "host:port"), over the aws layer's
// HttpClient without a request timeout on /next. Never fails to construct; requests fail with
// RuntimeApiError naming the URL.
std::unique_ptr<RuntimeApi> MakeRuntimeApiClient(std::string endpoint);

// What one invocation did, for logs and measurements.
struct InvocationReport {
  std::string request_id;
  std::optional<LambdaError> error;  // none: succeeded
  double duration_ms = 0;            // from receiving the event to posting the outcome
};

struct RuntimeLoopOptions {
  // Stop after this many invocations (0: never; Lambda ends the process).
  int64_t max_invocations = 0;
  // The current Unix time in milliseconds (empty: the system clock).
  std::function<int64_t()> now_ms;
  // Called after each invocation's outcome is posted.
  std::function<void(const InvocationReport&)> on_invocation;
};

// The outcome of running `function` on `invocation`: the response body, or the error to post
// (see the table above). `now_ms` as in RuntimeLoopOptions (must be set).
Result<std::string> HandleInvocation(const Invocation& invocation, integrations::Function& function,
                                     const std::function<int64_t()>& now_ms);
// The LambdaError an Error of HandleInvocation becomes: a function error's JSON cause gives its
// errorType/errorMessage; any other Error its name and cause.
LambdaError ToLambdaError(const Error& error);

// Runs the loop until max_invocations (then OkStatus) or a Runtime API failure (its error).
Status RunRuntimeLoop(RuntimeApi& api, integrations::Function& function,
                      const RuntimeLoopOptions& options);

// The decision function's location from the environment the exported template sets
// (cloudformation.h: AUTORETRAIN_DECISION_BUCKET, _KEY, _MAX_BYTES, _MAX_AGE_HOURS); unset
// variables keep DecisionConfig's defaults. Fails with Error{"InvalidEnvironment", cause naming
// the variable, its value and what it must be}.
Result<retrain::DecisionConfig> DecisionConfigFromEnvironment(const aws::Environment& env);

}  // namespace autoretrain::deploy

#endif  // AUTORETRAIN_DEPLOY_LAMBDA_RUNTIME_H_
