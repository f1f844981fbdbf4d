// The Fail state: Error and Cause, each a literal, a path or an intrinsic function call.
#include <string>
#include <utility>
#include <vector>

#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

// ErrorPath / CausePath: a reference path, or an intrinsic function call (compiled into
// *intrinsic as a one-call template).
std::optional<json::Path> CompileFailPath(const json::Object& obj, std::string_view key,
                                          const std::string& location, DefinitionReader* reader,
                                          std::optional<PayloadTemplate>* intrinsic) {
  std::optional<std::string> text = reader->String(obj, key, location);
  if (!text) return std::nullopt;
  if (IsIntrinsicCall(*text)) {
    std::vector<Diagnostic> problems;
    *intrinsic =
        PayloadTemplate::CompileIntrinsic(*text, key, PointerAppend(location, key), &problems);
    reader->AddAll(std::move(problems));
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
  state->error_path = CompileFailPath(obj, "ErrorPath", location, reader, &state->error_intrinsic);
  state->cause_path = CompileFailPath(obj, "CausePath", location, reader, &state->cause_intrinsic);
}

}  // namespace autoretrain::asl
