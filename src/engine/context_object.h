// ContextObject: the `$$` object of one execution (Execution, State, StateMachine, Task), built
// lazily. Nothing is built until a path or a task handler reads it; afterwards only the State
// part is refreshed, and only when it changed since the last read. The JSON tree is recycled
// between executions on a thread (strings are overwritten in place) to avoid allocations.
//
// Thread-safety: one ContextObject per execution, used by the thread running it.
#ifndef AUTORETRAIN_ENGINE_CONTEXT_OBJECT_H_
#define AUTORETRAIN_ENGINE_CONTEXT_OBJECT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

class Variables;  // variables.h

// What the context object says about the execution. The referenced strings and input must
// outlive the ContextObject.
struct ExecutionInfo {
  std::string_view execution_arn;
  std::string_view execution_name;
  std::string_view role_arn;
  std::string_view state_machine_arn;
  std::string_view state_machine_name;
  TimePoint start_time;
  const json::Value* input = nullptr;
};

class ContextObject {
 public:
  explicit ContextObject(const ExecutionInfo& info) : info_(info) {}
  ~ContextObject();
  ContextObject(const ContextObject&) = delete;
  ContextObject& operator=(const ContextObject&) = delete;

  // A new state was entered: State.Name, State.EnteredTime, State.RetryCount = 0, no Task.
  // `name` must outlive the state's run.
  void EnterState(std::string_view name, TimePoint entered_time);
  // Sets State.RetryCount (the number of retries of the current state so far).
  void SetRetryCount(int64_t count);
  // State.RetryCount as last set.
  int64_t retry_count() const { return retry_count_; }
  // Sets Task.Token (present only while a callback task runs).
  void SetTaskToken(std::string token);
  const std::optional<std::string>& task_token() const { return task_token_; }
  // Sets Map.Item.Index and Map.Item.Value (present only while a Map state evaluates the
  // ItemSelector of one item); `value` must outlive the next ClearMapItem.
  void SetMapItem(int64_t index, const json::Value& value);
  void ClearMapItem();

  // What the object says about the execution (a branch's context object says the same).
  const ExecutionInfo& info() const { return info_; }

  // The variables `$name` paths read in this scope (set by the Execution or BranchRun that
  // owns both; null when nobody set them).
  void SetVariables(Variables* variables) { variables_ = variables; }
  Variables* variables() const { return variables_; }

  // The whole object, e.g. {"Execution":{"Id":..,"Input":..,"Name":..,"RoleArn":..,
  // "StartTime":..,"RedriveCount":0},"State":{"EnteredTime":..,"Name":..,"RetryCount":0},
  // "StateMachine":{"Id":..,"Name":..}}. The reference is valid until the next call of any
  // method.
  const json::Value& Get();

 private:
  void Build();

  ExecutionInfo info_;
  json::Value value_;  // null until first built
  bool state_dirty_ = true;
  std::string_view state_name_;
  TimePoint entered_time_;
  int64_t retry_count_ = 0;
  std::optional<std::string> task_token_;
  Variables* variables_ = nullptr;
  int64_t map_index_ = -1;  // -1: no Map item
  const json::Value* map_value_ = nullptr;
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_CONTEXT_OBJECT_H_
