// MockedTaskHandler: a TaskHandler decorator that answers the Task states of one mock test case
// (mock_config.h) and hands every other task to the handler it wraps.
//
// It applies to executions of the state machine named `state_machine` (read from the execution
// ARN), so a child execution of another state machine started by startExecution is not
// mocked, as in Step Functions Local, where a test case belongs to the one execution started
// with it. Each (execution ARN, state name) pair counts its invocations from 0: the Nth call
// gets the mocked response's answer for N. A Return becomes the task result as is; a Throw
// fails the task with its Error and Cause. An invocation past the last mocked one fails the
// task with States.Runtime (not caught by Retry/Catch), naming the state, the mocked response
// and the invocation.
//
// Thread-safety: Invoke may be called concurrently (the counters are guarded by a mutex).
#ifndef AUTORETRAIN_INTEGRATIONS_MOCKED_TASK_HANDLER_H_
#define AUTORETRAIN_INTEGRATIONS_MOCKED_TASK_HANDLER_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/mock_config.h"

namespace autoretrain::integrations {

class MockedTaskHandler final : public engine::TaskHandler {
 public:
  // `inner` must outlive this.
  MockedTaskHandler(engine::TaskHandler& inner, std::string state_machine, MockTestCase test_case);

  Result<json::Value> Invoke(const engine::TaskRequest& request) override;

  // How many times `state_name` has been invoked (mocked) in `execution_arn` so far.
  int64_t InvocationCount(std::string_view execution_arn, std::string_view state_name) const;

 private:
  engine::TaskHandler& inner_;
  const std::string state_machine_;
  const MockTestCase test_case_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, int64_t> counts_;  // guarded by mu_
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_MOCKED_TASK_HANDLER_H_
