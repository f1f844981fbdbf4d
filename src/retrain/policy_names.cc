// The names of the policy's enums, durations in messages, and the verdict as JSON
// (include/autoretrain/retrain/policy.h).
#include <array>
#include <cctype>

#include "autoretrain/retrain/policy.h"

namespace autoretrain::retrain {
namespace {

constexpr std::array<std::string_view, 5> kSeverityNames = {"NONE", "LOW", "MEDIUM", "HIGH",
                                                            "CRITICAL"};
constexpr std::array<std::string_view, 8> kStatusNames = {
    "PENDING_APPROVAL", "QUEUED",    "RUNNING", "SUCCEEDED",
    "FAILED",           "TIMED_OUT", "ABORTED", "REJECTED"};
constexpr std::array<std::string_view, 4> kVerdictNames = {"RETRAIN", "SKIP", "QUEUE",
                                                           "NEEDS_APPROVAL"};
constexpr std::array<std::string_view, 5> kOutcomeNames = {"PASS", "BLOCK", "OVERRIDE", "QUEUE",
                                                           "NEEDS_APPROVAL"};

template <class E, size_t N>
std::optional<E> FindName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  return kSeverityNames[static_cast<size_t>(severity)];
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return FindName<Severity>(kSeverityNames, upper);
}

std::string_view StatusName(RetrainingStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}
std::optional<RetrainingStatus> ParseStatus(std::string_view text) {
  return FindName<RetrainingStatus>(kStatusNames, text);
}
std::string_view VerdictName(Verdict verdict) {
  return kVerdictNames[static_cast<size_t>(verdict)];
}
std::optional<Verdict> ParseVerdict(std::string_view text) {
  return FindName<Verdict>(kVerdictNames, text);
}
std::string_view OutcomeName(Outcome outcome) {
  return kOutcomeNames[static_cast<size_t>(outcome)];
}
std::optional<Outcome> ParseOutcome(std::string_view text) {
  return FindName<Outcome>(kOutcomeNames, text);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  if (duration < std::chrono::milliseconds(0)) duration = std::chrono::milliseconds(0);
  const int64_t s = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  struct Unit {
    int64_t seconds;
    const char* name;
  };
  static constexpr Unit kUnits[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (size_t i = 0; i < std::size(kUnits); ++i) {
    if (s < kUnits[i].seconds && i + 1 < std::size(kUnits)) continue;
    std::string out = std::to_string(s / kUnits[i].seconds) + kUnits[i].name;
    if (i + 1 < std::size(kUnits)) {
      const int64_t rest = (s % kUnits[i].seconds) / kUnits[i + 1].seconds;
      if (rest > 0) out += " " + std::to_string(rest) + kUnits[i + 1].name;
    }
    return out;
  }
  return "0s";
}

json::Value HoursJson(std::chrono::seconds duration) {
  if (duration.count() % 3600 == 0) return json::Value(duration.count() / 3600);
  return json::Value(static_cast<double>(duration.count()) / 3600);
}

json::Value VerdictToJson(const PolicyVerdict& verdict) {
  json::Object out;
  out["verdict"] = VerdictName(verdict.verdict);
  out["summary"] = verdict.summary;
  json::Array reasons;
  for (const RuleResult& r : verdict.reasons) {
    reasons.push_back(json::Object{
        {"rule", r.rule}, {"outcome", OutcomeName(r.outcome)}, {"message", r.message}});
  }
  out["reasons"] = std::move(reasons);
  if (verdict.queued_behind) out["queued_behind"] = *verdict.queued_behind;
  return out;
}

}  // namespace autoretrain::retrain
