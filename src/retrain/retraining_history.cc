// The retraining history ledger's items and queries (include/autoretrain/retrain/
// retraining_history.h, docs/retraining-policy.md#the-ledger).
#include "autoretrain/retrain/retraining_history.h"

#include <charconv>
#include <cmath>
#include <string>

namespace autoretrain::retrain {
namespace {

json::Value S(std::string_view s) { return json::Object{{"S", s}}; }
json::Value N(int64_t n) { return json::Object{{"N", std::to_string(n)}}; }
json::Value N(double d) { return json::Object{{"N", json::Serialize(json::Value(d))}}; }
json::Value Bool(bool b) { return json::Object{{"BOOL", b}}; }
json::Value Time(TimePoint t) { return S(FormatIso8601(t)); }

// Reads the attributes of one item, remembering the first problem.
class ItemReader {
 public:
  explicit ItemReader(const json::Object& item) : item_(item) {}

  // The typed value of `name` of type `type` ("S", "N", ...): null when absent (and recorded
  // as a problem when `required`) or of another type (recorded).
  const json::Value* Typed(std::string_view name, std::string_view type, bool required) {
    const json::Value* attr = item_.if_contains(name);
    if (attr == nullptr) {
      if (required) Fail(name, "is missing");
      return nullptr;
    }
    const json::Value* inner = attr->is_object() && attr->get_object().size() == 1
                                   ? attr->get_object().if_contains(type)
                                   : nullptr;
    if (inner == nullptr) {
      Fail(name, "is not a {\"" + std::string(type) + "\": ...} attribute value, got " +
                     json::Serialize(*attr).substr(0, 80));
    }
    return inner;
  }

  std::optional<std::string> String(std::string_view name, bool required = false) {
    const json::Value* v = Typed(name, "S", required);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) return Fail(name, "is not a string"), std::nullopt;
    return std::string(v->get_string());
  }

  std::optional<int64_t> Integer(std::string_view name, bool required = false) {
    const json::Value* v = Typed(name, "N", required);
    if (v == nullptr) return std::nullopt;
    int64_t n = 0;
    if (v->is_string()) {
      std::string_view text = v->get_string();
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) return n;
    }
    Fail(name, "is not an integer number, got " + json::Serialize(*v).substr(0, 40));
    return std::nullopt;
  }

  std::optional<double> Number(std::string_view name) {
    const json::Value* v = Typed(name, "N", false);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) {
      std::string_view text = v->get_string();
      double d = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(d)) return d;
    }
    Fail(name, "is not a finite number, got " + json::Serialize(*v).substr(0, 40));
    return std::nullopt;
  }

  std::optional<bool> Boolean(std::string_view name) {
    const json::Value* v = Typed(name, "BOOL", false);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) return Fail(name, "is not a boolean"), std::nullopt;
    return v->get_bool();
  }

  std::optional<TimePoint> Time(std::string_view name, bool required = false) {
    std::optional<std::string> text = String(name, required);
    if (!text) return std::nullopt;
    TimePoint t;
    if (!ParseIso8601(*text, &t)) {
      Fail(name, "is not an ISO 8601 time, got \"" + text->substr(0, 40) + "\"");
      return std::nullopt;
    }
    return t;
  }

  const json::Array* List(std::string_view name) {
    const json::Value* v = Typed(name, "L", false);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) return Fail(name, "is not a list"), nullptr;
    return &v->get_array();
  }

  template <class E>
  std::optional<E> Named(std::string_view name, std::optional<E> (*parse)(std::string_view),
                         std::string_view expected, bool required = false) {
    std::optional<std::string> text = String(name, required);
    if (!text) return std::nullopt;
    if (std::optional<E> value = parse(*text)) return value;
    Fail(name, "is \"" + text->substr(0, 40) + "\", expected " + std::string(expected));
    return std::nullopt;
  }

  void Fail(std::string_view name, const std::string& what) {
    if (problem_.empty()) problem_ = "attribute \"" + std::string(name) + "\" " + what;
  }
  const std::string& problem() const { return problem_; }

 private:
  const json::Object& item_;
  std::string problem_;
};

