#include "autoretrain/asl/parser.h"

#include <exception>
#include <utility>

#include "definition_reader.h"
#include "graph_check.h"
#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

std::vector<Diagnostic> One(std::string code, std::string location, std::string message) {
  return {Diagnostic{std::move(code), std::move(location), std::move(message)}};
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The top-level fields other than States.
void CompileTopLevel(const json::Object& obj, DefinitionReader* reader, StateMachine* machine) {
  reader->CheckFields(
      obj, "", {"Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"}, "",
      /*assign_allowed=*/false);
  reader->CheckRequired(obj, "", {"StartAt", "States"});
  machine->comment = reader->String(obj, "Comment", "").value_or("");
  machine->start_at = reader->String(obj, "StartAt", "").value_or("");
  reader->String(obj, "Version", "");
  machine->timeout_seconds = reader->Integer(obj, "TimeoutSeconds", "", 1, "a positive integer");
  reader->CheckQueryLanguage(obj, "");
}

CompileResult CompileChecked(const json::Value& definition) {
  if (!definition.is_object()) {
    return One(kSchemaValidationFailed, "",
               "A state machine definition must be a JSON OBJECT, not " + DescribeType(definition));
  }
  const json::Object& obj = definition.get_object();
  DefinitionReader reader;
  auto machine = std::make_shared<StateMachine>();
  CompileTopLevel(obj, &reader, machine.get());

  const json::Value* states = obj.if_contains("States");
  if (states != nullptr && !states->is_object()) {
    reader.Schema("/States",
                  "The value for the field 'States' must be an OBJECT mapping state "
                  "names to states, not " +
                      DescribeType(*states));
  } else if (states != nullptr && states->get_object().empty()) {
    reader.Schema("/States", "The field 'States' must contain at least one state");
  } else if (states != nullptr) {
    const json::Object& states_json = states->get_object();
    machine->states.resize(states_json.size());
    int i = 0;
    for (const auto& [name, value] : states_json) {
      std::string state_name(name);
      CompileState(state_name, value, PointerAppend("/States", name), &reader, &machine->states[i]);
      machine->states[i].reads_context = StateReadsContext(machine->states[i]);
      machine->index_by_name.emplace(std::move(state_name), i);
      ++i;
    }
    machine->start_index = -1;
    if (obj.contains("StartAt") && obj.at("StartAt").is_string()) {
      auto it = machine->index_by_name.find(machine->start_at);
      if (it != machine->index_by_name.end()) {
        machine->start_index = it->second;
      } else {
        reader.Add(kMissingTransitionTarget, "/StartAt",
                   "Missing 'Next' target: " + machine->start_at);
      }
    }
    CheckGraph(states_json, &reader, machine.get());
  }
  if (reader.has_errors()) return reader.TakeDiagnostics();
  machine->definition = definition;
  return std::shared_ptr<const StateMachine>(std::move(machine));
}

}  // namespace

CompileResult Compile(const json::Value& definition) {
  // The boundary of the layer: nothing below is expected to throw, but a library exception
  // (an allocation failure on a huge definition, say) must not escape.
  try {
    return CompileChecked(definition);
  } catch (const std::exception& e) {
    return One(kSchemaValidationFailed, "",
               std::string("The definition could not be compiled: ") + e.what());
  }
}

CompileResult CompileText(std::string_view definition_text) {
  if (IsBlank(definition_text)) {
    return One(kMissingDescription, "", "The definition is empty");
  }
  Result<json::Value> parsed = json::Parse(definition_text);
  if (!parsed.ok()) {
    return One(kInvalidJsonDescription, "",
               "The definition is not valid JSON: " + parsed.error().cause);
  }
  return Compile(*parsed);
}

}  // namespace autoretrain::asl
