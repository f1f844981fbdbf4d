// The Fail state: Error and Cause, each a literal or a path (not both).
#include <string>

#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

// ErrorPath / CausePath: a reference path, or an intrinsic function (not supported yet).
std::optional<json::Path> CompileFailPath(const json::Object& obj, std::string_view key,
                                          const std::string& location, DefinitionReader* reader) {
  std::optional<std::string> text = reader->String(obj, key, location);
  if (!text) return std::nullopt;
  if (IsIntrinsicCall(*text)) {
    reader->Add(kUnsupportedFeature, PointerAppend(location, key),
                "Intrinsic functions ('" + *text + "') are not supported yet by autoretrain");
    return std::nullopt;
  }
  return reader->CompilePath(*text, key, PointerAppend(location, key), PathKind::kReference);
}

}  // namespace

void CompileFailState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state) {
  reader->CheckFields(
      obj, location,
      {"Type", "Comment", "QueryLanguage", "Error", "Cause", "ErrorPath", "CausePath"},
      " in a 'Fail' state", /*assign_allowed=*/false);
  if (obj.contains("Error") && obj.contains("ErrorPath")) {
    reader->Schema(location, "A Fail state cannot have both 'Error' and 'ErrorPath'");
  }
  if (obj.contains("Cause") && obj.contains("CausePath")) {
    reader->Schema(location, "A Fail state cannot have both 'Cause' and 'CausePath'");
  }
  state->error = reader->String(obj, "Error", location);
  state->cause = reader->String(obj, "Cause", location);
  state->error_path = CompileFailPath(obj, "ErrorPath", location, reader);
  state->cause_path = CompileFailPath(obj, "CausePath", location, reader);
}

}  // namespace autoretrain::asl
