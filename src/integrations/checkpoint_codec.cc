#include "integrations/checkpoint_codec.h"

#include <chrono>
#include <memory>
#include <string>

namespace autoretrain::integrations {
namespace {

int64_t EpochMillis(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint FromEpochMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

Error Corrupt(const std::string& what) {
  return Error{"StoreCorrupt", "the checkpoint of a running execution " + what};
}

// data[key] as an integer, or nullopt.
std::optional<int64_t> IntAt(const json::Object& data, std::string_view key) {
  const json::Value* v = data.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return std::nullopt;
}

}  // namespace

store::Checkpoint EncodeCheckpoint(const engine::ResumePoint& point) {
  json::Object data;
  data["enteredEventId"] = point.entered_event_id;
  data["enteredTime"] = EpochMillis(point.entered_time);
  json::Array attempts;
  for (int a : point.retrier_attempts) attempts.emplace_back(a);
  data["attempts"] = std::move(attempts);
  if (point.wake_at) data["wakeAt"] = EpochMillis(*point.wake_at);
  if (point.variables != nullptr && !point.variables->empty()) data["variables"] = *point.variables;
  if (!point.task_token.empty()) data["taskToken"] = point.task_token;
  store::Checkpoint checkpoint;
  checkpoint.state_name = std::string(point.state_name);
  checkpoint.state_input = point.input != nullptr ? json::Serialize(*point.input) : "{}";
  checkpoint.retry_count = point.retry_count;
  checkpoint.engine_data = json::Serialize(data);
  return checkpoint;
}

Result<std::unique_ptr<DecodedCheckpoint>> DecodeCheckpoint(const store::Checkpoint& checkpoint,
                                                            const asl::StateMachine& machine) {
  auto decoded = std::make_unique<DecodedCheckpoint>();
  auto index = machine.index_by_name.find(checkpoint.state_name);
  if (index == machine.index_by_name.end()) {
    return Corrupt("names state '" + checkpoint.state_name + "', which its definition lacks");
  }
  Result<json::Value> input = json::Parse(checkpoint.state_input);
  if (!input.ok()) return Corrupt("has a state input that is not JSON: " + input.error().cause);
  Result<json::Value> data = json::Parse(checkpoint.engine_data);
  if (!data.ok() || !data->is_object()) return Corrupt("has malformed engine data");
  const json::Object& fields = data->as_object();
  std::optional<int64_t> entered = IntAt(fields, "enteredEventId");
  std::optional<int64_t> entered_time = IntAt(fields, "enteredTime");
  const json::Value* attempts = fields.if_contains("attempts");
  if (!entered || !entered_time || attempts == nullptr || !attempts->is_array()) {
    return Corrupt("has incomplete engine data: " + checkpoint.engine_data);
  }
  engine::ResumePoint& point = decoded->point;
  point.state_index = index->second;
  point.state_name = machine.states[index->second].name;
  point.entered_event_id = *entered;
  point.entered_time = FromEpochMillis(*entered_time);
  point.retry_count = checkpoint.retry_count;
  for (const json::Value& a : attempts->as_array()) {
    if (!a.is_int64()) return Corrupt("has a non-integer retry attempt count");
    point.retrier_attempts.push_back(static_cast<int>(a.get_int64()));
  }
  if (std::optional<int64_t> wake = IntAt(fields, "wakeAt")) point.wake_at = FromEpochMillis(*wake);
  if (const json::Value* variables = fields.if_contains("variables")) {
    if (!variables->is_object()) return Corrupt("has variables that are not an object");
    decoded->variables = variables->get_object();
    point.variables = &decoded->variables;
  }
  if (const json::Value* token = fields.if_contains("taskToken")) {
    if (!token->is_string()) return Corrupt("has a task token that is not a string");
    decoded->task_token = token->get_string();
    point.task_token = decoded->task_token;
  }
  point.last_event_id = checkpoint.event_id;
  decoded->input = std::move(input).value();
  point.input = &decoded->input;
  return decoded;
}

}  // namespace autoretrain::integrations
