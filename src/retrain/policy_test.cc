// EvaluatePolicy: each rule, their interactions, the window edges, and the verdict's JSON.
#include <gtest/gtest.h>

#include <algorithm>

#include "autoretrain/retrain/policy.h"
#include "retrain/schedule_test_util.h"

namespace autoretrain::retrain {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

const TimePoint kEvaluatedAt = At("2026-11-30T03:00:00Z");

// A retraining of the history that started `ago` before kEvaluatedAt (evaluated at the same time).
PastRetraining Started(int64_t version, RetrainingStatus status, milliseconds ago) {
  return PastRetraining{version, status, kEvaluatedAt - ago, kEvaluatedAt - ago};
}
// One evaluated `ago` before kEvaluatedAt that has not started (queued or waiting for approval).
PastRetraining Waiting(RetrainingStatus status, milliseconds ago) {
  return PastRetraining{0, status, kEvaluatedAt - ago, std::nullopt};
}

PolicyInput Yes(std::optional<Severity> severity = std::nullopt,
                std::vector<PastRetraining> history = {}) {
  PolicyInput input;
  input.retrain = true;
  input.severity = severity;
  input.now = kEvaluatedAt;
  input.history = std::move(history);
  return input;
}

const RuleResult& Rule(const PolicyVerdict& verdict, std::string_view name) {
  auto it = std::find_if(verdict.reasons.begin(), verdict.reasons.end(),
                         [&](const RuleResult& r) { return r.rule == name; });
  EXPECT_NE(it, verdict.reasons.end()) << name;
  static const RuleResult kMissing{"missing", Outcome::kPass, ""};
  return it == verdict.reasons.end() ? kMissing : *it;
}

TEST(PolicyTest, AYesWithNoHistoryRetrainsAndSaysWhyForEveryRule) {
  PolicyVerdict v = EvaluatePolicy(ModelPolicy{}, Yes(Severity::kMedium));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(v.summary, "retrain: every rule passed");
  EXPECT_FALSE(v.queued_behind.has_value());
  std::vector<RuleResult> expected = {
      {"decision", Outcome::kPass, "decision: the monitoring job says YES"},
      {"freshness", Outcome::kPass,
       "freshness: not checked (the decision function has no max_age_hours)"},
      {"severity", Outcome::kPass, "severity: MEDIUM is at or above min_severity LOW"},
      {"cooldown", Outcome::kPass,
       "cooldown: no retraining started in the history read (cooldown 24h)"},
      {"cap", Outcome::kPass, "cap: 0 started in the last 7d, below the cap of 3 per 7d"},
      {"running", Outcome::kPass, "running: no retraining in progress"},
      {"approval", Outcome::kPass, "approval: not required"}};
  EXPECT_EQ(v.reasons, expected);
}

TEST(PolicyTest, ANoSkipsButEveryRuleIsStillChecked) {
  PolicyInput input = Yes(Severity::kHigh, {Started(3, RetrainingStatus::kSucceeded, hours(5))});
  input.retrain = false;
  PolicyVerdict v = EvaluatePolicy(ModelPolicy{}, input);
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary, "decision: the monitoring job says NO: skip");
  ASSERT_EQ(v.reasons.size(), 7u);
  EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kBlock);
}

TEST(PolicyTest, AStaleDecisionNeverRetrains) {
  PolicyInput input = Yes(Severity::kCritical);
  input.retrain = false;  // the decision function turns a stale YES into NO
  input.stale = true;
  input.reported_decision = "YES";
  input.age_seconds = 49 * 3600 + 30;
  PolicyVerdict v = EvaluatePolicy(ModelPolicy{}, input);
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary, "decision: NO (the stale file's YES does not count): skip");
  EXPECT_EQ(Rule(v, "freshness").outcome, Outcome::kBlock);
  EXPECT_EQ(Rule(v, "freshness").message,
            "freshness: the decision is stale (2d 1h old), older than the decision function's "
            "max_age_hours: skip");
  // A fresh decision says its age.
  input = Yes(Severity::kCritical);
  input.age_seconds = 3600 + 120;
  v = EvaluatePolicy(ModelPolicy{}, input);
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "freshness").message, "freshness: the decision is 1h 2m old, fresh");
}

