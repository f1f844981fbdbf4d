// Succeed: InputPath -> OutputPath, then the execution (or branch) ends successfully.
#include <utility>

#include "engine/io_processing.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

StateOutcome RunSucceedState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  KeepEffective(std::move(effective).value(), input, s.input_path);
  Status output = ApplyOutputPath(s.output_path, input, rc.context);
  if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
  return StateOutcome::End(s.input_path.is_identity() && s.output_path.is_identity());
}

}  // namespace autoretrain::engine
