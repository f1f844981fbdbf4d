// The retraining policy of one model (docs/retraining-policy.md): which decisions may start a
// retraining, given what the model's retraining history says.
//
// A `ModelPolicy` is plain configuration: the minimum severity that retrains, a cooldown
// window after each retraining started (with a severity that overrides it), a cap of
// retrainings per period, what to do while a retraining is in progress (skip, or queue one),
// and whether a human must approve (only its configuration: the approval gate is elsewhere).
//
// `EvaluatePolicy` applies a policy to one decision and returns a `PolicyVerdict`: RETRAIN,
// SKIP, QUEUE or NEEDS_APPROVAL, with every rule it checked, the rule's outcome and a sentence
// a person can read ("cooldown: last retraining started 5h ago (< 24h), severity HIGH below
// override CRITICAL: skip"). Every rule is checked on every evaluation, so the verdict shows
// all reasons, not just the first. It is pure: no clock, no I/O; the same input gives the same
// verdict.
//
// Thread-safety: plain values and pure functions.
#ifndef AUTORETRAIN_RETRAIN_POLICY_H_
#define AUTORETRAIN_RETRAIN_POLICY_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::retrain {

// How bad the monitoring job says the drift is, in increasing order.
enum class Severity { kNone, kLow, kMedium, kHigh, kCritical };

// "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL".
std::string_view SeverityName(Severity severity);
// The severity named `text` (any case, no surrounding spaces), or nullopt.
std::optional<Severity> ParseSeverity(std::string_view text);

// What happens to a decision that would retrain while an earlier retraining is in progress.
enum class WhileRunning {
  kSkip,   // do not retrain
  kQueue,  // queue one retraining, started when the running one ends (at most one queued)
};

// What the approval gate does when nobody answers within the timeout.
enum class ApprovalDefault { kApprove, kReject };

struct ApprovalPolicy {
  bool required = false;
  // How long the gate waits for an answer: "timeout_hours" in autoretrain.json, where a
  // fraction of an hour is allowed (0.25: 15 minutes), rounded up to whole seconds.
  std::chrono::seconds timeout = std::chrono::hours(24);
  ApprovalDefault on_timeout = ApprovalDefault::kReject;
};

// One model's policy. The defaults are what a model without a "policy" object gets.
struct ModelPolicy {
  // A YES decision whose severity is below this does not retrain. A decision without a
  // severity (the seed's one-column file) is not held back by this rule.
  Severity min_severity = Severity::kLow;
  // No new retraining within this many hours after the last one started (0: no cooldown) ...
  int64_t cooldown_hours = 24;
  // ... unless the decision's severity is at or above this (nullopt: nothing overrides).
  std::optional<Severity> cooldown_override = Severity::kCritical;
  // At most this many retrainings started (or queued, or waiting for approval) within the
  // last cap_period_days days (nullopt: no cap). The cooldown override does not lift the cap.
  std::optional<int64_t> max_retrainings = 3;
  int64_t cap_period_days = 7;
  WhileRunning while_running = WhileRunning::kSkip;
  // A retraining recorded RUNNING for longer than this is presumed lost (its pipeline ended
  // without its status being recorded) and no longer counts as in progress.
  int64_t running_timeout_hours = 168;
  ApprovalPolicy approval;
};

// Parses one model's "policy" object from autoretrain.json. `path` is where it sits
// ("models.fraud.policy"), for messages. Absent fields keep their defaults; "cooldown_override"
// and "max_retrainings" may be null (nothing overrides; no cap). On failure returns
// Error{"InvalidProjectConfig"} whose cause has one line per problem, each like
// "autoretrain.json: models.fraud.policy.cooldown_hours: expected an integer from 0 to 8784,
// got -1" (unknown fields are problems, with a hint when a known name is close).
Result<ModelPolicy> ParseModelPolicy(const json::Value& value, const std::string& path);

// The policy as JSON, in the form ParseModelPolicy reads (every field present).
json::Value PolicyToJson(const ModelPolicy& policy);

// Where a retraining of the model's history stands.
enum class RetrainingStatus {
  kPendingApproval,  // waiting for the approval gate
  kQueued,           // waiting for the running retraining to end
  kRunning,          // the pipeline is running
  kSucceeded,
  kFailed,
  kTimedOut,
  kAborted,
  kRejected,  // the approval gate said no (or its timeout defaulted to reject): never started
};

// "PENDING_APPROVAL", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED",
// "REJECTED" (the last five as Step Functions names execution statuses).
std::string_view StatusName(RetrainingStatus status);
// The status named `text` exactly as above, or nullopt.
std::optional<RetrainingStatus> ParseStatus(std::string_view text);

