// The built-in function evaluate_retraining_policy (include/autoretrain/retrain/
// policy_function.h): reads the decision from the event and the model's history from the
// ledger, and returns the policy's verdict with the ledger item that records it.
#include "autoretrain/retrain/policy_function.h"

#include <cstdio>
#include <random>

#include "autoretrain/retrain/retraining_history.h"

namespace autoretrain::retrain {
namespace {

constexpr size_t kMaxModelName = 256;
constexpr size_t kMaxEvaluationId = 80;

Error BadRequest(const std::string& message) {
  return integrations::FunctionError("InvalidPolicyRequest", message);
}

std::string TypeOf(const json::Value& v) { return std::string(json::TypeName(v)); }

// Fills the decision fields of `record` and `input` from the decision function's result.
Status DecisionFromEvent(const json::Value& value, RetrainingRecord* record, PolicyInput* input) {
  const std::string hint =
      " (pass check_retraining_decision's result, e.g. \"decision.$\": \"$.decision\")";
  if (!value.is_object()) {
    return BadRequest("the event field \"decision\" must be an object, got " + TypeOf(value) +
                      hint);
  }
  const json::Object& d = value.get_object();
  auto field = [&](std::string_view name) -> const json::Value* {
    const json::Value* v = d.if_contains(name);
    return v == nullptr || v->is_null() ? nullptr : v;
  };
  auto bad = [&](std::string_view name, std::string_view expected, const json::Value& got) {
    return BadRequest("decision." + std::string(name) + " must be " + std::string(expected) +
                      ", got " + json::Serialize(got).substr(0, 80) + hint);
  };
  const json::Value* required = field("retraining_required");
  if (required == nullptr || !required->is_string() ||
      (required->get_string() != "YES" && required->get_string() != "NO")) {
    return required == nullptr ? BadRequest("decision.retraining_required is missing" + hint)
                               : bad("retraining_required", "\"YES\" or \"NO\"", *required);
  }
  record->decision = std::string(required->get_string());
  input->retrain = record->decision == "YES";
  if (const json::Value* v = field("severity")) {
    std::optional<Severity> severity;
    if (v->is_string()) severity = ParseSeverity(v->get_string());
    if (!severity) return bad("severity", "NONE, LOW, MEDIUM, HIGH or CRITICAL", *v);
    record->fields.severity = std::string(SeverityName(*severity));
    input->severity = severity;
  }
  if (const json::Value* v = field("drift_score")) {
    if (!v->is_number()) return bad("drift_score", "a number", *v);
    record->fields.drift_score = json::AsDouble(*v);
  }
  if (const json::Value* v = field("drifted_features")) {
    if (!v->is_array()) return bad("drifted_features", "an array of strings", *v);
    std::vector<std::string> features;
    for (const json::Value& f : v->get_array()) {
      if (!f.is_string()) return bad("drifted_features", "an array of strings", *v);
      features.emplace_back(f.get_string());
    }
    record->fields.drifted_features = std::move(features);
  }
  if (const json::Value* v = field("monitored_at")) {
    TimePoint at;
    if (!v->is_string() || !ParseIso8601(std::string(v->get_string()), &at)) {
      return bad("monitored_at", "an ISO 8601 time such as \"2026-11-30T02:00:00Z\"", *v);
    }
    record->fields.monitored_at = at;
  }
  if (const json::Value* v = field("stale")) {
    if (!v->is_bool()) return bad("stale", "true or false", *v);
    record->stale = input->stale = v->get_bool();
  }
  if (const json::Value* v = field("reported_decision")) {
    if (!v->is_string()) return bad("reported_decision", "a string", *v);
    record->reported_decision = input->reported_decision = std::string(v->get_string());
  }
  if (const json::Value* v = field("age_seconds")) {
    if (!v->is_int64()) return bad("age_seconds", "an integer", *v);
    record->age_seconds = input->age_seconds = v->get_int64();
  }
  if (input->retrain && input->stale) {
    return BadRequest(
        "decision says retraining_required YES and stale true: the decision function never "
        "gives both; pass its result unchanged" +
        hint);
  }
  return OkStatus();
}

bool ValidEvaluationId(std::string_view id) {
  if (id.empty() || id.size() > kMaxEvaluationId) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

std::string RandomEvaluationId(TimePoint now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return "eval-" + std::to_string(now.time_since_epoch().count()) + "-" + suffix;
}

class PolicyFunction final : public integrations::Function {
 public:
  PolicyFunction(integrations::DynamoDb& db, PolicyFunctionConfig config, Clock& clock)
      : db_(db), config_(std::move(config)), clock_(clock) {}

  Result<json::Value> Invoke(const json::Value& event) override {
    if (!event.is_object()) {
      return BadRequest("the event must be an object {\"model\": ..., \"decision\": ...}, got " +
                        TypeOf(event));
    }
    const json::Object& e = event.get_object();
    const json::Value* model = e.if_contains("model");
    if (model == nullptr || !model->is_string() || model->get_string().empty() ||
        model->get_string().size() > kMaxModelName) {
      return BadRequest("the event field \"model\" must be the model's name (a string of 1 to " +
                        std::to_string(kMaxModelName) + " characters), got " +
                        (model == nullptr ? "nothing" : json::Serialize(*model).substr(0, 80)));
    }
    const std::string name(model->get_string());
    const ModelPolicy* policy = Policy(name);
    if (policy == nullptr) {
      std::string known;
      for (const auto& [m, p] : config_.models) known += (known.empty() ? "" : ", ") + m;
      return integrations::FunctionError(
          "UnknownModel", "no retraining policy for model \"" + name +
                              "\" (models with a policy: " + (known.empty() ? "none" : known) +
                              "): add it to autoretrain.json's models");
    }
    if (const json::Value* queued = e.if_contains("queued_sk")) {
      return ResumeQueuedEvaluation(name, *policy, *queued);
    }
    const json::Value* decision = e.if_contains("decision");
    if (decision == nullptr) {
      return BadRequest(
          "the event has no \"decision\": pass check_retraining_decision's result, e.g. "
          "\"decision.$\": \"$.decision\"");
    }
    RetrainingRecord record;
    PolicyInput input;
    if (Status status = DecisionFromEvent(*decision, &record, &input); !status.ok()) {
      return status.take_error();
    }
    const TimePoint now = clock_.Now();
    if (const json::Value* id = e.if_contains("evaluation_id")) {
      if (!id->is_string() || !ValidEvaluationId(id->get_string())) {
        return BadRequest(
            "the event field \"evaluation_id\" must be a string of 1 to 80 characters without "
            "spaces (the trigger execution's name, \"evaluation_id.$\": \"$$.Execution.Name\"), "
            "got " +
            json::Serialize(*id).substr(0, 100));
      }
      record.evaluation_id = std::string(id->get_string());
    } else {
      record.evaluation_id = RandomEvaluationId(now);
    }
    Result<std::vector<RetrainingRecord>> history =
        ReadHistory(db_, config_.table, name, now - HistoryLookback(*policy));
    if (!history.ok()) {
      return integrations::FunctionError(history.error().error, history.error().cause);
    }
    input.now = now;
    input.history = PastRetrainings(*history);
    record.model = name;
    record.evaluated_at = now;
    record.verdict = EvaluatePolicy(*policy, input);
    SetStatusFromVerdict(&record, now);
    return Output(record, *policy, history->size());
  }

 private:
  const ModelPolicy* Policy(const std::string& model) const {
    auto it = config_.models.find(model);
    if (it != config_.models.end()) return &it->second;
    return config_.fallback ? &*config_.fallback : nullptr;
  }

  // The retraining a verdict asks for, as the ledger records it until the state machine
  // updates it.
  static void SetStatusFromVerdict(RetrainingRecord* record, TimePoint now) {
    switch (record->verdict.verdict) {
      case Verdict::kRetrain:
        // Recorded as running from now, so that an evaluation racing this one sees it; the
        // state machine adds the version, execution ARN and start time when it starts.
        record->status = RetrainingStatus::kRunning;
        record->started_at = now;
        break;
      case Verdict::kQueue:
        record->status = RetrainingStatus::kQueued;
        break;
      case Verdict::kNeedsApproval:
        record->status = RetrainingStatus::kPendingApproval;
        break;
      case Verdict::kSkip:
        record->status.reset();
        break;
    }
  }

  // A queued evaluation, claimed by the trigger execution whose retraining it waited for
  // (docs/retraining-policy.md#queued-retrainings): read back from the ledger and given its
  // verdict now (ResumeQueued), keeping its decision, evaluation time and key.
  Result<json::Value> ResumeQueuedEvaluation(const std::string& model, const ModelPolicy& policy,
                                             const json::Value& sk) {
    if (!sk.is_string() || sk.get_string().empty()) {
      return BadRequest(
          "the event field \"queued_sk\" must be the sort key of a queued evaluation (a "
          "non-empty string), got " +
          json::Serialize(sk).substr(0, 100));
    }
    const std::string key(sk.get_string());
    json::Value request = json::Object{
        {"TableName", config_.table}, {"Key", LedgerKey(model, key)}, {"ConsistentRead", true}};
    Result<json::Value> got = db_.Call("GetItem", request);
    if (!got.ok()) return integrations::FunctionError(got.error().error, got.error().cause);
    const json::Value* item = got->is_object() ? got->get_object().if_contains("Item") : nullptr;
    if (item == nullptr) {
      return integrations::FunctionError("QueuedEvaluationNotFound",
                                         "no evaluation \"" + key + "\" of model \"" + model +
                                             "\" in the table " + config_.table +
                                             ": pass the sort key the queue pointer held");
    }
    Result<RetrainingRecord> record = RecordFromItem(*item);
    if (!record.ok())
      return integrations::FunctionError(record.error().error, record.error().cause);
    if (record->status != RetrainingStatus::kQueued) {
      return integrations::FunctionError(
          "NotQueued", "the evaluation \"" + key + "\" of model \"" + model + "\" is " +
                           (record->status ? std::string(StatusName(*record->status)) : "a skip") +
                           ", not QUEUED: it was started or settled already");
    }
    const TimePoint now = clock_.Now();
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        now - std::min(record->evaluated_at, now));
    record->verdict = ResumeQueued(policy, std::move(record->verdict), waited);
    SetStatusFromVerdict(&*record, now);
    return Output(*record, policy, 0);
  }

  // The function's result for `record` (the head fields, the verdict, the ledger item).
  static json::Value Output(const RetrainingRecord& record, const ModelPolicy& policy,
                            size_t history_records) {
    json::Value out = VerdictToJson(record.verdict);
    json::Object& result = out.get_object();
    json::Object head{{"model", record.model},
                      {"evaluated_at", FormatIso8601(record.evaluated_at)},
                      {"evaluation_id", record.evaluation_id},
                      {"decision", record.decision},
                      // null when the decision file has none (the seed's YES/NO form)
                      {"severity", record.fields.severity ? json::Value(*record.fields.severity)
                                                          : json::Value(nullptr)},
                      {"retrain", record.verdict.verdict == Verdict::kRetrain}};
    for (auto& entry : result) head[entry.key()] = std::move(entry.value());
    if (record.verdict.verdict == Verdict::kNeedsApproval) {
      head["approval"] = json::Object{
          {"timeout_hours", HoursJson(policy.approval.timeout)},
          // For a waiting Task's TimeoutSecondsPath.
          {"timeout_seconds", static_cast<int64_t>(policy.approval.timeout.count())},
          {"on_timeout",
           policy.approval.on_timeout == ApprovalDefault::kApprove ? "approve" : "reject"}};
    }
    if (record.verdict.verdict == Verdict::kQueue) {
      // The trigger's queue pointer may replace a queued evaluation whose key sorts before
      // this (evaluated running_timeout_hours ago or earlier): the policy no longer counts it.
      head["queued_stale_before"] =
          FormatIso8601(record.evaluated_at - std::chrono::hours(policy.running_timeout_hours));
    }
    head["history_records"] = static_cast<int64_t>(history_records);
    head["item"] = RecordToItem(record);
    return json::Value(std::move(head));
  }

  integrations::DynamoDb& db_;
  const PolicyFunctionConfig config_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<integrations::Function> MakePolicyFunction(integrations::DynamoDb& db,
                                                           PolicyFunctionConfig config,
                                                           Clock* clock) {
  static SystemClock system_clock;
  return std::make_unique<PolicyFunction>(db, std::move(config),
                                          clock != nullptr ? *clock : system_clock);
}

}  // namespace autoretrain::retrain
