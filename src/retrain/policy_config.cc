// A model's "policy" object in autoretrain.json (docs/retraining-policy.md): parsing with one
// message per problem, and the policy back as JSON.
#include "retrain/policy_config.h"

#include <cmath>

#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {
namespace {

constexpr int64_t kMaxRetrainings = 1000;
constexpr int64_t kMaxCapPeriodDays = 366;

std::string Got(const json::Value& v) {
  if (v.is_string() || v.is_number() || v.is_bool()) {
    std::string shown = json::Serialize(v);
    if (shown.size() > 60) shown = shown.substr(0, 60) + "...";
    return json::TypeName(v) == "string" ? shown : std::string(json::TypeName(v)) + " " + shown;
  }
  return std::string(json::TypeName(v));
}

// obj[key] as a severity name (any case); records a problem when it is not one. `nullable`:
// null is accepted and gives `*is_null` = true.
std::optional<Severity> SeverityField(const json::Object& obj, const std::string& path,
                                      std::string_view key, FieldChecker& fields,
                                      bool nullable = false, bool* is_null = nullptr) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (nullable && v->is_null()) {
    *is_null = true;
    return std::nullopt;
  }
  if (v->is_string()) {
    if (std::optional<Severity> s = ParseSeverity(v->get_string())) return s;
  }
  fields.Problem(JoinPath(path, key),
                 std::string("expected a severity: \"NONE\", \"LOW\", \"MEDIUM\", \"HIGH\" or "
                             "\"CRITICAL\"") +
                     (nullable ? " (or null: nothing overrides)" : "") + ", got " + Got(*v));
  return std::nullopt;
}

// obj[key] as one of `words` (exactly); the index, or nullopt after recording a problem.
std::optional<size_t> WordField(const json::Object& obj, const std::string& path,
                                std::string_view key, std::initializer_list<std::string_view> words,
                                FieldChecker& fields) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  std::string expected;
  size_t i = 0;
  for (std::string_view word : words) {
    if (v->is_string() && v->get_string() == word) return i;
    expected += (i == 0                  ? ""
                 : i + 1 == words.size() ? " or "
                                         : ", ") +
                ("\"" + std::string(word) + "\"");
    ++i;
  }
  std::vector<std::string> candidates(words.begin(), words.end());
  fields.Problem(JoinPath(path, key),
                 "expected " + expected + ", got " + Got(*v) +
                     (v->is_string() ? DidYouMean(v->get_string(), candidates) : ""));
  return std::nullopt;
}

// obj["timeout_hours"]: a number of hours above 0 and at most kMaxPolicyHours, fractions
// allowed; the wait rounded up to whole seconds, or nullopt (absent, or recorded as invalid).
std::optional<std::chrono::seconds> TimeoutHoursField(const json::Object& obj,
                                                      const std::string& path,
                                                      FieldChecker& fields) {
  const json::Value* v = obj.if_contains("timeout_hours");
  if (v == nullptr) return std::nullopt;
  const double hours = v->is_number() ? v->to_number<double>() : 0;
  if (!(hours > 0 && hours <= kMaxPolicyHours)) {  // also refuses NaN
    fields.Problem(JoinPath(path, "timeout_hours"),
                   "expected a number of hours above 0 and at most " +
                       std::to_string(kMaxPolicyHours) + " (0.25 is 15 minutes), got " + Got(*v));
    return std::nullopt;
  }
  return std::chrono::seconds(static_cast<int64_t>(std::ceil(hours * 3600)));
}

void ParseApproval(const json::Value& value, const std::string& path, FieldChecker& fields,
                   ApprovalPolicy* out) {
  const json::Object* obj =
      fields.ExpectObject(value, path,
                          "an object such as {\"required\": true, \"timeout_hours\": 24, "
                          "\"on_timeout\": \"reject\"}");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, path, {"required", "timeout_hours", "on_timeout"});
  if (auto required = fields.OptionalBool(*obj, path, "required")) out->required = *required;
  if (auto timeout = TimeoutHoursField(*obj, path, fields)) out->timeout = *timeout;
  if (auto i = WordField(*obj, path, "on_timeout", {"approve", "reject"}, fields)) {
    out->on_timeout = *i == 0 ? ApprovalDefault::kApprove : ApprovalDefault::kReject;
  }
}

}  // namespace

