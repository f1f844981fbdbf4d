// StepFunctionsService: dispatch, the store, and loading stored state machines at start
// (step_functions_service.h). The operations are in sfn_*.cc.
#include "autoretrain/server/step_functions_service.h"

#include <condition_variable>
#include <deque>
#include <thread>
#include <utility>
#include <variant>

#include "autoretrain/asl/parser.h"
#include "server/activity_poller.h"
#include "server/json_protocol.h"

namespace autoretrain::server {

StepFunctionsService::StepFunctionsService(retrain::LocalRuntime& runtime,
                                           std::set<std::string> project_machines, Clock& clock)
    : runtime_(runtime), project_machines_(std::move(project_machines)), clock_(clock) {}

// A few threads that run TestState calls in turn (queued beyond them).
struct StepFunctionsService::Background {
  static constexpr int kThreads = 2;
  std::mutex mu;
  std::condition_variable wake;
  std::deque<std::function<void()>> work;  // guarded by mu
  bool stopping = false;                   // guarded by mu
  std::vector<std::thread> threads;

  Background() {
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([this] {
        std::unique_lock lock(mu);
        for (;;) {
          wake.wait(lock, [this] { return stopping || !work.empty(); });
          if (work.empty()) return;  // stopping, and nothing left
          std::function<void()> next = std::move(work.front());
          work.pop_front();
          lock.unlock();
          next();
          lock.lock();
        }
      });
    }
  }
  // Runs what is queued, then joins.
  ~Background() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread& thread : threads) thread.join();
  }
  void Post(std::function<void()> fn) {
    {
      std::lock_guard lock(mu);
      work.push_back(std::move(fn));
    }
    wake.notify_one();
  }
};

StepFunctionsService::~StepFunctionsService() {
  background_.reset();  // TestState calls under way finish first
  poller_.reset();
}

void StepFunctionsService::set_activity_poll(std::chrono::milliseconds timeout,
                                             std::chrono::milliseconds interval) {
  activity_poll_timeout_ = timeout;
  activity_poll_interval_ = interval;
}

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
      {"CreateActivity", &S::CreateActivity},
      {"DescribeActivity", &S::DescribeActivity},
      {"ListActivities", &S::ListActivities},
      {"DeleteActivity", &S::DeleteActivity},
      {"TestState", &S::TestState},
      {"TagResource", &S::TagResource},
      {"UntagResource", &S::UntagResource},
      {"ListTagsForResource", &S::ListTagsForResource},
      {"PublishStateMachineVersion", &S::PublishStateMachineVersion},
      {"ListStateMachineVersions", &S::ListStateMachineVersions},
      {"DeleteStateMachineVersion", &S::DeleteStateMachineVersion},
      {"CreateStateMachineAlias", &S::CreateStateMachineAlias},
      {"DescribeStateMachineAlias", &S::DescribeStateMachineAlias},
      {"UpdateStateMachineAlias", &S::UpdateStateMachineAlias},
      {"DeleteStateMachineAlias", &S::DeleteStateMachineAlias},
      {"ListStateMachineAliases", &S::ListStateMachineAliases},
  };
  return kOperations;
}

void StepFunctionsService::Call(const Caller& caller, const std::string& operation,
                                json::Object input, Done done) {
  if (operation == "GetActivityTask") return GetActivityTask(caller, input, std::move(done));
  if (operation == "TestState") {
    std::call_once(background_once_, [this] { background_ = std::make_unique<Background>(); });
    background_->Post(
        [this, input = std::move(input), done = std::move(done)] { done(TestState(input)); });
    return;
  }
  done(Invoke(operation, input));
}

Result<json::Value> StepFunctionsService::Invoke(const std::string& operation,
                                                 const json::Object& input) {
  const auto& operations = Operations();
  auto it = operations.find(operation);
  if (it == operations.end()) {
    std::string known = "GetActivityTask";
    for (const auto& [name, unused] : operations) known += ", " + name;
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
