#include "engine/variables.h"

#include <string>
#include <utility>

#include "autoretrain/engine/execution.h"
#include "engine/io_processing.h"

namespace autoretrain::engine {
namespace {

size_t EntryBytes(std::string_view name, const json::Value& value) {
  return name.size() + json::SerializedSize(value);
}

}  // namespace

const json::Value* Variables::FindVariable(std::string_view name) const {
  for (const Variables* scope = this; scope != nullptr; scope = scope->outer_) {
    if (const json::Value* v = scope->values_.if_contains(name)) return v;
  }
  return nullptr;
}

size_t Variables::TotalBytes() const {
  size_t total = 0;
  for (const Variables* scope = this; scope != nullptr; scope = scope->outer_) {
    total += scope->bytes_;
  }
  return total;
}

Status Variables::CheckAssignment(const json::Object& values, std::string_view state_name) const {
  size_t assign_bytes = 0;
  size_t scope_bytes = bytes_;
  for (const auto& [name, value] : values) {
    // Measured only once known to be shallow: measuring recurses once per level.
    if (!json::NestingWithin(value, kMaxVariableDepth)) {
      return NestedTooDeeply(state_name, "a value for the variable '" + std::string(name) + "'",
                             kMaxVariableDepth);
    }
    const size_t bytes = json::SerializedSize(value);
    if (bytes > kMaxVariableBytes) {
      return Error{"States.DataLimitExceeded",
                   "The state '" + std::string(state_name) + "' assigned the variable '" +
                       std::string(name) + "' a value of " + std::to_string(bytes) +
                       " bytes, more than the limit of " + std::to_string(kMaxVariableBytes)};
    }
    assign_bytes += bytes;
    if (const json::Value* old = values_.if_contains(name)) scope_bytes -= EntryBytes(name, *old);
    scope_bytes += name.size() + bytes;
  }
  if (assign_bytes > kMaxAssignBytes) {
    return Error{"States.DataLimitExceeded",
                 "The state '" + std::string(state_name) + "' assigned " +
                     std::to_string(assign_bytes) + " bytes of variables, more than the limit of " +
                     std::to_string(kMaxAssignBytes) + " for one Assign"};
  }
  if (TotalBytes() - bytes_ + scope_bytes > kMaxExecutionVariableBytes) {
    return Error{"States.DataLimitExceeded",
                 "The state '" + std::string(state_name) +
                     "' would bring the execution's variables over the limit of " +
                     std::to_string(kMaxExecutionVariableBytes) + " bytes"};
  }
  return OkStatus();
}

void Variables::Apply(json::Object values) {
  for (auto& [name, value] : values) {
    if (const json::Value* old = values_.if_contains(name)) bytes_ -= EntryBytes(name, *old);
    bytes_ += EntryBytes(name, value);
    values_.insert_or_assign(name, std::move(value));
  }
}

void Variables::Restore(json::Object values) {
  values_ = std::move(values);
  bytes_ = 0;
  for (const auto& [name, value] : values_) bytes_ += EntryBytes(name, value);
}

}  // namespace autoretrain::engine

namespace autoretrain::engine {

void Variables::CollectVisible(json::Object* out) const {
  if (outer_ != nullptr) outer_->CollectVisible(out);
  for (const auto& [name, value] : values_) (*out)[name] = value;
}

}  // namespace autoretrain::engine
