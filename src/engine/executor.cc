// Executor::Run: one execution on the calling thread, sleeping on the clock whenever the
// execution suspends (Wait states, Retry delays).
#include "autoretrain/engine/executor.h"

#include <utility>

#include "autoretrain/engine/execution.h"

namespace autoretrain::engine {

Executor::Executor(TaskHandler& handler, Clock& clock, Observer* observer, AccountContext account)
    : handler_(handler), clock_(clock), observer_(observer), account_(std::move(account)) {}

ExecutionResult Executor::Run(const asl::StateMachine& machine, const ExecutionSpec& spec) const {
  Execution execution(*this, machine, spec);
  while (execution.Advance() == Execution::Progress::kSuspended) {
    clock_.SleepUntil(execution.wake_at());
  }
  return std::move(execution.result());
}

}  // namespace autoretrain::engine
