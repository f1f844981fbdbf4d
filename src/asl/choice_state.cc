// The Choice state: Choices (rules with Next) and Default.
#include <string>

#include "choice_rule_compiler.h"
#include "state_compiler.h"

namespace autoretrain::asl {

void CompileChoiceState(const json::Object& obj, const std::string& location,
                        DefinitionReader* reader, State* state) {
  reader->CheckFields(
      obj, location,
      {"Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "Choices", "Default"},
      " in a 'Choice' state", /*assign_allowed=*/true);
  state->input_path = reader->NullablePathField(obj, "InputPath", location, PathKind::kFull);
  state->output_path = reader->NullablePathField(obj, "OutputPath", location, PathKind::kFull);
  state->assign = CompileAssign(obj, location, reader);
  CompileChoices(
      obj, location, reader, state,
      [reader](const json::Value& rule, const std::string& rule_location, size_t, ChoiceRule* out) {
        CompileChoiceRule(rule, rule_location, /*top_level=*/true, /*depth=*/0, reader, out);
      });
}

void CompileChoices(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                    State* state, const ChoiceRuleCompiler& compile_rule) {
  state->default_next = reader->String(obj, "Default", location).value_or("");
  const json::Value* choices = obj.if_contains("Choices");
  if (choices == nullptr) {
    reader->CheckRequired(obj, location, {"Choices"});
    return;
  }
  const std::string choices_location = PointerAppend(location, "Choices");
  if (!choices->is_array() || choices->get_array().empty()) {
    reader->Schema(choices_location,
                   "The value for the field 'Choices' must be a non-empty ARRAY of rules");
    return;
  }
  const json::Array& rules = choices->get_array();
  state->choices.resize(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    compile_rule(rules[i], PointerAppend(choices_location, i), i, &state->choices[i]);
  }
}

}  // namespace autoretrain::asl
