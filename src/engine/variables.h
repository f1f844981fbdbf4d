// Variables: one scope of workflow variables (Step Functions' Assign). The execution has the
// outer scope; each Parallel branch and Map iteration has its own, which reads through to the
// enclosing ones and is dropped when the branch ends. A state's Assign is evaluated against
// the values from before the state and applied when the state ends (PendingAssignment).
//
// Thread-safety: used by the thread running the execution.
#ifndef AUTORETRAIN_ENGINE_VARIABLES_H_
#define AUTORETRAIN_ENGINE_VARIABLES_H_

#include <cstdint>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"

namespace autoretrain::engine {

// AWS's limits: one variable, and all variables of one Assign, at most 256 KiB serialized; all
// variables of an execution at most 10 MiB.
inline constexpr size_t kMaxVariableBytes = 256 * 1024;
inline constexpr size_t kMaxAssignBytes = 256 * 1024;
inline constexpr size_t kMaxExecutionVariableBytes = 10 * 1024 * 1024;

class Variables final : public json::VariableSource {
 public:
  // A scope inside `outer` (null for the execution's own scope), which must outlive it.
  explicit Variables(const Variables* outer = nullptr) : outer_(outer) {}

  // This scope's value of `name`, else the nearest enclosing scope's; nullptr when unassigned.
  const json::Value* FindVariable(std::string_view name) const override;

  // Checks an Assign's values (name -> value) of the state `state_name` against AWS's limits:
  // one variable, one Assign, and all of the execution's variables once applied here, and a
  // value's nesting (kMaxVariableDepth). Fails with States.DataLimitExceeded naming the state.
  Status CheckAssignment(const json::Object& values, std::string_view state_name) const;
  // Sets each variable of `values` in this scope.
  void Apply(json::Object values);

  // Every variable visible in this scope (the nearest scope's value of each name) into *out.
  void CollectVisible(json::Object* out) const;

  // This scope's own variables (for checkpoints); replaced wholesale when resuming.
  const json::Object& values() const { return values_; }
  void Restore(json::Object values);

 private:
  // Serialized bytes of this scope's and the enclosing scopes' variables.
  size_t TotalBytes() const;

  const Variables* outer_;
  json::Object values_;
  size_t bytes_ = 0;  // serialized size of values_, kept up to date
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_VARIABLES_H_
