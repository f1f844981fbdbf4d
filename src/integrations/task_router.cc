#include "autoretrain/integrations/task_router.h"

#include <algorithm>
#include <chrono>

#include <charconv>
#include <exception>

#include "integrations/s3_tasks.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::integrations {
namespace {

Error Runtime(std::string_view state_name, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(state_name) + "'. " + std::string(message)};
}

// The parameters object of an optimized integration, or the States.Runtime error to fail with.
Result<const json::Object*> ParametersObject(const engine::TaskRequest& request,
                                             std::string_view integration) {
  if (request.parameters == nullptr || !request.parameters->is_object()) {
    std::string got =
        request.parameters == nullptr ? "none" : std::string(json::TypeName(*request.parameters));
    return Runtime(request.state_name, "The Parameters of the " + std::string(integration) +
                                           " integration must be an object, got " + got + ".");
  }
  return &request.parameters->get_object();
}

// A required string field of `params`, or the States.Runtime error to fail with.
Result<std::string> RequiredString(const engine::TaskRequest& request, const json::Object& params,
                                   std::string_view field) {
  const json::Value* value = params.if_contains(field);
  if (value == nullptr) {
    return Runtime(request.state_name,
                   "The field '" + std::string(field) + "' is required by the resource '" +
                       std::string(request.resource) + "' but missing from the Parameters.");
  }
  if (!value->is_string()) {
    return Runtime(request.state_name, "The value for the field '" + std::string(field) +
                                           "' must be a STRING, got " +
                                           std::string(json::TypeName(*value)) + ".");
  }
  return std::string(value->get_string());
}

// Invokes a function within the task's TimeoutSeconds and turns a stray exception into a
// function failure, so nothing thrown by a function's implementation escapes into the engine.
Result<json::Value> CallFunction(Function& function, const json::Value& event,
                                 std::optional<int64_t> timeout_seconds) {
  try {
    return function.InvokeWithin(event, timeout_seconds);
  } catch (const std::exception& e) {
    return FunctionError("Unhandled", e.what());
  }
}

}  // namespace

TaskRouter::TaskRouter(const FunctionRegistry& functions, Clock& clock, AccountContext account)
    : functions_(functions), clock_(clock), account_(std::move(account)) {}

Result<json::Value> TaskRouter::Invoke(const engine::TaskRequest& request) {
  for (ServiceIntegration* integration : integrations_) {
    if (integration->Handles(request)) return integration->Invoke(request);
  }
  std::optional<ParsedArn> arn = ParseArn(request.resource);
  if (arn && arn->service == "states" && arn->region.empty() && arn->account.empty()) {
    std::string_view resource = arn->resource;
    size_t dot = resource.find('.');
    std::string_view api = resource.substr(0, dot);
    const std::string_view pattern =
        dot == std::string_view::npos ? std::string_view() : resource.substr(dot);
    if (api == "states:startExecution" && (pattern == ".sync" || pattern == ".sync:2")) {
      return StartExecutionSync(request, /*json_io=*/pattern == ".sync:2");
    }
    if ((api == "lambda:invoke" || api == "states:startExecution") &&
        pattern == ".waitForTaskToken") {
      return WaitForTaskToken(request, api);
    }
    if (api == "lambda:invoke" || api == "states:startExecution") {
      if (dot != std::string_view::npos) {
        return Runtime(request.state_name,
                       "The resource '" + std::string(request.resource) + "' uses the '" +
                           std::string(resource.substr(dot)) +
                           "' integration pattern, which autoretrain does not support yet; "
                           "use '" +
                           std::string(request.resource.substr(
                               0, request.resource.size() - resource.size() + dot)) +
                           "' (request-response).");
      }
      return api == "lambda:invoke" ? InvokeLambda(request) : StartExecution(request);
    }
  }
  if (arn && arn->service == "lambda" && arn->resource.starts_with("function:")) {
    return InvokeFunctionArn(request);
  }
  if (arn && arn->service == "states" && arn->resource.starts_with("activity:")) {
    return ScheduleActivityTask(request);
  }
  if (IsS3TaskResource(request.resource)) return InvokeS3Task(object_store_, request);
  return Runtime(request.state_name,
                 "The resource '" + std::string(request.resource) +
                     "' is not supported by autoretrain. Supported: "
                     "arn:aws:states:::lambda:invoke, arn:aws:states:::states:startExecution, "
                     "Lambda function ARNs (arn:aws:lambda:REGION:ACCOUNT:function:NAME) and "
                     "activity ARNs (arn:aws:states:REGION:ACCOUNT:activity:NAME).");
}

