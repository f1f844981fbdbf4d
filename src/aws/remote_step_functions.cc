#include "autoretrain/aws/remote_step_functions.h"

#include <algorithm>
#include <chrono>

#include "aws/remote_task_support.h"
#include "aws/service_connection.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::aws {
namespace {

constexpr std::string_view kStartExecution = "arn:aws:states:::states:startExecution";
constexpr std::string_view kService = "StepFunctions";

enum class Pattern { kNone, kRequestResponse, kSync, kSync2, kWaitForTaskToken };

Pattern PatternOf(std::string_view resource) {
  if (!resource.starts_with(kStartExecution)) return Pattern::kNone;
  std::string_view rest = resource.substr(kStartExecution.size());
  if (rest.empty()) return Pattern::kRequestResponse;
  if (rest == ".sync") return Pattern::kSync;
  if (rest == ".sync:2") return Pattern::kSync2;
  if (rest == ".waitForTaskToken") return Pattern::kWaitForTaskToken;
  return Pattern::kNone;
}

// arn:P:states:R:A:execution:MACHINE:NAME -> arn:P:states:R:A:stateMachine:MACHINE.
std::string StateMachineOfExecution(std::string_view execution_arn) {
  std::optional<ParsedArn> arn = ParseArn(execution_arn);
  if (!arn || arn->service != "states" || !arn->resource.starts_with("execution:")) return "";
  std::string_view rest = std::string_view(arn->resource).substr(10);
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return "";
  return "arn:" + arn->partition + ":states:" + arn->region + ":" + arn->account +
         ":stateMachine:" + std::string(rest.substr(0, colon));
}

// The JSON body of a response, or nullopt when it is not a JSON object.
std::optional<json::Object> BodyObject(const HttpResponse& response) {
  Result<json::Value> body = json::Parse(response.body);
  if (!body.ok() || !body->is_object()) return std::nullopt;
  return std::move(body->get_object());
}

std::string StringField(const json::Object& object, std::string_view name) {
  const json::Value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// The error a non-2xx response stands for: "StepFunctions.<Type>Exception" with AWS's message
// and the Java SDK's suffix, as the local integration reports the same errors.
Error ServiceError(const HttpResponse& response, std::string_view what) {
  std::string code = AwsErrorCode(response);
  std::string message;
  if (std::optional<json::Object> body = BodyObject(response)) {
    message = StringField(*body, "message");
    if (message.empty()) message = StringField(*body, "Message");
  }
  if (code.empty()) {
    // Not an AWS error body: the Java SDK's generic service exception.
    code = "AWSStepFunctions";
    message = std::string(what) + " answered HTTP " + std::to_string(response.status) +
              " without an AWS error; is the endpoint a Step Functions API? Body: " +
              response.body.substr(0, 200);
  }
  std::string name = "StepFunctions." + code;
  if (!code.ends_with("Exception")) name += "Exception";
  return Error{name, message + integrations::AwsErrorSuffix("AWSStepFunctions", response.status,
                                                            code, ResponseRequestId(response))};
}

// How often a .sync check runs: half the child's age, from 1 second up to a minute (as the
// local integration polls a child it is not woken for).
std::chrono::milliseconds CheckInterval(TimePoint now, TimePoint child_start) {
  auto half_age = std::chrono::duration_cast<std::chrono::milliseconds>(now - child_start) / 2;
  return std::clamp<std::chrono::milliseconds>(half_age, std::chrono::seconds(1),
                                               std::chrono::minutes(1));
}

// DescribeExecution as startExecution.sync returns it, from the remote answer (AWS's field
// order; dates in epoch milliseconds; Input/Output as JSON text, or as JSON with .sync:2).
json::Object SyncDescription(const json::Object& described, bool json_io) {
  auto io = [&](const json::Value& text) -> json::Value {
    if (!json_io || !text.is_string()) return text;
    Result<json::Value> parsed = json::Parse(text.get_string());
    return parsed.ok() ? std::move(parsed).value() : text;
  };
  auto included = [&](std::string_view details) {
    const json::Value* value = described.if_contains(details);
    bool flag = true;
    if (value != nullptr && value->is_object()) {
      if (const json::Value* inc = value->get_object().if_contains("included");
          inc != nullptr && inc->is_bool()) {
        flag = inc->get_bool();
      }
    }
    return json::Object{{"Included", flag}};
  };
  json::Object out;
  if (const json::Value* cause = described.if_contains("cause")) out.emplace("Cause", *cause);
  if (const json::Value* error = described.if_contains("error")) out.emplace("Error", *error);
  out.emplace("ExecutionArn", StringField(described, "executionArn"));
  if (const json::Value* input = described.if_contains("input")) out.emplace("Input", io(*input));
  out.emplace("InputDetails", included("inputDetails"));
  out.emplace("Name", StringField(described, "name"));
  if (const json::Value* output = described.if_contains("output")) {
    out.emplace("Output", io(*output));
    out.emplace("OutputDetails", included("outputDetails"));
  }
  out.emplace("StartDate", EpochMillisOfSeconds(described.if_contains("startDate")));
  out.emplace("StateMachineArn", StringField(described, "stateMachineArn"));
  out.emplace("Status", StringField(described, "status"));
  if (described.contains("stopDate")) {
    out.emplace("StopDate", EpochMillisOfSeconds(described.if_contains("stopDate")));
  }
  return out;
}

}  // namespace

RemoteStepFunctions::RemoteStepFunctions(RemoteSelection selection, Endpoint endpoint,
                                         CredentialsSource credentials, HttpClientOptions http,
                                         Clock* clock)
    : selection_(std::move(selection)),
      endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      http_(std::move(http)),
      clock_(clock != nullptr ? *clock : system_clock_) {}

bool RemoteStepFunctions::Handles(const engine::TaskRequest& request) const {
  const Pattern pattern = PatternOf(request.resource);
  if (pattern == Pattern::kNone) return false;
  if (request.submitted != nullptr) {
    // Callback checks read the local token store: the TaskRouter's own check does that.
    if (pattern != Pattern::kSync && pattern != Pattern::kSync2) return false;
    if (!request.submitted->is_object()) return false;
    const json::Value* arn = request.submitted->get_object().if_contains("ExecutionArn");
    if (arn == nullptr || !arn->is_string()) return false;
    std::string machine = StateMachineOfExecution(arn->get_string());
    return !machine.empty() && selection_.Matches(machine);
  }
  if (request.parameters == nullptr || !request.parameters->is_object()) return false;
  const json::Value* arn = request.parameters->get_object().if_contains("StateMachineArn");
  return arn != nullptr && arn->is_string() && selection_.Matches(arn->get_string());
}

Result<json::Value> RemoteStepFunctions::Invoke(const engine::TaskRequest& request) {
  switch (PatternOf(request.resource)) {
    case Pattern::kRequestResponse:
      return StartExecution(request);
    case Pattern::kSync:
    case Pattern::kSync2: {
      const bool json_io = PatternOf(request.resource) == Pattern::kSync2;
      if (request.submitted != nullptr) return CheckChild(request, json_io);
      if (request.check_again_at == nullptr) {
        return TaskRuntimeError(request.state_name,
                                "'" + std::string(request.resource) +
                                    "' must wait for the execution it starts, which this caller "
                                    "cannot do");
      }
      Result<json::Value> started = StartExecution(request);
      if (!started.ok()) return started;
      *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
      return started;
    }
    case Pattern::kWaitForTaskToken:
      return WaitForTaskToken(request);
    case Pattern::kNone:
      break;
  }
  return TaskRuntimeError(request.state_name, "The resource '" + std::string(request.resource) +
                                                  "' is not a states:startExecution resource.");
}

Result<HttpResponse> RemoteStepFunctions::Call(std::string_view operation,
                                               const json::Object& input) {
  const std::string what = "Step Functions " + std::string(operation) + " at " + endpoint_.url;
  Result<Credentials> credentials = credentials_();
  if (!credentials.ok()) return SdkClientError(kService, what, credentials.error());
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint_.url + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "AWSStepFunctions." + std::string(operation)}};
  request.body = json::Serialize(json::Value(input));
  // DescribeExecution reads; StartExecution with a name is idempotent for a running execution
  // with the same input, which is what a retry after a lost answer finds.
  request.idempotent = true;
  SigningOptions options =
      SigningOptionsFor(endpoint_.signing_name.empty() ? std::string_view("states")
                                                       : std::string_view(endpoint_.signing_name),
                        endpoint_.signing_region, clock_.Now());
  Result<HttpResponse> response =
      http_.SendSigned(std::move(request), *credentials, options, [this] { return clock_.Now(); });
  if (!response.ok()) return SdkClientError(kService, what, response.error());
  return response;
}