std::string KeyOf(const json::Object& item) {
  std::string key;
  for (std::string_view name : {kModelAttribute, kSortKeyAttribute}) {
    const json::Value* attr = item.if_contains(name);
    const json::Value* s =
        attr != nullptr && attr->is_object() ? attr->get_object().if_contains("S") : nullptr;
    key += std::string(key.empty() ? "" : ", ") + std::string(name) + " " +
           (s != nullptr && s->is_string() ? json::Serialize(*s).substr(0, 120) : "?");
  }
  return key;
}

void ReadReasons(ItemReader& reader, PolicyVerdict* verdict) {
  const json::Array* list = reader.List("reasons");
  if (list == nullptr) return;
  for (const json::Value& entry : *list) {
    const json::Value* map = entry.is_object() ? entry.get_object().if_contains("M") : nullptr;
    if (map == nullptr || !map->is_object()) {
      reader.Fail("reasons", "has an entry that is not a {\"M\": ...} map");
      return;
    }
    ItemReader inner(map->get_object());
    RuleResult rule;
    rule.rule = inner.String("rule", true).value_or("");
    rule.outcome = inner.Named<Outcome>("outcome", ParseOutcome, "an outcome such as PASS", true)
                       .value_or(Outcome::kPass);
    rule.message = inner.String("message", true).value_or("");
    if (!inner.problem().empty()) {
      reader.Fail("reasons", "has an entry whose " + inner.problem());
      return;
    }
    verdict->reasons.push_back(std::move(rule));
  }
}

// The ExecutionArn in the Cause of a caught error `failure` ({"Error", "Cause"} as JSON text):
// a failed startExecution.sync's Cause is the child's DescribeExecution. "" when there is none
// (the pipeline could not start, or the failure is not of that shape).
std::string FailedPipelineArn(std::string_view failure) {
  Result<json::Value> error = json::Parse(failure);
  if (!error.ok() || !error->is_object()) return "";
  const json::Value* cause = error->as_object().if_contains("Cause");
  if (cause == nullptr || !cause->is_string()) return "";
  Result<json::Value> described = json::Parse(cause->as_string());
  if (!described.ok() || !described->is_object()) return "";
  const json::Value* arn = described->as_object().if_contains("ExecutionArn");
  return arn != nullptr && arn->is_string() ? std::string(arn->as_string()) : "";
}

}  // namespace

json::Value LedgerKey(std::string_view model, std::string_view sk) {
  return json::Object{{kModelAttribute, S(model)}, {kSortKeyAttribute, S(sk)}};
}

std::string SortKey(TimePoint evaluated_at, std::string_view evaluation_id) {
  return FormatIso8601(evaluated_at) + "#" + std::string(evaluation_id);
}

json::Object RecordToItem(const RetrainingRecord& r) {
  json::Object item;
  item[kModelAttribute] = S(r.model);
  item[kSortKeyAttribute] = S(SortKey(r.evaluated_at, r.evaluation_id));
  item["format"] = N(kLedgerFormat);
  item["evaluated_at"] = Time(r.evaluated_at);
  item["evaluation_id"] = S(r.evaluation_id);
  item["decision"] = S(r.decision);
  if (r.fields.severity) item["severity"] = S(*r.fields.severity);
  if (r.fields.drift_score) item["drift_score"] = N(*r.fields.drift_score);
  if (r.fields.drifted_features) {
    json::Array list;
    for (const std::string& f : *r.fields.drifted_features) list.push_back(S(f));
    item["drifted_features"] = json::Object{{"L", std::move(list)}};
  }
  if (r.fields.monitored_at) item["monitored_at"] = Time(*r.fields.monitored_at);
  item["stale"] = Bool(r.stale);
  if (r.reported_decision) item["reported_decision"] = S(*r.reported_decision);
  if (r.age_seconds) item["age_seconds"] = N(*r.age_seconds);
  item["verdict"] = S(VerdictName(r.verdict.verdict));
  item["summary"] = S(r.verdict.summary);
  json::Array reasons;
  for (const RuleResult& rule : r.verdict.reasons) {
    reasons.push_back(json::Object{{"M", json::Object{{"rule", S(rule.rule)},
                                                      {"outcome", S(OutcomeName(rule.outcome))},
                                                      {"message", S(rule.message)}}}});
  }
  item["reasons"] = json::Object{{"L", std::move(reasons)}};
  if (r.verdict.queued_behind) item["queued_behind"] = N(*r.verdict.queued_behind);
  if (r.version) item["version"] = N(*r.version);
  if (r.status) item["status"] = S(StatusName(*r.status));
  if (r.started_at) item["started_at"] = Time(*r.started_at);
  if (r.finished_at) item["finished_at"] = Time(*r.finished_at);
  if (!r.execution_arn.empty()) item["execution_arn"] = S(r.execution_arn);
  if (!r.pipeline_output.empty()) item["pipeline_output"] = S(r.pipeline_output);
  if (!r.alert.empty()) item["alert"] = S(r.alert);
  if (!r.sns_alert.empty()) item["sns_alert"] = S(r.sns_alert);
  if (!r.failure.empty()) item["failure"] = S(r.failure);
  return item;
}