Result<json::Value> TaskRouter::InvokeLambda(const engine::TaskRequest& request) {
  Result<const json::Object*> params = ParametersObject(request, "lambda:invoke");
  if (!params.ok()) return params.take_error();
  Result<std::string> name = RequiredString(request, **params, "FunctionName");
  if (!name.ok()) return name.take_error();
  Function* function = functions_.Find(*name);
  if (function == nullptr) return FunctionNotFound(*name);

  const json::Value* payload = (*params)->if_contains("Payload");
  Result<json::Value> result =
      CallFunction(*function, payload ? *payload : json::Object{}, request.timeout_seconds);
  if (!result.ok()) return result.take_error();

  // The envelope Step Functions returns for lambda:invoke (the Lambda Invoke response as the
  // AWS SDK for Java sees it), field for field.
  std::string request_id = NewExecutionName();
  TimePoint now = clock_.Now();
  char length[24];
  auto length_end = std::to_chars(length, length + sizeof length, json::SerializedSize(*result));
  std::string trace_id = NewTraceId(now);
  static constexpr std::string_view kNames[] = {"X-Amz-Executed-Version",
                                                "x-amzn-Remapped-Content-Length",
                                                "Connection",
                                                "x-amzn-RequestId",
                                                "Content-Length",
                                                "Date",
                                                "X-Amzn-Trace-Id",
                                                "Content-Type"};
  static const SdkHttpMetadataTemplate kMetadata(kNames, 200);
  const std::string_view values[] = {"$LATEST",
                                     "0",
                                     "keep-alive",
                                     request_id,
                                     std::string_view(length, length_end.ptr),
                                     HttpDate(now),
                                     trace_id,
                                     "application/json"};
  json::Object envelope(5);
  envelope.emplace("ExecutedVersion", "$LATEST");
  envelope.emplace("Payload", std::move(result).value());
  envelope.emplace("SdkHttpMetadata", kMetadata.Make(values));
  envelope.emplace("SdkResponseMetadata", SdkResponseMetadata(request_id));
  envelope.emplace("StatusCode", 200);
  return json::Value(std::move(envelope));
}

Result<json::Value> TaskRouter::InvokeFunctionArn(const engine::TaskRequest& request) {
  Function* function = functions_.Find(request.resource);
  if (function == nullptr) return FunctionNotFound(request.resource);
  static const json::Value kNoInput = json::Object{};
  return CallFunction(*function, request.parameters ? *request.parameters : kNoInput,
                      request.timeout_seconds);
}

Error TaskRouter::FunctionNotFound(std::string_view name) const {
  // Lambda names the function by its full ARN in this message, whatever form was given.
  std::string arn;
  if (name.starts_with("arn:")) {
    arn = name;
  } else if (size_t colon = name.find(':');
             colon != std::string_view::npos && name.substr(colon + 1).starts_with("function:")) {
    arn = "arn:" + account_.partition + ":lambda:" + account_.region + ":" + std::string(name);
  } else {
    arn = LambdaFunctionArn(account_, name);
  }
  return Error{
      "Lambda.ResourceNotFoundException",
      "Function not found: " + arn +
          AwsErrorSuffix("AWSLambda", 404, "ResourceNotFoundException", NewExecutionName())};
}

