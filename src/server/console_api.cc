// ConsoleService's JSON endpoints (console_service.h): what each console page shows, read
// from the Step Functions service, the project's configuration and the retraining history.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>

#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/retrain/retraining_history.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/server/task_answers.h"
#include "server/console_service.h"

namespace autoretrain::server {
namespace {

// How many executions the list shows at most, and asks each state machine for.
constexpr int64_t kMaxListedExecutions = 500;
constexpr int64_t kExecutionsPerMachine = 200;
// History events the detail page reads at most.
constexpr size_t kMaxDetailEvents = 20000;
// Next fire times and last executions shown per schedule.
constexpr int kNextFireTimes = 5;
constexpr size_t kLastExecutions = 5;
// Retraining records drawn per model (the latest), and how far back they are read.
constexpr size_t kMaxTimelineRecords = 500;
constexpr std::chrono::hours kTimelineSpan{24 * 366};

std::string StringField(const json::Object& object, std::string_view key) {
  const json::Value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

double NumberField(const json::Value& object, std::string_view key) {
  const json::Value* value = object.is_object() ? object.as_object().if_contains(key) : nullptr;
  if (value == nullptr) return 0;
  if (value->is_double()) return value->as_double();
  if (value->is_int64()) return static_cast<double>(value->as_int64());
  return 0;
}

// An API date (epoch seconds) of `execution`; nullopt when absent.
std::optional<TimePoint> DateField(const json::Value& execution, std::string_view key) {
  const double seconds = NumberField(execution, key);
  if (seconds <= 0) return std::nullopt;
  return TimePoint(std::chrono::milliseconds(std::llround(seconds * 1000)));
}

json::Value Optional(const std::optional<TimePoint>& t) {
  return t ? json::Value(FormatIso8601(*t)) : json::Value(nullptr);
}

json::Object RecordJson(const retrain::RetrainingRecord& record) {
  json::Object out;
  out["evaluatedAt"] = FormatIso8601(record.evaluated_at);
  out["evaluationId"] = record.evaluation_id;
  out["decision"] = record.decision;
  out["severity"] =
      record.fields.severity ? json::Value(*record.fields.severity) : json::Value(nullptr);
  out["driftScore"] =
      record.fields.drift_score ? json::Value(*record.fields.drift_score) : json::Value(nullptr);
  out["stale"] = record.stale;
  out["verdict"] = retrain::VerdictName(record.verdict.verdict);
  out["summary"] = record.verdict.summary;
  json::Array reasons;
  for (const retrain::RuleResult& rule : record.verdict.reasons) {
    reasons.push_back(json::Object{{"rule", rule.rule},
                                   {"outcome", retrain::OutcomeName(rule.outcome)},
                                   {"message", rule.message}});
  }
  out["reasons"] = std::move(reasons);
  out["version"] = record.version ? json::Value(*record.version) : json::Value(nullptr);
  out["status"] =
      record.status ? json::Value(retrain::StatusName(*record.status)) : json::Value(nullptr);
  out["startedAt"] = Optional(record.started_at);
  out["finishedAt"] = Optional(record.finished_at);
  out["durationSeconds"] =
      record.started_at && record.finished_at
          ? json::Value(
                std::chrono::duration<double>(*record.finished_at - *record.started_at).count())
          : json::Value(nullptr);
  out["executionArn"] = record.execution_arn;
  return out;
}

}  // namespace

Result<json::Value> ConsoleService::Sfn(const std::string& operation, const json::Object& input) {
  if (!sources_.step_functions) {
    return Error{"ConsoleUnavailable", "the console has no Step Functions service to read from"};
  }
  return sources_.step_functions(operation, input);
}

Result<json::Value> ConsoleService::StateMachines() {
  json::Array machines;
  std::string next;
  do {
    json::Object input{{"maxResults", 1000}};
    if (!next.empty()) input["nextToken"] = next;
    Result<json::Value> page = Sfn("ListStateMachines", input);
    if (!page.ok()) return page.take_error();
    for (const json::Value& machine : page->at("stateMachines").as_array()) {
      machines.push_back(machine);
    }
    next = StringField(page->as_object(), "nextToken");
  } while (!next.empty());
  return json::Value(json::Object{{"stateMachines", std::move(machines)}});
}

Result<json::Value> ConsoleService::StateMachine(const Query& query) {
  auto arn = query.find("arn");
  if (arn == query.end() || arn->second.empty()) {
    return Error{"InvalidRequest", "give the state machine's ARN: state-machine?arn=ARN"};
  }
  return Sfn("DescribeStateMachine", json::Object{{"stateMachineArn", arn->second}});
}

Result<json::Value> ConsoleService::Executions(const Query& query) {
  std::vector<std::string> arns;
  if (auto machine = query.find("stateMachineArn");
      machine != query.end() && !machine->second.empty()) {
    arns.push_back(machine->second);
  } else {
    Result<json::Value> machines = StateMachines();
    if (!machines.ok()) return machines.take_error();
    for (const json::Value& machine : machines->at("stateMachines").as_array()) {
      arns.emplace_back(machine.at("stateMachineArn").as_string());
    }
  }
  std::string status;
  if (auto it = query.find("status"); it != query.end()) status = it->second;
  std::string name;
  if (auto it = query.find("name"); it != query.end()) name = it->second;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<json::Value> found;
  for (const std::string& arn : arns) {
    json::Object input{{"stateMachineArn", arn}, {"maxResults", kExecutionsPerMachine}};
    if (!status.empty()) input["statusFilter"] = status;
    Result<json::Value> page = Sfn("ListExecutions", input);
    if (!page.ok()) return page.take_error();
    for (const json::Value& execution : page->at("executions").as_array()) {
      std::string execution_name(execution.at("name").as_string());
      std::transform(execution_name.begin(), execution_name.end(), execution_name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!name.empty() && execution_name.find(name) == std::string::npos) continue;
      found.push_back(execution);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const json::Value& a, const json::Value& b) {
    return NumberField(a, "startDate") > NumberField(b, "startDate");
  });
  const bool truncated = found.size() > static_cast<size_t>(kMaxListedExecutions);
  if (truncated) found.resize(kMaxListedExecutions);
  json::Array executions(found.begin(), found.end());
  return json::Value(json::Object{{"executions", std::move(executions)}, {"truncated", truncated}});
}

Result<json::Value> ConsoleService::ExecutionDetail(const Query& query) {
  auto arn = query.find("arn");
  if (arn == query.end() || arn->second.empty()) {
    return Error{"InvalidRequest", "give the execution's ARN: execution?arn=ARN"};
  }
  const json::Object by_arn{{"executionArn", arn->second}};
  Result<json::Value> execution = Sfn("DescribeExecution", by_arn);
  if (!execution.ok()) return execution.take_error();
  Result<json::Value> machine = Sfn("DescribeStateMachineForExecution", by_arn);
  if (!machine.ok()) return machine.take_error();
  json::Array events;
  std::string next;
  bool truncated = false;
  do {
    json::Object input{{"executionArn", arn->second}, {"maxResults", 1000}};
    if (!next.empty()) input["nextToken"] = next;
    Result<json::Value> page = Sfn("GetExecutionHistory", input);
    if (!page.ok()) return page.take_error();
    for (const json::Value& event : page->at("events").as_array()) events.push_back(event);
    next = StringField(page->as_object(), "nextToken");
    truncated = !next.empty() && events.size() >= kMaxDetailEvents;
  } while (!next.empty() && !truncated);
  return json::Value(json::Object{{"execution", std::move(*execution)},
                                  {"stateMachine", std::move(*machine)},
                                  {"events", std::move(events)},
                                  {"eventsTruncated", truncated}});
}

Result<json::Value> ConsoleService::Schedules() {
  json::Array schedules;
  if (sources_.project == nullptr)
    return json::Value(json::Object{{"schedules", std::move(schedules)}});
  const TimePoint now = clock_.Now();
  for (const auto& [name, config] : sources_.project->schedules) {
    json::Object schedule{{"name", name},
                          {"expression", config.expression},
                          {"timezone", config.timezone},
                          {"stateMachine", config.state_machine},
                          {"enabled", config.enabled}};
    const std::string arn = sources_.arn_of ? sources_.arn_of(config.state_machine) : "";
    schedule["stateMachineArn"] = arn;
    json::Array next;
    if (config.enabled) {
      Result<std::vector<TimePoint>> slots = retrain::ScheduleSlots(config, now, kNextFireTimes);
      if (!slots.ok()) {
        schedule["nextError"] = slots.error().cause;
      } else {
        for (TimePoint slot : *slots) next.push_back(json::Value(FormatIso8601(slot)));
      }
    }
    schedule["next"] = std::move(next);
    // The executions its slots started are named "<schedule>-<slot>" (ExecutionName).
    json::Array last;
    if (!arn.empty()) {
      Result<json::Value> page =
          Sfn("ListExecutions",
              json::Object{{"stateMachineArn", arn}, {"maxResults", kExecutionsPerMachine}});
      if (page.ok()) {
        for (const json::Value& execution : page->at("executions").as_array()) {
          if (!std::string_view(execution.at("name").as_string()).starts_with(name + "-")) continue;
          last.push_back(execution);
          if (last.size() == kLastExecutions) break;
        }
      } else {
        schedule["lastError"] = page.error().cause;
      }
    }
    schedule["last"] = std::move(last);
    schedules.push_back(std::move(schedule));
  }
  return json::Value(json::Object{{"schedules", std::move(schedules)}});
}

Result<json::Value> ConsoleService::Retraining() {
  json::Array models;
  if (sources_.project == nullptr) return json::Value(json::Object{{"models", std::move(models)}});
  const std::string& table = sources_.project->retraining.history_table;
  const TimePoint now = clock_.Now();
  for (const auto& [model, model_config] : sources_.project->retraining.models) {
    json::Object entry{{"model", model},
                       {"approvalRequired", model_config.policy.approval.required},
                       {"records", json::Array()},
                       {"pending", nullptr}};
    if (sources_.dynamodb == nullptr) {
      entry["error"] = "the project has no retraining history table to read";
      models.push_back(std::move(entry));
      continue;
    }
    Result<std::vector<retrain::RetrainingRecord>> records = retrain::ReadHistory(
        *sources_.dynamodb, table, model,
        now - std::chrono::duration_cast<std::chrono::milliseconds>(kTimelineSpan));
    if (!records.ok()) {
      entry["error"] = records.error().error + ": " + records.error().cause;
    } else {
      json::Array drawn;
      for (retrain::RetrainingRecord& record : *records) {
        if (drawn.size() == kMaxTimelineRecords) break;
        AddPipelineTimes(record);
        drawn.push_back(RecordJson(record));
      }
      entry["records"] = std::move(drawn);  // latest first
    }
    Result<retrain::PendingApproval> pending =
        retrain::FindPendingApproval(*sources_.dynamodb, table, model, now);
    if (pending.ok()) {
      entry["pending"] = json::Object{{"evaluationId", pending->evaluation_id},
                                      {"sk", pending->sk},
                                      {"summary", pending->summary}};
    } else if (pending.error().error != "NoPendingApproval") {
      entry["pendingError"] = pending.error().error + ": " + pending.error().cause;
    }
    models.push_back(std::move(entry));
  }
  return json::Value(json::Object{{"models", std::move(models)}});
}

void ConsoleService::AddPipelineTimes(retrain::RetrainingRecord& record) {
  if (record.started_at || record.execution_arn.empty()) return;
  Result<json::Value> execution =
      Sfn("DescribeExecution", json::Object{{"executionArn", record.execution_arn}});
  if (!execution.ok()) return;  // purged, or run elsewhere: no duration to show
  record.started_at = DateField(*execution, "startDate");
  if (!record.finished_at) record.finished_at = DateField(*execution, "stopDate");
}

Result<json::Value> ConsoleService::Stop(const json::Object& body) {
  const std::string arn = StringField(body, "executionArn");
  if (arn.empty()) {
    return Error{"InvalidRequest", "stop takes {\"executionArn\": ARN} naming the execution"};
  }
  return Sfn("StopExecution", json::Object{{"executionArn", arn},
                                           {"error", "Console.Stopped"},
                                           {"cause", "stopped from the web console"}});
}

Result<json::Value> ConsoleService::Answer(const json::Object& body, bool approve,
                                           const std::string& by) {
  const std::string model = StringField(body, "model");
  if (model.empty()) {
    return Error{"InvalidRequest", std::string(approve ? "approve" : "reject") +
                                       " takes {\"model\": NAME, \"evaluationId\": ID, "
                                       "\"reason\": TEXT} (evaluationId and reason optional)"};
  }
  if (sources_.dynamodb == nullptr || sources_.store == nullptr || sources_.project == nullptr) {
    return Error{"ConsoleUnavailable",
                 "this server has no retraining history or store: approvals cannot be answered"};
  }
  const std::string& table = sources_.project->retraining.history_table;
  Result<retrain::PendingApproval> pending =
      retrain::FindPendingApproval(*sources_.dynamodb, table, model, clock_.Now());
  if (!pending.ok()) return pending.take_error();
  const std::string expected = StringField(body, "evaluationId");
  if (!expected.empty() && expected != pending->evaluation_id) {
    return Error{"InvalidRequest", "the retraining of " + model + " waiting for approval is now " +
                                       pending->evaluation_id + ", not " + expected +
                                       ": reload the page and answer again"};
  }
  const std::string reason = StringField(body, "reason");
  const json::Value answer = json::Object{{"approved", approve}, {"by", by}, {"reason", reason}};
  if (Status sent =
          SendTaskSuccess(*sources_.store, pending->token, json::Serialize(answer), clock_.Now());
      !sent.ok()) {
    return sent.take_error();
  }
  json::Object out{{"model", model},
                   {"evaluationId", pending->evaluation_id},
                   {"answer", approve ? "APPROVED" : "REJECTED"}};
  // The execution has its answer; the history notes who gave it (failing that only warns).
  if (Status noted =
          retrain::RecordApprovalAnswer(*sources_.dynamodb, table, *pending, approve, by, reason);
      !noted.ok()) {
    out["warning"] = "the answer was delivered, but recording it in table \"" + table +
                     "\" failed: " + noted.error().error + ": " + noted.error().cause;
  }
  return json::Value(std::move(out));
}

}  // namespace autoretrain::server
