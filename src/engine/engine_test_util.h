// Test helpers for the engine tests: a scripted TaskHandler, an Observer that records the
// history, and a harness that compiles a definition and runs it on a ManualClock.
//
// Thread-safety: single-threaded test use only.
#ifndef AUTORETRAIN_ENGINE_ENGINE_TEST_UTIL_H_
#define AUTORETRAIN_ENGINE_ENGINE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "autoretrain/asl/parser.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/execution.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine::testing {

// Parses JSON text that the test knows is valid.
inline json::Value J(std::string_view text) {
  Result<json::Value> v = json::Parse(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? std::move(v).value() : json::Value();
}

// 2026-11-23T03:00:00.000Z, a Monday at the seed's schedule time.
inline const TimePoint kStart = TimePoint(std::chrono::milliseconds(1795402800000));

// One recorded call of FakeHandler.
struct Call {
  std::string resource;
  json::Value parameters;
  json::Value context;
  std::optional<int64_t> timeout_seconds;
};

// A TaskHandler whose answers the test scripts per Resource. Unscripted resources fail with
// States.Runtime as the real router does.
class FakeHandler final : public TaskHandler {
 public:
  using Fn = std::function<Result<json::Value>(const TaskRequest&)>;
  void On(std::string resource, Fn fn) { scripts_[std::move(resource)] = std::move(fn); }
  // Answers `resource` with `value` every time.
  void Returns(std::string resource, json::Value value) {
    On(std::move(resource), [value](const TaskRequest&) { return Result<json::Value>(value); });
  }
  // Fails `resource` with each error of `errors` in turn, then returns `value`.
  void FailsThenReturns(std::string resource, std::vector<Error> errors, json::Value value) {
    auto remaining = std::make_shared<std::vector<Error>>(std::move(errors));
    On(std::move(resource), [remaining, value](const TaskRequest&) -> Result<json::Value> {
      if (remaining->empty()) return value;
      Error e = remaining->front();
      remaining->erase(remaining->begin());
      return e;
    });
  }

  Result<json::Value> Invoke(const TaskRequest& request) override {
    calls.push_back(Call{std::string(request.resource), *request.parameters, *request.context,
                         request.timeout_seconds});
    auto it = scripts_.find(std::string(request.resource));
    if (it == scripts_.end()) {
      return Error{"States.Runtime", "unscripted resource " + std::string(request.resource)};
    }
    return it->second(request);
  }

  std::vector<Call> calls;

 private:
  std::map<std::string, Fn> scripts_;
};

class RecordingObserver final : public Observer {
 public:
  void OnEvent(std::string_view, const HistoryEvent& event) override { events.push_back(event); }
  std::vector<std::string> Types() const {
    std::vector<std::string> types;
    for (const HistoryEvent& e : events) types.push_back(e.type);
    return types;
  }
  // The details of the first event of `type` (null if none).
  json::Value Details(std::string_view type) const {
    for (const HistoryEvent& e : events) {
      if (e.type == type) return e.details;
    }
    return nullptr;
  }
  std::vector<HistoryEvent> events;
};

// Compiles a definition the test knows is valid.
inline std::shared_ptr<const asl::StateMachine> MustCompile(std::string_view text) {
  asl::CompileResult r = asl::CompileText(text);
  if (auto* diags = std::get_if<std::vector<asl::Diagnostic>>(&r)) {
    std::string all;
    for (const auto& d : *diags) all += d.ToString() + "\n";
    ADD_FAILURE() << "definition does not compile:\n" << all << text;
    return nullptr;
  }
  return std::get<std::shared_ptr<const asl::StateMachine>>(r);
}

// Runs definitions on a ManualClock with a FakeHandler and a RecordingObserver.
// Runs `definition` on `input` as execution "exec-1" of the state machine "test".
inline ExecutionResult RunDefinition(const Executor& executor, std::string_view definition,
                                     std::string_view input) {
  std::shared_ptr<const asl::StateMachine> machine = MustCompile(definition);
  if (!machine) return ExecutionResult{};
  ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:test";
  spec.state_machine_name = "test";
  spec.execution_name = "exec-1";
  spec.input = J(input);
  return executor.Run(*machine, spec);
}

struct Harness {
  FakeHandler handler;
  ManualClock clock{kStart};
  RecordingObserver observer;
  Executor executor{handler, clock, &observer};

  ExecutionResult Run(std::string_view definition, std::string_view input = "{}") {
    return RunDefinition(executor, definition, input);
  }
};

// The same without an observer, as `autoretrain run` and embedders run executions.
struct UnobservedHarness {
  FakeHandler handler;
  ManualClock clock{kStart};
  Executor executor{handler, clock, nullptr};

  ExecutionResult Run(std::string_view definition, std::string_view input = "{}") {
    return RunDefinition(executor, definition, input);
  }
};

// A resume point with its input, variables and task token owned, as a durable observer would
// keep them (the point's references are empty: set them to the owned copies to resume).
struct SavedPoint {
  ResumePoint point;
  json::Value input;
  json::Object variables;
  std::string task_token;
};

// Records events, and keeps every checkpoint with its input; can refuse to go on.
class CheckpointObserver final : public Observer {
 public:
  void OnEvent(std::string_view, const HistoryEvent& event) override { events.push_back(event); }
  bool OnCheckpoint(std::string_view, const ResumePoint& point) override {
    SavedPoint saved{point, *point.input,
                     point.variables != nullptr ? *point.variables : json::Object{},
                     std::string(point.task_token)};
    saved.point.input = nullptr;
    saved.point.variables = nullptr;
    saved.point.task_token = {};
    checkpoints.push_back(std::move(saved));
    return keep_going;
  }
  std::vector<std::string> Types(size_t from = 0) const {
    std::vector<std::string> types;
    for (size_t i = from; i < events.size(); ++i) types.push_back(events[i].type);
    return types;
  }
  std::vector<HistoryEvent> events;
  std::vector<SavedPoint> checkpoints;
  bool keep_going = true;
};

// Steps Executions by hand (Advance, resume) on a ManualClock.
struct StepHarness {
  FakeHandler handler;
  ManualClock clock{kStart};
  CheckpointObserver observer;
  Executor executor{handler, clock, &observer};
  std::shared_ptr<const asl::StateMachine> machine;

  explicit StepHarness(std::string_view definition) : machine(MustCompile(definition)) {}

  ExecutionSpec Spec(std::string_view input = "{}") const {
    ExecutionSpec spec;
    spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:test";
    spec.state_machine_name = "test";
    spec.execution_name = "exec-1";
    spec.input = J(input);
    spec.start_date = kStart;
    return spec;
  }
};

}  // namespace autoretrain::engine::testing

#endif  // AUTORETRAIN_ENGINE_ENGINE_TEST_UTIL_H_
