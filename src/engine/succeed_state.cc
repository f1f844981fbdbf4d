// Succeed: InputPath -> OutputPath, then the execution (or branch) ends successfully.
#include <utility>

#include "engine/io_processing.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

StateOutcome RunSucceedState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  json::Value value = TakeEffective(std::move(effective).value(), input, s.input_path,
                                    /*raw_dispensable=*/true);
  Result<json::Value> output = ApplyOutputPath(s.output_path, std::move(value), rc.context);
  if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
  return StateOutcome::End(std::move(output).value());
}

}  // namespace autoretrain::engine