TEST(PolicyTest, SeverityBelowTheMinimumSkips) {
  ModelPolicy policy;
  policy.min_severity = Severity::kHigh;
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kMedium));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary, "severity: MEDIUM is below min_severity HIGH: skip");
  EXPECT_EQ(EvaluatePolicy(policy, Yes(Severity::kHigh)).verdict, Verdict::kRetrain);
  EXPECT_EQ(EvaluatePolicy(policy, Yes(Severity::kCritical)).verdict, Verdict::kRetrain);
  // The default minimum LOW holds back a YES that says NONE.
  EXPECT_EQ(EvaluatePolicy(ModelPolicy{}, Yes(Severity::kNone)).verdict, Verdict::kSkip);
  policy.min_severity = Severity::kNone;
  EXPECT_EQ(EvaluatePolicy(policy, Yes(Severity::kNone)).verdict, Verdict::kRetrain);
}

TEST(PolicyTest, ADecisionWithoutSeverityIsNotHeldBackByTheMinimum) {
  ModelPolicy policy;
  policy.min_severity = Severity::kCritical;
  PolicyVerdict v = EvaluatePolicy(policy, Yes());
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "severity").message,
            "severity: the decision has none (a YES/NO file), so min_severity CRITICAL does not "
            "apply");
}

TEST(PolicyTest, CooldownBlocksBelowTheOverrideAndTheOverrideLiftsIt) {
  const std::vector<PastRetraining> history = {Started(2, RetrainingStatus::kSucceeded, hours(30)),
                                               Started(3, RetrainingStatus::kSucceeded, hours(5))};
  PolicyVerdict v = EvaluatePolicy(ModelPolicy{}, Yes(Severity::kHigh, history));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "cooldown: last retraining v3 started 5h ago (< 24h), severity HIGH below override "
            "CRITICAL: skip");
  v = EvaluatePolicy(ModelPolicy{}, Yes(Severity::kCritical, history));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kOverride);
  EXPECT_EQ(Rule(v, "cooldown").message,
            "cooldown: last retraining v3 started 5h ago (< 24h), but severity CRITICAL is at or "
            "above override CRITICAL: cooldown lifted");
  // A lower override level lets HIGH through too.
  ModelPolicy policy;
  policy.cooldown_override = Severity::kHigh;
  EXPECT_EQ(EvaluatePolicy(policy, Yes(Severity::kHigh, history)).verdict, Verdict::kRetrain);
}

TEST(PolicyTest, CooldownWithoutOverrideOrSeverityBlocks) {
  const std::vector<PastRetraining> history = {Started(7, RetrainingStatus::kFailed, minutes(90))};
  ModelPolicy policy;
  policy.cooldown_override = std::nullopt;
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kCritical, history));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "cooldown: last retraining v7 started 1h 30m ago (< 24h), no cooldown_override "
            "configured: skip");
  v = EvaluatePolicy(ModelPolicy{}, Yes(std::nullopt, history));
  EXPECT_EQ(v.summary,
            "cooldown: last retraining v7 started 1h 30m ago (< 24h), no severity below override "
            "CRITICAL: skip");
}

TEST(PolicyTest, CooldownEdgeIsExactlyTheWindow) {
  ModelPolicy policy;
  auto verdict = [&](milliseconds ago) {
    return EvaluatePolicy(policy,
                          Yes(Severity::kHigh, {Started(1, RetrainingStatus::kSucceeded, ago)}));
  };
  EXPECT_EQ(verdict(hours(24)).verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(verdict(hours(24)), "cooldown").message,
            "cooldown: last retraining v1 started 1d ago (>= 24h)");
  EXPECT_EQ(verdict(hours(24) - milliseconds(1)).verdict, Verdict::kSkip);
  EXPECT_EQ(verdict(hours(24) + milliseconds(1)).verdict, Verdict::kRetrain);
  policy.cooldown_hours = 0;
  PolicyVerdict v = verdict(milliseconds(0));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "cooldown").message, "cooldown: none configured");
}

