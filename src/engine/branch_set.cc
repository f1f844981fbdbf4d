#include "engine/branch_set.h"

#include <utility>

#include "engine/jsonata_io.h"

namespace autoretrain::engine {

std::string BranchPath(const RunContext& rc, size_t index) {
  std::string path;
  if (rc.branch_path.empty()) {
    path = std::to_string(rc.entered_event_id);
  } else {
    path = rc.branch_path + "#" + std::to_string(rc.branch_step);
  }
  path += '.';
  path += std::to_string(rc.context.retry_count());
  path += '/';
  path += std::to_string(index);
  return path;
}

Result<Payload> EffectiveInput(RunContext& rc, const json::Value& input) {
  if (rc.state->jsonata) {
    // Arguments (default: the input) on $states.input.
    const std::optional<asl::JsonataTemplate>& arguments = rc.state->jsonata_fields.arguments;
    if (!arguments) return Payload::Borrow(input);
    Result<json::Value> args =
        arguments->Evaluate(StatesBindings(rc.context, input), rc.jsonata_options());
    if (!args.ok()) return rc.StateError(args.take_error());
    return Payload(std::move(args).value());
  }
  Result<Payload> effective = ApplyInputPath(rc.state->input_path, input, rc.context);
  if (!effective.ok()) return rc.StateError(effective.take_error());
  effective = ApplyTemplate(rc.state->parameters, std::move(effective).value(), rc.context);
  if (!effective.ok()) return rc.StateError(effective.take_error());
  return effective;
}

StateOutcome ExecutionStopOutcome(BranchRun::Progress progress, const RunContext& rc) {
  switch (progress) {
    case BranchRun::Progress::kHalted:
      return StateOutcome::Halt();
    case BranchRun::Progress::kTimedOut:
      return StateOutcome::TimedOut();
    default:
      return StateOutcome::Suspend(rc.clock.Now());
  }
}

}  // namespace autoretrain::engine
