// Fail: ends the execution with Error and Cause, each a literal or read from the state input by
// ErrorPath/CausePath (a path or an intrinsic function call, which must give a string). Fail has no
// InputPath or OutputPath.
#include <optional>
#include <string>
#include <utility>

#include "engine/io_processing.h"
#include "engine/run_context.h"
#include "engine/variables.h"

namespace autoretrain::engine {
namespace {

// Reads a string for ErrorPath/CausePath (`field` names it in the message).
Result<std::string> SelectString(const json::Path& path, const json::Value& input,
                                 ContextObject& context, const char* field) {
  std::optional<Payload> found = LookupPath(path, input, context);
  if (!found) return NoResultsError(path);
  const json::Value* selected = &found->get();
  if (!selected->is_string()) {
    return Error{"States.Runtime", std::string("The ") + field + " '" + path.text() +
                                       "' must reference a string value, but it references " +
                                       std::string(json::TypeName(*selected)) + ": " +
                                       json::Serialize(*selected)};
  }
  return std::string(selected->get_string());
}

// Runs the intrinsic function call of ErrorPath/CausePath (`field`), which must give a string.
Result<std::string> IntrinsicString(const asl::PayloadTemplate& call, const json::Value& input,
                                    ContextObject& context, const char* field) {
  Result<json::Value> v = call.Evaluate(input, context.Get(), context.variables());
  if (!v.ok()) return v.take_error();
  if (!v->is_string()) {
    return Error{"States.Runtime", std::string("The ") + field +
                                       " intrinsic function must produce a string value, but "
                                       "it produced " +
                                       std::string(json::TypeName(*v)) + ": " +
                                       json::Serialize(*v)};
  }
  return std::string(v->get_string());
}

}  // namespace

StateOutcome RunFailState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  Error error{s.error.value_or(""), s.cause.value_or("")};
  if (s.error_path) {
    Result<std::string> e = SelectString(*s.error_path, input, rc.context, "ErrorPath");
    if (!e.ok()) return StateOutcome::Failed(rc.StateError(e.take_error()));
    error.error = std::move(e).value();
  }
  if (s.cause_path) {
    Result<std::string> c = SelectString(*s.cause_path, input, rc.context, "CausePath");
    if (!c.ok()) return StateOutcome::Failed(rc.StateError(c.take_error()));
    error.cause = std::move(c).value();
  }
  if (s.error_intrinsic) {
    Result<std::string> e = IntrinsicString(*s.error_intrinsic, input, rc.context, "ErrorPath");
    if (!e.ok()) return StateOutcome::Failed(rc.StateError(e.take_error()));
    error.error = std::move(e).value();
  }
  if (s.cause_intrinsic) {
    Result<std::string> c = IntrinsicString(*s.cause_intrinsic, input, rc.context, "CausePath");
    if (!c.ok()) return StateOutcome::Failed(rc.StateError(c.take_error()));
    error.cause = std::move(c).value();
  }
  return StateOutcome::Failed(std::move(error));
}

}  // namespace autoretrain::engine
