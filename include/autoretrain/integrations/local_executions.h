// LocalExecutions: the state machines a run knows (by name and ARN) and the executions started
// among them. Each started execution runs on its own thread through the Executor; callers can
// wait for all of them and read their results. This is the in-memory execution service of
// `autoretrain run` and `check`; the durable store (issue [durable]) replaces it for `serve`.
//
// Thread-safety: all methods may be called from any thread.
#ifndef AUTORETRAIN_INTEGRATIONS_LOCAL_EXECUTIONS_H_
#define AUTORETRAIN_INTEGRATIONS_LOCAL_EXECUTIONS_H_

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/task_router.h"

namespace autoretrain::integrations {

class LocalExecutions final : public ExecutionLauncher {
 public:
  // `executor` must outlive this object.
  LocalExecutions(engine::Executor& executor, AccountContext account = {});
  ~LocalExecutions() override;  // waits for running executions

  // Adds a state machine under `name`; returns its ARN.
  std::string AddStateMachine(const std::string& name,
                              std::shared_ptr<const asl::StateMachine> machine);

  // Starts an execution on a new thread. An empty `name` gets a generated UUID. As AWS: a
  // name already used for this state machine with the same input while that execution is
  // still running returns that execution again; otherwise it fails with
  // ExecutionAlreadyExists. Other errors: InvalidArn, StateMachineDoesNotExist, InvalidName
  // (causes worded as AWS words them, e.g. "State Machine Does Not Exist: 'ARN'").
  Result<Started> Start(std::string_view state_machine_arn, json::Value input,
                        std::string_view name) override;

  // Runs an execution on the calling thread and returns its result (for the top-level run).
  Result<engine::ExecutionResult> RunSync(std::string_view state_machine_arn, json::Value input,
                                          std::string_view name);

  // Blocks until every execution started so far (and any they start) has finished. Must not
  // be called from inside an execution (it would wait for itself).
  void WaitAll();

  // The result of a finished execution, or nullopt if unknown or still running.
  std::optional<engine::ExecutionResult> Find(std::string_view execution_arn) const;

  // ARNs of every execution started with Start, in start order.
  std::vector<std::string> StartedExecutions() const;

 private:
  struct Machine {
    std::string name;
    std::shared_ptr<const asl::StateMachine> compiled;
  };
  struct Record {
    json::Value input;
    TimePoint start_date;
    std::optional<engine::ExecutionResult> result;
  };
  struct Prepared;  // an accepted start request (local_executions.cc)
  Result<Prepared> Prepare(std::string_view state_machine_arn, json::Value input,
                           std::string_view name);
  void Finish(const std::string& execution_arn, engine::ExecutionResult result);
  engine::Executor& executor_;
  AccountContext account_;
  mutable std::mutex mu_;
  std::condition_variable done_;
  std::map<std::string, Machine, std::less<>> machines_;   // by ARN
  std::map<std::string, Record, std::less<>> executions_;  // by execution ARN
  std::vector<std::string> started_order_;
  std::vector<std::thread> threads_;
  int running_ = 0;
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_LOCAL_EXECUTIONS_H_
