// Pass: InputPath -> Parameters -> (Result, or the effective input) -> Assign -> ResultPath ->
// OutputPath.
#include <utility>

#include "engine/io_processing.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

StateOutcome RunPassState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  effective = ApplyTemplate(s.parameters, std::move(effective).value(), rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  if (s.assign) {
    // `$` in Assign is the state's result: Result, else the effective input.
    Status assigned =
        EvaluateAssign(s.assign, s.result ? *s.result : effective->get(), rc.context, &rc.assigned);
    if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
  }

  json::Value result = [&] {
    // The result is discarded: don't build it.
    if (s.result_path.kind == asl::OptionalPath::Kind::kNull) return json::Value();
    if (s.result) return *s.result;
    // When the result replaces the raw input (ResultPath `$`), the raw input is not needed
    // afterwards and the effective input can be moved out of it.
    return TakeEffective(std::move(effective).value(), input, s.input_path,
                         /*raw_dispensable=*/IsIdentity(s.result_path));
  }();

  Result<json::Value> output =
      ApplyResultPath(s.result_path, input, /*consume_raw=*/true, std::move(result));
  if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
  output = ApplyOutputPath(s.output_path, std::move(output).value(), rc.context);
  if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
  return StateOutcome::Transition(s, std::move(output).value());
}

}  // namespace autoretrain::engine
