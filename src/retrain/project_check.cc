// RunCheck: one run of the retraining trigger, with what it decided and what it started.
#include <mutex>

#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A task result carrying the decision function's answer: the lambda:invoke envelope
// ({"Payload": {"retraining_required": ...}}) or the function's result itself.
std::optional<std::string> DecisionIn(const json::Value& result) {
  const json::Value* v = &result;
  if (v->is_object() && v->as_object().contains("Payload")) v = &v->as_object().at("Payload");
  if (!v->is_object()) return std::nullopt;
  const json::Value* decision = v->as_object().if_contains("retraining_required");
  if (decision == nullptr || !decision->is_string()) return std::nullopt;
  return std::string(decision->as_string());
}

// Watches one execution's history for the decision and the branch taken after the first Choice
// state that follows it (the policy trigger has Choices before and after that one).
class CheckObserver final : public engine::Observer {
 public:
  explicit CheckObserver(std::string execution_arn) : execution_arn_(std::move(execution_arn)) {}

  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override {
    if (execution_arn != execution_arn_ || !event.details.is_object()) return;
    const json::Object& details = event.details.as_object();
    std::lock_guard<std::mutex> lock(mu_);
    if (event.type == "TaskSucceeded") {
      if (const json::Value* output = details.if_contains("output")) {
        // History carries the output as JSON text, as AWS does; accept an object as well.
        json::Value parsed = *output;
        if (output->is_string()) {
          Result<json::Value> text = json::Parse(output->as_string());
          parsed = text.ok() ? std::move(text).value() : json::Value(nullptr);
        }
        if (!decision_) decision_ = DecisionIn(parsed);
        if (!started_ && parsed.is_object()) {
          const json::Value* arn = parsed.as_object().if_contains("ExecutionArn");
          if (arn != nullptr && arn->is_string()) started_ = std::string(arn->as_string());
        }
      }
    } else if (event.type == "ChoiceStateExited") {
      after_choice_ = decision_.has_value() && !branch_.has_value();
    } else if (after_choice_ && EndsWith(event.type, "StateEntered")) {
      after_choice_ = false;
      const json::Value* name = details.if_contains("name");
      if (name != nullptr && name->is_string()) branch_ = std::string(name->as_string());
    }
  }

  std::optional<std::string> decision() const {
    std::lock_guard<std::mutex> lock(mu_);
    return decision_;
  }
  std::optional<std::string> branch() const {
    std::lock_guard<std::mutex> lock(mu_);
    return branch_;
  }
  // The first execution a task of the watched execution started (its ExecutionArn result).
  std::optional<std::string> started() const {
    std::lock_guard<std::mutex> lock(mu_);
    return started_;
  }

 private:
  const std::string execution_arn_;
  mutable std::mutex mu_;
  std::optional<std::string> decision_;
  std::optional<std::string> branch_;
  std::optional<std::string> started_;
  bool after_choice_ = false;
};

}  // namespace

bool CheckReport::succeeded() const {
  return trigger.status == engine::ExecutionStatus::kSucceeded &&
         (!pipeline || pipeline->status == engine::ExecutionStatus::kSucceeded);
}

json::Value CheckReport::ToJson() const {
  json::Object out;
  out["decision"] = decision ? json::Value(*decision) : json::Value(nullptr);
  out["branch"] = branch ? json::Value(*branch) : json::Value(nullptr);
  out["trigger"] = trigger.ToDescribeJson();
  out["pipeline"] = pipeline ? pipeline->ToDescribeJson() : json::Value(nullptr);
  return out;
}

Result<CheckReport> RunCheck(const ProjectConfig& config, integrations::WarningSink warn) {
  if (config.check_state_machine.empty()) {
    return Error{"InvalidProjectConfig",
                 std::string(kProjectConfigFile) +
                     ": check: missing; add \"check\": {\"state_machine\": NAME} naming the "
                     "trigger state machine"};
  }
  const std::string execution_name = NewExecutionName();
  CheckObserver observer(ExecutionArn(config.account, config.check_state_machine, execution_name));
  Result<std::unique_ptr<LocalRuntime>> runtime = LocalRuntime::ForProject(config, &observer, warn);
  if (!runtime.ok()) return runtime.take_error();
  LocalRuntime& rt = **runtime;
  Result<engine::ExecutionResult> trigger =
      rt.Run(rt.ArnOf(config.check_state_machine), config.check_input, execution_name);
  if (!trigger.ok()) return trigger.take_error();
  rt.WaitAll();
  Result<int64_t> purged = rt.PurgeExpired(config);
  if (!purged.ok() && warn) warn("old executions were not purged: " + purged.error().cause);

  CheckReport report;
  report.decision = observer.decision();
  report.branch = observer.branch();
  report.trigger = std::move(*trigger);
  // Read from the trigger's own history: executions resumed before it may have started others.
  if (std::optional<std::string> started = observer.started()) {
    report.pipeline = rt.executions().Find(*started);
  }
  return report;
}

}  // namespace autoretrain::retrain
