// TestState (AWS's Step Functions TestState API): runs the definition of one state with the
// project's engine and task router, as AWS runs it with real integrations.
//
// The state is wrapped into a small state machine: the state itself (named "TestState", its
// Retry removed: TestState reports a retriable error instead of retrying), one Pass state per
// state it can go to (Next, a Choice's Next and Default, a Catcher's Next; each ends the
// machine and passes its input through, which is the tested state's output), a Pass state that
// assigns the request's variables first when there are some, and TimeoutSeconds 300 (AWS's
// five minutes). Its history tells the rest: which state came next, the error a Task raised
// before a Catcher caught it, the effective parameters and the task's result.
#include <string>
#include <vector>

#include "autoretrain/asl/parser.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/json/jsonpath.h"
#include "autoretrain/server/step_functions_service.h"
#include "server/json_protocol.h"
#include "server/request_reader.h"
#include "server/sfn_common.h"

namespace autoretrain::server {
namespace {

constexpr char kStateName[] = "TestState";
constexpr char kNextPrefix[] = "__autoretrain_next_";
constexpr char kVariablesState[] = "__autoretrain_variables";
constexpr int64_t kTimeoutSeconds = 300;

Error InvalidDefinition(const std::string& why) {
  return Error{"InvalidDefinition", "Invalid State Machine Definition: '" + why + "'"};
}

// Collects the events of the one test run (Executor::Run calls it on one thread).
class Recorder final : public engine::Observer {
 public:
  void OnEvent(std::string_view, const engine::HistoryEvent& event) override {
    events.push_back(event);
  }
  std::vector<engine::HistoryEvent> events;
};

// Answers every task with States.Runtime: the service was given no task router.
class NoTasks final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    return Error{"States.Runtime", "this server has no task router: the Task state's resource '" +
                                       std::string(request.resource) + "' cannot run here"};
  }
};

// Whether a Retrier of `retriers` (the state's "Retry") would retry `error` at its first
// attempt (the States Language's matching rules; a MaxAttempts of 0 never retries).
bool Retriable(const json::Value* retriers, std::string_view error) {
  if (retriers == nullptr || !retriers->is_array() || error == "States.Runtime") return false;
  for (const json::Value& retrier : retriers->as_array()) {
    if (!retrier.is_object()) continue;
    const json::Object& r = retrier.as_object();
    if (const json::Value* max = r.if_contains("MaxAttempts");
        max != nullptr && max->is_number() && max->to_number<double>() <= 0) {
      continue;
    }
    const json::Value* equals = r.if_contains("ErrorEquals");
    if (equals == nullptr || !equals->is_array()) continue;
    for (const json::Value& name : equals->as_array()) {
      if (!name.is_string()) continue;
      const std::string_view n = name.as_string();
      if (n == error) return true;
      if (error == "States.DataLimitExceeded") continue;
      if (n == "States.ALL") return true;
      if (n == "States.TaskFailed" && error != "States.Timeout") return true;
    }
    return false;  // the first Retrier whose ErrorEquals matches decides; none did here
  }
  return false;
}

