// The JSONata evaluator (internal): walks a compiled tree over a Value input, following
// jsonata-js's evaluation rules (sequences, tuple streams for `@`/`#`/`%`, lambdas with
// closures, a trampoline for tail calls, the depth and time limits).
//
// Thread-safety: an Evaluator serves one evaluation on one thread; the tree it reads is
// immutable and may be shared by evaluators on other threads.
#ifndef AUTORETRAIN_JSONATA_EVALUATOR_H_
#define AUTORETRAIN_JSONATA_EVALUATOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "jsonata/ast.h"
#include "jsonata/signature.h"
#include "jsonata/value.h"

namespace autoretrain::jsonata {

class Evaluator;

// A scope of variable bindings; closures keep theirs alive.
struct Frame {
  std::shared_ptr<Frame> parent;
  // Room for two bindings inline: a lambda's parameters usually fit without an allocation.
  boost::container::small_vector<std::pair<std::string, Value>, 2> vars;

  // The value bound to `name` here or in an enclosing frame; null when unbound.
  const Value* Lookup(std::string_view name) const {
    for (const Frame* f = this; f; f = f->parent.get()) {
      for (auto it = f->vars.rbegin(); it != f->vars.rend(); ++it) {
        if (it->first == name) return &it->second;
      }
    }
    return nullptr;
  }
  void Bind(std::string_view name, Value v) {
    for (auto& [k, existing] : vars) {
      if (k == name) {
        existing = std::move(v);
        return;
      }
    }
    vars.emplace_back(std::string(name), std::move(v));
  }
};
using FramePtr = std::shared_ptr<Frame>;

// A standard library function: evaluated, validated arguments in; a value (or undefined) out.
// `context` is the input value of the call (for `-` parameters).
using BuiltinImpl = Value (*)(Evaluator& ev, std::vector<Value>& args, const Value& context,
                              const FramePtr& env);

struct Builtin {
  Builtin(const char* n, const char* sig, int a, BuiltinImpl i)
      : name(n), signature_text(sig), arity(a), impl(i) {}
  const char* name;
  const char* signature_text;
  int arity;  // as getFunctionArity reports it (JavaScript's Function.length)
  BuiltinImpl impl;
  std::shared_ptr<const Signature> signature;
  Value value;  // the function value itself
};

// A host function from the caller's bindings: JSON arguments in, result or error out.
using HostFunction = std::function<Value(Evaluator& ev, std::vector<Value>& args)>;

struct FunctionData {
  enum class Kind { kLambda, kBuiltin, kHost, kPartial, kRegex, kTransform, kChain };
  Kind kind = Kind::kLambda;
  // kLambda / kTransform: the node, the captured input and scope.
  const Node* node = nullptr;
  Value input;
  FramePtr env;
  std::shared_ptr<const void> keepalive;  // the tree `node` belongs to ($eval)
  // kBuiltin
  const Builtin* builtin = nullptr;
  // kHost
  HostFunction host;
  std::shared_ptr<const Signature> signature;
  int arity = 0;
  // kPartial: the function and its arguments (placeholders where `holes` is true).
  Value target;
  std::vector<Value> bound;
  std::vector<bool> holes;
  // kRegex
  std::shared_ptr<RegexLiteral> regex;
  // kChain: second(first(x))
  Value first, second;
};

struct Limits {
  int max_depth = 0;  // 0: unlimited
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class Evaluator {
 public:
  // `now_millis`: the instant $now() and $millis() report; nullopt: the system clock, read at
  // the first call (every call of one evaluation reports the same instant).
  Evaluator(Limits limits, std::optional<int64_t> now_millis);
  // Clears every scope made during the evaluation: closures stored in the scopes they capture
  // form reference cycles that would otherwise never be freed.
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // A new scope under `parent` (null for the root), tracked for the cleanup above.
  FramePtr NewFrame(const FramePtr& parent);
  // A scope binding each entry of a tuple (the '@' context, focus, index and ancestor names).
  FramePtr FrameFromTuple(const FramePtr& env, const Value& tuple);

  // Evaluates `expr` against `input` in `env`. Throws JsonataError on failure.
  Value Eval(const Node* expr, const Value& input, const FramePtr& env);
  // Calls a function value with arguments (validating against its signature).
  Value Apply(const Value& proc, std::vector<Value> args, const Value& input, const FramePtr& env,
              const std::string& name = {}, int position = -1);
  // The number of parameters `f` takes (for $map and friends).
  static int Arity(const Value& f);

  int64_t now_millis();
  // Trees compiled by $eval during this evaluation (lambdas made from them point into them).
  std::vector<std::shared_ptr<const Node>> eval_trees;

 private:
  Value EvalInner(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalPath(const Node* expr, const Value& input, const FramePtr& env);
  // One path step over `input`: a sequence, or when `single` the one item of a sequence. Returns
  // the step's results as a sequence, an array of the input document (its items) or one
  // non-array value (a one-item sequence).
  Value EvalStep(const Node* step, const Value& input, bool single, const FramePtr& env, bool last);
  Value EvalTupleStep(const Node* step, const Value& input, Value tuples, const FramePtr& env);
  Value EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& env);
  Value EvalFilter(const Node* predicate, Value input, const FramePtr& env);
  Value EvalBinary(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalUnary(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalGroupPairs(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                       Value input, const FramePtr& env);
  // EvalGroupPairs for one item that is not a tuple (nor an array): no grouping to do. The
  // entries are its keys and values in the order EvalGroupPairs evaluates them (every key, then
  // the values), without the pairs whose key or value is undefined.
  static constexpr size_t kFewPairs = 16;
  using Entries = boost::container::small_vector<std::pair<Value, Value>, kFewPairs>;
  Value EvalObjectOfOne(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                        const Value& item, const FramePtr& env);
  void EvalEntriesOfOne(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                        const Value& item, const FramePtr& env, Entries& entries);
  Value EvalSort(const Node* expr, Value input, const FramePtr& env);
  Value EvalFunctionCall(const Node* expr, const Value& input, const FramePtr& env,
                         const Value* applyto);
  Value EvalPartial(const Node* expr, const Value& input, const FramePtr& env);
  Value EvalApplyOp(const Node* expr, const Value& input, const FramePtr& env);
  Value ApplyInner(const Value& proc, std::vector<Value> args, const Value& input,
                   const FramePtr& env, const std::string& name, int position);
  Value ApplyProcedure(FunctionData* f, std::vector<Value>& args);
  // transform.cc: the transform operator over `obj`, and its update and deletions for one
  // match (applied to `target` when the match is an object of the result, null otherwise).
  // `literal_deletions` keeps a literal deletion list between the matches of one transform.
  Value ApplyTransform(FunctionData* f, const Value& obj);
  void UpdateMatch(const Node* expr, const Value& match, ObjectData* target, const FramePtr& env,
                   Value& literal_deletions);
  void Enter();
  void Leave() { --depth_; }
  // One level of evaluation (Enter) for its lifetime, as each Eval counts one.
  struct Level {
    explicit Level(Evaluator& ev) : ev_(ev) { ev_.Enter(); }
    ~Level() { ev_.Leave(); }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;
    Evaluator& ev_;
  };

  Limits limits_;
  std::optional<int64_t> now_millis_;
  int depth_ = 0;
  uint32_t ticks_ = 0;
  // The C++ stack: where the evaluation started and how much of it the evaluation may use
  // (what the thread has left, less a margin), so deep expressions fail with U1001 instead
  // of overflowing whatever the depth limit is.
  uintptr_t stack_start_ = 0;
  size_t stack_budget_ = 0;
  boost::container::small_vector<std::weak_ptr<Frame>, 8> frames_;
  size_t frames_compact_at_ = 1024;
};

// Sorts a copy of `arr` with jsonata-js's stable merge sort; `swap(a, b)` true puts b first.
Value SortValues(const Value& arr, const std::function<bool(const Value&, const Value&)>& swap);

// Looks up a standard function by name (without '$'); null when there is none.
const Builtin* FindBuiltin(std::string_view name);

// JSONata's truthiness ($boolean); undefined stays undefined (returns nullopt as false here).
bool Truthy(const Value& v);
// Appends `b` to `a` as $append does (sequence semantics).
Value AppendValues(const Value& a, const Value& b);
// fn.lookup: the values under `key` in an object or across an array of objects.
Value LookupKey(const Value& input, std::string_view key);
// Wraps a value in a fresh sequence (an undefined value gives an empty one).
std::shared_ptr<ArrayData> SequenceOf(const Value& v);
// Unwraps a finished sequence: empty → undefined, one item → the item (unless keep_singleton).
Value Collapse(std::shared_ptr<ArrayData> seq);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_EVALUATOR_H_