Result<RetrainingRecord> RecordFromItem(const json::Value& value) {
  if (!value.is_object()) {
    return Error{"CorruptHistoryItem", "a history item is not an object (got " +
                                           std::string(json::TypeName(value)) + ")"};
  }
  const json::Object& item = value.get_object();
  auto corrupt = [&](const std::string& what) {
    return Error{"CorruptHistoryItem",
                 "history item (" + KeyOf(item) + "): " + what +
                     "; the item was not written by autoretrain's ledger format " +
                     std::to_string(kLedgerFormat) + ": fix or delete it"};
  };
  ItemReader reader(item);
  const int64_t format = reader.Integer("format", true).value_or(0);
  if (reader.problem().empty() && (format < 1 || format > kLedgerFormat)) {
    return Error{"CorruptHistoryItem",
                 "history item (" + KeyOf(item) + ") has format " + std::to_string(format) +
                     ", this autoretrain reads formats 1 to " + std::to_string(kLedgerFormat) +
                     ": upgrade autoretrain to read it"};
  }
  RetrainingRecord r;
  r.model = reader.String(kModelAttribute, true).value_or("");
  r.evaluated_at = reader.Time("evaluated_at", true).value_or(TimePoint{});
  r.evaluation_id = reader.String("evaluation_id", true).value_or("");
  r.decision = reader.String("decision", true).value_or("");
  r.fields.severity = reader.String("severity");
  if (r.fields.severity && !ParseSeverity(*r.fields.severity)) {
    reader.Fail("severity", "is \"" + r.fields.severity->substr(0, 40) +
                                "\", expected NONE, LOW, MEDIUM, HIGH or CRITICAL");
  }
  r.fields.drift_score = reader.Number("drift_score");
  if (const json::Array* list = reader.List("drifted_features")) {
    std::vector<std::string> features;
    for (const json::Value& entry : *list) {
      const json::Value* s = entry.is_object() ? entry.get_object().if_contains("S") : nullptr;
      if (s == nullptr || !s->is_string()) {
        reader.Fail("drifted_features", "has an entry that is not a {\"S\": ...} string");
        break;
      }
      features.emplace_back(s->get_string());
    }
    r.fields.drifted_features = std::move(features);
  }
  r.fields.monitored_at = reader.Time("monitored_at");
  r.stale = reader.Boolean("stale").value_or(false);
  r.reported_decision = reader.String("reported_decision");
  r.age_seconds = reader.Integer("age_seconds");
  r.verdict.verdict =
      reader.Named<Verdict>("verdict", ParseVerdict, "RETRAIN, SKIP, QUEUE or NEEDS_APPROVAL", true)
          .value_or(Verdict::kSkip);
  r.verdict.summary = reader.String("summary").value_or("");
  ReadReasons(reader, &r.verdict);
  r.verdict.queued_behind = reader.Integer("queued_behind");
  r.version = reader.Integer("version");
  r.status = reader.Named<RetrainingStatus>("status", ParseStatus,
                                            "a status such as RUNNING or SUCCEEDED");
  r.started_at = reader.Time("started_at");
  r.finished_at = reader.Time("finished_at");
  r.execution_arn = reader.String("execution_arn").value_or("");
  r.pipeline_output = reader.String("pipeline_output").value_or("");
  r.alert = reader.String("alert").value_or("");
  r.sns_alert = reader.String("sns_alert").value_or("");
  r.failure = reader.String("failure").value_or("");
  if (r.execution_arn.empty()) r.execution_arn = FailedPipelineArn(r.failure);
  if (!reader.problem().empty()) return corrupt(reader.problem());
  return r;
}

