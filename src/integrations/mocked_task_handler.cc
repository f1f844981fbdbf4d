#include "integrations/mocked_task_handler.h"

#include <optional>

#include "autoretrain/common/arn.h"

namespace autoretrain::integrations {
namespace {

// The state machine name of an execution ARN (arn:...:execution:MACHINE:NAME), if it is one.
std::optional<std::string> MachineOfExecution(std::string_view execution_arn) {
  std::optional<ParsedArn> arn = ParseArn(execution_arn);
  if (!arn || arn->service != "states") return std::nullopt;
  std::string_view resource = arn->resource;
  constexpr std::string_view kPrefix = "execution:";
  if (!resource.starts_with(kPrefix)) return std::nullopt;
  resource.remove_prefix(kPrefix.size());
  size_t colon = resource.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return std::string(resource.substr(0, colon));
}

}  // namespace

MockedTaskHandler::MockedTaskHandler(engine::TaskHandler& inner, std::string state_machine,
                                     MockTestCase test_case)
    : inner_(inner), state_machine_(std::move(state_machine)), test_case_(std::move(test_case)) {}

Result<json::Value> MockedTaskHandler::Invoke(const engine::TaskRequest& request) {
  auto mocked = test_case_.states.find(std::string(request.state_name));
  if (mocked == test_case_.states.end() ||
      MachineOfExecution(request.execution_arn) != state_machine_) {
    return inner_.Invoke(request);
  }
  int64_t invocation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    invocation = counts_[{std::string(request.execution_arn), mocked->first}]++;
  }
  const MockedResponse& response = mocked->second;
  const MockedInvocation* answer = response.For(invocation);
  if (answer == nullptr) {
    return Error{"States.Runtime", "An error occurred while executing the state '" + mocked->first +
                                       "'. The mocked response '" + response.name +
                                       "' of test case '" + test_case_.name + "' (" +
                                       test_case_.file + ") has no answer for invocation " +
                                       std::to_string(invocation) + "; it mocks invocations 0 to " +
                                       std::to_string(response.last_invocation()) + "."};
  }
  if (answer->is_throw) return answer->error;
  return answer->result;
}

int64_t MockedTaskHandler::InvocationCount(std::string_view execution_arn,
                                           std::string_view state_name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = counts_.find({std::string(execution_arn), std::string(state_name)});
  return found == counts_.end() ? 0 : found->second;
}

}  // namespace autoretrain::integrations
