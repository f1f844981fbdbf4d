#include "server/json_protocol.h"

#include <algorithm>
#include <iterator>

#include "autoretrain/common/arn.h"

namespace autoretrain::server {
namespace {

constexpr std::string_view kCoralService = "com.amazon.coral.service#";
constexpr std::string_view kCoralValidate = "com.amazon.coral.validate#";
constexpr std::string_view kStepFunctionsModel = "com.amazonaws.swf.service.v2.model#";

// Protocol-level errors: coral's service namespace.
constexpr std::string_view kServiceErrors[] = {
    kSerializationException,
    kUnknownOperationException,
    kInternalFailure,
    "RequestEntityTooLargeException",
    "RequestHeaderFieldsTooLargeException",
    "ServiceUnavailableException",
    "AccessDeniedException",
    "MethodNotAllowedException",
    // Authentication (SigV4) errors, as AWS's front end names them.
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
    "ExpiredTokenException",
};

// The errors the Step Functions service model declares.
constexpr std::string_view kModelErrors[] = {
    "ActivityDoesNotExist",
    "ActivityLimitExceeded",
    "ActivityWorkerLimitExceeded",
    "ConflictException",
    "ExecutionAlreadyExists",
    "ExecutionDoesNotExist",
    "ExecutionLimitExceeded",
    "ExecutionNotRedrivable",
    "InvalidArn",
    "InvalidDefinition",
    "InvalidExecutionInput",
    "InvalidLoggingConfiguration",
    "InvalidName",
    "InvalidOutput",
    "InvalidToken",
    "InvalidTracingConfiguration",
    "MissingRequiredParameter",
    "ResourceNotFound",
    "ServiceQuotaExceededException",
    "StateMachineAlreadyExists",
    "StateMachineDeleting",
    "StateMachineDoesNotExist",
    "StateMachineLimitExceeded",
    "StateMachineTypeNotSupported",
    "TaskDoesNotExist",
    "TaskTimedOut",
    "TooManyTags",
    "ValidationException",
};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view type) {
  return std::find(std::begin(list), std::end(list), type) != std::end(list);
}

// AWS answers every request with a request id (a UUID), which SDKs log and return.
std::string NewRequestId() { return NewExecutionName(); }

}  // namespace

Result<JsonCall> ParseJsonCall(const HttpRequest& request, std::string_view prefix) {
  const std::string_view target = request.Header("X-Amz-Target");
  if (target.empty()) {
    return Error{kUnknownOperationException,
                 "the request has no X-Amz-Target header: name the operation as " +
                     std::string(prefix) + ".<Operation>, e.g. " + std::string(prefix) +
                     ".ListStateMachines"};
  }
  if (target.size() <= prefix.size() + 1 || !target.starts_with(prefix) ||
      target[prefix.size()] != '.') {
    return Error{kUnknownOperationException,
                 "X-Amz-Target '" + std::string(target) + "' does not name an operation of " +
                     std::string(prefix) + ": expected " + std::string(prefix) + ".<Operation>"};
  }
  JsonCall call;
  call.operation = std::string(target.substr(prefix.size() + 1));
  const bool blank = std::all_of(request.body.begin(), request.body.end(), [](char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  });
  if (blank) return call;
  Result<json::Value> body = json::Parse(request.body);
  if (!body.ok()) {
    return Error{kSerializationException,
                 "the request body is not JSON: " + body.error().cause +
                     "; send a JSON object (Content-Type: application/x-amz-json-1.0)"};
  }
  if (!body->is_object()) {
    return Error{kSerializationException, "the request body is a JSON " +
                                              std::string(json::TypeName(*body)) +
                                              ", not the JSON object the operation takes"};
  }
  call.input = std::move(body->as_object());
  return call;
}

HttpResponse JsonResponse(const json::Value& output) {
  HttpResponse response;
  response.content_type = "application/x-amz-json-1.0";
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  response.body = json::Serialize(output);
  return response;
}

std::string NamespacedType(std::string_view type) {
  if (type == kValidationException) return std::string(kCoralValidate) + std::string(type);
  if (Contains(kServiceErrors, type)) return std::string(kCoralService) + std::string(type);
  return std::string(kStepFunctionsModel) + std::string(type);
}

bool IsKnownErrorType(std::string_view type) {
  return Contains(kServiceErrors, type) || Contains(kModelErrors, type);
}

HttpResponse JsonErrorResponse(const Error& error, int status) {
  std::string type = error.error;
  std::string message = error.cause;
  if (!IsKnownErrorType(type)) {
    // A store failure (StoreFull, StoreLocked, ...) or another internal error: the server's
    // fault, not the request's.
    message = (type.empty() ? std::string("internal error") : type) + ": " + message;
    type = kInternalFailure;
  }
  if (status == 0) {
    status = type == kInternalFailure ? 500 : type == "ServiceUnavailableException" ? 503 : 400;
  }
  json::Object body;
  body["__type"] = NamespacedType(type);
  body["message"] = message;
  HttpResponse response;
  response.status = status;
  response.content_type = "application/x-amz-json-1.0";
  response.headers.emplace_back("x-amzn-RequestId", NewRequestId());
  response.body = json::Serialize(body);
  return response;
}

}  // namespace autoretrain::server
