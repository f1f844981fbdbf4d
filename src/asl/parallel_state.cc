// The Parallel state: Branches (each a state machine of its own scope), the input/output
// processing fields, Retry and Catch.
#include <string>

#include "state_compiler.h"

namespace autoretrain::asl {

void CompileParallelState(const json::Object& obj, const std::string& location,
                          DefinitionReader* reader, State* state) {
  reader->CheckFields(
      obj, location,
      {"Type", "Comment", "QueryLanguage", "Branches", "InputPath", "OutputPath", "ResultPath",
       "Parameters", "ResultSelector", "Retry", "Catch", "Next", "End"},
      " in a 'Parallel' state", /*assign_allowed=*/true);
  reader->CheckRequired(obj, location, {"Branches"});
  CompilePathFields(obj, location, reader, state);
  state->assign = CompileAssign(obj, location, reader);
  state->parameters = CompileTemplateField(obj, "Parameters", location, reader);
  state->result_selector = CompileTemplateField(obj, "ResultSelector", location, reader);
  if (const json::Value* branches = obj.if_contains("Branches")) {
    const std::string branches_location = PointerAppend(location, "Branches");
    if (!branches->is_array() || branches->get_array().empty()) {
      reader->Schema(branches_location,
                     "The value for the field 'Branches' must be a non-empty ARRAY of state "
                     "machines (objects with 'StartAt' and 'States')");
    } else {
      const json::Array& list = branches->get_array();
      state->branches.resize(list.size());
      for (size_t i = 0; i < list.size(); ++i) {
        CompileNestedMachine(list[i], PointerAppend(branches_location, i),
                             {"StartAt", "States", "Comment"}, "a Parallel branch", reader,
                             &state->branches[i]);
      }
    }
  }
  CompileRetry(obj, location, reader, state);
  CompileCatch(obj, location, reader, state);
  CompileTransition(obj, location, reader, state);
}

}  // namespace autoretrain::asl
