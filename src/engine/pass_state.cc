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
  // With ResultPath at `$` the state's result replaces the raw input, which nobody reads
  // afterwards (a Pass state has no Catch): Parameters may take values out of it.
  json::Value* spent = !s.result && s.result_path.is_identity() ? &input : nullptr;
  effective = ApplyTemplate(s.parameters, std::move(effective).value(), rc.context, spent);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));
  if (s.assign) {
    // `$` in Assign is the state's result: Result, else the effective input.
    Status assigned =
        EvaluateAssign(s.assign, s.result ? *s.result : effective->get(), rc.context, &rc.assigned);
    if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
  }

  // The output is built in the raw input, which the state consumes.
  Status written = [&]() -> Status {
    // The result is discarded: don't build it.
    if (s.result_path.kind == asl::OptionalPath::Kind::kNull) return OkStatus();
    if (s.result) return ApplyResultPath(s.result_path, input, json::Value(*s.result));
    if (s.result_path.is_identity()) {
      KeepEffective(std::move(effective).value(), input, s.input_path);
      return OkStatus();
    }
    return ApplyResultPath(s.result_path, input, std::move(effective).value().Take());
  }();
  if (written.ok()) written = ApplyOutputPath(s.output_path, input, rc.context);
  if (!written.ok()) return StateOutcome::Failed(rc.StateError(written.take_error()));
  // Without fields (or with a null ResultPath and no OutputPath) the input passes unchanged.
  const bool unchanged =
      (s.result_path.kind == asl::OptionalPath::Kind::kNull ||
       (s.result_path.is_identity() && s.input_path.is_identity() && !s.parameters && !s.result)) &&
      s.output_path.is_identity();
  return StateOutcome::Transition(s, unchanged);
}

}  // namespace autoretrain::engine
