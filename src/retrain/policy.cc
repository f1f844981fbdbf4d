// EvaluatePolicy (include/autoretrain/retrain/policy.h): the rules, each checked on every
// evaluation, and the verdict they give together.
#include "autoretrain/retrain/policy.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

// A pipeline that started (whatever became of it): what the cooldown and the cap count.
bool Started(RetrainingStatus status) {
  return status != RetrainingStatus::kPendingApproval && status != RetrainingStatus::kQueued &&
         status != RetrainingStatus::kRejected;
}

TimePoint StartOf(const PastRetraining& past) {
  return past.started_at.value_or(past.evaluated_at);
}

std::string Version(const PastRetraining& past) {
  return past.version > 0 ? "v" + std::to_string(past.version) : "(no version yet)";
}

std::string Hours(int64_t n) { return std::to_string(n) + "h"; }

// "24h" for whole hours (as the configuration says them), else "15m", "1m 30s", ...
std::string WaitText(std::chrono::seconds wait) {
  return wait.count() % 3600 == 0 ? Hours(wait.count() / 3600) : FormatDuration(wait);
}

// True when `a` started (or, not started, was evaluated) after `b` (null: always), ties broken
// by the higher version then the later evaluation, so that the history's order never matters.
bool Later(const PastRetraining& a, const PastRetraining* b, TimePoint now) {
  if (b == nullptr) return true;
  auto key = [&](const PastRetraining& p) {
    return std::tuple(std::min(StartOf(p), now), p.version, p.evaluated_at);
  };
  return key(a) > key(*b);
}

// The facts the rules need, gathered from the history once.
struct HistoryFacts {
  const PastRetraining* last_started = nullptr;   // the latest start, not after now
  int64_t started_in_period = 0;                  // started within the cap period
  int64_t pending_in_period = 0;                  // queued or waiting for approval (live)
  const PastRetraining* in_progress = nullptr;    // running or waiting for approval (live)
  const PastRetraining* queued = nullptr;         // a live queued retraining
  const PastRetraining* presumed_lost = nullptr;  // RUNNING past the running timeout
};

HistoryFacts Gather(const ModelPolicy& policy, const PolicyInput& input) {
  HistoryFacts facts;
  const TimePoint now = input.now;
  const TimePoint cap_start = now - hours(24 * policy.cap_period_days);
  for (const PastRetraining& past : input.history) {
    const TimePoint evaluated = std::min(past.evaluated_at, now);
    if (Started(past.status)) {
      if (Later(past, facts.last_started, now)) facts.last_started = &past;
      const TimePoint start = std::min(StartOf(past), now);
      if (start > cap_start) ++facts.started_in_period;
    }
    switch (past.status) {
      case RetrainingStatus::kRunning: {
        const bool live = now - std::min(StartOf(past), now) < hours(policy.running_timeout_hours);
        if (!live) {
          if (Later(past, facts.presumed_lost, now)) facts.presumed_lost = &past;
        } else if (facts.in_progress == nullptr ||
                   facts.in_progress->status != RetrainingStatus::kRunning ||
                   Later(past, facts.in_progress, now)) {
          facts.in_progress = &past;
        }
        break;
      }
      case RetrainingStatus::kPendingApproval:
        if (now - evaluated < policy.approval.timeout) {
          if (facts.in_progress == nullptr ||
              (facts.in_progress->status != RetrainingStatus::kRunning &&
               Later(past, facts.in_progress, now))) {
            facts.in_progress = &past;
          }
          ++facts.pending_in_period;
        }
        break;
      case RetrainingStatus::kQueued:
        if (now - evaluated < hours(policy.running_timeout_hours)) {
          if (Later(past, facts.queued, now)) facts.queued = &past;
          ++facts.pending_in_period;
        }
        break;
      default:
        break;
    }
  }
  return facts;
}

RuleResult DecisionRule(const PolicyInput& input) {
  if (input.retrain) return {"decision", Outcome::kPass, "decision: the monitoring job says YES"};
  if (input.stale) {
    return {"decision", Outcome::kBlock,
            "decision: NO (the stale file's " + input.reported_decision.value_or("decision") +
                " does not count): skip"};
  }
  return {"decision", Outcome::kBlock, "decision: the monitoring job says NO: skip"};
}