std::string StringField(const json::Value& details, std::string_view key) {
  if (!details.is_object()) return "";
  const json::Value* value = details.as_object().if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

bool EndsWith(std::string_view text, std::string_view suffix) { return text.ends_with(suffix); }

// The wrapped state machine's definition; `targets` gets the real names of the states the
// tested state can go to, in the order of their synthetic Pass states.
Result<json::Object> WrapState(const json::Object& state, const json::Object* variables,
                               std::vector<std::string>& targets) {
  json::Object wrapped = state;
  wrapped.erase("Retry");
  auto rename = [&targets](json::Value& next) -> bool {
    if (!next.is_string()) return false;
    const std::string name(next.as_string());
    size_t i = 0;
    while (i < targets.size() && targets[i] != name) ++i;
    if (i == targets.size()) targets.push_back(name);
    next = std::string(kNextPrefix) + std::to_string(i);
    return true;
  };
  if (json::Value* next = wrapped.if_contains("Next")) rename(*next);
  if (json::Value* fallback = wrapped.if_contains("Default")) rename(*fallback);
  for (const char* list : {"Choices", "Catch"}) {
    json::Value* items = wrapped.if_contains(list);
    if (items == nullptr || !items->is_array()) continue;
    for (json::Value& item : items->as_array()) {
      if (!item.is_object()) continue;
      if (json::Value* next = item.as_object().if_contains("Next")) rename(*next);
    }
  }
  json::Object states;
  states[kStateName] = std::move(wrapped);
  for (size_t i = 0; i < targets.size(); ++i) {
    states[std::string(kNextPrefix) + std::to_string(i)] =
        json::Object{{"Type", "Pass"}, {"End", true}};
  }
  std::string start = kStateName;
  if (variables != nullptr && !variables->empty()) {
    states[kVariablesState] =
        json::Object{{"Type", "Pass"}, {"Assign", *variables}, {"Next", kStateName}};
    start = kVariablesState;
  }
  return json::Object{
      {"StartAt", start}, {"TimeoutSeconds", kTimeoutSeconds}, {"States", std::move(states)}};
}

// Fills inspectionData (DEBUG and TRACE) with what the run shows: the state's raw input, its
// input after InputPath, the effective parameters (Parameters or Arguments), the task's
// result, and the state's output after ResultSelector and ResultPath where nothing later
// changed it. Members that cannot be told from the run are left out.
json::Object Inspection(const json::Object& state, const std::vector<engine::HistoryEvent>& events,
                        const std::optional<std::string>& output) {
  json::Object data;
  std::optional<json::Value> input;
  for (const engine::HistoryEvent& e : events) {
    if (EndsWith(e.type, "StateEntered") && StringField(e.details, "name") == kStateName) {
      std::string text = StringField(e.details, "input");
      data["input"] = text;
      Result<json::Value> parsed = json::Parse(text);
      if (parsed.ok()) input = std::move(*parsed);
      break;
    }
  }
  const json::Value* language = state.if_contains("QueryLanguage");
  const bool jsonata =
      language != nullptr && language->is_string() && language->as_string() == "JSONata";
  const std::string type = StringField(json::Value(state), "Type");
  std::optional<std::string> after_input_path;
  if (!jsonata && input) {
    const json::Value* input_path = state.if_contains("InputPath");
    if (input_path == nullptr) {
      after_input_path = json::Serialize(*input);
    } else if (input_path->is_null()) {
      after_input_path = "{}";
    } else if (input_path->is_string()) {
      Result<json::Path> path = json::Path::Compile(input_path->as_string());
      if (path.ok()) {
        if (std::optional<json::Value> selected = path->Select(*input)) {
          after_input_path = json::Serialize(*selected);
        }
      }
    }
    if (after_input_path) data["afterInputPath"] = *after_input_path;
  }
  std::optional<std::string> parameters;
  std::optional<std::string> result;
  for (const engine::HistoryEvent& e : events) {
    if (e.type == "TaskScheduled") parameters = StringField(e.details, "parameters");
    if (e.type == "LambdaFunctionScheduled") parameters = StringField(e.details, "input");
    if (e.type == "TaskSucceeded" || e.type == "LambdaFunctionSucceeded") {
      result = StringField(e.details, "output");
    }
  }
  if (type == "Pass" && !jsonata) {
    if (!state.contains("Parameters") && after_input_path) parameters = after_input_path;
    if (const json::Value* literal = state.if_contains("Result")) {
      result = json::Serialize(*literal);
    } else {
      result = parameters;
    }
  }
  if (parameters) data[jsonata ? "afterArguments" : "afterParameters"] = *parameters;
  if (result) {
    data["result"] = *result;
    if (!jsonata && !state.contains("ResultSelector")) data["afterResultSelector"] = *result;
  }
  const json::Value* output_path = state.if_contains("OutputPath");
  const bool output_is_result_path =
      output_path == nullptr || (output_path->is_string() && output_path->as_string() == "$");
  if (!jsonata && output && output_is_result_path && (type == "Task" || type == "Pass")) {
    data["afterResultPath"] = *output;
  }
  return data;
}

}  // namespace

void StepFunctionsService::set_task_handler(engine::TaskHandler* handler) {
  task_handler_ = handler;
}

