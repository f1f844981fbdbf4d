// StepFunctionsService: dispatch, the store, and loading stored state machines at start
// (step_functions_service.h). The operations are in sfn_*.cc.
#include "autoretrain/server/step_functions_service.h"

#include <utility>
#include <variant>

#include "autoretrain/asl/parser.h"
#include "server/json_protocol.h"

namespace autoretrain::server {

StepFunctionsService::StepFunctionsService(retrain::LocalRuntime& runtime,
                                           std::set<std::string> project_machines, Clock& clock)
    : runtime_(runtime), project_machines_(std::move(project_machines)), clock_(clock) {}

const std::map<std::string, StepFunctionsService::Operation, std::less<>>&
StepFunctionsService::Operations() {
  using S = StepFunctionsService;
  static const std::map<std::string, Operation, std::less<>> kOperations = {
      {"CreateStateMachine", &S::CreateStateMachine},
      {"DescribeStateMachine", &S::DescribeStateMachine},
      {"ListStateMachines", &S::ListStateMachines},
      {"UpdateStateMachine", &S::UpdateStateMachine},
      {"DeleteStateMachine", &S::DeleteStateMachine},
      {"ValidateStateMachineDefinition", &S::ValidateStateMachineDefinition},
      {"StartExecution", &S::StartExecution},
      {"StartSyncExecution", &S::StartSyncExecution},
      {"StopExecution", &S::StopExecution},
      {"DescribeExecution", &S::DescribeExecution},
      {"ListExecutions", &S::ListExecutions},
      {"GetExecutionHistory", &S::GetExecutionHistory},
      {"DescribeStateMachineForExecution", &S::DescribeStateMachineForExecution},
      {"SendTaskSuccess", &S::SendTaskSuccess},
      {"SendTaskFailure", &S::SendTaskFailure},
      {"SendTaskHeartbeat", &S::SendTaskHeartbeat},
  };
  return kOperations;
}

void StepFunctionsService::Call(const Caller& /*caller*/, const std::string& operation,
                                json::Object input, Done done) {
  done(Invoke(operation, input));
}

Result<json::Value> StepFunctionsService::Invoke(const std::string& operation,
                                                 const json::Object& input) {
  const auto& operations = Operations();
  auto it = operations.find(operation);
  if (it == operations.end()) {
    std::string known;
    for (const auto& [name, unused] : operations) known += (known.empty() ? "" : ", ") + name;
    return Error{kUnknownOperationException,
                 "autoretrain does not implement the Step Functions operation '" + operation +
                     "' (it implements: " + known + ")"};
  }
  return (this->*(it->second))(input);
}

Result<store::Store*> StepFunctionsService::Store() {
  store::Store* store = runtime_.history_store();
  if (store == nullptr) {
    return Error{"StoreUnavailable",
                 "the project has no usable store (data_dir unset, or its database could not "
                 "be opened: see the daemon's warnings); the API needs one"};
  }
  return store;
}

Result<std::vector<std::string>> StepFunctionsService::LoadStoredStateMachines() {
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  std::vector<std::string> problems;
  store::PageRequest request;
  request.max_results = store::kMaxMaxResults;
  do {
    Result<store::Page<store::StateMachineRecord>> page = (*store)->ListStateMachines(request);
    if (!page.ok()) return page.take_error();
    for (const store::StateMachineRecord& record : page->items) {
      if (project_machines_.contains(record.name)) continue;
      asl::CompileResult compiled = asl::CompileText(record.definition);
      if (auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled)) {
        runtime_.AddStateMachine(record.name, std::move(*machine), record.definition);
        continue;
      }
      std::string problem = "state machine '" + record.arn + "' was not loaded:";
      for (const asl::Diagnostic& d : std::get<std::vector<asl::Diagnostic>>(compiled)) {
        problem += " " + d.ToString() + ";";
      }
      problems.push_back(std::move(problem));
    }
    request.next_token = page->next_token;
  } while (!request.next_token.empty());
  return problems;
}

}  // namespace autoretrain::server
