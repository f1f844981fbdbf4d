#include "autoretrain/retrain/validation.h"

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "autoretrain/common/arn.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/integrations/dynamodb_tasks.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/retrain/policy_function.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/store/store.h"
#include "retrain/validation_alerts.h"

namespace autoretrain::retrain {
namespace {

// The built-in decision functions of the project: the configured ones, or the default.
std::map<std::string, DecisionConfig> DecisionFunctions(const ProjectConfig& config) {
  std::map<std::string, DecisionConfig> out;
  for (const auto& [name, function] : config.functions) {
    if (function.kind == FunctionConfig::Kind::kBuiltin) out[name] = function.decision;
  }
  if (!out.count(std::string(kDecisionFunctionName))) {
    out[std::string(kDecisionFunctionName)] = DecisionConfig{};
  }
  return out;
}

std::string Readable(const Error& error) {
  // A function error's cause is {"errorMessage", ...}: show the message.
  Result<json::Value> parsed = json::Parse(error.cause);
  if (parsed.ok() && parsed->is_object()) {
    if (const json::Value* m = parsed->as_object().if_contains("errorMessage")) {
      if (m->is_string()) return error.error + ": " + std::string(m->as_string());
    }
  }
  return error.error + ": " + error.cause;
}

// Reads the decision file at `decision`'s location as the decision function would.
ValidationCheck CheckDecisionFile(const std::string& name, const DecisionConfig& decision,
                                  integrations::ObjectStore& objects, Clock& clock) {
  ValidationCheck check;
  check.name = "decision file (" + name + ")";
  const std::string where = "s3://" + decision.bucket + "/" + decision.key;
  Result<json::Value> result =
      MakeDecisionFunction(objects, decision, &clock)->Invoke(json::Object{});
  if (!result.ok()) {
    check.detail = where + ": " + Readable(result.error());
    check.fix = result.error().error == "NoSuchKey" || result.error().error == "NoSuchBucket"
                    ? "have the monitoring job write " + where +
                          " (locally: a file under buckets_dir/" + decision.bucket + "/)"
                    : "fix the decision file (docs/decision-files.md)";
    return check;
  }
  const json::Object& out = result->as_object();
  check.passed = true;
  check.detail = where + " says " + json::Serialize(out.at("retraining_required"));
  if (const json::Value* stale = out.if_contains("stale"); stale && stale->as_bool()) {
    check.passed = false;
    check.detail += " but is stale (" + json::Serialize(out.at("age_seconds")) +
                    " s old; it reported " + json::Serialize(out.at("reported_decision")) + ")";
    check.fix = "check that the monitoring job still runs, or raise max_age_hours";
  }
  return check;
}

// The decision functions' files, and each model's own (read with the decision function's
// limits, as the trigger does).
void CheckDecisionFiles(const ProjectConfig& config, integrations::ObjectStore& objects,
                        Clock& clock, ValidationReport& report) {
  const std::map<std::string, DecisionConfig> functions = DecisionFunctions(config);
  for (const auto& [name, decision] : functions) {
    report.checks.push_back(CheckDecisionFile(name, decision, objects, clock));
  }
  for (const auto& [name, model] : config.retraining.models) {
    if (!model.decision) continue;
    DecisionConfig decision = functions.at(std::string(kDecisionFunctionName));
    decision.bucket = model.decision->bucket;
    decision.key = model.decision->key;
    report.checks.push_back(CheckDecisionFile("model " + name, decision, objects, clock));
  }
}

// Each model's pipeline is one of the project's state machines, or runs remotely.
void CheckModelPipelines(const ProjectConfig& config, ValidationReport& report) {
  for (const auto& [name, model] : config.retraining.models) {
    if (model.pipeline_arn.empty()) continue;
    ValidationCheck check;
    check.name = "pipeline (model " + name + ")";
    const size_t colon = model.pipeline_arn.rfind(':');
    const std::string machine = model.pipeline_arn.substr(colon + 1);
    if (model.pipeline_arn == StateMachineArn(config.account, machine) &&
        config.state_machines.count(machine)) {
      check.passed = true;
      check.detail = model.pipeline_arn + " is the project's state machine " + machine;
    } else if (config.integrations.states.remote.Matches(model.pipeline_arn)) {
      check.passed = true;
      check.detail = model.pipeline_arn + " runs remotely (integrations.states)";
    } else {
      check.detail = model.pipeline_arn + " is not one of the project's state machines";
      check.fix = "add it to state_machines, correct models." + name +
                  ".pipeline, or list it in integrations.states.remote_resources";
    }
    report.checks.push_back(std::move(check));
  }
}

// The compiled definitions of the project (failed ones reported).
std::map<std::string, std::shared_ptr<const asl::StateMachine>> CheckDefinitions(
    const ProjectConfig& config, ValidationReport& report) {
  std::map<std::string, std::shared_ptr<const asl::StateMachine>> compiled;
  for (const auto& [name, path] : config.state_machines) {
    ValidationCheck check;
    check.name = "definition (" + name + ")";
    Result<std::shared_ptr<const asl::StateMachine>> machine = LoadDefinition(path);
    if (machine.ok()) {
      check.passed = true;
      check.detail = path + " is valid (" + std::to_string((*machine)->states.size()) + " states)";
      compiled[name] = *machine;
    } else {
      check.detail = machine.error().cause;
      check.fix = "correct the definition (docs/asl.md lists what is supported)";
    }
    report.checks.push_back(std::move(check));
  }
  return compiled;
}

// Answers every decision function with a fixed decision, as the real one would shape it.
class SimulatedDecision final : public integrations::Function {
 public:
  explicit SimulatedDecision(std::string value) : value_(std::move(value)) {}
  Result<json::Value> Invoke(const json::Value&) override {
    return json::Value(json::Object{{"retraining_required", value_}});
  }

