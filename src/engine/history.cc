#include "engine/history.h"

#include <string>

namespace autoretrain::engine {

void History::Emit(TimePoint timestamp, std::string_view type, std::string_view details_key,
                   json::Value details) {
  HistoryEvent event;
  event.id = last_id_;
  event.previous_event_id = last_id_ - 1;
  event.timestamp = timestamp;
  event.type = std::string(type);
  event.details = std::move(details);
  event.details_key = std::string(details_key);
  observer_->OnEvent(execution_arn_, event);
}

json::Value NotTruncated() { return json::Object{{"truncated", false}}; }

json::Value HistoryEvent::ToJson() const {
  json::Object out;
  out["id"] = id;
  out["previousEventId"] = previous_event_id;
  out["timestamp"] = FormatIso8601(timestamp);
  out["type"] = type;
  if (!details_key.empty()) out[details_key] = details;
  return out;
}

}  // namespace autoretrain::engine