// One retraining from the model's history, as the policy sees it.
struct PastRetraining {
  int64_t version = 0;  // 0: none assigned yet (queued or waiting for approval)
  RetrainingStatus status = RetrainingStatus::kRunning;
  TimePoint evaluated_at;               // when the decision that asked for it was evaluated
  std::optional<TimePoint> started_at;  // when its pipeline started (absent: not started)
};

struct PolicyInput {
  bool retrain = false;  // the decision says YES (after the staleness check)
  std::optional<Severity> severity;
  bool stale = false;                            // the decision was older than max_age_hours
  std::optional<std::string> reported_decision;  // what a stale file said ("YES")
  std::optional<int64_t> age_seconds;            // the decision's age, when known
  TimePoint now;
  std::vector<PastRetraining> history;  // any order; entries outside every window are ignored
};

enum class Verdict {
  kRetrain,        // start the retraining now
  kSkip,           // do not retrain (at least one rule blocked)
  kQueue,          // retrain after the retraining in progress ends
  kNeedsApproval,  // retrain once approved (the policy requires approval)
};
// "RETRAIN", "SKIP", "QUEUE", "NEEDS_APPROVAL".
std::string_view VerdictName(Verdict verdict);
std::optional<Verdict> ParseVerdict(std::string_view text);

// What one rule found.
enum class Outcome {
  kPass,           // the rule lets the retraining through
  kBlock,          // the rule stops it (the verdict is SKIP)
  kOverride,       // the rule would block, but the severity overrides it (cooldown only)
  kQueue,          // a retraining is in progress and the policy queues
  kNeedsApproval,  // the policy requires approval
};
// "PASS", "BLOCK", "OVERRIDE", "QUEUE", "NEEDS_APPROVAL".
std::string_view OutcomeName(Outcome outcome);
std::optional<Outcome> ParseOutcome(std::string_view text);

// One rule checked: its name ("decision", "freshness", "severity", "cooldown", "cap",
// "running", "approval"), outcome and a sentence starting with the rule's name.
struct RuleResult {
  std::string rule;
  Outcome outcome = Outcome::kPass;
  std::string message;

  friend bool operator==(const RuleResult&, const RuleResult&) = default;
};

struct PolicyVerdict {
  Verdict verdict = Verdict::kSkip;
  // The sentence of the rule that decided: the first BLOCK, else the QUEUE, else the approval
  // rule (NEEDS_APPROVAL), else "retrain: every rule passed".
  std::string summary;
  std::vector<RuleResult> reasons;  // every rule, in the order above
  // For QUEUE: the version of the retraining in progress it waits for (0: none assigned).
  std::optional<int64_t> queued_behind;
};

// Applies `policy` to `input`. The verdict is SKIP if any rule blocks, else QUEUE if the
// running rule queues, else NEEDS_APPROVAL if approval is required, else RETRAIN. Windows are
// half-open at the far end: a retraining started exactly cooldown_hours ago no longer blocks,
// one started exactly cap_period_days ago no longer counts. Times after `now` (clock skew)
// count as `now`. Never fails.
PolicyVerdict EvaluatePolicy(const ModelPolicy& policy, const PolicyInput& input);

// The verdict of a queued evaluation (`queued`, verdict QUEUE) once the retraining it waited
// for has ended, `waited` after it was evaluated. The rules are not applied again: the cooldown
// and the cap counted it when it was queued. Its running rule now passes and it retrains, or
// asks for approval first when `policy` requires it (NEEDS_APPROVAL); after waiting
// running_timeout_hours or more it is SKIP instead (the retraining ahead of it never
// reported its end). Never fails.
PolicyVerdict ResumeQueued(const ModelPolicy& policy, PolicyVerdict queued,
                           std::chrono::milliseconds waited);

// {"verdict": "SKIP", "summary": "...", "reasons": [{"rule", "outcome", "message"}...],
//  "queued_behind": 3 (QUEUE only)}.
json::Value VerdictToJson(const PolicyVerdict& verdict);

// How far back the history must reach for EvaluatePolicy to see every retraining that can
// matter: the longest of the cooldown, the cap period and the running timeout, plus the
// running timeout (a queued retraining starts at most that long after it was evaluated) and,
// when approval is required, the approval timeout. Records evaluated earlier cannot change
// the verdict.
std::chrono::hours HistoryLookback(const ModelPolicy& policy);

// "45s", "12m", "5h", "5h 30m", "3d 4h": a duration for messages, in its two largest units.
std::string FormatDuration(std::chrono::milliseconds duration);

// `duration` in hours for JSON: an integer when it is whole hours (24), else a fraction (0.25).
json::Value HoursJson(std::chrono::seconds duration);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_POLICY_H_
