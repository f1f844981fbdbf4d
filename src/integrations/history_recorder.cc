// HistoryRecorder: execution history into the store (history_recorder.h, both of them).
#include "autoretrain/integrations/history_recorder.h"

#include "autoretrain/common/arn.h"
#include "integrations/history_recorder.h"

namespace autoretrain::integrations {
namespace {

// details[key] when it is a string.
std::optional<std::string> DetailString(const engine::HistoryEvent& event, std::string_view key) {
  if (!event.details.is_object()) return std::nullopt;
  const json::Value* value = event.details.as_object().if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

}  // namespace

std::optional<ExecutionNames> SplitExecutionArn(std::string_view execution_arn) {
  std::optional<ParsedArn> arn = ParseArn(execution_arn);
  constexpr std::string_view kPrefix = "execution:";
  if (!arn || arn->service != "states" || !arn->resource.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = std::string_view(arn->resource).substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == rest.size()) {
    return std::nullopt;
  }
  AccountContext account{arn->partition, arn->region, arn->account};
  return ExecutionNames{StateMachineArn(account, rest.substr(0, colon)),
                        std::string(rest.substr(colon + 1))};
}

std::optional<store::ExecutionEnd> EndOf(std::string_view execution_arn,
                                         const engine::HistoryEvent& event) {
  using engine::ExecutionStatus;
  store::ExecutionEnd end;
  if (event.type == "ExecutionSucceeded") {
    end.status = ExecutionStatus::kSucceeded;
    end.output = DetailString(event, "output");
  } else if (event.type == "ExecutionFailed") {
    end.status = ExecutionStatus::kFailed;
  } else if (event.type == "ExecutionTimedOut") {
    end.status = ExecutionStatus::kTimedOut;
  } else if (event.type == "ExecutionAborted") {
    end.status = ExecutionStatus::kAborted;
  } else {
    return std::nullopt;
  }
  if (end.status != ExecutionStatus::kSucceeded) {
    end.error = DetailString(event, "error");
    end.cause = DetailString(event, "cause");
  }
  end.arn = std::string(execution_arn);
  end.stop_date = event.timestamp;
  return end;
}

std::string HistoryWarning(std::string_view database, const Error& error) {
  std::string message = "execution history is not saved in '";
  message += database;
  message += "': " + error.error + ": " + error.cause + " (executions still run)";
  return message;
}

HistoryRecorder::HistoryRecorder(store::Store& store, std::string database, WarningSink warn)
    : store_(store), database_(std::move(database)), warn_(std::move(warn)), committer_(store) {}

HistoryRecorder::~HistoryRecorder() { committer_.Flush(); }

void HistoryRecorder::Fail(const Error& error) {
  if (failed_.exchange(true)) return;
  if (warn_) warn_(HistoryWarning(database_, error));
}

int64_t HistoryRecorder::VersionOf(const std::string& state_machine_arn) const {
  std::lock_guard lock(mu_);
  auto it = versions_.find(state_machine_arn);
  return it == versions_.end() ? 1 : it->second;
}

void HistoryRecorder::RegisterStateMachine(const std::string& arn, const std::string& name,
                                           const std::string& definition, TimePoint now) {
  if (failed()) return;
  Result<store::StateMachineRecord> record = store_.GetStateMachine(arn);
  if (!record.ok() && record.error().error == "StateMachineDoesNotExist") {
    store::NewStateMachine machine;
    machine.arn = arn;
    machine.name = name;
    machine.definition = definition;
    machine.creation_date = now;
    record = store_.CreateStateMachine(machine);
  } else if (record.ok() && record->definition != definition) {
    record = store_.UpdateStateMachine(arn, definition, "", now);
  }
  if (!record.ok()) return Fail(record.error());
  std::lock_guard lock(mu_);
  versions_[arn] = record->version;
}

void HistoryRecorder::OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) {
  if (failed()) return;
  store::WriteBatch batch;
  if (event.type == "ExecutionStarted") {
    std::optional<ExecutionNames> names = SplitExecutionArn(execution_arn);
    if (!names) {
      return Fail(
          Error{"InvalidArn", "not an execution ARN: '" + std::string(execution_arn) + "'"});
    }
    batch.StartExecution(
        store::NewExecution{.arn = std::string(execution_arn),
                            .state_machine_arn = names->state_machine_arn,
                            .state_machine_version = VersionOf(names->state_machine_arn),
                            .name = std::move(names->name),
                            .input = DetailString(event, "input").value_or("{}"),
                            .start_date = event.timestamp},
        {event});
  } else if (std::optional<store::ExecutionEnd> end = EndOf(execution_arn, event)) {
    batch.FinishExecution(std::move(*end), {event});
  } else {
    batch.RecordStep(std::string(execution_arn), {event}, std::nullopt);
  }
  committer_.Submit(std::move(batch), [this](const Status& status) {
    if (!status.ok()) Fail(status.error());
  });
}

void HistoryRecorder::Flush() { committer_.Flush(); }

}  // namespace autoretrain::integrations