TEST(PolicyTest, CooldownCountsTheLatestStartOfAnyOutcomeButNotRejectedOrWaitingOnes) {
  ModelPolicy policy;
  for (RetrainingStatus status :
       {RetrainingStatus::kSucceeded, RetrainingStatus::kFailed, RetrainingStatus::kTimedOut,
        RetrainingStatus::kAborted, RetrainingStatus::kRunning}) {
    PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kHigh, {Started(1, status, hours(2))}));
    EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kBlock) << StatusName(status);
  }
  for (RetrainingStatus status : {RetrainingStatus::kRejected, RetrainingStatus::kQueued,
                                  RetrainingStatus::kPendingApproval}) {
    PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kHigh, {Waiting(status, hours(2))}));
    EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kPass) << StatusName(status);
  }
  // The latest start decides, whatever the order of the history.
  PolicyVerdict v = EvaluatePolicy(
      policy, Yes(Severity::kHigh, {Started(9, RetrainingStatus::kSucceeded, hours(3)),
                                    Started(8, RetrainingStatus::kSucceeded, hours(50))}));
  EXPECT_NE(Rule(v, "cooldown").message.find("v9 started 3h ago"), std::string::npos);
}

TEST(PolicyTest, AStartInTheFutureCountsAsNow) {
  PolicyVerdict v = EvaluatePolicy(
      ModelPolicy{},
      Yes(Severity::kHigh, {Started(4, RetrainingStatus::kSucceeded, -minutes(10))}));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "cooldown: last retraining v4 started 0s ago (< 24h), severity HIGH below override "
            "CRITICAL: skip");
}

TEST(PolicyTest, TheCapCountsStartsInThePeriodAndTheOverrideDoesNotLiftIt) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  const std::vector<PastRetraining> three = {Started(1, RetrainingStatus::kSucceeded, hours(100)),
                                             Started(2, RetrainingStatus::kFailed, hours(50)),
                                             Started(3, RetrainingStatus::kSucceeded, hours(1))};
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kCritical, three));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary, "cap: 3 started in the last 7d, the cap is 3 per 7d: skip");
  policy.max_retrainings = 4;
  v = EvaluatePolicy(policy, Yes(Severity::kCritical, three));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "cap").message, "cap: 3 started in the last 7d, below the cap of 4 per 7d");
  policy.max_retrainings = std::nullopt;
  v = EvaluatePolicy(policy, Yes(Severity::kCritical, three));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "cap").message, "cap: none configured (3 started in the last 7d)");
}

TEST(PolicyTest, CapWindowEdges) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  policy.max_retrainings = 1;
  auto verdict = [&](milliseconds ago) {
    return EvaluatePolicy(policy,
                          Yes(Severity::kHigh, {Started(1, RetrainingStatus::kSucceeded, ago)}))
        .verdict;
  };
  EXPECT_EQ(verdict(hours(7 * 24)), Verdict::kRetrain);  // exactly a period ago: out
  EXPECT_EQ(verdict(hours(7 * 24) - milliseconds(1)), Verdict::kSkip);
  EXPECT_EQ(verdict(milliseconds(0)), Verdict::kSkip);
  policy.cap_period_days = 1;
  EXPECT_EQ(verdict(hours(24)), Verdict::kRetrain);
  EXPECT_EQ(verdict(hours(23)), Verdict::kSkip);
}

TEST(PolicyTest, TheCapCountsQueuedAndAwaitingApprovalAndNotRejected) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  policy.max_retrainings = 2;
  policy.while_running = WhileRunning::kQueue;
  PolicyVerdict v =
      EvaluatePolicy(policy, Yes(Severity::kHigh, {Started(5, RetrainingStatus::kRunning, hours(2)),
                                                   Waiting(RetrainingStatus::kQueued, hours(1))}));
  EXPECT_EQ(Rule(v, "cap").message,
            "cap: 1 started + 1 queued or awaiting approval in the last 7d, the cap is 2 per 7d: "
            "skip");
  v = EvaluatePolicy(policy,
                     Yes(Severity::kHigh, {Waiting(RetrainingStatus::kRejected, hours(1)),
                                           Waiting(RetrainingStatus::kRejected, hours(2))}));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
}

TEST(PolicyTest, WhileRunningSkipOrQueue) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  const std::vector<PastRetraining> running = {Started(6, RetrainingStatus::kRunning, hours(2))};
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kHigh, running));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "running: retraining v6 is running (started 2h ago), while_running is skip: skip");
  policy.while_running = WhileRunning::kQueue;
  v = EvaluatePolicy(policy, Yes(Severity::kHigh, running));
  EXPECT_EQ(v.verdict, Verdict::kQueue);
  EXPECT_EQ(v.queued_behind, 6);
  EXPECT_EQ(v.summary,
            "running: retraining v6 is running (started 2h ago), while_running is queue: queue "
            "one to start after it");
  // At most one is queued.
  std::vector<PastRetraining> with_queued = running;
  with_queued.push_back(Waiting(RetrainingStatus::kQueued, hours(1)));
  v = EvaluatePolicy(policy, Yes(Severity::kHigh, with_queued));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "running: retraining v6 is running (started 2h ago) and one retraining is already "
            "queued: skip");
}

