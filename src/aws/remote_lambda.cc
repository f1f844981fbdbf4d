#include "autoretrain/aws/remote_lambda.h"

#include <chrono>

#include "aws/remote_task_support.h"
#include "aws/service_connection.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::aws {
namespace {

constexpr std::string_view kInvoke = "arn:aws:states:::lambda:invoke";
constexpr std::string_view kWaitForTaskToken = ".waitForTaskToken";
constexpr std::string_view kService = "Lambda";

// The bare function name of what Lambda's FunctionName accepts: a name, a full or partial
// ARN, each with an optional qualifier ("arn:aws:lambda:r:a:function:fn:prod" -> "fn").
std::string_view BareFunctionName(std::string_view name) {
  if (size_t at = name.find("function:"); at != std::string_view::npos) {
    name = name.substr(at + 9);
  }
  return name.substr(0, name.find(':'));
}

bool IsFunctionArn(std::string_view resource) {
  std::optional<ParsedArn> arn = ParseArn(resource);
  return arn && arn->service == "lambda" && arn->resource.starts_with("function:");
}

std::string StringField(const json::Object& object, std::string_view name) {
  const json::Value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// The error of a non-2xx Invoke answer, named as Step Functions names Lambda's errors.
Error ServiceError(const HttpResponse& response, std::string_view function_name,
                   std::string_view what) {
  std::string code = AwsErrorCode(response);
  std::string message;
  if (Result<json::Value> body = json::Parse(response.body); body.ok() && body->is_object()) {
    message = StringField(body->get_object(), "Message");
    if (message.empty()) message = StringField(body->get_object(), "message");
  }
  if (code.empty()) {
    if (response.status == 404) {
      code = "ResourceNotFoundException";
      if (message.empty()) message = "Function not found: " + std::string(function_name);
    } else if (response.status == 429) {
      code = "TooManyRequestsException";
      if (message.empty()) message = "Rate Exceeded.";
    } else if (response.status >= 500) {
      code = "ServiceException";
    } else {
      code = "AWSLambdaException";
    }
  }
  if (message.empty()) {
    message = std::string(what) + " answered HTTP " + std::to_string(response.status) + ": " +
              response.body.substr(0, 200);
  }
  return Error{"Lambda." + code,
               message + integrations::AwsErrorSuffix("AWSLambda", response.status, code,
                                                      ResponseRequestId(response))};
}

}  // namespace

HttpClientOptions LambdaHttpDefaults() {
  HttpClientOptions options;
  options.total_timeout = std::chrono::seconds(905);
  return options;
}

struct RemoteLambda::Call {
  std::string function_name;  // as the task gave it
  std::optional<std::string> qualifier, invocation_type, log_type, client_context;
  std::string payload;  // JSON text
  std::optional<int64_t> timeout_seconds;
};

RemoteLambda::RemoteLambda(RemoteSelection selection, Endpoint endpoint,
                           CredentialsSource credentials, HttpClientOptions http, Clock* clock)
    : selection_(std::move(selection)),
      endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      http_options_(std::move(http)),
      clock_(clock != nullptr ? *clock : system_clock_) {}

bool RemoteLambda::Handles(const engine::TaskRequest& request) const {
  if (IsFunctionArn(request.resource)) {
    return selection_.MatchesAny({request.resource, BareFunctionName(request.resource)});
  }
  if (request.resource != kInvoke) {
    // Callback checks read the local token store: the TaskRouter's own check does that.
    if (request.submitted != nullptr || !request.resource.starts_with(kInvoke) ||
        request.resource.substr(kInvoke.size()) != kWaitForTaskToken) {
      return false;
    }
  }
  if (request.parameters == nullptr || !request.parameters->is_object()) return false;
  const json::Value* name = request.parameters->get_object().if_contains("FunctionName");
  if (name == nullptr || !name->is_string()) return false;
  std::string_view given = name->get_string();
  return selection_.MatchesAny({given, BareFunctionName(given)});
}

HttpClient& RemoteLambda::ClientFor(int64_t timeout_seconds) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<HttpClient>& client = clients_[timeout_seconds];
  if (client == nullptr) {
    HttpClientOptions options = http_options_;
    if (timeout_seconds > 0) {
      // The task's TimeoutSeconds bounds the whole call: one attempt, no longer than that.
      options.total_timeout = std::chrono::seconds(timeout_seconds);
      options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
      options.retry.max_attempts = 1;
    }
    client = std::make_unique<HttpClient>(std::move(options));
  }
  return *client;
}