Result<json::Value> TaskRouter::StartExecution(const engine::TaskRequest& request) {
  Result<const json::Object*> params = ParametersObject(request, "states:startExecution");
  if (!params.ok()) return params.take_error();
  Result<std::string> machine_arn = RequiredString(request, **params, "StateMachineArn");
  if (!machine_arn.ok()) return machine_arn.take_error();
  std::string request_id = NewExecutionName();

  json::Value input = json::Object{};
  if (const json::Value* given = (*params)->if_contains("Input")) {
    if (given->is_string()) {
      // Input given as a JSON text (e.g. from States.JsonToString) is parsed, as AWS does.
      Result<json::Value> parsed = json::Parse(given->get_string());
      if (!parsed.ok()) {
        return Error{
            "StepFunctions.InvalidExecutionInputException",
            "Invalid State Machine Execution Input: '" + parsed.error().cause + "'" +
                AwsErrorSuffix("AWSStepFunctions", 400, "InvalidExecutionInput", request_id)};
      }
      input = std::move(parsed).value();
    } else {
      input = *given;
    }
  }
  std::string name;
  const bool has_name = (*params)->contains("Name");
  if (has_name) {
    Result<std::string> given = RequiredString(request, **params, "Name");
    if (!given.ok()) return given.take_error();
    name = *given;
  } else {
    name = ChildExecutionName(request);
  }
  if (launcher_ == nullptr) {
    return Runtime(request.state_name,
                   "states:startExecution is not available: no state machines are configured "
                   "for this run.");
  }
  Result<ExecutionLauncher::Started> started =
      launcher_->Start(ExecutionLauncher::StartRequest{.state_machine_arn = *machine_arn,
                                                       .input = std::move(input),
                                                       .name = name,
                                                       .derived_name = !has_name});
  if (!started.ok()) {
    const Error& error = started.error();
    return Error{"StepFunctions." + error.error + "Exception",
                 error.cause + AwsErrorSuffix("AWSStepFunctions", 400, error.error, request_id)};
  }
  // The StartExecution response as the AWS SDK for Java returns it: the date in epoch
  // milliseconds, plus the SDK metadata every request-response integration carries.
  int64_t start_millis = started->start_date.time_since_epoch().count();
  json::Object body(2);
  body.emplace("executionArn", started->execution_arn);
  body.emplace("startDate", static_cast<double>(start_millis) / 1000.0);
  char length[24];
  auto length_end = std::to_chars(length, length + sizeof length, json::SerializedSize(body));
  static constexpr std::string_view kNames[] = {"x-amzn-RequestId", "Content-Type",
                                                "Content-Length", "Date"};
  static const SdkHttpMetadataTemplate kMetadata(kNames, 200);
  const std::string_view values[] = {request_id, "application/x-amz-json-1.0",
                                     std::string_view(length, length_end.ptr),
                                     HttpDate(clock_.Now())};
  json::Object output(4);
  output.emplace("ExecutionArn", started->execution_arn);
  output.emplace("SdkHttpMetadata", kMetadata.Make(values));
  output.emplace("SdkResponseMetadata", SdkResponseMetadata(request_id));
  output.emplace("StartDate", start_millis);
  return json::Value(std::move(output));
}

Result<json::Value> TaskRouter::StartExecutionSync(const engine::TaskRequest& request,
                                                   bool json_io) {
  if (request.submitted != nullptr) return CheckChild(request, json_io);
  if (request.check_again_at == nullptr) {
    return Runtime(request.state_name, "'" + std::string(request.resource) +
                                           "' must wait for the execution it starts, which "
                                           "this caller cannot do");
  }
  Result<json::Value> started = StartExecution(request);
  if (!started.ok()) return started;
  // The task goes on until the child ends; the launcher wakes this execution then, and the
  // check after a second covers a launcher that cannot.
  launcher_->WakeWhenDone(std::string(started->at("ExecutionArn").get_string()),
                          request.execution_arn);
  *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
  return started;
}