TEST(PolicyTest, AQueuedEvaluationResumesWithoutTheRulesAgain) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  policy.while_running = WhileRunning::kQueue;
  const PolicyVerdict queued = EvaluatePolicy(
      policy, Yes(Severity::kHigh, {Started(6, RetrainingStatus::kRunning, hours(2))}));
  ASSERT_EQ(queued.verdict, Verdict::kQueue);

  PolicyVerdict v = ResumeQueued(policy, queued, hours(3));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_FALSE(v.queued_behind.has_value());
  EXPECT_EQ(v.reasons.size(), queued.reasons.size());
  EXPECT_EQ(Rule(v, "running").outcome, Outcome::kPass);
  EXPECT_EQ(Rule(v, "running").message,
            "running: the retraining it was queued behind ended; queued for 3h");
  EXPECT_EQ(Rule(v, "cooldown"), Rule(queued, "cooldown"));  // not evaluated again

  policy.approval.required = true;
  v = ResumeQueued(policy, queued, hours(3));
  EXPECT_EQ(v.verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(Rule(v, "approval").outcome, Outcome::kNeedsApproval);
  EXPECT_EQ(v.summary, Rule(v, "approval").message);

  v = ResumeQueued(policy, queued, hours(policy.running_timeout_hours));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(Rule(v, "running").outcome, Outcome::kBlock);
  EXPECT_NE(v.summary.find("past running_timeout_hours"), std::string::npos) << v.summary;
}

TEST(PolicyTest, TheCooldownOfTheRunningRetrainingWinsOverQueueingUnlessOverridden) {
  ModelPolicy policy;
  policy.while_running = WhileRunning::kQueue;
  const std::vector<PastRetraining> running = {Started(6, RetrainingStatus::kRunning, hours(2))};
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kHigh, running));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kBlock);
  EXPECT_EQ(Rule(v, "running").outcome, Outcome::kQueue);
  v = EvaluatePolicy(policy, Yes(Severity::kCritical, running));
  EXPECT_EQ(v.verdict, Verdict::kQueue);
  EXPECT_EQ(Rule(v, "cooldown").outcome, Outcome::kOverride);
}

TEST(PolicyTest, ARetrainingRunningPastTheTimeoutIsPresumedLost) {
  ModelPolicy policy;
  policy.running_timeout_hours = 48;
  policy.cooldown_hours = 0;
  auto verdict = [&](milliseconds ago) {
    return EvaluatePolicy(policy,
                          Yes(Severity::kHigh, {Started(2, RetrainingStatus::kRunning, ago)}));
  };
  EXPECT_EQ(verdict(hours(48) - milliseconds(1)).verdict, Verdict::kSkip);
  PolicyVerdict v = verdict(hours(48));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "running").message,
            "running: no retraining in progress (retraining v2 is still recorded RUNNING after "
            "2d, past running_timeout_hours 48h: presumed lost)");
}

TEST(PolicyTest, ARetrainingWaitingForApprovalIsInProgressUntilTheApprovalTimeout) {
  ModelPolicy policy;
  policy.approval.timeout = hours(12);
  PolicyVerdict v = EvaluatePolicy(
      policy, Yes(Severity::kHigh, {Waiting(RetrainingStatus::kPendingApproval, hours(3))}));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(v.summary,
            "running: a retraining evaluated 3h ago is waiting for approval, while_running is "
            "skip: skip");
  v = EvaluatePolicy(
      policy, Yes(Severity::kHigh, {Waiting(RetrainingStatus::kPendingApproval, hours(12))}));
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  // Queueing behind it has no version to wait for.
  policy.while_running = WhileRunning::kQueue;
  v = EvaluatePolicy(policy,
                     Yes(Severity::kHigh, {Waiting(RetrainingStatus::kPendingApproval, hours(3))}));
  EXPECT_EQ(v.verdict, Verdict::kQueue);
  EXPECT_EQ(v.queued_behind, 0);
}