Result<HttpResponse> RemoteLambda::InvokeFunction(const Call& call) {
  const std::string what = "Lambda Invoke of '" + call.function_name + "' at " + endpoint_.url;
  Result<Credentials> credentials = credentials_();
  if (!credentials.ok()) return SdkClientError(kService, what, credentials.error());
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint_.url + "/2015-03-31/functions/" + UriEncode(call.function_name, false) +
                "/invocations";
  if (call.qualifier) request.url += "?Qualifier=" + UriEncode(*call.qualifier, false);
  request.headers = {{"Content-Type", "application/json"}};
  if (call.invocation_type)
    request.headers.emplace_back("X-Amz-Invocation-Type", *call.invocation_type);
  if (call.log_type) request.headers.emplace_back("X-Amz-Log-Type", *call.log_type);
  if (call.client_context)
    request.headers.emplace_back("X-Amz-Client-Context", *call.client_context);
  request.body = call.payload;
  SigningOptions options =
      SigningOptionsFor(endpoint_.signing_name.empty() ? std::string_view("lambda")
                                                       : std::string_view(endpoint_.signing_name),
                        endpoint_.signing_region, clock_.Now());
  const int64_t timeout = call.timeout_seconds.value_or(0) > 0 ? *call.timeout_seconds : 0;
  const auto began = std::chrono::steady_clock::now();
  Result<HttpResponse> response = ClientFor(timeout).SendSigned(
      std::move(request), *credentials, options, [this] { return clock_.Now(); });
  if (!response.ok()) {
    // The call timed out at the task's limit rather than at the client's shorter connect
    // timeout. libcurl's timers count whole milliseconds and may fire just before the limit as
    // this clock sees it (5 of 40 runs of the 1 s test here, without the slack).
    constexpr auto kTimerSlack = std::chrono::milliseconds(20);
    if (timeout > 0 && response.error().error == kHttpTimeout &&
        std::chrono::steady_clock::now() - began >= std::chrono::seconds(timeout) - kTimerSlack) {
      return Error{"States.Timeout", "The task did not finish within its TimeoutSeconds (" +
                                         std::to_string(timeout) + "): " + what +
                                         " got no answer in time"};
    }
    return SdkClientError(kService, what, response.error());
  }
  if (response->status < 200 || response->status >= 300) {
    return ServiceError(*response, call.function_name, what);
  }
  if (!response->Header("X-Amz-Function-Error").empty()) {
    // The function failed: Step Functions names the error after the payload's errorType.
    std::string error_type;
    if (Result<json::Value> payload = json::Parse(response->body);
        payload.ok() && payload->is_object()) {
      error_type = StringField(payload->get_object(), "errorType");
    }
    return Error{error_type.empty() ? "Lambda.Unknown" : error_type, response->body};
  }
  return response;
}

Result<json::Value> RemoteLambda::Invoke(const engine::TaskRequest& request) {
  if (IsFunctionArn(request.resource)) {
    Call call;
    call.function_name = request.resource;
    call.payload = request.parameters ? json::Serialize(*request.parameters) : "{}";
    call.timeout_seconds = request.timeout_seconds;
    Result<HttpResponse> response = InvokeFunction(call);
    if (!response.ok()) return response.take_error();
    if (response->body.empty()) return json::Value();
    Result<json::Value> result = json::Parse(response->body);
    if (!result.ok()) {
      return SdkClientError(kService, "Lambda Invoke of '" + call.function_name + "'",
                            Error{std::string(kHttpMalformedResponse),
                                  "the function's result is not JSON: " + result.error().cause});
    }
    return result;
  }
  if (request.resource == kInvoke) return InvokeLambda(request);
  // lambda:invoke.waitForTaskToken (Handles took only the first call).
  if (Status registered = RegisterTaskTokenLocally(request, launcher_); !registered.ok()) {
    return registered.take_error();
  }
  Result<json::Value> invoked = InvokeLambda(request);
  if (!invoked.ok()) return invoked;
  *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
  return invoked;
}

Result<json::Value> RemoteLambda::InvokeLambda(const engine::TaskRequest& request) {
  Result<const json::Object*> params = TaskParameters(request, "lambda:invoke");
  if (!params.ok()) return params.take_error();
  Call call;
  Result<std::string> name = TaskRequiredString(request, **params, "FunctionName");
  if (!name.ok()) return name.take_error();
  call.function_name = std::move(name).value();
  for (auto [field, target] :
       {std::pair{"Qualifier", &call.qualifier}, std::pair{"InvocationType", &call.invocation_type},
        std::pair{"LogType", &call.log_type}, std::pair{"ClientContext", &call.client_context}}) {
    Result<std::optional<std::string>> value = TaskOptionalString(request, **params, field);
    if (!value.ok()) return value.take_error();
    *target = std::move(value).value();
  }
  const json::Value* payload = (*params)->if_contains("Payload");
  call.payload = payload != nullptr ? json::Serialize(*payload) : "{}";
  call.timeout_seconds = request.timeout_seconds;
  Result<HttpResponse> response = InvokeFunction(call);
  if (!response.ok()) return response.take_error();

  json::Value result;  // an Event or DryRun invocation answers with no payload: ""
  if (response->body.empty()) {
    result = "";
  } else {
    Result<json::Value> parsed = json::Parse(response->body);
    if (!parsed.ok()) {
      return SdkClientError(kService, "Lambda Invoke of '" + call.function_name + "'",
                            Error{std::string(kHttpMalformedResponse),
                                  "the function's result is not JSON: " + parsed.error().cause});
    }
    result = std::move(parsed).value();
  }
  std::string version = response->Header("X-Amz-Executed-Version");
  json::Object envelope(5);
  envelope.emplace("ExecutedVersion", version.empty() ? "$LATEST" : version);
  envelope.emplace("Payload", std::move(result));
  envelope.emplace("SdkHttpMetadata", ResponseSdkHttpMetadata(*response));
  envelope.emplace("SdkResponseMetadata",
                   integrations::SdkResponseMetadata(ResponseRequestId(*response)));
  envelope.emplace("StatusCode", response->status);
  return json::Value(std::move(envelope));
}

Result<std::unique_ptr<RemoteLambda>> MakeRemoteLambda(const RemoteLambdaOptions& options,
                                                       std::shared_ptr<const Environment> env) {
  EndpointOptions endpoint;
  endpoint.url = options.endpoint_url;
  Result<ServiceConnection> connection = ConnectService(
      LambdaService(), options.region, options.fallback_region, endpoint, std::move(env));
  if (!connection.ok()) return connection.take_error();
  return std::make_unique<RemoteLambda>(options.functions, std::move(connection->endpoint),
                                        std::move(connection->credentials), options.http);
}

}  // namespace autoretrain::aws