json::Value HistoryTableDefinition(std::string_view table) {
  return json::Object{
      {"TableName", table},
      {"AttributeDefinitions",
       json::Array{json::Object{{"AttributeName", kModelAttribute}, {"AttributeType", "S"}},
                   json::Object{{"AttributeName", kSortKeyAttribute}, {"AttributeType", "S"}}}},
      {"KeySchema",
       json::Array{json::Object{{"AttributeName", kModelAttribute}, {"KeyType", "HASH"}},
                   json::Object{{"AttributeName", kSortKeyAttribute}, {"KeyType", "RANGE"}}}},
      {"BillingMode", "PAY_PER_REQUEST"}};
}

json::Value HistoryQuery(std::string_view table, std::string_view model, TimePoint since) {
  return json::Object{{"TableName", table},
                      {"KeyConditionExpression", "#model = :model AND #sk >= :since"},
                      {"ExpressionAttributeNames",
                       json::Object{{"#model", kModelAttribute}, {"#sk", kSortKeyAttribute}}},
                      {"ExpressionAttributeValues",
                       json::Object{{":model", S(model)}, {":since", S(FormatIso8601(since))}}},
                      {"ScanIndexForward", false},
                      {"ConsistentRead", true}};
}

Result<std::vector<RetrainingRecord>> ReadHistory(integrations::DynamoDb& db,
                                                  std::string_view table, std::string_view model,
                                                  TimePoint since) {
  json::Value request = HistoryQuery(table, model, since);
  std::vector<RetrainingRecord> records;
  auto where = [&] {
    return "reading the history of model \"" + std::string(model) + "\" from table \"" +
           std::string(table) + "\": ";
  };
  while (records.size() < kMaxHistoryRecords) {
    Result<json::Value> response = db.Call("Query", request);
    if (!response.ok()) {
      Error error = response.take_error();
      error.cause = where() + error.cause;
      return error;
    }
    const json::Value* items =
        response->is_object() ? response->get_object().if_contains("Items") : nullptr;
    if (items == nullptr || !items->is_array()) {
      return Error{"CorruptHistoryItem", where() + "the Query response has no Items list"};
    }
    for (const json::Value& item : items->get_array()) {
      if (records.size() == kMaxHistoryRecords) break;
      Result<RetrainingRecord> record = RecordFromItem(item);
      if (!record.ok()) {
        Error error = record.take_error();
        error.cause = where() + error.cause;
        return error;
      }
      records.push_back(std::move(record).value());
    }
    const json::Value* next = response->get_object().if_contains("LastEvaluatedKey");
    if (next == nullptr || next->is_null()) break;
    request.get_object()["ExclusiveStartKey"] = *next;
  }
  return records;
}

std::vector<PastRetraining> PastRetrainings(const std::vector<RetrainingRecord>& records) {
  std::vector<PastRetraining> out;
  for (const RetrainingRecord& r : records) {
    if (!r.status) continue;
    out.push_back(PastRetraining{r.version.value_or(0), *r.status, r.evaluated_at, r.started_at});
  }
  return out;
}

Result<int64_t> NextVersion(integrations::DynamoDb& db, std::string_view table,
                            std::string_view model) {
  json::Value request =
      json::Object{{"TableName", table},
                   {"Key", LedgerKey(model, kVersionCounterKey)},
                   {"UpdateExpression", "ADD #last :one"},
                   {"ExpressionAttributeNames", json::Object{{"#last", "last_version"}}},
                   {"ExpressionAttributeValues", json::Object{{":one", N(int64_t{1})}}},
                   {"ReturnValues", "UPDATED_NEW"}};
  const std::string where = "taking the next version of model \"" + std::string(model) +
                            "\" in table \"" + std::string(table) + "\": ";
  Result<json::Value> response = db.Call("UpdateItem", request);
  if (!response.ok()) {
    Error error = response.take_error();
    error.cause = where + error.cause;
    return error;
  }
  const json::Value* attributes =
      response->is_object() ? response->get_object().if_contains("Attributes") : nullptr;
  if (attributes != nullptr && attributes->is_object()) {
    ItemReader reader(attributes->get_object());
    std::optional<int64_t> version = reader.Integer("last_version", true);
    if (version && *version >= 1) return *version;
  }
  return Error{"CorruptHistoryItem",
               where + "the UpdateItem response does not carry a positive last_version: " +
                   json::Serialize(*response).substr(0, 200)};
}

}  // namespace autoretrain::retrain