 private:
  std::string value_;
};

// Records what the dry run would start, and starts nothing.
class RecordingLauncher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest& request) override {
    started.emplace_back(request.state_machine_arn);
    return Started{ExecutionArnOf(request.state_machine_arn, "validate-dry-run")
                       .value_or("arn:aws:states:::execution:validate-dry-run"),
                   TimePoint{}};
  }
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override {
    engine::ExecutionResult result;  // a .sync pipeline "succeeds" at once
    result.execution_arn = std::string(execution_arn);
    result.status = engine::ExecutionStatus::kSucceeded;
    result.output = json::Object{};
    return result;
  }
  // Callback tasks (the approval gate) are answered at once, as approved: the dry run checks
  // the path a retraining takes, not who approves it.
  Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                           const std::string& state_name) override {
    store::TaskTokenRecord record;
    record.token = token;
    record.execution_arn = execution_arn;
    record.state_name = state_name;
    tokens_[token] = std::move(record);
    return OkStatus();
  }
  Result<store::TaskTokenRecord> GetTaskToken(const std::string& token) override {
    auto found = tokens_.find(token);
    if (found == tokens_.end()) return Error{"TaskDoesNotExist", "Task Does Not Exist"};
    store::TaskTokenRecord answered = found->second;
    answered.status = store::TaskTokenRecord::Status::kSucceeded;
    answered.output = R"({"approved": true, "by": "validate dry run"})";
    return answered;
  }
  std::vector<std::string> started;

 private:
  std::map<std::string, store::TaskTokenRecord> tokens_;
};

// The alert a dry run would send: recorded, nothing sent.
class WouldAlert final : public integrations::Function {
 public:
  Result<json::Value> Invoke(const json::Value&) override {
    return json::Value(
        json::Object{{"delivered", json::Array{}}, {"failed", json::Array{}}, {"dry_run", true}});
  }
};

struct DryRun {
  engine::ExecutionResult result;
  std::vector<std::string> started;  // state machine ARNs it would start
};

DryRun RunWithDecision(const ProjectConfig& config, const asl::StateMachine& machine,
                       const std::string& decision, Clock& clock) {
  integrations::FunctionRegistry functions;
  for (const auto& [name, unused] : DecisionFunctions(config)) {
    functions.Register(name, std::make_unique<SimulatedDecision>(decision));
  }
  integrations::TaskRouter router(functions, clock, config.account);
  RecordingLauncher launcher;
  router.set_launcher(&launcher);
  // The retraining policy runs for real on an empty history in a throwaway in-memory table
  // store (the project's own tables, all local), so a policy-driven trigger can be dry-run.
  ProjectConfig local = config;
  local.integrations.dynamodb = ServiceBackendConfig{};
  std::unique_ptr<store::Store> tables = store::Store::OpenInMemory().value();
  auto dynamodb =
      MakeProjectDynamoDb(local, *tables, clock, std::make_shared<aws::SystemEnvironment>());
  std::unique_ptr<integrations::ServiceIntegration> dynamodb_tasks;
  if (dynamodb.ok()) {
    dynamodb_tasks = integrations::MakeDynamoDbTasks(**dynamodb, clock);
    router.add_integration(dynamodb_tasks.get());
    functions.Register(std::string(kPolicyFunctionName),
                       MakePolicyFunction(**dynamodb, ProjectPolicy(config), &clock));
  }
  functions.Register(std::string(kAlertFunctionName), std::make_unique<WouldAlert>());
  if (dynamodb.ok()) {
    functions.Register(std::string(kApprovalFunctionName),
                       MakeApprovalFunction(**dynamodb, config.retraining.history_table, clock));
  }
  engine::Executor executor(router, clock, nullptr, config.account);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = StateMachineArn(config.account, config.check_state_machine);
  spec.state_machine_name = config.check_state_machine;
  spec.execution_name = "validate-dry-run";
  spec.input = config.check_input;
  DryRun run{executor.Run(machine, spec), {}};
  run.started = std::move(launcher.started);
  return run;
}