Result<json::Value> RemoteStepFunctions::StartExecution(const engine::TaskRequest& request) {
  Result<const json::Object*> params = TaskParameters(request, "states:startExecution");
  if (!params.ok()) return params.take_error();
  Result<std::string> machine_arn = TaskRequiredString(request, **params, "StateMachineArn");
  if (!machine_arn.ok()) return machine_arn.take_error();
  Result<std::optional<std::string>> name = TaskOptionalString(request, **params, "Name");
  if (!name.ok()) return name.take_error();

  json::Object input;
  const std::string child_name =
      name->has_value() ? **name : integrations::ChildExecutionName(request);
  input.emplace("stateMachineArn", *machine_arn);
  input.emplace("name", child_name);
  if (const json::Value* given = (*params)->if_contains("Input")) {
    // A JSON text is passed as it is (the service checks it, as AWS's does); anything else is
    // serialized.
    input.emplace("input",
                  given->is_string() ? std::string(given->get_string()) : json::Serialize(*given));
  } else {
    input.emplace("input", "{}");
  }
  Result<HttpResponse> response = Call("StartExecution", input);
  if (!response.ok()) return response.take_error();
  const std::string what =
      "Step Functions StartExecution of '" + *machine_arn + "' at " + endpoint_.url;
  if (!IsHttpSuccess(response->status)) {
    Error error = ServiceError(*response, what);
    if (error.error == "StepFunctions.ExecutionAlreadyExistsException" && !name->has_value()) {
      // The derived name is taken: this task started the child before (a run interrupted
      // after the start); AWS refuses the name once that execution ended. Same input: it is
      // the same child, as the local launcher treats a derived name.
      Result<json::Value> existing = ExistingChild(*machine_arn, child_name, input);
      if (existing.ok()) return existing;
    }
    return error;
  }
  std::optional<json::Object> body = BodyObject(*response);
  if (!body || StringField(*body, "executionArn").empty()) {
    return SdkClientError(
        kService, what,
        Error{std::string(kHttpMalformedResponse),
              "the answer has no executionArn: " + response->body.substr(0, 200)});
  }
  json::Object output(4);
  output.emplace("ExecutionArn", StringField(*body, "executionArn"));
  output.emplace("SdkHttpMetadata", ResponseSdkHttpMetadata(*response));
  output.emplace("SdkResponseMetadata",
                 integrations::SdkResponseMetadata(ResponseRequestId(*response)));
  output.emplace("StartDate", EpochMillisOfSeconds(body->if_contains("startDate")));
  return json::Value(std::move(output));
}