Result<json::Value> StepFunctionsService::TestState(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> definition =
      reader.String("definition", true, 1, kMaxDefinitionLength);
  std::optional<std::string> role_arn = reader.String("roleArn", false, 1, kMaxArnLength);
  std::optional<std::string> state_input = reader.String("input", false, 0, kMaxInputLength);
  std::optional<std::string> level =
      reader.Enum("inspectionLevel", false, {"INFO", "DEBUG", "TRACE"});
  reader.Boolean("revealSecrets");
  std::optional<std::string> variables_text = reader.String("variables", false, 0, kMaxInputLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (role_arn) {
    if (Status role = CheckRoleArn(*role_arn); !role.ok()) return role.take_error();
  }

  Result<json::Value> parsed = json::Parse(*definition);
  if (!parsed.ok()) return InvalidDefinition("the definition is not JSON: " + parsed.error().cause);
  if (!parsed->is_object() || !parsed->as_object().contains("Type")) {
    return InvalidDefinition(
        "TestState takes the definition of one state, a JSON object with a \"Type\" (e.g. "
        "{\"Type\": \"Pass\", \"End\": true}), not a whole state machine");
  }
  const json::Object& state = parsed->as_object();
  const std::string type = StringField(*parsed, "Type");
  if (type == "Map" || type == "Parallel") {
    return InvalidDefinition("TestState does not run " + type +
                             " states (as AWS without a mock): test the states of its branches "
                             "or iterations one at a time");
  }
  if (type == "Task") {
    const std::string resource = StringField(*parsed, "Resource");
    if (resource.find(":activity:") != std::string::npos || EndsWith(resource, ".sync") ||
        EndsWith(resource, ".sync:2") || EndsWith(resource, ".waitForTaskToken")) {
      return InvalidDefinition(
          "TestState does not run activity tasks, .sync or "
          ".waitForTaskToken integrations (resource '" +
          resource + "'), as AWS without a mock");
    }
  }
  json::Value state_value = json::Object{};
  if (state_input && !state_input->empty()) {
    Result<json::Value> value = json::Parse(*state_input);
    if (!value.ok()) {
      return Error{
          "InvalidExecutionInput",
          "Invalid State Machine Execution Input: the input is not JSON: " + value.error().cause};
    }
    state_value = std::move(*value);
  }
  std::optional<json::Object> variables;
  if (variables_text && !variables_text->empty()) {
    Result<json::Value> value = json::Parse(*variables_text);
    if (!value.ok() || !value->is_object()) {
      return Error{kValidationException,
                   "variables must be a JSON object of variable names and values, e.g. "
                   "{\"count\": 3}" +
                       (value.ok() ? std::string() : ": " + value.error().cause)};
    }
    variables = std::move(value->as_object());
  }

  std::vector<std::string> targets;
  Result<json::Object> wrapped = WrapState(state, variables ? &*variables : nullptr, targets);
  if (!wrapped.ok()) return wrapped.take_error();
  asl::CompileResult compiled = asl::Compile(json::Value(std::move(*wrapped)));
  if (auto* problems = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
    std::string text;
    for (const asl::Diagnostic& d : *problems) {
      if (!text.empty()) text += ", ";
      text += d.ToString();
    }
    return InvalidDefinition(text);
  }
  const auto& machine = std::get<std::shared_ptr<const asl::StateMachine>>(compiled);

  NoTasks no_tasks;
  Recorder recorder;
  engine::Executor executor(task_handler_ != nullptr ? *task_handler_ : no_tasks, clock_, &recorder,
                            runtime_.account());
  engine::ExecutionSpec spec;
  spec.state_machine_name = "TestState";
  spec.state_machine_arn = StateMachineArn(runtime_.account(), spec.state_machine_name);
  spec.role_arn = role_arn.value_or("");
  spec.input = std::move(state_value);
  engine::ExecutionResult run = executor.Run(*machine, spec);

  // What happened: the state that came next, and the error the state raised (even if caught).
  std::optional<std::string> next_state;
  std::optional<std::string> output;
  std::optional<std::string> raised_error;
  std::optional<std::string> raised_cause;
  for (const engine::HistoryEvent& e : recorder.events) {
    if (EndsWith(e.type, "StateEntered")) {
      const std::string name = StringField(e.details, "name");
      if (name.starts_with(kNextPrefix)) {
        next_state = targets.at(std::stoul(name.substr(std::string_view(kNextPrefix).size())));
        output = StringField(e.details, "input");
        break;
      }
    }
    if ((EndsWith(e.type, "Failed") || EndsWith(e.type, "TimedOut")) &&
        !e.type.starts_with("Execution") && e.details.is_object() &&
        e.details.as_object().contains("error")) {
      raised_error = StringField(e.details, "error");
      raised_cause = StringField(e.details, "cause");
    }
  }
  json::Object out;
  if (next_state) {
    if (raised_error && Retriable(state.if_contains("Retry"), *raised_error)) {
      out["status"] = "RETRIABLE";
      out["error"] = *raised_error;
      out["cause"] = raised_cause.value_or("");
      output.reset();
      next_state.reset();
    } else if (raised_error) {
      out["status"] = "CAUGHT_ERROR";
      out["error"] = *raised_error;
      out["cause"] = raised_cause.value_or("");
    } else {
      out["status"] = "SUCCEEDED";
    }
  } else if (run.status == engine::ExecutionStatus::kSucceeded) {
    out["status"] = "SUCCEEDED";
    output = json::Serialize(run.output.value_or(json::Value()));
  } else {
    const std::string error = run.status == engine::ExecutionStatus::kTimedOut
                                  ? "States.Timeout"
                                  : run.error.value_or("");
    if (Retriable(state.if_contains("Retry"), error)) {
      out["status"] = "RETRIABLE";
    } else {
      out["status"] = "FAILED";
    }
    out["error"] = error;
    out["cause"] = run.cause.value_or(run.status == engine::ExecutionStatus::kTimedOut
                                          ? "the state did not finish within TestState's " +
                                                std::to_string(kTimeoutSeconds) + " seconds"
                                          : "");
  }
  if (output) out["output"] = *output;
  if (next_state) out["nextState"] = *next_state;
  if (level.value_or("INFO") != "INFO") {
    out["inspectionData"] = Inspection(state, recorder.events, output);
  }
  return Ok(std::move(out));
}

}  // namespace autoretrain::server