TEST(PolicyTest, ApprovalIsAskedOnlyWhenNothingBlocksOrQueues) {
  ModelPolicy policy;
  policy.approval.required = true;
  policy.approval.timeout = hours(6);
  policy.approval.on_timeout = ApprovalDefault::kApprove;
  PolicyVerdict v = EvaluatePolicy(policy, Yes(Severity::kHigh));
  EXPECT_EQ(v.verdict, Verdict::kNeedsApproval);
  EXPECT_EQ(v.summary, "approval: required (after 6h without an answer: approve)");
  v = EvaluatePolicy(policy,
                     Yes(Severity::kLow, {Started(1, RetrainingStatus::kSucceeded, hours(1))}));
  EXPECT_EQ(v.verdict, Verdict::kSkip);
  EXPECT_EQ(Rule(v, "approval").outcome, Outcome::kNeedsApproval);
  policy.cooldown_hours = 0;
  policy.while_running = WhileRunning::kQueue;
  v = EvaluatePolicy(policy,
                     Yes(Severity::kHigh, {Started(1, RetrainingStatus::kRunning, hours(1))}));
  EXPECT_EQ(v.verdict, Verdict::kQueue);
  policy.approval.on_timeout = ApprovalDefault::kReject;
  EXPECT_EQ(EvaluatePolicy(policy, Yes()).summary,
            "approval: required (after 6h without an answer: reject)");
}

TEST(PolicyTest, TheVerdictDependsOnlyOnItsInput) {
  std::vector<PastRetraining> history = {Started(1, RetrainingStatus::kSucceeded, hours(100)),
                                         Started(2, RetrainingStatus::kRunning, hours(30)),
                                         Waiting(RetrainingStatus::kQueued, hours(3)),
                                         Started(3, RetrainingStatus::kFailed, hours(40))};
  ModelPolicy policy;
  policy.while_running = WhileRunning::kQueue;
  const std::string first =
      json::Serialize(VerdictToJson(EvaluatePolicy(policy, Yes(Severity::kHigh, history))));
  std::reverse(history.begin(), history.end());
  EXPECT_EQ(json::Serialize(VerdictToJson(EvaluatePolicy(policy, Yes(Severity::kHigh, history)))),
            first);
  std::rotate(history.begin(), history.begin() + 1, history.end());
  EXPECT_EQ(json::Serialize(VerdictToJson(EvaluatePolicy(policy, Yes(Severity::kHigh, history)))),
            first);
}

TEST(PolicyTest, VerdictAsJson) {
  ModelPolicy policy;
  policy.cooldown_hours = 0;
  policy.while_running = WhileRunning::kQueue;
  PolicyVerdict v = EvaluatePolicy(
      policy, Yes(Severity::kLow, {Started(6, RetrainingStatus::kRunning, hours(1))}));
  EXPECT_EQ(
      json::Serialize(VerdictToJson(v)),
      R"({"verdict":"QUEUE","summary":"running: retraining v6 is running (started 1h ago), )"
      R"(while_running is queue: queue one to start after it","reasons":[)"
      R"({"rule":"decision","outcome":"PASS","message":"decision: the monitoring job says YES"},)"
      R"({"rule":"freshness","outcome":"PASS","message":"freshness: not checked (the )"
      R"j(decision function has no max_age_hours)"},)j"
      R"({"rule":"severity","outcome":"PASS","message":"severity: LOW is at or above )"
      R"(min_severity LOW"},)"
      R"({"rule":"cooldown","outcome":"PASS","message":"cooldown: none configured"},)"
      R"({"rule":"cap","outcome":"PASS","message":"cap: 1 started in the last 7d, below )"
      R"(the cap of 3 per 7d"},)"
      R"({"rule":"running","outcome":"QUEUE","message":"running: retraining v6 is running )"
      R"((started 1h ago), while_running is queue: queue one to start after it"},)"
      R"({"rule":"approval","outcome":"PASS","message":"approval: not required"}],)"
      R"("queued_behind":6})");
}

