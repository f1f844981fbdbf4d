// Choice: InputPath, then the first rule that matches the effective input picks Next and
// assigns its own Assign (else Default with the state's Assign, else States.NoChoiceMatched),
// then OutputPath on the effective input.
#include <utility>

#include "engine/choice_evaluator.h"
#include "engine/io_processing.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

StateOutcome RunChoiceState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return StateOutcome::Failed(rc.StateError(effective.take_error()));

  int next = -1;
  const std::optional<asl::PayloadTemplate>* assign = &s.assign;
  for (const asl::ChoiceRule& rule : s.choices) {
    Result<bool> matched = EvaluateChoiceRule(rule, effective->get(), rc.context);
    if (!matched.ok()) return StateOutcome::Failed(rc.StateError(matched.take_error()));
    if (*matched) {
      next = rule.next_index;
      assign = &rule.assign;
      break;
    }
  }
  if (next < 0) next = s.default_index;
  // AWS reports this one without the state prefix.
  if (next < 0) return StateOutcome::Failed(Error{"States.NoChoiceMatched", "No Matches!"});
  Status assigned = EvaluateAssign(*assign, effective->get(), rc.context, &rc.assigned);
  if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));

  KeepEffective(std::move(effective).value(), input, s.input_path);
  Status output = ApplyOutputPath(s.output_path, input, rc.context);
  if (!output.ok()) return StateOutcome::Failed(rc.StateError(output.take_error()));
  return StateOutcome::GoTo(next, s.input_path.is_identity() && s.output_path.is_identity());
}

}  // namespace autoretrain::engine
