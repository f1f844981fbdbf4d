#include "autoretrain/server/aws_shapes.h"

#include <chrono>
#include <string_view>

namespace autoretrain::server {
namespace {

// Rewrites the ISO 8601 dates `keys` of `object` as epoch seconds.
void ConvertDates(json::Object& object, std::initializer_list<std::string_view> keys,
                  DateFormat format) {
  if (format == DateFormat::kIso8601) return;
  for (std::string_view key : keys) {
    json::Value* value = object.if_contains(key);
    if (value == nullptr || !value->is_string()) continue;
    TimePoint t;
    if (ParseIso8601(std::string(value->as_string()), &t)) *value = DateJson(t, format);
  }
}

}  // namespace

json::Value DateJson(TimePoint t, DateFormat format) {
  if (format == DateFormat::kIso8601) return json::Value(FormatIso8601(t));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  if (ms % 1000 == 0) return json::Value(static_cast<int64_t>(ms / 1000));
  return json::Value(static_cast<double>(ms) / 1000.0);
}

json::Value ListExecutionsJson(const store::Page<store::ExecutionRecord>& page, DateFormat format) {
  json::Array executions;
  for (const store::ExecutionRecord& record : page.items) {
    json::Object item;
    item["executionArn"] = record.arn;
    item["stateMachineArn"] = record.state_machine_arn;
    item["name"] = record.name;
    item["status"] = engine::ExecutionStatusName(record.status);
    item["startDate"] = DateJson(record.start_date, format);
    if (record.stop_date) item["stopDate"] = DateJson(*record.stop_date, format);
    executions.push_back(std::move(item));
  }
  json::Object out{{"executions", std::move(executions)}};
  if (!page.next_token.empty()) out["nextToken"] = page.next_token;
  return out;
}

json::Value DescribeExecutionJson(const store::ExecutionRecord& record, DateFormat format) {
  json::Value out = record.ToResult().ToDescribeJson();
  ConvertDates(out.as_object(), {"startDate", "stopDate"}, format);
  return out;
}

json::Value HistoryJson(const store::Page<engine::HistoryEvent>& page, DateFormat format,
                        bool include_data) {
  json::Array events;
  for (const engine::HistoryEvent& event : page.items) {
    json::Value item = event.ToJson();
    json::Object& object = item.as_object();
    ConvertDates(object, {"timestamp"}, format);
    if (!include_data && !event.details_key.empty()) {
      if (json::Value* details = object.if_contains(event.details_key);
          details != nullptr && details->is_object()) {
        details->as_object().erase("input");
        details->as_object().erase("output");
      }
    }
    events.push_back(std::move(item));
  }
  json::Object out{{"events", std::move(events)}};
  if (!page.next_token.empty()) out["nextToken"] = page.next_token;
  return out;
}

json::Value DescribeStateMachineJson(const store::StateMachineRecord& record, DateFormat format) {
  json::Object out;
  out["stateMachineArn"] = record.arn;
  out["name"] = record.name;
  out["status"] = record.status;
  out["definition"] = record.definition;
  out["roleArn"] = record.role_arn;
  out["type"] = record.type;
  out["creationDate"] = DateJson(record.creation_date, format);
  out["loggingConfiguration"] = json::Object{{"level", "OFF"}, {"includeExecutionData", false}};
  out["tracingConfiguration"] = json::Object{{"enabled", false}};
  return out;
}

json::Value ListStateMachinesJson(const store::Page<store::StateMachineRecord>& page,
                                  DateFormat format) {
  json::Array machines;
  for (const store::StateMachineRecord& record : page.items) {
    machines.push_back(json::Object{{"stateMachineArn", record.arn},
                                    {"name", record.name},
                                    {"type", record.type},
                                    {"creationDate", DateJson(record.creation_date, format)}});
  }
  json::Object out{{"stateMachines", std::move(machines)}};
  if (!page.next_token.empty()) out["nextToken"] = page.next_token;
  return out;
}

}  // namespace autoretrain::server