Result<json::Value> RemoteStepFunctions::ExistingChild(const std::string& machine_arn,
                                                       const std::string& name,
                                                       const json::Object& start_input) {
  std::optional<std::string> arn = ExecutionArnOf(machine_arn, name);
  if (!arn) return Error{"NotFound", "not a state machine ARN"};
  Result<HttpResponse> response = Call("DescribeExecution", json::Object{{"executionArn", *arn}});
  if (!response.ok() || !IsHttpSuccess(response->status)) {
    return Error{"NotFound", "the existing execution cannot be described"};
  }
  std::optional<json::Object> described = BodyObject(*response);
  if (!described) return Error{"NotFound", "not a JSON object"};
  Result<json::Value> theirs = json::Parse(StringField(*described, "input"));
  Result<json::Value> ours = json::Parse(start_input.at("input").get_string());
  if (!theirs.ok() || !ours.ok() || *theirs != *ours) {
    return Error{"NotFound", "the existing execution has another input"};
  }
  json::Object output(4);
  output.emplace("ExecutionArn", *arn);
  output.emplace("SdkHttpMetadata", ResponseSdkHttpMetadata(*response));
  output.emplace("SdkResponseMetadata",
                 integrations::SdkResponseMetadata(ResponseRequestId(*response)));
  output.emplace("StartDate", EpochMillisOfSeconds(described->if_contains("startDate")));
  return json::Value(std::move(output));
}

