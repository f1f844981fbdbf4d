// What the remote task integrations (remote_step_functions.cc, remote_lambda.cc) share: the
// router's wording for parameter errors, the SDK metadata of a real HTTP response, AWS's
// SdkClientException for requests that got no usable answer, and connecting to a service
// (region, endpoint and credentials resolved as the SDKs do).
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_AWS_REMOTE_TASK_SUPPORT_H_
#define AUTORETRAIN_AWS_REMOTE_TASK_SUPPORT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/aws/endpoints.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/json/json.h"

namespace autoretrain::aws {

// States.Runtime for `state_name`, worded as the TaskRouter words it.
Error TaskRuntimeError(std::string_view state_name, std::string_view message);

// The task's Parameters object, or States.Runtime when it is not an object.
Result<const json::Object*> TaskParameters(const engine::TaskRequest& request,
                                           std::string_view integration);
// A required string field of `params`, or States.Runtime when missing or not a string.
Result<std::string> TaskRequiredString(const engine::TaskRequest& request,
                                       const json::Object& params, std::string_view field);
// An optional string field: nullopt when absent, States.Runtime when not a string.
Result<std::optional<std::string>> TaskOptionalString(const engine::TaskRequest& request,
                                                      const json::Object& params,
                                                      std::string_view field);

// $$.Task.Token as the engine set it for a callback task; "" when missing.
std::string TaskTokenOf(const engine::TaskRequest& request);
// The first call of a .waitForTaskToken task: registers its token with `launcher` (the local
// store, where the answer will arrive) before the remote call is made. Fails with
// States.Runtime when the task has no token, is not on its first call (`submitted` set),
// cannot wait (no check_again_at) or there is no launcher (no project store), or when the
// store refuses the token.
Status RegisterTaskTokenLocally(const engine::TaskRequest& request,
                                integrations::ExecutionLauncher* launcher);

// SdkHttpMetadata (integrations/sdk_metadata.h) of the headers and status `response` had.
json::Object ResponseSdkHttpMetadata(const HttpResponse& response);
// The request id AWS gave the response (x-amzn-RequestId, x-amz-request-id), or "null" as the
// Java SDK prints a missing one.
std::string ResponseRequestId(const HttpResponse& response);

// "<service_prefix>.SdkClientException" for a request to `what` (e.g. "Lambda Invoke of
// 'fn' at http://...") that got no usable answer: a failed Send (timeout, refused connection,
// malformed response) or missing credentials. The cause starts as the AWS SDK for Java's
// ("Unable to execute HTTP request: ...") and keeps the transport error's name and cause.
Error SdkClientError(std::string_view service_prefix, std::string_view what, const Error& error);

// Epoch milliseconds of an AWS JSON date (epoch seconds, possibly fractional); 0 when `value`
// is not a number.
int64_t EpochMillisOfSeconds(const json::Value* value);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_REMOTE_TASK_SUPPORT_H_
