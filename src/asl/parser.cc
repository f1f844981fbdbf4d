#include "autoretrain/asl/parser.h"

#include <exception>
#include <utility>

#include "definition_reader.h"
#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

std::vector<Diagnostic> One(std::string code, std::string location, std::string message) {
  return {Diagnostic{std::move(code), std::move(location), std::move(message)}};
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The top-level fields other than StartAt and States.
void CompileTopLevel(const json::Object& obj, DefinitionReader* reader, StateMachine* machine) {
  reader->CheckFields(
      obj, "", {"Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"}, "",
      /*assign_allowed=*/false);
  reader->CheckRequired(obj, "", {"StartAt", "States"});
  machine->comment = reader->String(obj, "Comment", "").value_or("");
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

  CompileMachineBody(obj, "", &reader, machine.get());
  reader.CheckVariableScopes();
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
