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

}  // namespace autoretrain::engine
