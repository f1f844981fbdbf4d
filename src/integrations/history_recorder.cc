// HistoryRecorder: execution history into the store (history_recorder.h, both of them).
#include "autoretrain/integrations/history_recorder.h"

#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "autoretrain/common/arn.h"
#include "integrations/checkpoint_codec.h"
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

HistoryRecorder::HistoryRecorder(store::Store& store, std::string database, WarningSink warn,
                                 FailurePolicy policy)
    : store_(store),
      database_(std::move(database)),
      warn_(std::move(warn)),
      policy_(policy),
      committer_(store) {}

HistoryRecorder::~HistoryRecorder() { committer_.Flush(); }

void HistoryRecorder::Fail(const Error& error) {
  std::atomic<bool>& flag = policy_ == FailurePolicy::kStopRecording ? failed_ : failing_;
  if (flag.exchange(true)) return;
  if (!warn_) return;
  if (policy_ == FailurePolicy::kStopRecording) return warn_(HistoryWarning(database_, error));
  warn_("execution history cannot be saved in '" + database_ + "': " + error.error + ": " +
        error.cause + " (new executions are refused until it can; running ones go on)");
}

void HistoryRecorder::Succeeded() {
  if (!failing_.load(std::memory_order_relaxed) || !failing_.exchange(false)) return;
  if (warn_) warn_("execution history is saved in '" + database_ + "' again");
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
  Succeeded();
  std::lock_guard lock(mu_);
  versions_[arn] = record->version;
}

bool HistoryRecorder::AddStart(store::WriteBatch& batch, std::string_view execution_arn,
                               const engine::HistoryEvent& started, int64_t version) {
  std::optional<ExecutionNames> names = SplitExecutionArn(execution_arn);
  if (!names) {
    Fail(Error{"InvalidArn", "not an execution ARN: '" + std::string(execution_arn) + "'"});
    return false;
  }
  batch.StartExecution(
      store::NewExecution{
          .arn = std::string(execution_arn),
          .state_machine_arn = names->state_machine_arn,
          .state_machine_version = version != 0 ? version : VersionOf(names->state_machine_arn),
          .name = std::move(names->name),
          .input = DetailString(started, "input").value_or("{}"),
          .start_date = started.timestamp},
      {started});
  return true;
}

std::vector<engine::HistoryEvent> HistoryRecorder::TakePending(std::string_view execution_arn,
                                                               bool last) {
  std::lock_guard lock(mu_);
  auto it = pending_.find(execution_arn);
  if (it == pending_.end()) return {};
  std::vector<engine::HistoryEvent> events = std::move(it->second);
  if (last) {
    pending_.erase(it);
  } else {
    it->second.clear();
  }
  return events;
}

namespace {
// True when the held events begin with an ExecutionStarted not yet written.
bool IsStart(const std::vector<engine::HistoryEvent>& events) {
  return !events.empty() && events.front().type == "ExecutionStarted";
}
}  // namespace

void HistoryRecorder::OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) {
  if (failed()) return;
  std::optional<store::ExecutionEnd> end = EndOf(execution_arn, event);
  if (!end) {
    std::lock_guard lock(mu_);
    auto it = pending_.find(execution_arn);
    if (it == pending_.end())
      it = pending_.emplace(std::string(execution_arn), std::vector<engine::HistoryEvent>{}).first;
    it->second.push_back(event);
    return;
  }
  std::vector<engine::HistoryEvent> events = TakePending(execution_arn, /*last=*/true);
  store::WriteBatch batch;
  if (IsStart(events)) {
    if (!AddStart(batch, execution_arn, events.front())) return;
    events.erase(events.begin());
  }
  events.push_back(event);
  batch.FinishExecution(std::move(*end), std::move(events));
  RetryHeldEnds();
  SubmitEnd(std::move(batch));
}

