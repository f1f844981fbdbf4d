// The execution loop: enters states one after another, records their events, and ends the
// execution as SUCCEEDED, FAILED or TIMED_OUT.
#include "autoretrain/engine/executor.h"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "engine/context_object.h"
#include "engine/history.h"
#include "engine/io_processing.h"
#include "engine/run_context.h"

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

StateOutcome RunState(RunContext& rc, json::Value& input) {
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
    case asl::StateType::kMap:
      break;
  }
  return StateOutcome::Failed(
      rc.StateError(Error{"States.Runtime", std::string(asl::StateTypeName(rc.state->type)) +
                                                " states are not supported by this engine yet"}));
}

}  // namespace

Executor::Executor(TaskHandler& handler, Clock& clock, Observer* observer, AccountContext account)
    : handler_(handler), clock_(clock), observer_(observer), account_(std::move(account)) {}

ExecutionResult Executor::Run(const asl::StateMachine& machine, const ExecutionSpec& spec) {
  ExecutionResult result;
  result.name = spec.execution_name.empty() ? NewExecutionName() : spec.execution_name;
  result.state_machine_arn = spec.state_machine_arn;
  // The machine's name is part of the execution ARN; callers may give only the machine ARN.
  std::string_view machine_name = spec.state_machine_name;
  if (machine_name.empty()) {
    std::string_view arn = spec.state_machine_arn;
    machine_name = arn.substr(arn.rfind(':') + 1);
  }
  result.execution_arn = ExecutionArn(account_, machine_name, result.name);
  result.input = spec.input;
  result.start_date = spec.start_date ? *spec.start_date : clock_.Now();

  History history(observer_, result.execution_arn, clock_);
  ContextObject context(ExecutionInfo{.execution_arn = result.execution_arn,
                                      .execution_name = result.name,
                                      .role_arn = spec.role_arn,
                                      .state_machine_arn = spec.state_machine_arn,
                                      .state_machine_name = machine_name,
                                      .start_time = result.start_date,
                                      .input = &result.input});
  RunContext rc{.handler = handler_,
                .clock = clock_,
                .history = history,
                .context = context,
                .account = account_,
                .execution_arn = result.execution_arn};
  if (machine.timeout_seconds) {
    rc.deadline = result.start_date + std::chrono::seconds(*machine.timeout_seconds);
  }

  history.Record("ExecutionStarted", "executionStartedEventDetails", [&] {
    return json::Value(json::Object{{"input", json::Serialize(result.input)},
                                    {"inputDetails", NotTruncated()},
                                    {"roleArn", spec.role_arn}});
  });

  auto finish = [&](ExecutionStatus status) {
    result.status = status;
    result.stop_date = clock_.Now();
    return std::move(result);
  };
  auto timed_out = [&] {
    result.error = "States.Timeout";
    history.Record("ExecutionTimedOut", "executionTimedOutEventDetails", [&] {
      return json::Value(json::Object{{"error", "States.Timeout"}});
    });
    return finish(ExecutionStatus::kTimedOut);
  };

  json::Value current = spec.input;
  int index = machine.start_index;
  for (;;) {
    if (index < 0 || index >= static_cast<int>(machine.states.size())) {
      // Unreachable for a validated machine; reported rather than trusted.
      result.error = "States.Runtime";
      result.cause = "Transition to an unknown state index " + std::to_string(index);
      return finish(ExecutionStatus::kFailed);
    }
    const asl::State& state = machine.states[index];
    // The entry time is only observable through the deadline and $$.State.EnteredTime; a
    // state that reads neither spares the clock read.
    const TimePoint now = rc.deadline || state.reads_context ? clock_.Now() : TimePoint();
    if (rc.deadline && now >= *rc.deadline) return timed_out();
    const StateEventNames names = EventNames(state.type);
    rc.state = &state;
    context.EnterState(state.name, now);
    rc.entered_event_id = history.Record(names.entered, "stateEnteredEventDetails", [&] {
      return json::Value(json::Object{{"name", state.name},
                                      {"input", json::Serialize(current)},
                                      {"inputDetails", NotTruncated()}});
    });

    StateOutcome outcome = RunState(rc, current);
    if (outcome.kind == StateOutcome::Kind::kNext || outcome.kind == StateOutcome::Kind::kEnd) {
      Status size = CheckPayloadSize(outcome.output, state.name);
      if (!size.ok()) outcome = StateOutcome::Failed(size.take_error());
    }
    switch (outcome.kind) {
      case StateOutcome::Kind::kNext:
      case StateOutcome::Kind::kEnd:
        if (names.exited != nullptr) {
          history.Record(names.exited, "stateExitedEventDetails", [&] {
            return json::Value(json::Object{{"name", state.name},
                                            {"output", json::Serialize(outcome.output)},
                                            {"outputDetails", NotTruncated()}});
          });
        }
        break;
      case StateOutcome::Kind::kFailed:
        history.Record("ExecutionFailed", "executionFailedEventDetails", [&] {
          return json::Value(
              json::Object{{"error", outcome.error.error}, {"cause", outcome.error.cause}});
        });
        result.error = std::move(outcome.error.error);
        result.cause = std::move(outcome.error.cause);
        return finish(ExecutionStatus::kFailed);
      case StateOutcome::Kind::kTimedOut:
        return timed_out();
    }
    if (outcome.kind == StateOutcome::Kind::kEnd) {
      if (rc.deadline && clock_.Now() >= *rc.deadline) return timed_out();
      history.Record("ExecutionSucceeded", "executionSucceededEventDetails", [&] {
        return json::Value(json::Object{{"output", json::Serialize(outcome.output)},
                                        {"outputDetails", NotTruncated()}});
      });
      result.output = std::move(outcome.output);
      return finish(ExecutionStatus::kSucceeded);
    }
    index = outcome.next_index;
    // A swap: cheaper than a move assignment, and what it leaves in the outcome (the consumed
    // input) is dropped with it.
    current.swap(outcome.output);
  }
}

}  // namespace autoretrain::engine