namespace {

// How often a .sync task looks at its child when nothing wakes it: half the child's age, from
// 1 second up to a minute (the service normally wakes the parent as soon as the child ends).
std::chrono::milliseconds CheckInterval(TimePoint now, TimePoint child_start) {
  auto half_age = std::chrono::duration_cast<std::chrono::milliseconds>(now - child_start) / 2;
  return std::clamp<std::chrono::milliseconds>(half_age, std::chrono::seconds(1),
                                               std::chrono::minutes(1));
}

// DescribeExecution as startExecution.sync returns it (AWS's field order): dates in epoch
// milliseconds; Input and Output as JSON text, or as JSON with .sync:2 (`json_io`).
json::Object SyncDescription(const engine::ExecutionResult& child, bool json_io) {
  auto io = [&](const json::Value& v) { return json_io ? v : json::Value(json::Serialize(v)); };
  json::Object out;
  if (child.cause) out.emplace("Cause", *child.cause);
  if (child.error) out.emplace("Error", *child.error);
  out.emplace("ExecutionArn", child.execution_arn);
  out.emplace("Input", io(child.input));
  out.emplace("InputDetails", json::Object{{"Included", true}});
  out.emplace("Name", child.name);
  if (child.output) {
    out.emplace("Output", io(*child.output));
    out.emplace("OutputDetails", json::Object{{"Included", true}});
  }
  out.emplace("StartDate", child.start_date.time_since_epoch().count());
  out.emplace("StateMachineArn", child.state_machine_arn);
  out.emplace("Status", engine::ExecutionStatusName(child.status));
  out.emplace("StopDate", child.stop_date.time_since_epoch().count());
  return out;
}

}  // namespace

Result<json::Value> TaskRouter::CheckChild(const engine::TaskRequest& request, bool json_io) {
  const json::Value* arn = request.submitted->is_object()
                               ? request.submitted->get_object().if_contains("ExecutionArn")
                               : nullptr;
  if (arn == nullptr || !arn->is_string() || launcher_ == nullptr) {
    return Runtime(request.state_name, "the started execution of this task is unknown");
  }
  Result<engine::ExecutionResult> child = launcher_->Describe(std::string(arn->get_string()));
  if (!child.ok()) return Runtime(request.state_name, child.error().cause);
  if (child->status == engine::ExecutionStatus::kRunning) {
    const TimePoint now = clock_.Now();
    *request.check_again_at = now + CheckInterval(now, child->start_date);
    return *request.submitted;
  }
  json::Object description = SyncDescription(*child, json_io);
  if (child->status == engine::ExecutionStatus::kSucceeded) return json::Value(description);
  // AWS fails the task with the child's description as the cause.
  return Error{"States.TaskFailed", json::Serialize(json::Value(description))};
}

namespace {

// $$.Task.Token as the engine set it for a callback task; empty when missing.
std::string TaskTokenOf(const engine::TaskRequest& request) {
  if (request.context == nullptr || !request.context->is_object()) return "";
  const json::Value* task = request.context->get_object().if_contains("Task");
  if (task == nullptr || !task->is_object()) return "";
  const json::Value* token = task->get_object().if_contains("Token");
  return token != nullptr && token->is_string() ? std::string(token->get_string()) : "";
}

}  // namespace

Result<json::Value> TaskRouter::WaitForTaskToken(const engine::TaskRequest& request,
                                                 std::string_view api) {
  if (request.submitted != nullptr) return CheckTaskToken(request);
  const std::string token = TaskTokenOf(request);
  if (token.empty() || request.check_again_at == nullptr || launcher_ == nullptr) {
    return Runtime(request.state_name, "'" + std::string(request.resource) +
                                           "' must wait for its task token, which this caller "
                                           "cannot do");
  }
  Status registered = launcher_->RegisterTaskToken(token, std::string(request.execution_arn),
                                                   std::string(request.state_name));
  if (!registered.ok()) return Runtime(request.state_name, registered.error().cause);
  // The api itself, as its request-response form, with the token already in its parameters.
  const std::string resource = "arn:aws:states:::" + std::string(api);
  engine::TaskRequest call = request;
  call.resource = resource;
  call.check_again_at = nullptr;
  Result<json::Value> result = api == "lambda:invoke" ? InvokeLambda(call) : StartExecution(call);
  if (!result.ok()) return result;
  *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
  return result;
}

