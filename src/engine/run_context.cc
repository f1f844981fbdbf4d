#include "engine/run_context.h"

#include <string>
#include <utility>

namespace autoretrain::engine {

Error RunContext::StateError(Error error) const {
  std::string cause = "An error occurred while executing the state '";
  cause += state->name;
  cause += "' (entered at the event id #";
  cause += std::to_string(entered_event_id);
  cause += "). ";
  cause += error.cause;
  return Error{std::move(error.error), std::move(cause)};
}

jsonata::EvaluateOptions RunContext::jsonata_options() const {
  jsonata::EvaluateOptions options;
  options.time_limit = jsonata_time_limit;
  return options;
}

StateOutcome StateOutcome::Transition(const asl::State& state, bool input_unchanged) {
  if (state.end) return End(input_unchanged);
  return GoTo(state.next_index, input_unchanged);
}

StateOutcome StateOutcome::GoTo(int next_index, bool input_unchanged) {
  StateOutcome o;
  o.kind = Kind::kNext;
  o.next_index = next_index;
  o.input_unchanged = input_unchanged;
  return o;
}

StateOutcome StateOutcome::End(bool input_unchanged) {
  StateOutcome o;
  o.kind = Kind::kEnd;
  o.input_unchanged = input_unchanged;
  return o;
}

StateOutcome StateOutcome::Failed(Error error) {
  StateOutcome o;
  o.kind = Kind::kFailed;
  o.error = std::move(error);
  return o;
}

StateOutcome StateOutcome::Suspend(TimePoint wake_at) {
  StateOutcome o;
  o.kind = Kind::kSuspend;
  o.wake_at = wake_at;
  return o;
}

StateOutcome StateOutcome::Halt() {
  StateOutcome o;
  o.kind = Kind::kHalt;
  return o;
}

StateOutcome StateOutcome::TimedOut() {
  StateOutcome o;
  o.kind = Kind::kTimedOut;
  return o;
}

}  // namespace autoretrain::engine
