// What every state run shares, at the top level and inside branches: the dispatch by state
// type and the <Type>StateEntered/Exited events.
#include <string>

#include "engine/run_context.h"
#include "engine/variables.h"

namespace autoretrain::engine {
namespace {

struct StateEventNames {
  const char* entered;
  const char* exited;  // nullptr: the state type has no Exited event
};

StateEventNames EventNames(asl::StateType type) {
  switch (type) {
    case asl::StateType::kPass:
      return {"PassStateEntered", "PassStateExited"};
    case asl::StateType::kTask:
      return {"TaskStateEntered", "TaskStateExited"};
    case asl::StateType::kChoice:
      return {"ChoiceStateEntered", "ChoiceStateExited"};
    case asl::StateType::kWait:
      return {"WaitStateEntered", "WaitStateExited"};
    case asl::StateType::kSucceed:
      return {"SucceedStateEntered", "SucceedStateExited"};
    case asl::StateType::kFail:
      return {"FailStateEntered", nullptr};
    case asl::StateType::kParallel:
      return {"ParallelStateEntered", "ParallelStateExited"};
    case asl::StateType::kMap:
      return {"MapStateEntered", "MapStateExited"};
  }
  return {"PassStateEntered", "PassStateExited"};
}

}  // namespace

StateOutcome RunState(RunContext& rc, json::Value& input) {
  if (rc.state->passes_input_on) {
    if (rc.state->type == asl::StateType::kSucceed) return StateOutcome::End(true);
    return StateOutcome::Transition(*rc.state, true);
  }
  if (rc.state->jsonata) {
    switch (rc.state->type) {
      case asl::StateType::kPass:
        return RunJsonataPassState(rc, input);
      case asl::StateType::kChoice:
        return RunJsonataChoiceState(rc, input);
      case asl::StateType::kSucceed:
        return RunJsonataSucceedState(rc, input);
      case asl::StateType::kFail:
        return RunJsonataFailState(rc, input);
      default:
        break;  // Task and Wait handle both languages
    }
  }
  switch (rc.state->type) {
    case asl::StateType::kPass:
      return RunPassState(rc, input);
    case asl::StateType::kTask:
      return RunTaskState(rc, input);
    case asl::StateType::kChoice:
      return RunChoiceState(rc, input);
    case asl::StateType::kWait:
      return RunWaitState(rc, input);
    case asl::StateType::kSucceed:
      return RunSucceedState(rc, input);
    case asl::StateType::kFail:
      return RunFailState(rc, input);
    case asl::StateType::kParallel:
      return RunParallelState(rc, input);
    case asl::StateType::kMap:
      return RunMapState(rc, input);
  }
  return StateOutcome::Failed(rc.StateError(Error{"States.Runtime", "Unknown state type"}));
}

int SkipPassThroughStates(RunContext& rc, const asl::StateMachine& machine, int index) {
  if (rc.history.observed() || rc.deadline) return index;
  while (index >= 0 && index < static_cast<int>(machine.states.size())) {
    const asl::State& state = machine.states[index];
    if (!state.passes_input_on || state.type != asl::StateType::kPass || state.end) break;
    if (rc.abort_requested != nullptr && rc.abort_requested->load(std::memory_order_acquire)) {
      break;
    }
    rc.history.Number();  // PassStateEntered
    rc.history.Number();  // PassStateExited
    if (rc.history.overflowed()) break;
    ++rc.branch_step;
    index = state.next_index;
  }
  return index;
}

int64_t RecordObservedStateEntered(History& history, const asl::State& state,
                                   const json::Value& input) {
  return history.Record(EventNames(state.type).entered, "stateEnteredEventDetails", [&] {
    return json::Value(json::Object{
        {"name", state.name}, {"input", json::Serialize(input)}, {"inputDetails", NotTruncated()}});
  });
}

Status FinishStateWithDetails(RunContext& rc, const json::Value& output) {
  const asl::State& state = *rc.state;
  Variables* variables = rc.context.variables();
  if (rc.assigned && variables != nullptr) {
    Status room = variables->CheckAssignment(*rc.assigned, state.name);
    if (!room.ok()) {
      rc.assigned.reset();
      return room;
    }
  }
  if (const char* exited = EventNames(state.type).exited) {
    rc.history.Record(exited, "stateExitedEventDetails", [&] {
      json::Object details{{"name", state.name},
                           {"output", json::Serialize(output)},
                           {"outputDetails", NotTruncated()}};
      if (rc.assigned) {
        json::Object assigned;
        for (const auto& [name, value] : *rc.assigned) assigned[name] = json::Serialize(value);
        details["assignedVariables"] = std::move(assigned);
        details["assignedVariablesDetails"] = NotTruncated();
      }
      return json::Value(std::move(details));
    });
  }
  if (rc.assigned) {
    if (variables != nullptr) variables->Apply(std::move(*rc.assigned));
    rc.assigned.reset();
  }
  return OkStatus();
}

}  // namespace autoretrain::engine
