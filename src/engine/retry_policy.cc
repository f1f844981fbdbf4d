#include "engine/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <random>

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

}  // namespace autoretrain::engine