Result<json::Value> TaskRouter::ScheduleActivityTask(const engine::TaskRequest& request) {
  if (request.submitted != nullptr) return CheckTaskToken(request);
  const std::string token = TaskTokenOf(request);
  if (token.empty() || request.check_again_at == nullptr || launcher_ == nullptr) {
    return Runtime(request.state_name, "the activity task for '" + std::string(request.resource) +
                                           "' must wait for a worker, which this caller "
                                           "cannot do");
  }
  Status scheduled = launcher_->RegisterActivityTask(
      token, std::string(request.execution_arn), std::string(request.state_name),
      std::string(request.resource), json::Serialize(*request.parameters));
  if (!scheduled.ok()) return Error{"States.Runtime", scheduled.error().cause};
  *request.check_again_at = clock_.Now() + std::chrono::seconds(1);
  return json::Value();
}

Result<json::Value> TaskRouter::CheckTaskToken(const engine::TaskRequest& request) {
  const std::string token = TaskTokenOf(request);
  Result<store::TaskTokenRecord> record = launcher_->GetTaskToken(token);
  if (!record.ok()) return Runtime(request.state_name, record.error().cause);
  if (request.worker_name != nullptr && record->worker_name) {
    *request.worker_name = *record->worker_name;
  }
  switch (record->status) {
    case store::TaskTokenRecord::Status::kSucceeded: {
      Result<json::Value> output = json::Parse(record->output.value_or("null"));
      if (!output.ok()) return Runtime(request.state_name, "the task's output is not JSON");
      return output;
    }
    case store::TaskTokenRecord::Status::kFailed:
      return Error{record->error.value_or(""), record->cause.value_or("")};
    case store::TaskTokenRecord::Status::kWaiting:
      break;
  }
  const TimePoint now = clock_.Now();
  TimePoint next = now + CheckInterval(now, record->created);
  // An activity task's heartbeats are due from when a worker got it.
  if (request.heartbeat_seconds && (!record->activity_arn || record->started)) {
    const TimePoint heartbeat_due =
        record->last_heartbeat + std::chrono::seconds(*request.heartbeat_seconds);
    if (now >= heartbeat_due) return Error{"States.HeartbeatTimeout", ""};
    next = std::min(next, heartbeat_due);
  }
  *request.check_again_at = next;
  return *request.submitted;
}

Result<engine::ExecutionResult> ExecutionLauncher::Describe(std::string_view execution_arn) {
  return Error{"ExecutionDoesNotExist",
               "this launcher cannot describe executions ('" + std::string(execution_arn) + "')"};
}

void ExecutionLauncher::WakeWhenDone(std::string_view, std::string_view) {}

namespace {

Error NoTokenStore() {
  return Error{"CallbacksUnavailable",
               "a .waitForTaskToken task needs the project's store, where `autoretrain task "
               "success|failure|heartbeat` answers it: run the state machine in a project "
               "(run --project, check or serve)"};
}

}  // namespace

Status ExecutionLauncher::RegisterTaskToken(const std::string&, const std::string&,
                                            const std::string&) {
  return NoTokenStore();
}

Result<store::TaskTokenRecord> ExecutionLauncher::GetTaskToken(const std::string&) {
  return NoTokenStore();
}

Status ExecutionLauncher::RegisterActivityTask(const std::string&, const std::string&,
                                               const std::string&, const std::string&,
                                               const std::string&) {
  return Error{"CallbacksUnavailable",
               "an activity task needs the project's store, where workers get it (`autoretrain "
               "activities get-task`) and answer it (`autoretrain task success|failure`): run "
               "the state machine in a project (run --project, check or serve)"};
}

std::string ChildExecutionName(const engine::TaskRequest& request) {
  std::string seed(request.execution_arn);
  seed += '\n';
  seed += request.state_name;
  seed += '\n';
  if (request.branch_path.empty()) {
    seed += std::to_string(request.state_entered_event_id);
  } else {
    seed += request.branch_path;
    seed += '#';
    seed += std::to_string(request.branch_step);
  }
  seed += '\n';
  seed += std::to_string(request.retry_count);
  return DeterministicExecutionName(seed);
}

}  // namespace autoretrain::integrations