void CheckTrigger(const ProjectConfig& config,
                  const std::map<std::string, std::shared_ptr<const asl::StateMachine>>& compiled,
                  Clock& clock, ValidationReport& report) {
  if (config.check_state_machine.empty()) {
    report.checks.push_back({"trigger dry run", false, "no check.state_machine is configured",
                             "set \"check\": {\"state_machine\": NAME} in autoretrain.json"});
    return;
  }
  auto machine = compiled.find(config.check_state_machine);
  if (machine == compiled.end()) return;  // its definition check failed already
  std::set<std::string> known;
  for (const auto& [name, unused] : config.state_machines) {
    known.insert(StateMachineArn(config.account, name));
  }
  // A dry run never waits for real time: Wait states and retries pass at once.
  ManualClock dry_clock(clock.Now());
  for (const std::string decision : {"YES", "NO"}) {
    ValidationCheck check;
    check.name = "trigger dry run (" + config.check_state_machine + ", decision " + decision + ")";
    DryRun run = RunWithDecision(config, *machine->second, decision, dry_clock);
    if (run.result.status != engine::ExecutionStatus::kSucceeded) {
      check.detail = "the execution ended " +
                     std::string(engine::ExecutionStatusName(run.result.status)) + ": " +
                     run.result.error.value_or("") + ": " + run.result.cause.value_or("");
      check.fix = "make the trigger handle decision " + decision +
                  " (a dry run runs only the decision function, simulated, startExecution, "
                  "recorded, the retraining policy and DynamoDB tasks on an empty in-memory "
                  "history, alerts, recorded, and the approval gate, approved at once; any other "
                  "task fails)";
    } else if (decision == "YES" && run.started.empty()) {
      check.detail = "decision YES ended without starting a pipeline";
      check.fix = "make the trigger start the training pipeline (states:startExecution) on YES";
    } else if (decision == "NO" && !run.started.empty()) {
      check.detail = "decision NO starts " + run.started.front();
      check.fix = "make the trigger end without starting the pipeline on NO";
    } else {
      check.passed = true;
      check.detail =
          decision == "YES" ? "starts " + run.started.front() : "ends without starting anything";
      for (const std::string& arn : run.started) {
        if (known.count(arn)) continue;
        check.passed = false;
        check.detail += "; " + arn + " is not one of the project's state machines";
        check.fix = arn.find("PASTE_YOUR") != std::string::npos
                        ? "replace the placeholder with the pipeline's ARN"
                        : "add the pipeline to state_machines, or correct the ARN";
      }
    }
    report.checks.push_back(std::move(check));
  }
}

void CheckSchedules(const ProjectConfig& config, Clock& clock, ValidationReport& report) {
  for (const auto& [name, schedule] : config.schedules) {
    ValidationCheck check;
    check.name = "schedule (" + name + ")";
    Result<std::vector<TimePoint>> next = ScheduleSlots(schedule, clock.Now(), 3);
    if (!next.ok()) {
      check.detail = next.error().cause;
      check.fix = "correct the schedule's expression or time zone (docs/schedules.md)";
    } else if (!schedule.enabled) {
      check.passed = true;
      check.detail = schedule.expression + " is DISABLED: it never fires";
    } else if (next->empty()) {
      check.detail = schedule.expression + " (" + schedule.timezone + ") never fires again";
      check.fix = "check the expression, start_date and end_date";
    } else {
      check.passed = true;
      check.detail = schedule.expression + " (" + schedule.timezone + ") next:";
      for (TimePoint t : *next) check.detail += " " + FormatIso8601(t);
    }
    report.checks.push_back(std::move(check));
  }
}

}  // namespace

bool ValidationReport::passed() const {
  for (const ValidationCheck& check : checks) {
    if (!check.passed) return false;
  }
  return true;
}

json::Value ValidationReport::ToJson() const {
  json::Array list;
  for (const ValidationCheck& check : checks) {
    json::Object item{{"name", check.name}, {"passed", check.passed}, {"detail", check.detail}};
    if (!check.fix.empty()) item["fix"] = check.fix;
    list.push_back(std::move(item));
  }
  return json::Object{{"passed", passed()}, {"checks", std::move(list)}};
}

ValidationReport Validate(const ProjectConfig& config, integrations::ObjectStore& objects,
                          Clock& clock) {
  ValidationReport report;
  CheckDecisionFiles(config, objects, clock, report);
  auto compiled = CheckDefinitions(config, report);
  CheckTrigger(config, compiled, clock, report);
  CheckModelPipelines(config, report);
  CheckSchedules(config, clock, report);
  CheckAlertDestinations(config, aws::SystemEnvironment(), report);
  return report;
}

}  // namespace autoretrain::retrain
