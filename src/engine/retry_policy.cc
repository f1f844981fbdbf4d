#include "engine/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include "engine/io_processing.h"
#include "engine/jsonata_io.h"

namespace autoretrain::engine {

bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error_name) {
  if (error_name == "States.Runtime") return false;
  const bool wildcard_ok = error_name != "States.DataLimitExceeded";
  for (const std::string& name : error_equals) {
    if (name == error_name) return true;
    if (!wildcard_ok) continue;
    if (name == "States.ALL") return true;
    if (name == "States.TaskFailed" && error_name != "States.Timeout") return true;
  }
  return false;
}

std::chrono::milliseconds RetryDelay(const asl::Retrier& retrier, int attempt, double jitter) {
  double seconds = retrier.interval_seconds * std::pow(retrier.backoff_rate, attempt);
  if (retrier.max_delay_seconds) {
    seconds = std::min(seconds, static_cast<double>(*retrier.max_delay_seconds));
  }
  // Step Functions' own limit on a single wait (one year) also bounds a runaway backoff.
  seconds = std::min(seconds, 31536000.0);
  if (!(seconds > 0)) return std::chrono::milliseconds(0);
  if (retrier.jitter_strategy == "FULL") seconds *= std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)));
}

double RandomUnit() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

StateOutcome HandleStateError(RunContext& rc, json::Value& input, Error error) {
  if (std::optional<StateOutcome> retry = RetryOutcome(rc, error)) return std::move(*retry);
  return CatchOutcome(rc, input, std::move(error));
}

std::optional<StateOutcome> RetryOutcome(RunContext& rc, const Error& error) {
  const asl::State& s = *rc.state;
  rc.assigned.reset();  // a failed attempt assigns nothing
  rc.retrier_attempts.resize(s.retry.size(), 0);
  for (size_t i = 0; i < s.retry.size(); ++i) {
    const asl::Retrier& retrier = s.retry[i];
    if (!ErrorMatches(retrier.error_equals, error.error)) continue;
    int& attempts = rc.retrier_attempts[i];
    if (attempts < retrier.max_attempts) {
      auto delay = RetryDelay(retrier, attempts, RandomUnit());
      ++attempts;
      rc.context.SetRetryCount(rc.context.retry_count() + 1);
      return StateOutcome::Suspend(rc.clock.Now() + delay);
    }
    break;
  }
  return std::nullopt;
}

StateOutcome CatchOutcome(RunContext& rc, json::Value& input, Error error) {
  for (const asl::Catcher& catcher : rc.state->catch_) {
    if (!ErrorMatches(catcher.error_equals, error.error)) continue;
    json::Value error_output = json::Object{{"Error", error.error}, {"Cause", error.cause}};
    if (rc.state->jsonata) {
      // $states.errorOutput is the error; the catcher's Output (default: the error output)
      // is the state output, its Assign replaces the state's.
      const jsonata::Bindings bindings = StatesBindings(rc.context, input, nullptr, &error_output);
      Status assigned = EvaluateJsonataAssign(catcher.jsonata_assign, bindings,
                                              rc.jsonata_options(), &rc.assigned);
      if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
      Result<json::Value> out =
          EvaluateOutput(catcher.output, bindings, rc.jsonata_options(), std::move(error_output));
      if (!out.ok()) return StateOutcome::Failed(rc.StateError(out.take_error()));
      input = std::move(out).value();
      return StateOutcome::GoTo(catcher.next_index);
    }
    // The catcher's Assign, with `$` the error output, replaces the state's.
    Status assigned = EvaluateAssign(catcher.assign, error_output, rc.context, &rc.assigned);
    if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
    Status caught = ApplyResultPath(catcher.result_path, input, std::move(error_output));
    if (!caught.ok()) return StateOutcome::Failed(rc.StateError(caught.take_error()));
    return StateOutcome::GoTo(catcher.next_index);
  }
  return StateOutcome::Failed(std::move(error));
}

}  // namespace autoretrain::engine
