// StartAt and States, for the definition and for each nested machine (Parallel branches, Map
// item processors): every state compiled, StartAt resolved, then the graph checks.
#include <string>
#include <utility>

#include "graph_check.h"
#include "state_compiler.h"

namespace autoretrain::asl {

void CompileMachineBody(const json::Object& obj, const std::string& location,
                        DefinitionReader* reader, StateMachine* machine) {
  const std::string states_location = location + "/States";
  const std::string start_location = location + "/StartAt";
  machine->start_at = reader->String(obj, "StartAt", location).value_or("");
  const json::Value* states = obj.if_contains("States");
  if (states == nullptr) return;  // reported by the caller's CheckRequired
  if (!states->is_object()) {
    reader->Schema(states_location,
                   "The value for the field 'States' must be an OBJECT mapping state "
                   "names to states, not " +
                       DescribeType(*states));
    return;
  }
  const json::Object& states_json = states->get_object();
  if (states_json.empty()) {
    reader->Schema(states_location, "The field 'States' must contain at least one state");
    return;
  }
  machine->states.resize(states_json.size());
  int i = 0;
  for (const auto& [name, value] : states_json) {
    std::string state_name(name);
    const std::string state_location = PointerAppend(states_location, name);
    reader->NoteStateName(state_name, state_location);
    CompileState(state_name, value, state_location, reader, &machine->states[i]);
    machine->states[i].reads_context = StateReadsContext(machine->states[i]);
    machine->states[i].passes_input_on = StatePassesInputOn(machine->states[i]);
    machine->index_by_name.emplace(std::move(state_name), i);
    ++i;
  }
  machine->start_index = -1;
  if (obj.contains("StartAt") && obj.at("StartAt").is_string()) {
    auto it = machine->index_by_name.find(machine->start_at);
    if (it != machine->index_by_name.end()) {
      machine->start_index = it->second;
    } else {
      reader->Add(kMissingTransitionTarget, start_location,
                  "Missing 'Next' target: " + machine->start_at);
    }
  }
  CheckGraph(states_json, location, reader, machine);
}

void CompileNestedMachine(const json::Value& value, const std::string& location,
                          std::initializer_list<std::string_view> allowed, std::string_view what,
                          DefinitionReader* reader, StateMachine* machine) {
  if (!value.is_object()) {
    reader->Schema(location, std::string(what) +
                                 " must be an OBJECT with 'StartAt' and 'States', not " +
                                 DescribeType(value));
    return;
  }
  const json::Object& obj = value.get_object();
  reader->CheckFields(obj, location, allowed, std::string(" in ") + std::string(what),
                      /*assign_allowed=*/false);
  reader->CheckRequired(obj, location, {"StartAt", "States"});
  machine->comment = reader->String(obj, "Comment", location).value_or("");
  reader->EnterScope();
  CompileMachineBody(obj, location, reader, machine);
  reader->ExitScope();
}

}  // namespace autoretrain::asl
