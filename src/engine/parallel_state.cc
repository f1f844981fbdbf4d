// Parallel: InputPath -> Parameters -> every branch on a copy of the effective input -> the
// array of branch outputs (in branch order) -> ResultSelector -> ResultPath -> OutputPath,
// with Retry and Catch. A failing branch fails the state with the branch's own error and
// cause. Events as AWS records them: ParallelStateStarted at each attempt, the branches'
// events, then ParallelStateSucceeded, or ParallelStateFailed once no Retrier retries.
//
// Branches advance in turn on the execution's thread: a branch that waits (a Wait state, a
// Retry delay) lets the next one run, and the state suspends until the earliest wake-up.
#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "engine/branch_run.h"
#include "engine/branch_set.h"
#include "engine/retry_policy.h"

namespace autoretrain::engine {
namespace {

struct ParallelFrame final : StateFrame {
  std::vector<std::unique_ptr<BranchRun>> runs;
  std::vector<bool> done;
};

}  // namespace

StateOutcome RunParallelState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  auto* frame = static_cast<ParallelFrame*>(rc.frame.get());
  if (frame == nullptr) {
    Result<Payload> effective = EffectiveInput(rc, input);
    if (!effective.ok()) return HandleStateError(rc, input, effective.take_error());
    rc.history.Record("ParallelStateStarted", "", [] { return json::Value(); });
    auto fresh = std::make_unique<ParallelFrame>();
    fresh->runs.reserve(s.branches.size());
    for (size_t i = 0; i < s.branches.size(); ++i) {
      fresh->runs.push_back(std::make_unique<BranchRun>(
          rc, s.branches[i], json::Value(effective->get()), BranchPath(rc, i)));
    }
    fresh->done.assign(s.branches.size(), false);
    frame = fresh.get();
    rc.frame = std::move(fresh);
  }

  std::optional<TimePoint> wake;
  for (size_t i = 0; i < frame->runs.size(); ++i) {
    if (frame->done[i]) continue;
    BranchRun& run = *frame->runs[i];
    const BranchRun::Progress progress = run.Advance();
    switch (progress) {
      case BranchRun::Progress::kSucceeded:
        frame->done[i] = true;
        break;
      case BranchRun::Progress::kSuspended:
        wake = wake ? std::min(*wake, run.wake_at()) : run.wake_at();
        break;
      case BranchRun::Progress::kFailed: {
        Error error = std::move(run.error());
        rc.frame.reset();
        if (std::optional<StateOutcome> retry = RetryOutcome(rc, error)) return std::move(*retry);
        rc.history.Record("ParallelStateFailed", "", [] { return json::Value(); });
        return CatchOutcome(rc, input, std::move(error));
      }
      case BranchRun::Progress::kHalted:
      case BranchRun::Progress::kTimedOut:
      case BranchRun::Progress::kAborted:
        return ExecutionStopOutcome(progress, rc);
    }
  }
  if (wake) return StateOutcome::Suspend(*wake);

  rc.history.Record("ParallelStateSucceeded", "", [] { return json::Value(); });
  json::Array results;
  results.reserve(frame->runs.size());
  for (auto& run : frame->runs) results.push_back(std::move(run->output()));
  rc.frame.reset();
  Status output =
      ApplyResultFields(s, input, /*consume_raw=*/false, json::Value(std::move(results)),
                        rc.context, rc.jsonata_options(), &rc.assigned);
  if (!output.ok()) return HandleStateError(rc, input, rc.StateError(output.take_error()));
  return StateOutcome::Transition(s);
}

}  // namespace autoretrain::engine
