// Test helpers for the retrain layer's tests: times from ISO text (the scheduler tests' At),
// schedule configs and their state machine's ARN, a launcher that records starts and keeps the
// executions it started RUNNING until Finish, and one whose first starts fail.
//
// Thread-safety: none; one test thread.
#ifndef AUTORETRAIN_RETRAIN_SCHEDULE_TEST_UTIL_H_
#define AUTORETRAIN_RETRAIN_SCHEDULE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/project.h"
#include "scheduler/scheduler_test_util.h"

namespace autoretrain::retrain {

using scheduler::testing::At;

// The ARN of the state machine that Config's schedules start.
inline const std::string kMachine = StateMachineArn(AccountContext{}, "sm");

inline ScheduleConfig Config(const std::string& expression, const std::string& zone = "UTC") {
  ScheduleConfig config;
  config.expression = expression;
  config.timezone = zone;
  config.state_machine = "sm";
  return config;
}

// Records starts; names it has seen before fail as AWS fails a closed execution's name. An
// execution's ARN is the one AWS gives it when the state machine ARN is a real one, else
// "arn:exec:NAME". Executions stay RUNNING until Finish.
class FakeLauncher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest& request) override {
    std::string name(request.name);
    if (!names.insert(name).second) {
      return Error{"ExecutionAlreadyExists", "Execution Already Exists: '" + name + "'"};
    }
    starts.push_back(std::string(request.state_machine_arn) + " " + name + " " +
                     json::Serialize(request.input));
    std::string arn = ExecutionArnOf(request.state_machine_arn, name).value_or("arn:exec:" + name);
    running.insert(arn);
    return Started{arn, TimePoint{}};
  }
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override {
    const std::string arn(execution_arn);
    engine::ExecutionResult result;
    result.execution_arn = arn;
    if (running.count(arn)) {
      result.status = engine::ExecutionStatus::kRunning;
    } else if (finished.count(arn)) {
      result.status = engine::ExecutionStatus::kSucceeded;
    } else {
      return Error{"ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'"};
    }
    return result;
  }
  void Finish(const std::string& arn) {
    running.erase(arn);
    finished.insert(arn);
  }

  std::set<std::string> names;
  std::vector<std::string> starts;
  std::set<std::string> running;
  std::set<std::string> finished;
};

// Fails its first `failures` starts with `error`, then behaves as FakeLauncher.
class FlakyLauncher final : public integrations::ExecutionLauncher {
 public:
  FlakyLauncher(int failures, std::string error) : failures_(failures), error_(std::move(error)) {}
  Result<Started> Start(const StartRequest& request) override {
    ++calls;
    if (calls <= failures_) return Error{error_, "the store is busy"};
    return ok.Start(request);
  }
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override {
    return ok.Describe(execution_arn);
  }
  int calls = 0;
  FakeLauncher ok;

 private:
  int failures_;
  std::string error_;
};

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_SCHEDULE_TEST_UTIL_H_
