// Pass, Choice, Succeed and Fail states whose QueryLanguage is JSONata. Every expression reads
// $states.input (the raw state input), $states.context and the variables as they were before
// the state; Assign and Output are evaluated with the same bindings, so Output does not see
// the variables Assign sets (AWS's "variables are set after the state").
#include <string>
#include <utility>

#include "engine/jsonata_io.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

namespace {

// Assign then Output (default: the input) and the transition to `next`.
StateOutcome Finish(RunContext& rc, const jsonata::Bindings& bindings,
                    const std::optional<asl::JsonataTemplate>& assign,
                    const std::optional<asl::JsonataTemplate>& output, json::Value& input,
                    int next_index, bool end) {
  Status assigned = EvaluateJsonataAssign(assign, bindings, rc.jsonata_options(), &rc.assigned);
  if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
  Status out = EvaluateOutputInPlace(output, bindings, rc.jsonata_options(), input);
  if (!out.ok()) return StateOutcome::Failed(rc.StateError(out.take_error()));
  if (end) return StateOutcome::End(/*input_unchanged=*/!output);
  return StateOutcome::GoTo(next_index, /*input_unchanged=*/!output);
}

}  // namespace

StateOutcome RunJsonataPassState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  Status assigned =
      EvaluateJsonataAssign(s.jsonata_fields.assign, bindings, rc.jsonata_options(), &rc.assigned);
  if (!assigned.ok()) return StateOutcome::Failed(rc.StateError(assigned.take_error()));
  Status out =
      EvaluateOutputInPlace(s.jsonata_fields.output, bindings, rc.jsonata_options(), input);
  if (!out.ok()) return StateOutcome::Failed(rc.StateError(out.take_error()));
  return StateOutcome::Transition(s, /*input_unchanged=*/!s.jsonata_fields.output);
}

StateOutcome RunJsonataChoiceState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  for (const asl::ChoiceRule& rule : s.choices) {
    if (!rule.condition) continue;
    Result<json::Value> matched = rule.condition->Evaluate(bindings, rc.jsonata_options());
    if (!matched.ok()) return StateOutcome::Failed(rc.StateError(matched.take_error()));
    if (!matched->is_bool()) {
      return StateOutcome::Failed(rc.StateError(
          Error{asl::kQueryEvaluationError, "The Condition of the rule to '" + rule.next +
                                                "' must evaluate to true or false, but it gave " +
                                                json::Serialize(*matched)}));
    }
    if (!matched->get_bool()) continue;
    // A matching rule's Assign and Output replace the state's.
    return Finish(rc, bindings, rule.jsonata_assign ? rule.jsonata_assign : s.jsonata_fields.assign,
                  rule.output ? rule.output : s.jsonata_fields.output, input, rule.next_index,
                  /*end=*/false);
  }
  // AWS reports this one without the state prefix.
  if (s.default_index < 0) {
    return StateOutcome::Failed(Error{"States.NoChoiceMatched", "No Matches!"});
  }
  return Finish(rc, bindings, s.jsonata_fields.assign, s.jsonata_fields.output, input,
                s.default_index, /*end=*/false);
}

StateOutcome RunJsonataSucceedState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  return Finish(rc, bindings, std::nullopt, s.jsonata_fields.output, input, -1, /*end=*/true);
}

StateOutcome RunJsonataFailState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Error error{s.error.value_or(""), s.cause.value_or("")};
  if (!s.jsonata_fields.error && !s.jsonata_fields.cause) return StateOutcome::Failed(error);
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  for (int i = 0; i < 2; ++i) {
    const std::optional<asl::JsonataTemplate>& tmpl =
        i == 0 ? s.jsonata_fields.error : s.jsonata_fields.cause;
    if (!tmpl) continue;
    Result<json::Value> v = tmpl->Evaluate(bindings, rc.jsonata_options());
    if (!v.ok()) return StateOutcome::Failed(rc.StateError(v.take_error()));
    if (!v->is_string()) {
      return StateOutcome::Failed(rc.StateError(
          Error{asl::kQueryEvaluationError,
                std::string("The value of the field '") + (i == 0 ? "Error" : "Cause") +
                    "' must be a string, but the JSONata expression gave " + json::Serialize(*v)}));
    }
    (i == 0 ? error.error : error.cause) = std::string(v->get_string());
  }
  return StateOutcome::Failed(std::move(error));
}

}  // namespace autoretrain::engine