// The worked example of docs/retraining-policy.md.
TEST(PolicyTest, TheDocumentedExample) {
  PolicyInput input = Yes(
      Severity::kHigh, {PastRetraining{7, RetrainingStatus::kSucceeded, At("2026-11-29T21:59:00Z"),
                                       At("2026-11-29T22:00:00Z")}});
  input.age_seconds = 3600;
  EXPECT_EQ(
      json::Serialize(VerdictToJson(EvaluatePolicy(ModelPolicy{}, input))),
      R"j({"verdict":"SKIP","summary":"cooldown: last retraining v7 started 5h ago (< 24h), )j"
      R"j(severity HIGH below override CRITICAL: skip","reasons":[)j"
      R"j({"rule":"decision","outcome":"PASS","message":"decision: the monitoring job says YES"},)j"
      R"j({"rule":"freshness","outcome":"PASS","message":"freshness: the decision is 1h old, fresh"},)j"
      R"j({"rule":"severity","outcome":"PASS","message":"severity: HIGH is at or above min_severity LOW"},)j"
      R"j({"rule":"cooldown","outcome":"BLOCK","message":"cooldown: last retraining v7 started 5h ago )j"
      R"j((< 24h), severity HIGH below override CRITICAL: skip"},)j"
      R"j({"rule":"cap","outcome":"PASS","message":"cap: 1 started in the last 7d, below the cap of 3 per 7d"},)j"
      R"j({"rule":"running","outcome":"PASS","message":"running: no retraining in progress"},)j"
      R"j({"rule":"approval","outcome":"PASS","message":"approval: not required"}]})j");
  input.severity = Severity::kCritical;
  PolicyVerdict v = EvaluatePolicy(ModelPolicy{}, input);
  EXPECT_EQ(v.verdict, Verdict::kRetrain);
  EXPECT_EQ(Rule(v, "cooldown").message,
            "cooldown: last retraining v7 started 5h ago (< 24h), but severity CRITICAL is at or "
            "above override CRITICAL: cooldown lifted");
}

TEST(PolicyTest, NamesReadBack) {
  for (Severity s :
       {Severity::kNone, Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(ParseSeverity(SeverityName(s)), s);
  }
  EXPECT_EQ(ParseSeverity("hIgH"), Severity::kHigh);
  EXPECT_EQ(ParseSeverity(" HIGH"), std::nullopt);
  for (int i = 0; i <= static_cast<int>(RetrainingStatus::kRejected); ++i) {
    EXPECT_EQ(ParseStatus(StatusName(static_cast<RetrainingStatus>(i))),
              static_cast<RetrainingStatus>(i));
  }
  EXPECT_EQ(ParseStatus("running"), std::nullopt);
  for (int i = 0; i <= static_cast<int>(Verdict::kNeedsApproval); ++i) {
    EXPECT_EQ(ParseVerdict(VerdictName(static_cast<Verdict>(i))), static_cast<Verdict>(i));
  }
  for (int i = 0; i <= static_cast<int>(Outcome::kNeedsApproval); ++i) {
    EXPECT_EQ(ParseOutcome(OutcomeName(static_cast<Outcome>(i))), static_cast<Outcome>(i));
  }
  EXPECT_EQ(ParseVerdict("retrain"), std::nullopt);
}

TEST(PolicyTest, Durations) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(999)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(-5000)), "0s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(60)), "1m");
  EXPECT_EQ(FormatDuration(std::chrono::seconds(12 * 60 + 5)), "12m 5s");
  EXPECT_EQ(FormatDuration(hours(5)), "5h");
  EXPECT_EQ(FormatDuration(hours(5) + minutes(30) + std::chrono::seconds(59)), "5h 30m");
  EXPECT_EQ(FormatDuration(hours(24 * 3 + 4) + minutes(5)), "3d 4h");
  EXPECT_EQ(FormatDuration(hours(24 * 400)), "400d");
}

TEST(PolicyTest, HistoryLookbackCoversEveryWindow) {
  ModelPolicy policy;  // cap 7d = 168h, running timeout 168h
  EXPECT_EQ(HistoryLookback(policy), hours(168 + 168));
  policy.cap_period_days = 30;
  EXPECT_EQ(HistoryLookback(policy), hours(720 + 168));
  policy.cooldown_hours = 1000;
  policy.approval.required = true;
  policy.approval.timeout = hours(10);
  EXPECT_EQ(HistoryLookback(policy), hours(1000 + 168 + 10));
}

}  // namespace
}  // namespace autoretrain::retrain