RuleResult FreshnessRule(const PolicyInput& input) {
  std::string age =
      input.age_seconds ? FormatDuration(milliseconds(*input.age_seconds * 1000)) + " old" : "";
  if (input.stale) {
    return {"freshness", Outcome::kBlock,
            "freshness: the decision is stale" + (age.empty() ? "" : " (" + age + ")") +
                ", older than the decision function's max_age_hours: skip"};
  }
  if (age.empty()) {
    return {"freshness", Outcome::kPass,
            "freshness: not checked (the decision function has no max_age_hours)"};
  }
  return {"freshness", Outcome::kPass, "freshness: the decision is " + age + ", fresh"};
}

RuleResult SeverityRule(const ModelPolicy& policy, const PolicyInput& input) {
  const std::string min(SeverityName(policy.min_severity));
  if (!input.severity) {
    return {"severity", Outcome::kPass,
            "severity: the decision has none (a YES/NO file), so min_severity " + min +
                " does not apply"};
  }
  const std::string severity(SeverityName(*input.severity));
  if (*input.severity < policy.min_severity) {
    return {"severity", Outcome::kBlock,
            "severity: " + severity + " is below min_severity " + min + ": skip"};
  }
  return {"severity", Outcome::kPass,
          "severity: " + severity + " is at or above min_severity " + min};
}

RuleResult CooldownRule(const ModelPolicy& policy, const PolicyInput& input,
                        const HistoryFacts& facts) {
  if (policy.cooldown_hours == 0) return {"cooldown", Outcome::kPass, "cooldown: none configured"};
  const std::string window = Hours(policy.cooldown_hours);
  if (facts.last_started == nullptr) {
    return {"cooldown", Outcome::kPass,
            "cooldown: no retraining started in the history read (cooldown " + window + ")"};
  }
  const milliseconds ago = input.now - std::min(StartOf(*facts.last_started), input.now);
  const std::string since = "cooldown: last retraining " + Version(*facts.last_started) +
                            " started " + FormatDuration(ago) + " ago";
  if (ago >= hours(policy.cooldown_hours)) {
    return {"cooldown", Outcome::kPass, since + " (>= " + window + ")"};
  }
  const std::string severity =
      input.severity ? "severity " + std::string(SeverityName(*input.severity)) : "no severity";
  if (!policy.cooldown_override) {
    return {"cooldown", Outcome::kBlock,
            since + " (< " + window + "), no cooldown_override configured: skip"};
  }
  const std::string override_name(SeverityName(*policy.cooldown_override));
  if (input.severity && *input.severity >= *policy.cooldown_override) {
    return {"cooldown", Outcome::kOverride,
            since + " (< " + window + "), but " + severity + " is at or above override " +
                override_name + ": cooldown lifted"};
  }
  return {
      "cooldown", Outcome::kBlock,
      since + " (< " + window + "), " + severity + " below override " + override_name + ": skip"};
}

RuleResult CapRule(const ModelPolicy& policy, const HistoryFacts& facts) {
  const std::string period = std::to_string(policy.cap_period_days) + "d";
  const int64_t counted = facts.started_in_period + facts.pending_in_period;
  std::string found = std::to_string(facts.started_in_period) + " started";
  if (facts.pending_in_period > 0) {
    found += " + " + std::to_string(facts.pending_in_period) + " queued or awaiting approval";
  }
  found += " in the last " + period;
  if (!policy.max_retrainings)
    return {"cap", Outcome::kPass, "cap: none configured (" + found + ")"};
  const std::string max = std::to_string(*policy.max_retrainings);
  if (counted >= *policy.max_retrainings) {
    return {"cap", Outcome::kBlock,
            "cap: " + found + ", the cap is " + max + " per " + period + ": skip"};
  }
  return {"cap", Outcome::kPass, "cap: " + found + ", below the cap of " + max + " per " + period};
}

RuleResult RunningRule(const ModelPolicy& policy, const PolicyInput& input,
                       const HistoryFacts& facts, std::optional<int64_t>* queued_behind) {
  std::string lost;
  if (facts.presumed_lost != nullptr) {
    lost = " (retraining " + Version(*facts.presumed_lost) + " is still recorded RUNNING after " +
           FormatDuration(input.now - StartOf(*facts.presumed_lost)) +
           ", past running_timeout_hours " + Hours(policy.running_timeout_hours) +
           ": presumed lost)";
  }
  if (facts.in_progress == nullptr) {
    return {"running", Outcome::kPass, "running: no retraining in progress" + lost};
  }
  const PastRetraining& current = *facts.in_progress;
  std::string what =
      current.status == RetrainingStatus::kRunning
          ? "retraining " + Version(current) + " is running (started " +
                FormatDuration(input.now - std::min(StartOf(current), input.now)) + " ago)"
          : "a retraining evaluated " +
                FormatDuration(input.now - std::min(current.evaluated_at, input.now)) +
                " ago is waiting for approval";
  if (policy.while_running == WhileRunning::kSkip) {
    return {"running", Outcome::kBlock, "running: " + what + ", while_running is skip: skip"};
  }
  if (facts.queued != nullptr) {
    return {"running", Outcome::kBlock,
            "running: " + what + " and one retraining is already queued: skip"};
  }
  *queued_behind = current.version;
  return {"running", Outcome::kQueue,
          "running: " + what + ", while_running is queue: queue one to start after it"};
}

