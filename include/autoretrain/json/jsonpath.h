// JSONPath as Step Functions accepts it, compiled once and evaluated many times.
//
// Two dialects, as AWS defines them:
// - a full path (InputPath, OutputPath, Parameters/ResultSelector values for keys ending in
//   ".$", ItemsPath, *Path comparison operands...) may use every operator of the Jayway syntax
//   AWS uses: `$`, `.name`, `['name']`, `[n]` (negative n counts from the end), `[*]`, `.*`,
//   `..` deep scan, unions `[0,2]` and `['a','b']`, slices `[start:end:step]`, and filters
//   `[?(@.x > 1)]` with ==, !=, <, <=, >, >=, &&, ||, !, and existence `[?(@.x)]`.
// - a reference path (ResultPath, Choice `Variable`, ...) identifies a single node: only `$`,
//   `.name`, `['name']` and `[n]` with non-negative n.
// A path may start with `$$` instead of `$`: it is then evaluated against the context object.
//
// Semantics follow Jayway JsonPath (what Step Functions runs): a step that cannot be taken
// (missing field, index out of range, field of a non-object) selects nothing; a filter tests
// each element of an array, or an object itself; a missing operand in a filter compares
// unequal to everything; `['a','b']` as the last step builds one object with those of the
// fields that exist (and is definite), elsewhere it visits each named field.
//
// Thread-safety: a compiled Path is immutable; share it between threads freely.
#ifndef AUTORETRAIN_JSON_JSONPATH_H_
#define AUTORETRAIN_JSON_JSONPATH_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::json {

// The longest workflow variable name AWS accepts, in characters.
inline constexpr size_t kMaxVariableNameLength = 80;

class Path;

// Where `$name` paths read workflow variables (Step Functions' Assign).
class VariableSource {
 public:
  virtual ~VariableSource() = default;
  // The value of variable `name`, or nullptr when it is not assigned.
  virtual const Value* FindVariable(std::string_view name) const = 0;
};

// The values a path can start from: `$` the input, `$$` the context object, `$name` a
// variable (none when `variables` is null).
struct PathRoots {
  const Value& input;
  const Value& context;
  const VariableSource* variables = nullptr;

  // The value `path` starts from; nullptr for a variable that is not assigned.
  const Value* For(const Path& path) const;
};

class Path {
 public:
  // Compiles `text` as a full path. On failure returns Error{"InvalidJsonPath", cause} where
  // the cause says what is wrong and at which character, e.g.
  // "Unexpected character ']' at position 4 in JSONPath '$.a[]'".
  static Result<Path> Compile(std::string_view text);
  // Compiles `text` as a reference path; a valid full path that is not a reference path fails
  // with Error{"InvalidReferencePath", "... is not a valid reference path: ..."}.
  static Result<Path> CompileReference(std::string_view text);

  // The text the path was compiled from.
  const std::string& text() const;
  // True when the path starts with `$$` (evaluated against the context object).
  bool is_context() const;
  // True when the path starts with `$name`, a workflow variable (evaluated against its
  // value); variable() is the name ("" otherwise).
  bool is_variable() const;
  const std::string& variable() const;
  // True when the path can select at most one node (no wildcard, deep scan, union, slice or
  // filter): Jayway's "definite" path. Reference paths are always definite.
  bool is_definite() const;
  // True for the bare root `$` (or `$$`); a bare variable `$name` is not a root.
  bool is_root() const;

  // Evaluates against `root` (the caller passes the context object for is_context() paths).
  // A definite path returns the node it names, or nullopt when that node does not exist.
  // An indefinite path returns an array of every match in document order (possibly empty).
  // Evaluation is bounded so that hostile paths (`$..*..*..*`) cannot run away: past about a
  // million copied nodes it stops and returns the matches so far, an array already far larger
  // than kMaxPayloadBytes when serialized.
  std::optional<Value> Select(const Value& root) const;

  // For a definite path, the node it names inside `root` without copying anything, or nullptr
  // when it does not exist. Also nullptr for indefinite paths and for a definite path ending
  // in `['a','b']` (whose result is a new object): use Select for those.
  const Value* Find(const Value& root) const;

  // Writes `value` at this reference path inside `root`, creating missing objects on the way,
  // as ResultPath does. `$` replaces the root. Fails with Error{"States.ResultPathMatchFailure",
  // cause} when a step cannot be taken (a field step into a non-object, an index out of range or
  // into a non-array). Precondition: compiled with CompileReference.
  Status Assign(Value& root, Value value) const;

  Path(const Path&);
  Path& operator=(const Path&);
  Path(Path&&) noexcept;
  Path& operator=(Path&&) noexcept;
  ~Path();

  struct Impl;  // compiled steps; defined in jsonpath.cc

 private:
  explicit Path(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoretrain::json

#endif  // AUTORETRAIN_JSON_JSONPATH_H_
