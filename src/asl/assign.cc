// Assign: the variables a state (or a Choice rule, or a Catcher) sets. Its keys are variable
// names, with ".$" when the value is a path or an intrinsic function call; the values are
// compiled like Parameters, nested ".$" keys included.
#include <set>
#include <string>

#include "state_compiler.h"

namespace autoretrain::asl {
namespace {

bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

// Why `name` is not a variable name AWS accepts, or empty.
std::string NameProblem(std::string_view name) {
  if (name.empty()) return "a variable name cannot be empty";
  if (!IsNameStart(static_cast<unsigned char>(name[0]))) {
    return "a variable name starts with a letter or '_'";
  }
  size_t characters = 0;
  for (unsigned char c : name) {
    if (!IsNameStart(c) && !(c >= '0' && c <= '9')) {
      return "a variable name has only letters, digits and '_' (a whole variable is assigned, "
             "never a part of one such as 'x.y' or 'x[0]')";
    }
    characters += (c & 0xC0) != 0x80;
  }
  if (characters > json::kMaxVariableNameLength) {
    return "a variable name has at most " + std::to_string(json::kMaxVariableNameLength) +
           " characters";
  }
  return {};
}

// The object of obj's "Assign" field at `assign_location`; null when there is none or (after
// a schema problem) it is not an object.
const json::Object* AssignObject(const json::Object& obj, const std::string& assign_location,
                                 DefinitionReader* reader) {
  const json::Value* assign = obj.if_contains("Assign");
  if (assign == nullptr) return nullptr;
  if (!assign->is_object()) {
    reader->Schema(assign_location,
                   "The value for the field 'Assign' must be an OBJECT mapping variable names to "
                   "values, not " +
                       DescribeType(*assign));
    return nullptr;
  }
  return &assign->get_object();
}

}  // namespace

std::optional<PayloadTemplate> CompileAssign(const json::Object& obj, const std::string& location,
                                             DefinitionReader* reader) {
  const std::string assign_location = PointerAppend(location, "Assign");
  const json::Object* assign = AssignObject(obj, assign_location, reader);
  if (assign == nullptr) return std::nullopt;
  const size_t errors_before = reader->error_count();
  std::set<std::string, std::less<>> names;
  for (const auto& [key, unused] : *assign) {
    std::string_view name = key;
    if (name.ends_with(".$")) name.remove_suffix(2);
    if (std::string problem = NameProblem(name); !problem.empty()) {
      reader->Schema(PointerAppend(assign_location, key),
                     "'" + std::string(name) + "' is not a valid variable name: " + problem);
    } else if (!names.emplace(name).second) {
      reader->Schema(PointerAppend(assign_location, key),
                     "The variable '" + std::string(name) + "' is assigned twice in this Assign");
    } else {
      reader->NoteAssignedVariable(std::string(name), PointerAppend(assign_location, key));
    }
  }
  std::optional<PayloadTemplate> tmpl = CompileTemplateField(obj, "Assign", location, reader);
  if (reader->error_count() != errors_before) return std::nullopt;
  return tmpl;
}

std::optional<JsonataTemplate> CompileJsonataAssign(const json::Object& obj,
                                                    const std::string& location,
                                                    const std::string& field_prefix,
                                                    DefinitionReader* reader) {
  const std::string assign_location = PointerAppend(location, "Assign");
  const json::Object* assign = AssignObject(obj, assign_location, reader);
  if (assign == nullptr) return std::nullopt;
  const size_t errors_before = reader->error_count();
  for (const auto& [key, unused] : *assign) {
    std::string_view name = key;
    if (std::string problem = NameProblem(name); !problem.empty()) {
      reader->Schema(PointerAppend(assign_location, key),
                     "'" + std::string(name) + "' is not a valid variable name: " + problem +
                         (name.ends_with(".$")
                              ? " (JSONata states write \"x\": \"{% expression %}\", not \"x.$\")"
                              : ""));
    } else {
      reader->NoteAssignedVariable(std::string(name), PointerAppend(assign_location, key));
    }
  }
  std::vector<Diagnostic> problems;
  std::optional<JsonataTemplate> tmpl = JsonataTemplate::Compile(
      obj.at("Assign"), field_prefix + "Assign", assign_location, &problems);
  reader->AddAll(std::move(problems));
  if (reader->error_count() != errors_before) return std::nullopt;
  return tmpl;
}

}  // namespace autoretrain::asl