void ParsePolicyInto(const json::Value& value, const std::string& path, FieldChecker& fields,
                     ModelPolicy* out) {
  const json::Object* obj = fields.ExpectObject(
      value, path, "an object such as {\"min_severity\": \"MEDIUM\", \"cooldown_hours\": 24}");
  if (obj == nullptr) return;
  fields.RejectUnknown(*obj, path,
                       {"min_severity", "cooldown_hours", "cooldown_override", "max_retrainings",
                        "cap_period_days", "while_running", "running_timeout_hours", "approval"});
  if (auto s = SeverityField(*obj, path, "min_severity", fields)) out->min_severity = *s;
  if (auto h = fields.OptionalInteger(*obj, path, "cooldown_hours", 0, kMaxPolicyHours)) {
    out->cooldown_hours = *h;
  }
  bool no_override = false;
  if (auto s = SeverityField(*obj, path, "cooldown_override", fields, true, &no_override)) {
    out->cooldown_override = *s;
  }
  if (no_override) out->cooldown_override = std::nullopt;
  if (const json::Value* v = obj->if_contains("max_retrainings"); v != nullptr && v->is_null()) {
    out->max_retrainings = std::nullopt;
  } else if (v != nullptr && !v->is_number()) {
    fields.Problem(JoinPath(path, "max_retrainings"), "expected an integer from 1 to " +
                                                          std::to_string(kMaxRetrainings) +
                                                          " (or null: no cap), got " + Got(*v));
  } else if (auto n = fields.OptionalInteger(*obj, path, "max_retrainings", 1, kMaxRetrainings)) {
    out->max_retrainings = *n;
  }
  if (auto d = fields.OptionalInteger(*obj, path, "cap_period_days", 1, kMaxCapPeriodDays)) {
    out->cap_period_days = *d;
  }
  if (auto i = WordField(*obj, path, "while_running", {"skip", "queue"}, fields)) {
    out->while_running = *i == 0 ? WhileRunning::kSkip : WhileRunning::kQueue;
  }
  if (auto h = fields.OptionalInteger(*obj, path, "running_timeout_hours", 1, kMaxPolicyHours)) {
    out->running_timeout_hours = *h;
  }
  if (const json::Value* v = obj->if_contains("approval")) {
    ParseApproval(*v, JoinPath(path, "approval"), fields, &out->approval);
  }
}

Result<ModelPolicy> ParseModelPolicy(const json::Value& value, const std::string& path) {
  ModelPolicy policy;
  FieldChecker fields;
  ParsePolicyInto(value, path, fields, &policy);
  std::vector<std::string> problems = fields.TakeProblems();
  if (problems.empty()) return policy;
  std::string cause;
  for (const std::string& p : problems) {
    if (!cause.empty()) cause += '\n';
    cause += std::string(kProjectConfigFile) + ": " + p;
  }
  return Error{"InvalidProjectConfig", std::move(cause)};
}

json::Value PolicyToJson(const ModelPolicy& policy) {
  json::Object out;
  out["min_severity"] = SeverityName(policy.min_severity);
  out["cooldown_hours"] = policy.cooldown_hours;
  if (policy.cooldown_override) {
    out["cooldown_override"] = SeverityName(*policy.cooldown_override);
  } else {
    out["cooldown_override"] = nullptr;
  }
  if (policy.max_retrainings) {
    out["max_retrainings"] = *policy.max_retrainings;
  } else {
    out["max_retrainings"] = nullptr;
  }
  out["cap_period_days"] = policy.cap_period_days;
  out["while_running"] = policy.while_running == WhileRunning::kSkip ? "skip" : "queue";
  out["running_timeout_hours"] = policy.running_timeout_hours;
  out["approval"] = json::Object{
      {"required", policy.approval.required},
      {"timeout_hours", HoursJson(policy.approval.timeout)},
      {"on_timeout",
       policy.approval.on_timeout == ApprovalDefault::kApprove ? "approve" : "reject"}};
  return out;
}

}  // namespace autoretrain::retrain
