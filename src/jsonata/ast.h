// The syntax tree of a compiled JSONata expression (internal).
//
// The parser (parser.h) builds it and rewrites it once, as jsonata-js does: `a.b.c` becomes a
// path with steps, predicates become filter stages, `%` is resolved to ancestor slots, tail
// calls in lambda bodies become thunks. After Compile the tree is never modified, so many
// threads can evaluate it at once.
//
// Thread-safety: immutable after parsing.
#ifndef AUTORETRAIN_JSONATA_AST_H_
#define AUTORETRAIN_JSONATA_AST_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jsonata/value.h"

// PCRE2's compiled pattern (the 32-bit library's pcre2_code; regex_match.cc).
struct pcre2_real_code_32;

namespace autoretrain::jsonata {

struct Signature;
struct Builtin;

enum class NodeType {
  kPath,
  kBinary,      // value: the operator
  kUnary,       // value: "-", "[" (array constructor) or "{" (object constructor)
  kName,        // value: the field name
  kString,      // literal
  kNumber,      // literal
  kValue,       // true, false, null
  kWildcard,    // *
  kDescendant,  // **
  kParent,      // %
  kCondition,   // ? :
  kElvis,       // ?:
  kCoalesce,    // ??
  kBlock,       // ( ; )
  kBind,        // :=
  kRegex,
  kFunction,  // a call
  kPartial,   // a call with ? placeholders
  kVariable,
  kLambda,
  kApply,  // ~>
  kTransform,
  kSort,
  kPlaceholder,  // ? in an argument list
  kOperator,     // a bare operator token (parser-internal)
  kEnd,          // end of input (parser-internal)
};

// The operator of a kBinary node, resolved at parse time.
enum class BinaryOp : uint8_t {
  kNone,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kConcat,
  kRange,
  kIn,
  kAnd,
  kOr,
};

// An ancestor slot: where a `%` finds its parent, bound under `label` in the tuple stream.
struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Stage {
  bool is_index = false;  // an index binding (#$i) rather than a filter
  NodePtr expr;
  std::string name;
  int position = 0;
};

struct SortTerm {
  NodePtr expr;
  bool descending = false;
};

struct GroupBy {
  std::vector<std::pair<NodePtr, NodePtr>> pairs;
  int position = 0;
};

// A compiled regular expression literal /pattern/flags (regex_match.h: JavaScript's syntax as
// PCRE2 reads it, over code points).
struct RegexLiteral {
  std::string source;
  std::shared_ptr<const pcre2_real_code_32> code;
};

struct Node {
  NodeType type;
  std::string value;  // operator, name, variable name, string literal
  int position = 0;
  Value literal;  // kString, kNumber, kValue

  NodePtr lhs, rhs;                                // binary, bind, apply, coalesce, elvis
  NodePtr expression;                              // unary -
  std::vector<NodePtr> expressions;                // block, array constructor
  std::vector<NodePtr> steps;                      // path
  std::vector<std::pair<NodePtr, NodePtr>> pairs;  // object constructor
  std::vector<NodePtr> arguments;                  // call, partial
  NodePtr procedure;                               // call, partial
  NodePtr condition, then, otherwise;              // condition
  NodePtr pattern, update, remove;                 // transform
  NodePtr body;                                    // lambda
  std::vector<std::string> params;                 // lambda parameter names
  std::shared_ptr<const Signature> signature;      // lambda (may be null)
  bool thunk = false;                              // lambda made by tail-call optimisation
  std::vector<SortTerm> terms;                     // sort; also order-by in the raw tree
  std::shared_ptr<RegexLiteral> regex;             // regex
  std::vector<NodePtr> predicate;                  // filters on a non-path expression
  std::vector<Stage> stages;                       // stages of a path step
  std::unique_ptr<GroupBy> group;                  // group-by {} after an expression
  const Builtin* builtin = nullptr;                // variable naming a standard function
  BinaryOp op = BinaryOp::kNone;                   // kBinary: the operator

  bool keep_array = false;            // [] after the step
  bool keep_singleton_array = false;  // path: some step has []
  bool consarray = false;             // array constructor as first/last path step
  bool tuple = false;                 // step/path carries a tuple stream
  std::string focus;                  // @$var on a step
  std::string index;                  // #$var on a step
  std::shared_ptr<Slot> ancestor;     // name/wildcard step that binds a parent slot
  std::shared_ptr<Slot> slot;         // kParent
  std::vector<std::shared_ptr<Slot>> seeking_parent;
  bool has_seeking_parent = false;
  // kBlock: something in it may bind a variable into its scope (a `:=`, or a call, which may be
  // $eval); a block that binds nothing evaluates in the enclosing scope without a frame.
  bool scoped = true;
  // kTransform: the pattern reads nothing but its input (no variable other than `$`, no call,
  // no object constructor), so its matches are objects of the input itself (transform.cc).
  bool pure_pattern = false;
  // kPath: plain field names only (name_path.h), so steps over one object are lookups.
  bool name_path = false;
};

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_AST_H_