RuleResult ApprovalRule(const ModelPolicy& policy) {
  if (!policy.approval.required) return {"approval", Outcome::kPass, "approval: not required"};
  return {
      "approval", Outcome::kNeedsApproval,
      "approval: required (after " + WaitText(policy.approval.timeout) + " without an answer: " +
          (policy.approval.on_timeout == ApprovalDefault::kApprove ? "approve" : "reject") + ")"};
}

}  // namespace

std::chrono::hours HistoryLookback(const ModelPolicy& policy) {
  int64_t longest =
      std::max({policy.cooldown_hours, 24 * policy.cap_period_days, policy.running_timeout_hours});
  int64_t total = longest + policy.running_timeout_hours;
  if (policy.approval.required) total += std::chrono::ceil<hours>(policy.approval.timeout).count();
  return hours(total);
}

PolicyVerdict EvaluatePolicy(const ModelPolicy& policy, const PolicyInput& input) {
  const HistoryFacts facts = Gather(policy, input);
  PolicyVerdict out;
  std::optional<int64_t> queued_behind;
  out.reasons = {DecisionRule(input),         FreshnessRule(input),
                 SeverityRule(policy, input), CooldownRule(policy, input, facts),
                 CapRule(policy, facts),      RunningRule(policy, input, facts, &queued_behind),
                 ApprovalRule(policy)};
  auto first = [&](Outcome outcome) {
    return std::find_if(out.reasons.begin(), out.reasons.end(),
                        [&](const RuleResult& r) { return r.outcome == outcome; });
  };
  if (auto block = first(Outcome::kBlock); block != out.reasons.end()) {
    out.verdict = Verdict::kSkip;
    out.summary = block->message;
  } else if (auto queue = first(Outcome::kQueue); queue != out.reasons.end()) {
    out.verdict = Verdict::kQueue;
    out.summary = queue->message;
    out.queued_behind = queued_behind;
  } else if (auto approval = first(Outcome::kNeedsApproval); approval != out.reasons.end()) {
    out.verdict = Verdict::kNeedsApproval;
    out.summary = approval->message;
  } else {
    out.verdict = Verdict::kRetrain;
    out.summary = "retrain: every rule passed";
  }
  return out;
}

PolicyVerdict ResumeQueued(const ModelPolicy& policy, PolicyVerdict queued,
                           std::chrono::milliseconds waited) {
  PolicyVerdict out = std::move(queued);
  out.queued_behind.reset();
  RuleResult running{
      "running", Outcome::kPass,
      "running: the retraining it was queued behind ended; queued for " + FormatDuration(waited)};
  if (waited >= hours(policy.running_timeout_hours)) {
    running.outcome = Outcome::kBlock;
    running.message = "running: queued for " + FormatDuration(waited) +
                      ", past running_timeout_hours " + Hours(policy.running_timeout_hours) +
                      " (the retraining ahead of it never reported its end): skip";
  }
  auto same_rule = [&](const RuleResult& r) { return r.rule == running.rule; };
  if (auto it = std::find_if(out.reasons.begin(), out.reasons.end(), same_rule);
      it != out.reasons.end()) {
    *it = running;
  } else {
    out.reasons.push_back(running);
  }
  if (running.outcome == Outcome::kBlock) {
    out.verdict = Verdict::kSkip;
    out.summary = running.message;
  } else if (policy.approval.required) {
    const RuleResult approval = ApprovalRule(policy);
    auto same = [&](const RuleResult& r) { return r.rule == approval.rule; };
    std::replace_if(out.reasons.begin(), out.reasons.end(), same, approval);
    out.verdict = Verdict::kNeedsApproval;
    out.summary = approval.message;
  } else {
    out.verdict = Verdict::kRetrain;
    out.summary = "retrain: started when the retraining it was queued behind ended";
  }
  return out;
}

}  // namespace autoretrain::retrain
