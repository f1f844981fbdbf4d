// Internal to the asl layer: collects diagnostics and reads typed fields out of definition JSON,
// reporting each wrong type or value as a SCHEMA_VALIDATION_FAILED diagnostic at the field's
// JSON pointer. The compilers of each state type build on these.
//
// Thread-safety: a DefinitionReader belongs to one compilation; not shared.
#ifndef AUTORETRAIN_SRC_ASL_DEFINITION_READER_H_
#define AUTORETRAIN_SRC_ASL_DEFINITION_READER_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/diagnostic.h"
#include "autoretrain/asl/state_machine.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"

namespace autoretrain::asl {

// The largest number AWS accepts for TimeoutSeconds, Seconds, IntervalSeconds and the like.
inline constexpr int64_t kMaxSeconds = 99999999;

// `base` + "/" + `key` with the key escaped as RFC 6901 requires ("~" as "~0", "/" as "~1").
std::string PointerAppend(const std::string& base, std::string_view key);
std::string PointerAppend(const std::string& base, size_t index);

// The integer a JSON number holds (an integral double counts), or nullopt.
std::optional<int64_t> AsInteger(const json::Value& v);

// The JSON type of `v` for messages, with its article: "a number", "an object", "null".
std::string DescribeType(const json::Value& v);

// True for "States.Format(...)"-style values: intrinsic function calls.
bool IsIntrinsicCall(std::string_view text);

// Which JSONPath dialect a field takes (see json/jsonpath.h). kResultPath is a reference path
// that may not start with "$$" (a result cannot be written into the context object).
enum class PathKind { kFull, kReference, kResultPath };

class DefinitionReader {
 public:
  void Add(std::string code, std::string location, std::string message);
  // Adds a SCHEMA_VALIDATION_FAILED diagnostic.
  void Schema(std::string location, std::string message);
  void AddAll(std::vector<Diagnostic> diagnostics);

  bool has_errors() const { return !diagnostics_.empty(); }
  size_t error_count() const { return diagnostics_.size(); }
  std::vector<Diagnostic> TakeDiagnostics() { return std::move(diagnostics_); }

  // Reports every key of `obj` not in `allowed` as not supported (`where`, e.g. " in a 'Wait'
  // state", is appended to the message). "Assign" is also allowed when `assign_allowed`; the
  // caller compiles it (CompileAssign).
  void CheckFields(const json::Object& obj, const std::string& location,
                   std::initializer_list<std::string_view> allowed, std::string_view where,
                   bool assign_allowed);
  // Reports the fields of `required` missing from `obj` ("These fields are required: [...]").
  void CheckRequired(const json::Object& obj, const std::string& location,
                     std::initializer_list<std::string_view> required);

  // Each reader returns nullopt when the field is absent or invalid (reported).
  std::optional<std::string> String(const json::Object& obj, std::string_view key,
                                    const std::string& location);
  std::optional<bool> Bool(const json::Object& obj, std::string_view key,
                           const std::string& location);
  // An integer in [min_value, kMaxSeconds]; `what` names the requirement in the message
  // ("a positive integer", "a non-negative integer").
  std::optional<int64_t> Integer(const json::Object& obj, std::string_view key,
                                 const std::string& location, int64_t min_value,
                                 std::string_view what);

  // Compiles the string `text` found at `location` (the field `field`) as a path.
  std::optional<json::Path> CompilePath(const std::string& text, std::string_view field,
                                        const std::string& location, PathKind kind);
  // Reads an optional path field (a string).
  std::optional<json::Path> PathField(const json::Object& obj, std::string_view key,
                                      const std::string& location, PathKind kind);
  // Reads an optional path field that may also be JSON null (InputPath, OutputPath, ResultPath).
  OptionalPath NullablePathField(const json::Object& obj, std::string_view key,
                                 const std::string& location, PathKind kind);

  // Notes a state name found at `location`; a name used twice anywhere in the definition
  // (branches and item processors included) is DUPLICATE_STATE_NAME.
  void NoteStateName(const std::string& name, const std::string& location);

  // Variable scopes: the definition's states are scope 0; each Parallel branch and Map item
  // processor opens a scope inside the current one while it is compiled.
  void EnterScope();
  void ExitScope();
  // Notes that an Assign at `location` in the current scope sets `name`.
  void NoteAssignedVariable(const std::string& name, const std::string& location);
  // Reports each variable that a branch or item processor assigns although an enclosing scope
  // assigns it too (AWS allows inner scopes to read outer variables, not to set them). Call
  // once, after the whole definition is compiled.
  void CheckVariableScopes();

  // QueryLanguage of the definition (location "") or of a state: returns true for "JSONata",
  // false for "JSONPath" or when absent (then the definition's language applies to a state);
  // anything else is reported. A JSONPath state in a JSONata definition is reported (AWS only
  // lets a JSONPath definition mix in JSONata states). The definition's own language is
  // remembered for the states (default_jsonata()).
  bool CheckQueryLanguage(const json::Object& obj, const std::string& location);
  bool default_jsonata() const { return default_jsonata_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, std::string, std::less<>> state_locations_;  // name -> first location
  struct Assignment {
    std::string name;
    std::string location;
    int scope;
  };
  std::vector<Assignment> assignments_;
  std::vector<int> scope_parent_{-1};  // scope -> enclosing scope (-1 for scope 0)
  int current_scope_ = 0;
  bool default_jsonata_ = false;
};

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_DEFINITION_READER_H_
