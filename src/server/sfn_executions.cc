// Step Functions execution operations: StartExecution, StartSyncExecution, StopExecution,
// DescribeExecution, ListExecutions, GetExecutionHistory, DescribeStateMachineForExecution.
#include "autoretrain/server/aws_shapes.h"
#include "autoretrain/server/step_functions_service.h"
#include "server/json_protocol.h"
#include "server/request_reader.h"
#include "server/sfn_common.h"
#include "server/sfn_versions.h"

namespace autoretrain::server {
namespace {

// The state machine `arn` as the store has it, refusing one being deleted.
Result<store::StateMachineRecord> ActiveStateMachine(store::Store& store, const std::string& arn) {
  Result<store::StateMachineRecord> record = store.GetStateMachine(arn);
  if (!record.ok()) return record;
  if (record->status == "DELETING") {
    return Error{"StateMachineDeleting", "State Machine is being deleted: '" + arn + "'"};
  }
  return record;
}

}  // namespace

Result<json::Value> StepFunctionsService::StartExecution(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  std::optional<std::string> name = reader.String("name", false, 1, kMaxNameLength);
  std::optional<std::string> text = reader.String("input", false, 0, kMaxInputLength);
  reader.String("traceHeader", false, 0, kMaxTraceHeaderLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  // A version or alias ARN runs that version's definition (sfn_versions.h).
  Result<QualifiedStateMachineArn> qualified = ParseQualifiedStateMachineArn(*arn);
  if (!qualified.ok()) return qualified.take_error();
  json::Value execution_input = json::Object{};
  if (text) {
    Result<json::Value> parsed = json::Parse(*text);
    if (!parsed.ok()) {
      return Error{"InvalidExecutionInput",
                   "Invalid State Machine Execution Input: '" + parsed.error().cause + "'"};
    }
    execution_input = std::move(*parsed);
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Result<store::StateMachineRecord> machine =
          ActiveStateMachine(**store, qualified->machine_arn);
      !machine.ok()) {
    return machine.take_error();
  }
  std::optional<StartTarget> target;
  std::string version_arn;
  std::string alias_arn;
  if (qualified->qualified()) {
    Result<StartTarget> resolved = ResolveStartTarget(**store, *qualified);
    if (!resolved.ok()) return resolved.take_error();
    target = std::move(*resolved);
    version_arn = StartedVersionArn(qualified->machine_arn, target->version);
    alias_arn = StartedAliasArn(qualified->machine_arn, target->version);
  }
  Result<integrations::ExecutionLauncher::Started> started =
      runtime_.executions().Start({.state_machine_arn = qualified->machine_arn,
                                   .input = std::move(execution_input),
                                   .name = name.value_or(""),
                                   .definition = target ? target->definition : nullptr,
                                   .definition_version = target ? target->revision : 0,
                                   .version_arn = version_arn,
                                   .alias_arn = alias_arn});
  if (!started.ok()) return started.take_error();
  if (target) {
    if (Status recorded = (*store)->RecordExecutionVersion(started->execution_arn, target->version);
        !recorded.ok()) {
      return recorded.take_error();
    }
  }
  return Ok(json::Object{{"executionArn", started->execution_arn},
                         {"startDate", DateJson(started->start_date, kDates)}});
}

Result<json::Value> StepFunctionsService::StartSyncExecution(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> qualified = ParseQualifiedStateMachineArn(*arn);
  if (!qualified.ok()) return qualified.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Result<store::StateMachineRecord> machine =
          ActiveStateMachine(**store, qualified->machine_arn);
      !machine.ok()) {
    return machine.take_error();
  }
  if (qualified->qualified()) {
    if (Result<StartTarget> resolved = ResolveStartTarget(**store, *qualified); !resolved.ok()) {
      return resolved.take_error();
    }
  }
  // As on AWS: synchronous executions exist for EXPRESS state machines only, and every state
  // machine autoretrain runs is STANDARD.
  return Error{"StateMachineTypeNotSupported",
               "StartSyncExecution runs EXPRESS state machines only, and '" + *arn +
                   "' is STANDARD: use StartExecution, then DescribeExecution until its status "
                   "is not RUNNING"};
}

Result<json::Value> StepFunctionsService::StopExecution(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("executionArn", true, 1, kMaxArnLength);
  std::optional<std::string> error = reader.String("error", false, 0, kMaxErrorLength);
  std::optional<std::string> cause = reader.String("cause", false, 0, kMaxCauseLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckExecutionArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  // The store records the stop at once (its stopDate is the answer); the service then ends the
  // execution in memory (at once when it waits, after its running task otherwise).
  Result<store::ExecutionRecord> stopped =
      (*store)->StopExecution(*arn, error, cause, clock_.Now());
  if (!stopped.ok()) return stopped.take_error();
  (void)runtime_.executions().Stop(*arn, error, cause);
  return Ok(
      json::Object{{"stopDate", DateJson(stopped->stop_date.value_or(clock_.Now()), kDates)}});
}

Result<json::Value> StepFunctionsService::DescribeExecution(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("executionArn", true, 1, kMaxArnLength);
  reader.Enum("includedData", false, {"ALL_DATA", "METADATA_ONLY"});
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckExecutionArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::ExecutionRecord> record = (*store)->DescribeExecution(*arn);
  if (!record.ok()) return record.take_error();
  json::Value out = DescribeExecutionJson(*record, kDates);
  if (Status version = AddExecutionVersion(**store, *record, out.as_object()); !version.ok()) {
    return version.take_error();
  }
  return out;
}

Result<json::Value> StepFunctionsService::ListExecutions(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", false, 1, kMaxArnLength);
  std::optional<std::string> status =
      reader.Enum("statusFilter", false,
                  {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"});
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, kMaxPageSize);
  std::optional<std::string> token =
      reader.String("nextToken", false, 1, kMaxListExecutionsTokenLength);
  reader.String("mapRunArn", false, 1, 2000);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (!arn) {
    return Error{kValidationException,
                 "Must provide a StateMachine ARN or MapRun ARN (autoretrain lists the "
                 "executions of a state machine: give stateMachineArn)"};
  }
  // A version or alias ARN lists the executions associated with it (sfn_versions.h).
  Result<QualifiedStateMachineArn> qualified = ParseQualifiedStateMachineArn(*arn);
  if (!qualified.ok()) return qualified.take_error();
  std::optional<engine::ExecutionStatus> filter;
  if (status) {
    if (*status == "PENDING_REDRIVE") {  // autoretrain does not redrive: none is pending
      return Ok(json::Object{{"executions", json::Array{}}});
    }
    for (engine::ExecutionStatus s :
         {engine::ExecutionStatus::kRunning, engine::ExecutionStatus::kSucceeded,
          engine::ExecutionStatus::kFailed, engine::ExecutionStatus::kTimedOut,
          engine::ExecutionStatus::kAborted}) {
      if (engine::ExecutionStatusName(s) == *status) filter = s;
    }
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  store::ExecutionVersionFilter started_with;
  if (qualified->qualified()) {
    Result<store::ExecutionVersionFilter> version = ListFilterOf(**store, *qualified);
    if (!version.ok()) return version.take_error();
    started_with = std::move(*version);
  }
  Result<store::Page<store::ExecutionRecord>> page = (*store)->ListExecutions(
      qualified->machine_arn, filter,
      {.max_results = static_cast<int>(max_results.value_or(0)), .next_token = token.value_or("")},
      started_with);
  if (!page.ok()) return page.take_error();
  json::Value out = ListExecutionsJson(*page, kDates);
  json::Array& items = out.as_object()["executions"].as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (Status version = AddExecutionVersion(**store, page->items[i], items[i].as_object());
        !version.ok()) {
      return version.take_error();
    }
  }
  return out;
}

Result<json::Value> StepFunctionsService::GetExecutionHistory(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("executionArn", true, 1, kMaxArnLength);
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, kMaxPageSize);
  std::optional<bool> reverse = reader.Boolean("reverseOrder");
  std::optional<std::string> token = reader.String("nextToken", false, 1, kMaxPageTokenLength);
  std::optional<bool> include_data = reader.Boolean("includeExecutionData");
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckExecutionArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::Page<engine::HistoryEvent>> page =
      (*store)->GetExecutionHistory(*arn, {.reverse_order = reverse.value_or(false),
                                           .max_results = static_cast<int>(max_results.value_or(0)),
                                           .next_token = token.value_or("")});
  if (!page.ok()) return page.take_error();
  return HistoryJson(*page, kDates, include_data.value_or(true));
}

Result<json::Value> StepFunctionsService::DescribeStateMachineForExecution(
    const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("executionArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckExecutionArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::ExecutionRecord> execution = (*store)->DescribeExecution(*arn);
  if (!execution.ok()) return execution.take_error();
  Result<store::StateMachineRecord> version = (*store)->GetStateMachineVersion(
      execution->state_machine_arn, execution->state_machine_version);
  if (!version.ok()) return version.take_error();
  json::Object out;
  out["stateMachineArn"] = version->arn;
  out["name"] = version->name;
  out["definition"] = version->definition;
  out["roleArn"] = version->role_arn;
  out["updateDate"] = DateJson(version->version_date, kDates);
  AddRevisionId(out, version->arn, version->version);
  out["loggingConfiguration"] = json::Object{{"level", "OFF"}, {"includeExecutionData", false}};
  out["tracingConfiguration"] = json::Object{{"enabled", false}};
  return Ok(std::move(out));
}

}  // namespace autoretrain::server
