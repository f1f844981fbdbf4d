// The compiled form of a JSONPath (Path::Impl): a flat vector of steps, evaluated left to
// right, plus the filter expression trees that `[?(...)]` steps point to. Internal to the json
// layer; built by CompilePath (jsonpath_compiler.cc), read by the evaluator (jsonpath_eval.cc).
//
// Thread-safety: immutable after compilation; filter trees are shared between copies.
#ifndef AUTORETRAIN_JSON_JSONPATH_IMPL_H_
#define AUTORETRAIN_JSON_JSONPATH_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/json/jsonpath.h"

namespace autoretrain::json {

struct FilterNode;

enum class StepKind {
  kField,     // .name or ['name']
  kFields,    // ['a','b']: several names (Jayway merges them into one object at the leaf)
  kIndex,     // [n], n may be negative (counts from the end)
  kIndices,   // [0,2,-1]
  kSlice,     // [start:end:step], Python semantics
  kWildcard,  // .* or [*]
  kFilter,    // [?(...)]
};

struct Step {
  StepKind kind = StepKind::kField;
  bool deep = false;               // preceded by `..`: applied at the node and at every descendant
  size_t position = 0;             // where the step starts in the path text, for messages
  std::string name;                // kField
  std::vector<std::string> names;  // kFields
  int64_t index = 0;               // kIndex
  std::vector<int64_t> indices;    // kIndices
  std::optional<int64_t> start, end;         // kSlice
  int64_t step = 1;                          // kSlice, never 0
  std::shared_ptr<const FilterNode> filter;  // kFilter
};

// A run of steps relative to the document root (`$`) or to the filtered node (`@`).
struct StepList {
  std::vector<Step> steps;
  bool definite = true;  // at most one match (see Path::is_definite)
};

// One side of a filter comparison.
struct Operand {
  enum class Kind { kCurrent, kRoot, kLiteral };
  Kind kind = Kind::kLiteral;
  StepList path;  // kCurrent, kRoot
  Value literal;  // kLiteral
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterNode {
  enum class Kind { kOr, kAnd, kNot, kCompare, kExists };
  Kind kind = Kind::kExists;
  std::unique_ptr<FilterNode> lhs, rhs;  // kOr, kAnd (both), kNot (lhs)
  Operand left, right;                   // kCompare (both), kExists (left)
  CompareOp op = CompareOp::kEq;         // kCompare
};

struct Path::Impl {
  std::string text;
  bool context = false;  // starts with $$
  std::string variable;  // starts with $name: the name (empty otherwise)
  StepList path;
};

// Compiles `text` as a full JSONPath. Fails with Error{"InvalidJsonPath", cause naming the
// position}; never throws.
Result<std::unique_ptr<Path::Impl>> CompilePath(std::string_view text);

// Appends every match of steps[from..] applied to `node` to `out`, in document order. `root` is
// what `$` means inside filters.
void EvaluateSteps(const std::vector<Step>& steps, size_t from, const Value& node,
                   const Value& root, Array& out);

// For a definite step list: the node it names, or nullptr. A trailing kFields step (which
// builds a new object) is not handled here: callers stop before it.
const Value* FindDefinite(const std::vector<Step>& steps, size_t count, const Value& node);

}  // namespace autoretrain::json

#endif  // AUTORETRAIN_JSON_JSONPATH_IMPL_H_
