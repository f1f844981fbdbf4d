#include "aws/remote_task_support.h"

#include <cmath>
#include <vector>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/shared_config.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::aws {

Error TaskRuntimeError(std::string_view state_name, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(state_name) + "'. " + std::string(message)};
}

Result<const json::Object*> TaskParameters(const engine::TaskRequest& request,
                                           std::string_view integration) {
  if (request.parameters == nullptr || !request.parameters->is_object()) {
    std::string got =
        request.parameters == nullptr ? "none" : std::string(json::TypeName(*request.parameters));
    return TaskRuntimeError(request.state_name,
                            "The Parameters of the " + std::string(integration) +
                                " integration must be an object, got " + got + ".");
  }
  return &request.parameters->get_object();
}

Result<std::string> TaskRequiredString(const engine::TaskRequest& request,
                                       const json::Object& params, std::string_view field) {
  const json::Value* value = params.if_contains(field);
  if (value == nullptr) {
    return TaskRuntimeError(request.state_name, "The field '" + std::string(field) +
                                                    "' is required by the resource '" +
                                                    std::string(request.resource) +
                                                    "' but missing from the Parameters.");
  }
  if (!value->is_string()) {
    return TaskRuntimeError(request.state_name, "The value for the field '" + std::string(field) +
                                                    "' must be a STRING, got " +
                                                    std::string(json::TypeName(*value)) + ".");
  }
  return std::string(value->get_string());
}

Result<std::optional<std::string>> TaskOptionalString(const engine::TaskRequest& request,
                                                      const json::Object& params,
                                                      std::string_view field) {
  if (!params.contains(field)) return std::optional<std::string>();
  Result<std::string> value = TaskRequiredString(request, params, field);
  if (!value.ok()) return value.take_error();
  return std::optional<std::string>(std::move(value).value());
}

std::string TaskTokenOf(const engine::TaskRequest& request) {
  if (request.context == nullptr || !request.context->is_object()) return "";
  const json::Value* task = request.context->get_object().if_contains("Task");
  if (task == nullptr || !task->is_object()) return "";
  const json::Value* token = task->get_object().if_contains("Token");
  return token != nullptr && token->is_string() ? std::string(token->get_string()) : "";
}

json::Object ResponseSdkHttpMetadata(const HttpResponse& response) {
  std::vector<integrations::HttpHeader> headers;
  headers.reserve(response.headers.size());
  for (const auto& [name, value] : response.headers) {
    if (headers.size() == 255) break;  // SdkHttpMetadata's limit; AWS never sends as many
    bool seen = false;
    for (const auto& [kept, unused] : headers) seen = seen || kept == name;
    if (!seen) headers.emplace_back(name, value);
  }
  return integrations::SdkHttpMetadata(headers, response.status);
}

std::string ResponseRequestId(const HttpResponse& response) {
  std::string id = response.Header("x-amzn-RequestId");
  if (id.empty()) id = response.Header("x-amz-request-id");
  return id.empty() ? "null" : id;
}

Error SdkClientError(std::string_view service_prefix, std::string_view what, const Error& error) {
  std::string cause;
  if (error.error == kNoCredentials || error.error == kCredentialsError) {
    cause = "Unable to load AWS credentials for " + std::string(what) + ": " + error.error + ": " +
            error.cause;
  } else {
    cause = "Unable to execute HTTP request: " + std::string(what) + " failed: " + error.error +
            ": " + error.cause;
  }
  return Error{std::string(service_prefix) + ".SdkClientException", std::move(cause)};
}

int64_t EpochMillisOfSeconds(const json::Value* value) {
  if (value == nullptr || !value->is_number()) return 0;
  return static_cast<int64_t>(std::llround(value->to_number<double>() * 1000.0));
}

Status RegisterTaskTokenLocally(const engine::TaskRequest& request,
                                integrations::ExecutionLauncher* launcher) {
  const std::string token = TaskTokenOf(request);
  if (request.submitted != nullptr || token.empty() || request.check_again_at == nullptr ||
      launcher == nullptr) {
    return TaskRuntimeError(request.state_name,
                            "'" + std::string(request.resource) +
                                "' must wait for its task token, which needs the project's "
                                "store: run the state machine in a project (run --project, "
                                "check or serve)");
  }
  Status registered = launcher->RegisterTaskToken(token, std::string(request.execution_arn),
                                                  std::string(request.state_name));
  if (!registered.ok()) return TaskRuntimeError(request.state_name, registered.error().cause);
  return OkStatus();
}

}  // namespace autoretrain::aws
