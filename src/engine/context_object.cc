#include "engine/context_object.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace autoretrain::engine {
namespace {

// FormatIso8601, remembering the last second formatted on this thread: states entered within
// the same second (nearly all of them in a fast execution) only rewrite the milliseconds.
void FormatTimestampInto(TimePoint t, json::String& out) {
  thread_local int64_t cached_second = INT64_MIN;
  thread_local std::string cached;  // "YYYY-MM-DDThh:mm:ss.fffZ" of cached_second
  const int64_t ms = t.time_since_epoch().count();
  const int64_t second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const int millis = static_cast<int>(ms - second * 1000);
  if (second != cached_second || cached.size() != 24) {
    cached = FormatIso8601(t);
    cached_second = second;
    if (cached.size() != 24) {  // a year beyond 9999: no fast path
      out = cached;
      return;
    }
  }
  char buf[24];
  cached.copy(buf, 24);
  buf[20] = static_cast<char>('0' + millis / 100);
  buf[21] = static_cast<char>('0' + millis / 10 % 10);
  buf[22] = static_cast<char>('0' + millis % 10);
  out.assign(std::string_view(buf, 24));
}

}  // namespace

void ContextObject::EnterState(std::string_view name, TimePoint entered_time) {
  state_name_ = name;
  entered_time_ = entered_time;
  retry_count_ = 0;
  task_token_.reset();
  state_dirty_ = true;
}

void ContextObject::SetRetryCount(int64_t count) {
  retry_count_ = count;
  state_dirty_ = true;
}

void ContextObject::SetTaskToken(std::string token) {
  task_token_ = std::move(token);
  state_dirty_ = true;
}

void ContextObject::SetMapItem(int64_t index, const json::Value& value) {
  map_index_ = index;
  map_value_ = &value;
  state_dirty_ = true;
}

void ContextObject::ClearMapItem() {
  map_index_ = -1;
  map_value_ = nullptr;
  state_dirty_ = true;
}

// The context objects of finished executions on this thread. A new execution takes one and
// overwrites its strings in place, so it allocates (almost) nothing to build its context.
// Nested executions on one thread each take their own.
constexpr size_t kMaxPooled = 4;
thread_local std::vector<json::Value> t_pool;

ContextObject::~ContextObject() {
  if (value_.is_object() && t_pool.size() < kMaxPooled) t_pool.push_back(std::move(value_));
}

void ContextObject::Build() {
  if (!t_pool.empty()) {
    value_ = std::move(t_pool.back());
    t_pool.pop_back();
  } else {
    json::Object execution(6);
    for (const char* key : {"Id", "Input", "Name", "RoleArn", "StartTime"}) {
      execution.emplace(key, boost::json::string_kind);
    }
    execution.emplace("RedriveCount", 0);
    json::Object state(3);
    state.emplace("EnteredTime", boost::json::string_kind);
    state.emplace("Name", boost::json::string_kind);
    state.emplace("RetryCount", 0);
    json::Object machine(2);
    machine.emplace("Id", boost::json::string_kind);
    machine.emplace("Name", boost::json::string_kind);
    json::Object root(4);
    root.emplace("Execution", std::move(execution));
    root.emplace("State", std::move(state));
    root.emplace("StateMachine", std::move(machine));
    value_ = std::move(root);
  }
  json::Object& root = value_.get_object();
  json::Object& execution = root["Execution"].get_object();
  execution["Id"].get_string().assign(info_.execution_arn);
  if (info_.input != nullptr) {
    execution["Input"] = *info_.input;
  } else {
    execution["Input"] = json::Object{};
  }
  execution["Name"].get_string().assign(info_.execution_name);
  execution["RoleArn"].get_string().assign(info_.role_arn);
  FormatTimestampInto(info_.start_time, execution["StartTime"].get_string());
  json::Object& machine = root["StateMachine"].get_object();
  machine["Id"].get_string().assign(info_.state_machine_arn);
  machine["Name"].get_string().assign(info_.state_machine_name);
  if (root.contains("Task")) root.erase("Task");
  if (root.contains("Map")) root.erase("Map");
  state_dirty_ = true;
}

const json::Value& ContextObject::Get() {
  if (value_.is_null()) Build();
  if (state_dirty_) {
    // Updated in place: the strings keep their buffers from one state to the next.
    json::Object& root = value_.get_object();
    json::Object& state = root["State"].get_object();
    FormatTimestampInto(entered_time_, state["EnteredTime"].get_string());
    state["Name"].get_string().assign(state_name_);
    state["RetryCount"] = retry_count_;
    if (task_token_) {
      root["Task"] = json::Object{{"Token", *task_token_}};
    } else if (root.contains("Task")) {
      root.erase("Task");
    }
    if (map_value_ != nullptr) {
      root["Map"] =
          json::Object{{"Item", json::Object{{"Index", map_index_}, {"Value", *map_value_}}}};
    } else if (root.contains("Map")) {
      root.erase("Map");
    }
    state_dirty_ = false;
  }
  return value_;
}

}  // namespace autoretrain::engine
