// Wait: InputPath, then waits (Seconds, Timestamp, SecondsPath or TimestampPath, the paths read
// from the effective input) through the Clock, then OutputPath on the effective input.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/io_processing.h"
#include "engine/jsonata_io.h"
#include "engine/run_context.h"

namespace autoretrain::engine {
namespace {

// The number of seconds at SecondsPath: a non-negative integer (an integral double such as
// 5.0 is accepted, as Java's JSON reader does).
Result<int64_t> SecondsAt(const json::Path& path, const json::Value& input,
                          ContextObject& context) {
  std::optional<Payload> found = LookupPath(path, input, context);
  if (!found) return NoResultsError(path);
  const json::Value* v = &found->get();
  std::optional<int64_t> seconds;
  if (v->is_int64()) {
    seconds = v->get_int64();
  } else if (v->is_uint64()) {
    seconds = v->get_uint64() > static_cast<uint64_t>(INT64_MAX)
                  ? INT64_MAX
                  : static_cast<int64_t>(v->get_uint64());
  } else if (v->is_double()) {
    double d = v->get_double();
    if (d == static_cast<double>(static_cast<int64_t>(d)) && d < 9.2e18 && d > -9.2e18) {
      seconds = static_cast<int64_t>(d);
    }
  }
  std::string description = path.text() + " == " + json::Serialize(*v);
  if (!seconds) {
    return Error{"States.Runtime",
                 "The SecondsPath parameter cannot be parsed as a long value: " + description};
  }
  if (*seconds < 0) {
    return Error{"States.Runtime",
                 "The SecondsPath parameter references a negative value: " + description};
  }
  return *seconds;
}

Result<TimePoint> TimestampAt(const json::Path& path, const json::Value& input,
                              ContextObject& context) {
  std::optional<Payload> found = LookupPath(path, input, context);
  if (!found) return NoResultsError(path);
  const json::Value* v = &found->get();
  TimePoint t;
  if (!v->is_string() || !ParseIso8601(std::string(v->get_string()), &t)) {
    return Error{"States.Runtime",
                 "The TimestampPath parameter does not reference a valid ISO-8601 extended "
                 "offset date-time format string: " +
                     path.text() + " == " + json::Serialize(*v)};
  }
  return t;
}

// Seconds far beyond any real wait (AWS caps waits at one year) are clamped so the addition
// cannot overflow.
TimePoint AfterSeconds(TimePoint now, int64_t seconds) {
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;
  if (seconds > kMaxSeconds) seconds = kMaxSeconds;
  return now + std::chrono::seconds(seconds);
}

// AWS's Wait page: timestamps are honoured to the second; milliseconds are dropped.
TimePoint TruncateToSecond(TimePoint t) {
  auto ms = t.time_since_epoch().count();
  auto rem = ms % 1000;
  if (rem < 0) rem += 1000;
  return TimePoint(std::chrono::milliseconds(ms - rem));
}

// A JSONata Wait: Seconds / Timestamp as literals or expressions on $states.input; after the
// wait, Assign and Output (default: the input).
StateOutcome RunJsonataWait(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  const asl::JsonataFields& f = s.jsonata_fields;
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  if (rc.woken) {
    Status assigned = EvaluateJsonataAssign(f.assign, bindings, rc.jsonata_options(), &rc.assigned);
    if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
    Status output = EvaluateOutputInPlace(f.output, bindings, rc.jsonata_options(), input);
    if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
    return StateOutcome::Transition(s, /*input_unchanged=*/!f.output);
  }
  TimePoint until = rc.clock.Now();
  if (s.seconds) {
    until = AfterSeconds(until, *s.seconds);
  } else if (f.seconds) {
    Result<int64_t> seconds =
        EvaluateSeconds(*f.seconds, bindings, rc.jsonata_options(), "Seconds", 0);
    if (!seconds.ok()) return StateOutcome::Failed(rc.StateError(seconds.take_error()));
    until = AfterSeconds(until, *seconds);
  } else if (s.timestamp) {
    ParseIso8601(*s.timestamp, &until);
    until = TruncateToSecond(until);
  } else if (f.timestamp) {
    Result<json::Value> v = f.timestamp->Evaluate(bindings, rc.jsonata_options());
    if (!v.ok()) return StateOutcome::Failed(rc.StateError(v.take_error()));
    if (!v->is_string() || !ParseIso8601(std::string(v->get_string()), &until)) {
      return StateOutcome::Failed(rc.StateError(
          Error{asl::kQueryEvaluationError,
                "The value of the field 'Timestamp' must be an RFC 3339 timestamp string such as "
                "'2026-01-05T03:00:00Z', but the JSONata expression gave " +
                    json::Serialize(*v)}));
    }
    until = TruncateToSecond(until);
  }
  return StateOutcome::Suspend(until);
}

}  // namespace

// The first run computes when the wait ends and suspends the execution until then; the run
// after the wake-up passes the effective input on.
StateOutcome RunWaitState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  if (s.jsonata) return RunJsonataWait(rc, input);
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  if (rc.woken) {
    Status assigned = EvaluateAssign(s.assign, effective->get(), rc.context, &rc.assigned);
    if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
    KeepEffective(std::move(effective).value(), input, s.input_path);
    Status output = ApplyOutputPath(s.output_path, input, rc.context);
    if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
    return StateOutcome::Transition(s, s.input_path.is_identity() && s.output_path.is_identity());
  }

  TimePoint until = rc.clock.Now();
  if (s.seconds) {
    until = AfterSeconds(until, *s.seconds);
  } else if (s.timestamp) {
    // Validated at compile time; a text that does not parse means "no wait".
    ParseIso8601(*s.timestamp, &until);
  } else if (s.seconds_path) {
    Result<int64_t> seconds = SecondsAt(*s.seconds_path, effective->get(), rc.context);
    if (!seconds.ok()) return StateOutcome::Failed(rc.StateError(seconds.take_error()));
    until = AfterSeconds(until, *seconds);
  } else if (s.timestamp_path) {
    Result<TimePoint> t = TimestampAt(*s.timestamp_path, effective->get(), rc.context);
    if (!t.ok()) return StateOutcome::Failed(rc.StateError(t.take_error()));
    until = *t;
  }
  if (s.timestamp || s.timestamp_path) until = TruncateToSecond(until);
  return StateOutcome::Suspend(until);
}

}  // namespace autoretrain::engine
