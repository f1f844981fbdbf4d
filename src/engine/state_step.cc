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

int64_t RecordStateEntered(History& history, const asl::State& state, const json::Value& input) {
  return history.Record(EventNames(state.type).entered, "stateEnteredEventDetails", [&] {
    return json::Value(json::Object{
        {"name", state.name}, {"input", json::Serialize(input)}, {"inputDetails", NotTruncated()}});
  });
}

Status FinishState(RunContext& rc, const json::Value& output) {
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
