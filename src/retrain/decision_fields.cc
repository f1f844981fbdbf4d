#include "retrain/decision_fields.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace autoretrain::retrain {
namespace {

constexpr std::string_view kSeverities[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Shown(std::string_view value) {
  return json::Serialize(json::Value(json::String(value.substr(0, 100))));
}

Result<std::string> CheckedSeverity(std::string_view value, const std::string& where) {
  std::string upper = Trim(value);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kSeverities), std::end(kSeverities), upper) != std::end(kSeverities)) {
    return upper;
  }
  return Error{"InvalidSeverity", where + ": severity is " + Shown(value) +
                                      ": expected NONE, LOW, MEDIUM, HIGH or CRITICAL"};
}

Error BadDriftScore(const std::string& where, const std::string& shown) {
  return Error{"InvalidDriftScore",
               where + ": drift_score is " + shown + ": expected a finite number"};
}

Result<double> DriftScore(std::string_view text, const std::string& where) {
  const std::string trimmed = Trim(text);
  char* end = nullptr;
  const double value = std::strtod(trimmed.c_str(), &end);
  if (trimmed.empty() || end != trimmed.c_str() + trimmed.size() || !std::isfinite(value)) {
    return BadDriftScore(where, Shown(text));
  }
  return value;
}

Result<TimePoint> MonitoredAt(std::string_view text, const std::string& where) {
  TimePoint at;
  if (!ParseIso8601(Trim(text), &at)) {
    return Error{"InvalidMonitoredAt",
                 where + ": monitored_at is " + Shown(text) +
                     ": expected an ISO 8601 time with a zone, such as 2026-11-23T02:00:00Z"};
  }
  return at;
}

// "a;b | c" -> {"a", "b", "c"}: features are separated by ';' or '|' (a comma would split the
// CSV cell), blanks dropped.
std::vector<std::string> Features(std::string_view cell) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= cell.size(); ++i) {
    if (i == cell.size() || cell[i] == ';' || cell[i] == '|') {
      std::string feature = Trim(cell.substr(start, i - start));
      if (!feature.empty()) out.push_back(std::move(feature));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

Result<DecisionFields> FieldsFromCsv(const CsvRow& header, const CsvRow& row,
                                     const std::string& where) {
  DecisionFields fields;
  for (size_t column = 1; column < header.size() && column < row.size(); ++column) {
    const std::string name = Lower(Trim(header[column]));
    const std::string& cell = row[column];
    if (Trim(cell).empty()) continue;
    if (name == "severity") {
      Result<std::string> severity = CheckedSeverity(cell, where);
      if (!severity.ok()) return severity.take_error();
      fields.severity = *severity;
    } else if (name == "drift_score") {
      Result<double> score = DriftScore(cell, where);
      if (!score.ok()) return score.take_error();
      fields.drift_score = *score;
    } else if (name == "drifted_features") {
      fields.drifted_features = Features(cell);
    } else if (name == "monitored_at") {
      Result<TimePoint> at = MonitoredAt(cell, where);
      if (!at.ok()) return at.take_error();
      fields.monitored_at = *at;
    }
  }
  return fields;
}

Result<Decision> DecisionFromJson(std::string_view text, const std::string& where) {
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok()) {
    return Error{"MalformedDecisionFile", where + " is not valid JSON: " + parsed.error().cause};
  }
  if (!parsed->is_object()) {
    return Error{"MalformedDecisionFile",
                 where + " is a JSON " + std::string(json::TypeName(*parsed)) +
                     ": expected an object such as {\"retraining_required\": \"YES\"}"};
  }
  const json::Object& doc = parsed->as_object();
  Decision decision;
  const json::Value* required = doc.if_contains("retraining_required");
  if (required == nullptr) {
    return Error{"DecisionFileEmpty",
                 where + " has no \"retraining_required\" field: expected \"YES\" or \"NO\""};
  }
  if (required->is_bool()) {
    decision.value = required->as_bool() ? "YES" : "NO";
  } else if (required->is_string()) {
    std::string value = Trim(required->as_string());
    for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    decision.value = value;
  }
  if (decision.value != "YES" && decision.value != "NO") {
    return Error{"InvalidDecisionValue", where + ": retraining_required is " +
                                             json::Serialize(*required) +
                                             ": expected \"YES\" or \"NO\" (or true/false)"};
  }
  if (const json::Value* v = doc.if_contains("severity"); v != nullptr && !v->is_null()) {
    Result<std::string> severity = v->is_string() ? CheckedSeverity(v->as_string(), where)
                                                  : CheckedSeverity(json::Serialize(*v), where);
    if (!severity.ok()) return severity.take_error();
    decision.fields.severity = *severity;
  }
  if (const json::Value* v = doc.if_contains("drift_score"); v != nullptr && !v->is_null()) {
    if (!v->is_number() || !std::isfinite(json::AsDouble(*v))) {
      return BadDriftScore(where, json::Serialize(*v));
    }
    decision.fields.drift_score = json::AsDouble(*v);
  }
  if (const json::Value* v = doc.if_contains("drifted_features"); v != nullptr && !v->is_null()) {
    std::vector<std::string> features;
    bool ok = v->is_array();
    if (ok) {
      for (const json::Value& item : v->as_array()) {
        ok = ok && item.is_string();
        if (ok) features.emplace_back(item.as_string());
      }
    }
    if (!ok) {
      return Error{"InvalidDriftedFeatures", where + ": drifted_features is " +
                                                 json::Serialize(*v).substr(0, 100) +
                                                 ": expected an array of feature names"};
    }
    decision.fields.drifted_features = std::move(features);
  }
  if (const json::Value* v = doc.if_contains("monitored_at"); v != nullptr && !v->is_null()) {
    Result<TimePoint> at = v->is_string() ? MonitoredAt(v->as_string(), where)
                                          : MonitoredAt(json::Serialize(*v), where);
    if (!at.ok()) return at.take_error();
    decision.fields.monitored_at = *at;
  }
  return decision;
}

void AddFields(const DecisionFields& fields, json::Object& out) {
  if (fields.severity) out["severity"] = *fields.severity;
  if (fields.drift_score) out["drift_score"] = *fields.drift_score;
  if (fields.drifted_features) {
    json::Array features;
    for (const std::string& f : *fields.drifted_features) features.emplace_back(f);
    out["drifted_features"] = std::move(features);
  }
  if (fields.monitored_at) out["monitored_at"] = FormatIso8601(*fields.monitored_at);
}

}  // namespace autoretrain::retrain
