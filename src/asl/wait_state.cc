// The Wait state: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath.
#include <string>

#include "autoretrain/common/clock.h"
#include "state_compiler.h"

namespace autoretrain::asl {

void CompileWaitState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state) {
  reader->CheckFields(obj, location,
                      {"Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "Seconds",
                       "Timestamp", "SecondsPath", "TimestampPath", "Next", "End"},
                      " in a 'Wait' state", /*assign_allowed=*/true);
  state->input_path = reader->NullablePathField(obj, "InputPath", location, PathKind::kFull);
  state->output_path = reader->NullablePathField(obj, "OutputPath", location, PathKind::kFull);
  state->assign = CompileAssign(obj, location, reader);

  int given = 0;
  for (std::string_view k : {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}) {
    given += obj.contains(k);
  }
  if (given != 1) {
    reader->Schema(location,
                   "A Wait state must have exactly one of 'Seconds', 'Timestamp', "
                   "'SecondsPath' or 'TimestampPath'; it has " +
                       std::to_string(given));
  }
  state->seconds = reader->Integer(obj, "Seconds", location, 0, "a non-negative integer");
  if (std::optional<std::string> ts = reader->String(obj, "Timestamp", location)) {
    TimePoint unused;
    if (ParseIso8601(*ts, &unused)) {
      state->timestamp = *ts;
    } else {
      reader->Schema(PointerAppend(location, "Timestamp"),
                     "The value for the field 'Timestamp' must be an RFC 3339 timestamp such as "
                     "'2026-01-05T03:00:00Z', not '" +
                         *ts + "'");
    }
  }
  state->seconds_path = reader->PathField(obj, "SecondsPath", location, PathKind::kReference);
  state->timestamp_path = reader->PathField(obj, "TimestampPath", location, PathKind::kReference);
  CompileTransition(obj, location, reader, state);
}

}  // namespace autoretrain::asl
