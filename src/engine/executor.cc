// Executor::Run: one execution on the calling thread, sleeping on the clock whenever the
// execution suspends (Wait states, Retry delays).
#include "autoretrain/engine/executor.h"

#include <utility>

#include "autoretrain/engine/execution.h"

namespace autoretrain::engine {

Executor::Executor(TaskHandler& handler, Clock& clock, Observer* observer, AccountContext account)
    : handler_(handler),
      clock_(clock),
      observer_(observer),
      account_(std::move(account)),
      // The ARN of empty names ends in both separators ("...:execution::"); the prefix keeps
      // the first.
      execution_arn_prefix_(ExecutionArn(account_, "", "")) {
  execution_arn_prefix_.pop_back();
}

std::string Executor::MakeExecutionArn(std::string_view state_machine_name,
                                       std::string_view execution_name) const {
  std::string arn;
  arn.reserve(execution_arn_prefix_.size() + state_machine_name.size() + 1 + execution_name.size());
  arn.append(execution_arn_prefix_).append(state_machine_name).append(":").append(execution_name);
  return arn;
}

ExecutionResult Executor::Run(const asl::StateMachine& machine, const ExecutionSpec& spec) const {
  Execution execution(*this, machine, spec);
  while (execution.Advance() == Execution::Progress::kSuspended) {
    clock_.SleepUntil(execution.wake_at());
  }
  return std::move(execution.result());
}

}  // namespace autoretrain::engine
