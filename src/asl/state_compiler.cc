#include "state_compiler.h"

#include <utility>

namespace autoretrain::asl {

namespace {

std::optional<StateType> ParseStateType(std::string_view name) {
  static constexpr StateType kAll[] = {
      StateType::kPass,    StateType::kTask, StateType::kChoice,   StateType::kWait,
      StateType::kSucceed, StateType::kFail, StateType::kParallel, StateType::kMap};
  for (StateType t : kAll) {
    if (name == StateTypeName(t)) return t;
  }
  return std::nullopt;
}

// Characters, not bytes: AWS counts Unicode characters (UTF-8 continuation bytes are skipped).
size_t CountCharacters(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void CompilePassState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state) {
  reader->CheckFields(obj, location,
                      {"Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "ResultPath",
                       "Parameters", "Result", "Next", "End"},
                      " in a 'Pass' state", /*assign_allowed=*/true);
  CompilePathFields(obj, location, reader, state);
  state->assign = CompileAssign(obj, location, reader);
  state->parameters = CompileTemplateField(obj, "Parameters", location, reader);
  if (const json::Value* result = obj.if_contains("Result")) state->result = *result;
  CompileTransition(obj, location, reader, state);
}

void CompileSucceedState(const json::Object& obj, const std::string& location,
                         DefinitionReader* reader, State* state) {
  reader->CheckFields(obj, location,
                      {"Type", "Comment", "QueryLanguage", "InputPath", "OutputPath"},
                      " in a 'Succeed' state", /*assign_allowed=*/false);
  state->input_path = reader->NullablePathField(obj, "InputPath", location, PathKind::kFull);
  state->output_path = reader->NullablePathField(obj, "OutputPath", location, PathKind::kFull);
}

}  // namespace

void CompileState(const std::string& name, const json::Value& value, const std::string& location,
                  DefinitionReader* reader, State* state) {
  state->name = name;
  if (name.empty() || CountCharacters(name) > kMaxStateNameLength) {
    reader->Add(kInvalidStateName, location,
                "State names must be 1 to " + std::to_string(kMaxStateNameLength) +
                    " characters long; '" + name + "' has " +
                    std::to_string(CountCharacters(name)));
  }
  if (!value.is_object()) {
    reader->Schema(location, "State '" + name + "' must be an OBJECT, not " + DescribeType(value));
    return;
  }
  const json::Object& obj = value.get_object();
  if (!obj.contains("Type")) {
    reader->CheckRequired(obj, location, {"Type"});
    return;
  }
  std::optional<std::string> type_name = reader->String(obj, "Type", location);
  if (!type_name) return;
  std::optional<StateType> type = ParseStateType(*type_name);
  if (!type) {
    reader->Schema(PointerAppend(location, "Type"),
                   "'" + *type_name +
                       "' is not a valid state type; expected one of Pass, Task, Choice, Wait, "
                       "Succeed, Fail, Parallel, Map");
    return;
  }
  state->type = *type;
  state->comment = reader->String(obj, "Comment", location).value_or("");
  state->jsonata = reader->CheckQueryLanguage(obj, location);
  if (state->jsonata) return CompileJsonataState(obj, location, reader, state);
  switch (*type) {
    case StateType::kPass:
      return CompilePassState(obj, location, reader, state);
    case StateType::kTask:
      return CompileTaskState(obj, location, reader, state);
    case StateType::kChoice:
      return CompileChoiceState(obj, location, reader, state);
    case StateType::kWait:
      return CompileWaitState(obj, location, reader, state);
    case StateType::kSucceed:
      return CompileSucceedState(obj, location, reader, state);
    case StateType::kFail:
      return CompileFailState(obj, location, reader, state);
    case StateType::kParallel:
      return CompileParallelState(obj, location, reader, state);
    case StateType::kMap:
      return CompileMapState(obj, location, reader, state);
  }
}

namespace {

bool ReadsContext(const OptionalPath& path) {
  return path.kind == OptionalPath::Kind::kPath && path.path && path.path->is_context();
}

bool ReadsContext(const std::optional<json::Path>& path) { return path && path->is_context(); }

bool ReadsContext(const std::optional<PayloadTemplate>& tmpl) {
  return tmpl && tmpl->reads_context();
}

bool ReadsContext(const ChoiceRule& rule) {
  if (ReadsContext(rule.variable) || ReadsContext(rule.operand_path)) return true;
  for (const ChoiceRule& child : rule.children) {
    if (ReadsContext(child)) return true;
  }
  return false;
}

}  // namespace

bool StateReadsContext(const State& state) {
  if (state.jsonata) return true;  // $states.context may appear in any expression
  switch (state.type) {
    case StateType::kPass:
    case StateType::kChoice:
    case StateType::kSucceed:
    case StateType::kFail:
      break;
    case StateType::kTask:  // the handler receives the context
    case StateType::kWait:
    case StateType::kParallel:
    case StateType::kMap:
      return true;
  }
  if (ReadsContext(state.input_path) || ReadsContext(state.output_path) ||
      ReadsContext(state.result_path) || ReadsContext(state.parameters) ||
      ReadsContext(state.result_selector) || ReadsContext(state.error_path) ||
      ReadsContext(state.cause_path) || ReadsContext(state.error_intrinsic) ||
      ReadsContext(state.cause_intrinsic)) {
    return true;
  }
  for (const ChoiceRule& rule : state.choices) {
    if (ReadsContext(rule)) return true;
  }
  return false;
}

bool StatePassesInputOn(const State& state) {
  if (state.jsonata) return false;
  if (state.type != StateType::kPass && state.type != StateType::kSucceed) return false;
  return state.input_path.is_identity() && state.result_path.is_identity() &&
         state.output_path.is_identity() && !state.parameters && !state.result && !state.assign;
}

void CompileTransition(const json::Object& obj, const std::string& location,
                       DefinitionReader* reader, State* state) {
  const bool has_next = obj.contains("Next");
  const bool has_end = obj.contains("End");
  std::optional<std::string> next = reader->String(obj, "Next", location);
  std::optional<bool> end = reader->Bool(obj, "End", location);
  if (next) state->next = *next;
  if (end && !*end) {
    reader->Schema(PointerAppend(location, "End"),
                   "The value for the field 'End' must be true; to continue, give 'Next' instead");
  }
  if (has_next && end.value_or(false)) {
    reader->Schema(location, "State '" + state->name +
                                 "' has both 'Next' and 'End'; it must have exactly one of them");
  }
  if (!has_next && !has_end) {
    reader->Schema(location,
                   "State '" + state->name + "' must have either a 'Next' field or \"End\": true");
  }
  state->end = !has_next && end.value_or(false);
}

void CompilePathFields(const json::Object& obj, const std::string& location,
                       DefinitionReader* reader, State* state) {
  state->input_path = reader->NullablePathField(obj, "InputPath", location, PathKind::kFull);
  state->output_path = reader->NullablePathField(obj, "OutputPath", location, PathKind::kFull);
  state->result_path =
      reader->NullablePathField(obj, "ResultPath", location, PathKind::kResultPath);
}

std::optional<PayloadTemplate> CompileTemplateField(const json::Object& obj, std::string_view key,
                                                    const std::string& location,
                                                    DefinitionReader* reader) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  const std::string field_location = PointerAppend(location, key);
  if (!v->is_object()) {
    reader->Schema(field_location, "The value for the field '" + std::string(key) +
                                       "' must be an OBJECT, not " + DescribeType(*v));
    return std::nullopt;
  }
  std::vector<Diagnostic> problems;
  std::optional<PayloadTemplate> tmpl = PayloadTemplate::Compile(*v, field_location, &problems);
  reader->AddAll(std::move(problems));
  return tmpl;
}

}  // namespace autoretrain::asl