bool RemoteStepFunctions::CountFailedCheck(const std::string& execution_arn, bool succeeded) {
  std::lock_guard lock(mutex_);
  if (succeeded) {
    failed_checks_.erase(execution_arn);
    return false;
  }
  int& count = failed_checks_[execution_arn];
  if (++count < kMaxFailedChecks) return false;
  failed_checks_.erase(execution_arn);
  return true;
}

Result<json::Value> RemoteStepFunctions::CheckChild(const engine::TaskRequest& request,
                                                    bool json_io) {
  const json::Value* arn = request.submitted->is_object()
                               ? request.submitted->get_object().if_contains("ExecutionArn")
                               : nullptr;
  if (arn == nullptr || !arn->is_string() || request.check_again_at == nullptr) {
    return TaskRuntimeError(request.state_name, "the started execution of this task is unknown");
  }
  const std::string execution_arn(arn->get_string());
  Result<HttpResponse> response =
      Call("DescribeExecution", json::Object{{"executionArn", execution_arn}});
  // No answer, throttling or a server error: the child is still there; look again later.
  const bool transient = !response.ok() || response->status == 429 || response->status >= 500;
  if (transient) {
    Error error =
        response.ok() ? ServiceError(*response, "DescribeExecution") : std::move(response).error();
    if (CountFailedCheck(execution_arn, false)) {
      error.cause = "DescribeExecution of '" + execution_arn + "' failed " +
                    std::to_string(kMaxFailedChecks) + " checks in a row; last: " + error.cause;
      return error;
    }
    *request.check_again_at = clock_.Now() + std::chrono::seconds(2);
    return *request.submitted;
  }
  CountFailedCheck(execution_arn, true);
  if (!IsHttpSuccess(response->status)) {
    Error error = ServiceError(*response, "DescribeExecution");
    return TaskRuntimeError(request.state_name, "DescribeExecution of '" + execution_arn + "' at " +
                                                    endpoint_.url + " failed: " + error.error +
                                                    ": " + error.cause);
  }
  std::optional<json::Object> described = BodyObject(*response);
  if (!described) {
    return TaskRuntimeError(request.state_name, "DescribeExecution of '" + execution_arn + "' at " +
                                                    endpoint_.url +
                                                    " answered something that is not a JSON "
                                                    "object: " +
                                                    response->body.substr(0, 200));
  }
  const std::string status = StringField(*described, "status");
  if (status == "RUNNING" || status == "PENDING_REDRIVE") {
    const TimePoint now = clock_.Now();
    const TimePoint started(
        std::chrono::milliseconds(EpochMillisOfSeconds(described->if_contains("startDate"))));
    *request.check_again_at = now + CheckInterval(now, started);
    return *request.submitted;
  }
  json::Object description = SyncDescription(*described, json_io);
  if (status == "SUCCEEDED") return json::Value(std::move(description));
  // As AWS: the task fails with the child's description as the cause.
  return Error{"States.TaskFailed", json::Serialize(json::Value(std::move(description)))};
}

Result<json::Value> RemoteStepFunctions::WaitForTaskToken(const engine::TaskRequest& request) {
  if (request.submitted != nullptr) {
    // Handles leaves these checks to the TaskRouter; reaching here is a wiring mistake.
    return TaskRuntimeError(request.state_name,
                            "the task token of this task is checked by the TaskRouter, not by "
                            "the remote Step Functions integration");
  }
  if (Status registered = RegisterTaskTokenLocally(request, launcher_); !registered.ok()) {
    return registered.take_error();
  }
  Result<json::Value> started = StartExecution(request);
  if (!started.ok()) return started;
  *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
  return started;
}

Result<std::unique_ptr<RemoteStepFunctions>> MakeRemoteStepFunctions(
    const RemoteStepFunctionsOptions& options, std::shared_ptr<const Environment> env) {
  EndpointOptions endpoint;
  endpoint.url = options.endpoint_url;
  Result<ServiceConnection> connection = ConnectService(
      StepFunctionsService(), options.region, options.fallback_region, endpoint, std::move(env));
  if (!connection.ok()) return connection.take_error();
  return std::make_unique<RemoteStepFunctions>(options.state_machines,
                                               std::move(connection->endpoint),
                                               std::move(connection->credentials), options.http);
}

}  // namespace autoretrain::aws
