// The Task state: Resource, the input/output processing fields, timeouts, Retry and Catch.
#include <string>

#include "autoretrain/common/arn.h"
#include "state_compiler.h"

namespace autoretrain::asl {

void CompileResource(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                     State* state) {
  std::optional<std::string> resource = reader->String(obj, "Resource", location);
  if (!resource) return;
  state->resource = *resource;
  std::optional<ParsedArn> arn = ParseArn(*resource);
  if (!arn || arn->partition.empty() || arn->service.empty() || arn->resource.empty()) {
    reader->Add(kInvalidResource, PointerAppend(location, "Resource"),
                "Invalid resource: '" + *resource +
                    "' is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, e.g. "
                    "arn:aws:states:::lambda:invoke)");
  }
}

namespace {

// TimeoutSeconds / HeartbeatSeconds and their *Path forms: at most one of each pair, and a
// literal heartbeat shorter than a literal timeout.
void CompileTimeouts(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                     State* state) {
  state->timeout_seconds =
      reader->Integer(obj, "TimeoutSeconds", location, 1, "a positive integer");
  state->timeout_seconds_path =
      reader->PathField(obj, "TimeoutSecondsPath", location, PathKind::kReference);
  state->heartbeat_seconds =
      reader->Integer(obj, "HeartbeatSeconds", location, 1, "a positive integer");
  state->heartbeat_seconds_path =
      reader->PathField(obj, "HeartbeatSecondsPath", location, PathKind::kReference);
  if (obj.contains("TimeoutSeconds") && obj.contains("TimeoutSecondsPath")) {
    reader->Schema(location,
                   "A Task state cannot have both 'TimeoutSeconds' and 'TimeoutSecondsPath'");
  }
  if (obj.contains("HeartbeatSeconds") && obj.contains("HeartbeatSecondsPath")) {
    reader->Schema(location,
                   "A Task state cannot have both 'HeartbeatSeconds' and 'HeartbeatSecondsPath'");
  }
  if (state->timeout_seconds && state->heartbeat_seconds &&
      *state->heartbeat_seconds >= *state->timeout_seconds) {
    reader->Schema(PointerAppend(location, "HeartbeatSeconds"),
                   "HeartbeatSeconds (" + std::to_string(*state->heartbeat_seconds) +
                       ") must be smaller than TimeoutSeconds (" +
                       std::to_string(*state->timeout_seconds) + ")");
  }
}

}  // namespace

void CompileTaskState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state) {
  reader->CheckFields(
      obj, location,
      {"Type", "Comment", "QueryLanguage", "Resource", "InputPath", "OutputPath", "ResultPath",
       "Parameters", "ResultSelector", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
       "HeartbeatSecondsPath", "Credentials", "Retry", "Catch", "Next", "End"},
      " in a 'Task' state", /*assign_allowed=*/true);
  reader->CheckRequired(obj, location, {"Resource"});
  CompileResource(obj, location, reader, state);
  CompilePathFields(obj, location, reader, state);
  state->assign = CompileAssign(obj, location, reader);
  state->parameters = CompileTemplateField(obj, "Parameters", location, reader);
  state->result_selector = CompileTemplateField(obj, "ResultSelector", location, reader);
  CompileTimeouts(obj, location, reader, state);
  if (const json::Value* credentials = obj.if_contains("Credentials");
      credentials != nullptr && !credentials->is_object()) {
    reader->Schema(PointerAppend(location, "Credentials"),
                   "The value for the field 'Credentials' must be an OBJECT, not " +
                       DescribeType(*credentials));
  }
  CompileRetry(obj, location, reader, state);
  CompileCatch(obj, location, reader, state);
  CompileTransition(obj, location, reader, state);
}

}  // namespace autoretrain::asl
