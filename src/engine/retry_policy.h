// Retry and Catch matching with Step Functions' semantics (the docs' "Error names" section):
// - States.ALL matches every error except States.Runtime and States.DataLimitExceeded;
// - States.TaskFailed matches every error except States.Timeout (and those two);
// - States.Runtime is never retried or caught, even when named explicitly;
// - the wait before retry n (0-based, counted per Retrier) is
//   IntervalSeconds * BackoffRate^n, capped at MaxDelaySeconds; JitterStrategy FULL picks a
//   uniformly random wait in [0, that].
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_ENGINE_RETRY_POLICY_H_
#define AUTORETRAIN_ENGINE_RETRY_POLICY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

// True when `error_name` is matched by an ErrorEquals list.
bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error_name);

// The wait before retry `attempt` (0 for the first retry) under `retrier`. `jitter` is a
// uniform random number in [0, 1], used only for JitterStrategy FULL.
std::chrono::milliseconds RetryDelay(const asl::Retrier& retrier, int attempt, double jitter);

// A uniform random number in [0, 1] (thread-local generator).
double RandomUnit();

// What a Task, Parallel or Map state does with the `error` its run ended in: Retry, then Catch,
// then fail (RetryOutcome, then CatchOutcome).
StateOutcome HandleStateError(RunContext& rc, json::Value& input, Error error);
// The first Retrier whose ErrorEquals matches decides: while it has attempts left, the state
// suspends for its delay and then runs again, with the attempt counted in rc.retrier_attempts
// and $$.State.RetryCount. Nothing when no Retrier retries: once the matching Retrier's
// attempts are used up the error goes on to Catch, even if a later Retrier would also match.
std::optional<StateOutcome> RetryOutcome(RunContext& rc, const Error& error);
// A matching Catcher continues at its Next with {"Error","Cause"} placed into the raw `input`
// at its ResultPath (the state output, left in `input`); otherwise the state fails with the
// error.
StateOutcome CatchOutcome(RunContext& rc, json::Value& input, Error error);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_RETRY_POLICY_H_