void HistoryRecorder::SubmitEnd(store::WriteBatch batch) {
  committer_.Submit(std::move(batch), [this](const Status& status, store::WriteBatch& written) {
    // A stopped execution's own end is refused: the stop already ended it.
    if (status.ok()) return Succeeded();
    if (status.error().error == "ExecutionNotRunning") return;
    Fail(status.error());
    HoldEnd(status, written);
  });
}

void HistoryRecorder::HoldEnd(const Status& status, store::WriteBatch& batch) {
  if (policy_ != FailurePolicy::kRefuseStarts ||
      !store::IsTransientStoreError(status.error().error)) {
    return;
  }
  std::lock_guard lock(mu_);
  held_ends_.push_back(std::move(batch));
}

void HistoryRecorder::RetryHeldEnds() {
  std::vector<store::WriteBatch> ends;
  {
    std::lock_guard lock(mu_);
    if (held_ends_.empty()) return;
    ends.swap(held_ends_);
  }
  for (store::WriteBatch& end : ends) SubmitEnd(std::move(end));
}

bool HistoryRecorder::OnCheckpoint(std::string_view execution_arn,
                                   const engine::ResumePoint& point) {
  if (failed()) return true;
  std::vector<engine::HistoryEvent> events = TakePending(execution_arn, /*last=*/false);
  store::WriteBatch batch;
  if (IsStart(events)) {
    if (!AddStart(batch, execution_arn, events.front())) return true;
    events.erase(events.begin());
  }
  batch.RecordStep(std::string(execution_arn), std::move(events), EncodeCheckpoint(point));
  RetryHeldEnds();
  store::WriteBatch unwritten;
  Status status = committer_.Write(std::move(batch), &unwritten);
  if (status.ok()) {
    Succeeded();
    return true;
  }
  const std::string& error = status.error().error;
  if (error == "ExecutionNotRunning" || error == "ExecutionDoesNotExist") return false;
  Fail(status.error());
  if (policy_ == FailurePolicy::kRefuseStarts) KeepStepEvents(execution_arn, unwritten);
  return true;
}

void HistoryRecorder::KeepStepEvents(std::string_view execution_arn, store::WriteBatch& batch) {
  // The events go back in front of the held ones, to be written with the next step: the
  // stored history then has no gap, only an older checkpoint.
  std::lock_guard lock(mu_);
  std::vector<engine::HistoryEvent>& held = pending_[std::string(execution_arn)];
  for (store::WriteBatch::Op& op : batch.TakeOps()) {
    auto* step = std::get_if<store::WriteBatch::Step>(&op);
    if (step == nullptr) continue;  // a start is only ever in a step's batch when it is new
    held.insert(held.begin(), std::make_move_iterator(step->events.begin()),
                std::make_move_iterator(step->events.end()));
  }
}

Status HistoryRecorder::CommitStart(std::string_view execution_arn, int64_t version) {
  if (failed()) return OkStatus();
  std::vector<engine::HistoryEvent> events;
  {
    std::lock_guard lock(mu_);
    auto it = pending_.find(execution_arn);
    if (it == pending_.end() || !IsStart(it->second)) return OkStatus();
    events.push_back(std::move(it->second.front()));
    it->second.erase(it->second.begin());
  }
  store::WriteBatch batch;
  if (!AddStart(batch, execution_arn, events.front(), version)) return OkStatus();
  RetryHeldEnds();
  Status status = committer_.Write(std::move(batch));
  if (status.ok()) {
    Succeeded();
    return status;
  }
  if (status.error().error == "ExecutionAlreadyExists") {
    TakePending(execution_arn, /*last=*/true);  // the execution will not run
    return status;
  }
  Fail(status.error());
  if (policy_ == FailurePolicy::kStopRecording) return OkStatus();
  TakePending(execution_arn, /*last=*/true);  // refused: the execution will not run
  return status;
}

void HistoryRecorder::Flush() {
  RetryHeldEnds();
  committer_.Flush();
}

}  // namespace autoretrain::integrations
