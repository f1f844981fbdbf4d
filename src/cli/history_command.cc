#include "cli/history_command.h"

#include <chrono>
#include <iostream>
#include <optional>
#include <set>

#include "autoretrain/retrain/policy.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/retraining_history.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "cli/project_tables.h"
#include "cli/table.h"

namespace autoretrain::cli {
namespace {

// Every model with an item in the ledger table (a Scan of the partition keys, all pages).
Result<std::vector<std::string>> ModelsIn(integrations::DynamoDb& db, const std::string& table) {
  std::set<std::string> models;
  json::Object request{{"TableName", table},
                       {"ProjectionExpression", "#m"},
                       {"ExpressionAttributeNames", json::Object{{"#m", "model"}}}};
  for (;;) {
    Result<json::Value> page = db.Call("Scan", request);
    if (!page.ok()) {
      return Error{page.error().error,
                   "reading the models of table \"" + table + "\": " + page.error().cause};
    }
    const json::Object& body = page->get_object();
    if (const json::Value* items = body.if_contains("Items"); items && items->is_array()) {
      for (const json::Value& item : items->get_array()) {
        const json::Value* model = item.get_object().if_contains("model");
        if (model != nullptr && model->is_object() && model->get_object().contains("S")) {
          models.insert(std::string(model->get_object().at("S").get_string()));
        }
      }
    }
    const json::Value* next = body.if_contains("LastEvaluatedKey");
    if (next == nullptr) break;
    request["ExclusiveStartKey"] = *next;
  }
  return std::vector<std::string>(models.begin(), models.end());
}

// How long the retraining's pipeline ran, once it has ended.
std::optional<std::chrono::milliseconds> Duration(const retrain::RetrainingRecord& r) {
  if (!r.started_at || !r.finished_at || *r.finished_at < *r.started_at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*r.finished_at - *r.started_at);
}

// `text`, recorded with States.JsonToString, as the JSON it holds (as a string if it is not).
json::Value RecordedJson(const std::string& text) {
  Result<json::Value> value = json::Parse(text);
  return value.ok() ? std::move(value).value() : json::Value(text);
}

json::Value RecordJson(const retrain::RetrainingRecord& r) {
  json::Object out{{"model", r.model},
                   {"evaluated_at", FormatIso8601(r.evaluated_at)},
                   {"evaluation_id", r.evaluation_id},
                   {"decision", r.decision},
                   {"stale", r.stale},
                   {"verdict", retrain::VerdictName(r.verdict.verdict)},
                   {"summary", r.verdict.summary}};
  if (r.fields.severity) out["severity"] = *r.fields.severity;
  if (r.fields.drift_score) out["drift_score"] = *r.fields.drift_score;
  if (r.version) out["version"] = *r.version;
  if (r.status) out["status"] = retrain::StatusName(*r.status);
  if (r.started_at) out["started_at"] = FormatIso8601(*r.started_at);
  if (r.finished_at) out["finished_at"] = FormatIso8601(*r.finished_at);
  if (std::optional<std::chrono::milliseconds> d = Duration(r)) {
    out["duration_seconds"] = static_cast<double>(d->count()) / 1000;
  }
  if (!r.execution_arn.empty()) out["execution_arn"] = r.execution_arn;
  if (!r.pipeline_output.empty()) out["pipeline_output"] = RecordedJson(r.pipeline_output);
  if (!r.alert.empty()) out["alert"] = RecordedJson(r.alert);
  if (!r.sns_alert.empty()) out["sns_alert"] = RecordedJson(r.sns_alert);
  json::Array reasons;
  for (const retrain::RuleResult& reason : r.verdict.reasons) {
    reasons.push_back(json::Object{{"rule", reason.rule},
                                   {"outcome", retrain::OutcomeName(reason.outcome)},
                                   {"message", reason.message}});
  }
  out["reasons"] = std::move(reasons);
  return out;
}

void PrintTable(const std::vector<retrain::RetrainingRecord>& records) {
  Table table({"MODEL", "EVALUATED", "DECISION", "SEVERITY", "VERDICT", "VERSION", "STATUS",
               "DURATION", "SUMMARY"});
  for (const retrain::RetrainingRecord& r : records) {
    table.AddRow({r.model, FormatIso8601(r.evaluated_at), r.decision + (r.stale ? " (stale)" : ""),
                  r.fields.severity.value_or("-"),
                  std::string(retrain::VerdictName(r.verdict.verdict)),
                  r.version ? std::to_string(*r.version) : "-",
                  r.status ? std::string(retrain::StatusName(*r.status)) : "-",
                  Duration(r) ? retrain::FormatDuration(*Duration(r)) : "-", r.verdict.summary});
  }
  table.Print(std::cout);
}

Result<std::vector<retrain::RetrainingRecord>> ReadRecords(const HistoryOptions& options,
                                                           const retrain::ProjectConfig& config) {
  Result<std::unique_ptr<ProjectTables>> tables = OpenProjectTables(config);
  if (!tables.ok()) return tables.take_error();
  integrations::DynamoDb& db = *(*tables)->db;
  const std::string& table = config.retraining.history_table;
  std::vector<std::string> models{options.model};
  if (options.model.empty()) {
    Result<std::vector<std::string>> found = ModelsIn(db, table);
    if (!found.ok()) return found.take_error();
    models = std::move(found).value();
  }
  const TimePoint since = (*tables)->clock.Now() - std::chrono::hours(24) * options.days;
  std::vector<retrain::RetrainingRecord> out;
  for (const std::string& model : models) {
    Result<std::vector<retrain::RetrainingRecord>> history =
        retrain::ReadHistory(db, table, model, since);
    if (!history.ok()) return history.take_error();
    if (history->size() > static_cast<size_t>(options.limit)) history->resize(options.limit);
    for (retrain::RetrainingRecord& r : *history) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

CLI::App* AddHistoryCommand(CLI::App& app, HistoryOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "history",
      "Show the retraining history: every decision evaluated by evaluate_retraining_policy "
      "(retrain or not, with the policy's verdict and why) and the retraining it started "
      "(version, status, duration, what the pipeline returned), latest first per model, from "
      "the project's table store or DynamoDB as integrations.dynamodb chooses.");
  cmd->add_option("MODEL", options->model, "Only this model (default: every model in the table)");
  AddProjectOption(cmd, &options->project);
  cmd->add_option("--days", options->days,
                  "Only decisions evaluated within the last N days (default 30)")
      ->check(CLI::Range(1, 36500))
      ->type_name("N");
  cmd->add_option("--limit", options->limit, "At most N records per model (default 20)")
      ->check(CLI::Range(1, 10000))
      ->type_name("N");
  cmd->add_flag("--json", options->json,
                "Print {\"records\": [...]}, each record with its reasons, instead of a table");
  cmd->footer(
      "Exit status: 0 printed (an empty history too), 1 the history could not be read (its "
      "store or DynamoDB failed, or an item is corrupt), 2 invalid arguments or project.");
  return cmd;
}

int HistoryCommand(const HistoryOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<std::vector<retrain::RetrainingRecord>> records = ReadRecords(options, *config);
  if (!records.ok()) {
    PrintError(records.error(), /*with_name=*/true);
    return TablesExitCode(records.error());
  }
  if (options.json) {
    json::Array list;
    for (const retrain::RetrainingRecord& r : *records) list.push_back(RecordJson(r));
    PrintJson(json::Object{{"records", std::move(list)}}, /*pretty=*/true);
  } else if (records->empty()) {
    std::cout << "No retraining history"
              << (options.model.empty() ? "" : " for model " + options.model) << " in the last "
              << options.days << " days.\n";
  } else {
    PrintTable(*records);
  }
  return kExitOk;
}

}  // namespace autoretrain::cli
