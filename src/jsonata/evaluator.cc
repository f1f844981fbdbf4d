#include "jsonata/evaluator.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "jsonata/error.h"
#include "jsonata/regex_match.h"

namespace autoretrain::jsonata {
namespace {

bool IsNumeric(const Value& v) {
  if (!v.is_number()) return false;
  double d = v.number();
  if (std::isnan(d)) return false;
  if (!std::isfinite(d)) Throw("D1001", -1, NumberToString(d));
  return true;
}

// A copy of an array value whose flags can be set (input arrays are shallow-copied).
std::shared_ptr<ArrayData> Mutable(const Value& v) {
  if (v.array_data()) return std::static_pointer_cast<ArrayData>(v.shared());
  auto a = std::make_shared<ArrayData>();
  size_t n = v.size();
  a->items.reserve(n);
  for (size_t i = 0; i < n; ++i) a->items.push_back(v.at(i));
  return a;
}

// `input[n]` for a number literal n: the item at n (from the end when negative; a non-array
// is a one-item sequence), undefined when there is none.
Value ItemAt(const Node* index_literal, const Value& input) {
  const size_t n = input.is_array() ? input.size() : 1;
  double index = std::floor(index_literal->literal.number());
  if (index < 0) index += static_cast<double>(n);
  if (index < 0 || index >= static_cast<double>(n)) return Value();
  return input.is_array() ? input.at(static_cast<size_t>(index)) : input;
}

bool IsTupleStream(const Value& v) {
  ArrayData* a = v.is_array() ? v.array_data() : nullptr;
  return a && a->tuple_stream;
}

std::shared_ptr<ObjectData> CopyTuple(const Value& tuple) {
  auto o = std::make_shared<ObjectData>();
  if (ObjectData* src = tuple.object_data()) *o = *src;
  o->index.clear();
  if (o->entries.size() > ObjectData::kIndexAt) {
    for (size_t i = 0; i < o->entries.size(); ++i) o->index[o->entries[i].first] = i;
  }
  return o;
}

void Flatten(const Value& v, ArrayData& out) {
  if (v.is_array()) {
    for (size_t i = 0, n = v.size(); i < n; ++i) Flatten(v.at(i), out);
  } else {
    out.items.push_back(v);
  }
}

void RecurseDescendants(const Value& v, ArrayData& out) {
  if (!v.is_array()) out.items.push_back(v);
  if (v.is_array() || v.is_object()) CheckValueStack();
  if (v.is_array()) {
    for (size_t i = 0, n = v.size(); i < n; ++i) RecurseDescendants(v.at(i), out);
  } else if (v.is_object()) {
    v.ForEachEntry([&](std::string_view, const Value& item) { RecurseDescendants(item, out); });
  }
}

// Appends $string(v) for the & operator (undefined and functions add nothing).
void AppendStringOf(std::string& out, const Value& v) {
  if (v.undefined() || v.is_function()) return;
  if (v.is_string()) {
    out += v.str();
    return;
  }
  if (v.is_number() && !std::isfinite(v.number())) Throw("D3001");
  out += Stringify(v, false);
}

Value MakeFunction(FunctionData::Kind kind) {
  auto f = std::make_shared<FunctionData>();
  f->kind = kind;
  return Value::Function(std::move(f));
}

const std::shared_ptr<const Signature>& TransformSignature() {
  static const std::shared_ptr<const Signature> kSig = ParseSignature("<(oa):o>", 0);
  return kSig;
}

}  // namespace

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
    case Value::Kind::kFunction:
      return false;
    case Value::Kind::kBool:
      return v.boolean();
    case Value::Kind::kString:
      return !v.str().empty();
    case Value::Kind::kNumber:
      return IsNumeric(v) && v.number() != 0;
    case Value::Kind::kObject:
      return v.object_size() > 0;
    case Value::Kind::kArray: {
      size_t n = v.size();
      if (n == 1) return Truthy(v.at(0));
      for (size_t i = 0; i < n; ++i) {
        if (Truthy(v.at(i))) return true;
      }
      return false;
    }
  }
  return false;
}

std::shared_ptr<ArrayData> SequenceOf(const Value& v) {
  auto s = Value::NewSequence();
  s->items.push_back(v);
  return s;
}

namespace {

// Appends `b` (spread when an array) to `out`, which the caller owns; as AppendValues does when
// `a` is already a built array, without copying it.
void AppendInPlace(ArrayData& out, const Value& b) {
  if (b.undefined()) return;
  if (b.is_array()) {
    for (size_t i = 0, n = b.size(); i < n; ++i) out.items.push_back(b.at(i));
  } else {
    out.items.push_back(b);
  }
}

}  // namespace

Value AppendValues(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  auto out = std::make_shared<ArrayData>();
  if (a.is_array()) {
    if (ArrayData* ad = a.array_data()) out->sequence = ad->sequence;
    size_t n = a.size();
    out->items.reserve(n + (b.is_array() ? b.size() : 1));
    for (size_t i = 0; i < n; ++i) out->items.push_back(a.at(i));
  } else {
    out->sequence = true;
    out->items.push_back(a);
  }
  if (b.is_array()) {
    for (size_t i = 0, n = b.size(); i < n; ++i) out->items.push_back(b.at(i));
  } else {
    out->items.push_back(b);
  }
  return Value::Array(std::move(out));
}

Value LookupKey(const Value& input, std::string_view key) {
  if (input.is_array()) {
    auto result = Value::NewSequence();
    for (size_t i = 0, n = input.size(); i < n; ++i) {
      Value res = LookupKey(input.at(i), key);
      if (res.undefined()) continue;
      if (res.is_array()) {
        for (size_t j = 0, m = res.size(); j < m; ++j) result->items.push_back(res.at(j));
      } else {
        result->items.push_back(std::move(res));
      }
    }
    return Value::Array(std::move(result));
  }
  if (input.is_object()) return input.get(key);
  return Value();
}

Value Collapse(std::shared_ptr<ArrayData> seq) {
  if (seq->items.empty()) return Value();
  if (seq->items.size() == 1 && !seq->keep_singleton) return seq->items[0];
  return Value::Array(std::move(seq));
}

Evaluator::Evaluator(Limits limits, std::optional<int64_t> now_millis)
    : limits_(limits), now_millis_(now_millis) {
  stack_start_ = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  size_t remaining = StackRemaining(stack_start_);
  stack_budget_ = remaining > 2 * kStackMargin ? remaining - kStackMargin : remaining / 2;
}

Evaluator::~Evaluator() {
  for (auto& weak : frames_) {
    if (FramePtr f = weak.lock()) {
      f->vars.clear();
      f->parent.reset();
    }
  }
}

int64_t Evaluator::now_millis() {
  if (!now_millis_) {
    now_millis_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  }
  return *now_millis_;
}

FramePtr Evaluator::NewFrame(const FramePtr& parent) {
  // One allocation for the frame and its control block: a weak reference to a frame that has
  // been destroyed keeps its few bytes until the next compaction below.
  FramePtr f = std::make_shared<Frame>();
  f->parent = parent;
  if (frames_.size() >= frames_compact_at_) {
    frames_.erase(std::remove_if(frames_.begin(), frames_.end(),
                                 [](const std::weak_ptr<Frame>& w) { return w.expired(); }),
                  frames_.end());
    frames_compact_at_ = std::max<size_t>(1024, frames_.size() * 2);
  }
  frames_.push_back(f);
  return f;
}

FramePtr Evaluator::FrameFromTuple(const FramePtr& env, const Value& tuple) {
  FramePtr f = NewFrame(env);
  if (ObjectData* o = tuple.object_data()) {
    f->vars.reserve(o->entries.size());
    for (const auto& kv : o->entries) f->vars.push_back(kv);
  }
  return f;
}

void Evaluator::Enter() {
  ++depth_;
  uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (stack_budget_ > 0 && stack_start_ > here && stack_start_ - here > stack_budget_) {
    Throw("U1001", -1, "",
          "Stack overflow error: the expression nests too deeply for the evaluating thread's "
          "stack. Consider rewriting recursion as tail-recursive.");
  }
  if (limits_.max_depth > 0 && depth_ > limits_.max_depth) {
    Throw("U1001", -1, "",
          "Stack overflow error: Check for non-terminating recursive function.  Consider "
          "rewriting as tail-recursive.");
  }
  if (limits_.deadline != std::chrono::steady_clock::time_point::max() && (++ticks_ & 63) == 0 &&
      std::chrono::steady_clock::now() > limits_.deadline) {
    Throw("U1001", -1, "", "Expression evaluation timeout: Check for infinite loop");
  }
}

Value Evaluator::Eval(const Node* expr, const Value& input, const FramePtr& env) {
  Level level(*this);
  Value result = EvalInner(expr, input, env);
  for (const NodePtr& p : expr->predicate) result = EvalFilter(p.get(), result, env);
  if (expr->type != NodeType::kPath && expr->group) {
    result = EvalGroupPairs(expr->group->pairs, expr->group->position, result, env);
  }
  if (result.is_array()) {
    ArrayData* a = result.array_data();
    if (a && a->sequence && !a->tuple_stream) {
      if (expr->keep_array) a->keep_singleton = true;
      if (a->items.empty()) return Value();
      if (a->items.size() == 1 && !a->keep_singleton) return a->items[0];
    }
  }
  return result;
}

Value Evaluator::EvalInner(const Node* expr, const Value& input, const FramePtr& env) {
  switch (expr->type) {
    case NodeType::kPath:
      return EvalPath(expr, input, env);
    case NodeType::kBinary:
      return EvalBinary(expr, input, env);
    case NodeType::kUnary:
      return EvalUnary(expr, input, env);
    case NodeType::kName:
      return LookupKey(input, expr->value);
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
      return expr->literal;
    case NodeType::kWildcard: {
      auto results = Value::NewSequence();
      Value in = input;
      if (in.is_array()) {
        ArrayData* a = in.array_data();
        if (a && a->outer_wrapper && !a->items.empty()) in = a->items[0];
      }
      auto add = [&](const Value& v) {
        if (v.is_array()) {
          Flatten(v, *results);
        } else {
          results->items.push_back(v);
        }
      };
      if (in.is_object()) {
        in.ForEachEntry([&](std::string_view, const Value& v) { add(v); });
      } else if (in.is_array()) {
        // An array's keys are its indexes (JavaScript's Object.keys).
        for (size_t i = 0, n = in.size(); i < n; ++i) add(in.at(i));
      }
      return Value::Array(std::move(results));
    }
    case NodeType::kDescendant: {
      if (input.undefined()) return Value();
      auto results = Value::NewSequence();
      RecurseDescendants(input, *results);
      if (results->items.size() == 1) return results->items[0];
      return Value::Array(std::move(results));
    }
    case NodeType::kParent: {
      const Value* v = env->Lookup(expr->slot->label);
      return v ? *v : Value();
    }
    case NodeType::kCondition: {
      Value condition = Eval(expr->condition.get(), input, env);
      if (Truthy(condition)) return Eval(expr->then.get(), input, env);
      if (expr->otherwise) return Eval(expr->otherwise.get(), input, env);
      return Value();
    }
    case NodeType::kElvis: {
      Value lhs = Eval(expr->lhs.get(), input, env);
      if (Truthy(lhs)) return lhs;
      return Eval(expr->rhs.get(), input, env);
    }
    case NodeType::kCoalesce: {
      Value lhs = Eval(expr->lhs.get(), input, env);
      if (lhs.defined()) return lhs;
      return Eval(expr->rhs.get(), input, env);
    }
    case NodeType::kBlock: {
      FramePtr own;
      const FramePtr& frame = expr->scoped ? (own = NewFrame(env)) : env;
      Value result;
      for (const NodePtr& e : expr->expressions) result = Eval(e.get(), input, frame);
      return result;
    }
    case NodeType::kBind: {
      Value v = Eval(expr->rhs.get(), input, env);
      env->Bind(expr->lhs->value, v);
      return v;
    }
    case NodeType::kRegex: {
      Value f = MakeFunction(FunctionData::Kind::kRegex);
      f.function()->regex = expr->regex;
      return f;
    }
    case NodeType::kFunction:
      return EvalFunctionCall(expr, input, env, nullptr);
    case NodeType::kPartial:
      return EvalPartial(expr, input, env);
    case NodeType::kVariable: {
      if (expr->value.empty()) {
        if (input.is_array()) {
          ArrayData* a = input.array_data();
          if (a && a->outer_wrapper && !a->items.empty()) return a->items[0];
        }
        return input;
      }
      if (const Value* v = env->Lookup(expr->value)) return *v;
      if (expr->builtin) return expr->builtin->value;
      return Value();
    }
    case NodeType::kLambda: {
      Value f = MakeFunction(FunctionData::Kind::kLambda);
      FunctionData* fd = f.function();
      fd->node = expr;
      fd->input = input;
      fd->env = env;
      fd->signature = expr->signature;
      fd->arity = static_cast<int>(expr->params.size());
      return f;
    }
    case NodeType::kApply:
      return EvalApplyOp(expr, input, env);
    case NodeType::kTransform: {
      Value f = MakeFunction(FunctionData::Kind::kTransform);
      FunctionData* fd = f.function();
      fd->node = expr;
      fd->env = env;
      fd->arity = 1;
      return f;
    }
    case NodeType::kSort:
      return EvalSort(expr, input, env);
    default:
      Throw("S0206", expr->position, expr->value);
  }
}

Value Evaluator::EvalPath(const Node* expr, const Value& input, const FramePtr& env) {
  // The steps' input: a sequence (any array, iterated) or, when `single`, one item not yet
  // wrapped in a sequence (EvalStep takes either; wrapping costs an allocation per step).
  Value input_seq = input;
  bool single = !input.is_array() || expr->steps[0]->type == NodeType::kVariable;
  size_t first_step = 0;
  // A plain name step over one value that is not an array is a lookup, and its result is the
  // field's value as it is (EvalStep would give the same, one Eval and a sequence later) until
  // a value is an array. Not at the depth limit: each step's Eval would fail there.
  if (expr->name_path && single && (limits_.max_depth == 0 || depth_ < limits_.max_depth)) {
    for (; first_step < expr->steps.size(); ++first_step) {
      Value field = input_seq.get(expr->steps[first_step]->value);
      if (field.undefined()) return field;
      if (field.is_array()) break;
      input_seq = std::move(field);
    }
    if (first_step == expr->steps.size()) return input_seq;
  }
  auto wrapped = [&]() -> const Value& {
    if (single) {
      input_seq = Value::Array(SequenceOf(input_seq));
      single = false;
    }
    return input_seq;
  };
  Value result_seq;
  bool is_tuple = false;
  Value tuples;
  size_t n = expr->steps.size();
  for (size_t i = first_step; i < n; ++i) {
    const Node* step = expr->steps[i].get();
    if (step->tuple) is_tuple = true;
    if (i == 0 && step->consarray) {
      result_seq = Eval(step, wrapped(), env);
    } else if (is_tuple) {
      tuples = EvalTupleStep(step, wrapped(), tuples, env);
    } else {
      result_seq = EvalStep(step, input_seq, single, env, i == n - 1);
    }
    if (!is_tuple &&
        (result_seq.undefined() || (result_seq.is_array() && result_seq.size() == 0))) {
      break;
    }
    if (step->focus.empty()) {
      input_seq = result_seq;
      single = !is_tuple && !result_seq.is_array();
    }
  }
  if (is_tuple) {
    if (expr->tuple) {
      result_seq = tuples;
    } else {
      auto seq = Value::NewSequence();
      if (tuples.is_array()) {
        for (size_t i = 0, m = tuples.size(); i < m; ++i) {
          seq->items.push_back(tuples.at(i).get("@"));
        }
      }
      result_seq = Value::Array(std::move(seq));
    }
  }
  if (expr->keep_singleton_array) {
    if (result_seq.is_array()) {
      ArrayData* a = result_seq.array_data();
      if (a && a->cons && !a->sequence) {
        result_seq = Value::Array(SequenceOf(result_seq));
      }
      auto m = Mutable(result_seq);
      m->keep_singleton = true;
      if (!result_seq.array_data()) m->sequence = true;
      result_seq = Value::Array(std::move(m));
    } else if (result_seq.defined()) {
      auto s = SequenceOf(result_seq);
      s->keep_singleton = true;
      result_seq = Value::Array(std::move(s));
    }
  }
  if (expr->group) {
    result_seq = EvalGroupPairs(expr->group->pairs, expr->group->position,
                                is_tuple ? tuples : result_seq, env);
  }
  return result_seq;
}

Value Evaluator::EvalStep(const Node* step, const Value& input, bool single, const FramePtr& env,
                          bool last) {
  if (step->type == NodeType::kSort) {
    Value result = EvalSort(step, single ? Value::Array(SequenceOf(input)) : input, env);
    if (!step->stages.empty()) result = EvalStages(step->stages, result, env);
    return result;
  }
  const size_t n = single ? 1 : input.size();
  std::shared_ptr<ArrayData> seq;
  auto flatten = [&](Value& res) {
    if (!seq) {
      seq = Value::NewSequence();
      seq->items.reserve(n);
    }
    ArrayData* a = res.is_array() ? res.array_data() : nullptr;
    if (!res.is_array() || (a && a->cons)) {
      seq->items.push_back(std::move(res));
    } else if (a) {
      seq->items.insert(seq->items.end(), a->items.begin(), a->items.end());
    } else {
      for (size_t j = 0, m = res.size(); j < m; ++j) seq->items.push_back(res.at(j));
    }
  };
  // The first result waits: a single result may be returned without building a sequence.
  Value first;
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    Value res = Eval(step, single ? input : input.at(i), env);
    for (const Stage& st : step->stages) {
      if (st.is_index) continue;
      // [n] outside a tuple stream: the item itself, which EvalFilter would wrap in a
      // one-item sequence for this loop to unwrap.
      if (st.expr->type == NodeType::kNumber && !IsTupleStream(res)) {
        res = ItemAt(st.expr.get(), res);
      } else {
        res = EvalFilter(st.expr.get(), res, env);
      }
    }
    if (res.undefined()) continue;
    if (++count == 1) {
      first = std::move(res);
      continue;
    }
    if (count == 2) flatten(first);
    flatten(res);
  }
  if (count == 0) return Value::Array(Value::NewSequence());
  if (count == 1) {
    // The last step's array result is the path's result as it is.
    if (last && first.is_array() && !first.is_sequence()) return first;
    // A non-array stands for the one-item sequence of it (EvalPath's `single`), and a
    // non-empty array of the input document for the sequence of its items (the next step
    // only iterates it; an empty one must still end the path as an empty sequence).
    if (!first.is_array()) return first;
    if (first.json() && first.size() > 0) return first;
    flatten(first);
  }
  return Value::Array(std::move(seq));
}

Value Evaluator::EvalTupleStep(const Node* step, const Value& input, Value tuples,
                               const FramePtr& env) {
  if (step->type == NodeType::kSort) {
    Value result;
    if (tuples.defined()) {
      result = EvalSort(step, tuples, env);
    } else {
      Value sorted = EvalSort(step, input, env);
      auto seq = Value::NewSequence();
      seq->tuple_stream = true;
      for (size_t i = 0, n = sorted.is_array() ? sorted.size() : 0; i < n; ++i) {
        auto t = std::make_shared<ObjectData>();
        t->Set("@", sorted.at(i));
        if (!step->index.empty()) t->Set(step->index, Value::Number(static_cast<double>(i)));
        seq->items.push_back(Value::Object(std::move(t)));
      }
      result = Value::Array(std::move(seq));
    }
    if (!step->stages.empty()) result = EvalStages(step->stages, result, env);
    return result;
  }
  auto result = Value::NewSequence();
  result->tuple_stream = true;
  if (tuples.undefined()) {
    auto seq = Value::NewSequence();
    for (size_t i = 0, n = input.is_array() ? input.size() : 0; i < n; ++i) {
      auto t = std::make_shared<ObjectData>();
      t->Set("@", input.at(i));
      seq->items.push_back(Value::Object(std::move(t)));
    }
    tuples = Value::Array(std::move(seq));
  }
  for (size_t e = 0, n = tuples.size(); e < n; ++e) {
    Value tuple = tuples.at(e);
    FramePtr step_env = FrameFromTuple(env, tuple);
    Value context = tuple.get("@");
    Value res = Eval(step, context, step_env);
    if (res.undefined()) continue;
    bool res_tuples = IsTupleStream(res);
    Value items = res.is_array() ? res : Value::Array(SequenceOf(res));
    for (size_t b = 0, m = items.size(); b < m; ++b) {
      auto t = CopyTuple(tuple);
      Value item = items.at(b);
      if (res_tuples) {
        item.ForEachEntry([&](std::string_view k, const Value& v) { t->Set(k, v); });
      } else {
        if (!step->focus.empty()) {
          t->Set(step->focus, item);
          t->Set("@", context);
        } else {
          t->Set("@", item);
        }
        if (!step->index.empty()) t->Set(step->index, Value::Number(static_cast<double>(b)));
        if (step->ancestor) t->Set(step->ancestor->label, context);
      }
      result->items.push_back(Value::Object(std::move(t)));
    }
  }
  Value out = Value::Array(std::move(result));
  if (!step->stages.empty()) out = EvalStages(step->stages, out, env);
  return out;
}

Value Evaluator::EvalStages(const std::vector<Stage>& stages, Value input, const FramePtr& env) {
  Value result = std::move(input);
  for (const Stage& st : stages) {
    if (!st.is_index) {
      result = EvalFilter(st.expr.get(), result, env);
    } else if (result.is_array()) {
      for (size_t e = 0, n = result.size(); e < n; ++e) {
        Value tuple = result.at(e);
        if (ObjectData* o = tuple.object_data()) {
          o->Set(st.name, Value::Number(static_cast<double>(e)));
        }
      }
    }
  }
  return result;
}

Value Evaluator::EvalFilter(const Node* predicate, Value input, const FramePtr& env) {
  auto results = Value::NewSequence();
  bool tuple_stream = IsTupleStream(input);
  if (tuple_stream) results->tuple_stream = true;
  if (!input.is_array()) input = Value::Array(SequenceOf(input));
  size_t n = input.size();
  if (predicate->type == NodeType::kNumber) {
    Value item = ItemAt(predicate, input);
    if (item.is_array()) return item;
    if (item.defined()) results->items.push_back(std::move(item));
    return Value::Array(std::move(results));
  }
  for (size_t i = 0; i < n; ++i) {
    Value item = input.at(i);
    Value res;
    if (tuple_stream) {
      res = Eval(predicate, item.get("@"), FrameFromTuple(env, item));
    } else {
      res = Eval(predicate, item, env);
    }
    bool numbers = false;
    if (IsNumeric(res)) {
      numbers = true;
      double ii = std::floor(res.number());
      if (ii < 0) ii += static_cast<double>(n);
      if (ii == static_cast<double>(i)) results->items.push_back(item);
      continue;
    }
    if (res.is_array()) {
      numbers = true;
      size_t m = res.size();
      for (size_t j = 0; j < m && numbers; ++j) numbers = IsNumeric(res.at(j));
      if (numbers) {
        for (size_t j = 0; j < m; ++j) {
          double ii = std::floor(res.at(j).number());
          if (ii < 0) ii += static_cast<double>(n);
          if (ii == static_cast<double>(i)) results->items.push_back(item);
        }
        continue;
      }
    }
    if (Truthy(res)) results->items.push_back(item);
  }
  return Value::Array(std::move(results));
}

Value Evaluator::EvalBinary(const Node* expr, const Value& input, const FramePtr& env) {
  const BinaryOp op = expr->op;
  Value lhs = Eval(expr->lhs.get(), input, env);
  if (op == BinaryOp::kAnd) {
    return Value::Bool(Truthy(lhs) && Truthy(Eval(expr->rhs.get(), input, env)));
  }
  if (op == BinaryOp::kOr) {
    return Value::Bool(Truthy(lhs) || Truthy(Eval(expr->rhs.get(), input, env)));
  }
  Value rhs = Eval(expr->rhs.get(), input, env);
  try {
    switch (op) {
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
      case BinaryOp::kMul:
      case BinaryOp::kDiv:
      case BinaryOp::kMod: {
        if (lhs.defined() && !IsNumeric(lhs)) Throw("T2001", expr->position, expr->value);
        if (rhs.defined() && !IsNumeric(rhs)) Throw("T2002", expr->position, expr->value);
        if (lhs.undefined() || rhs.undefined()) return Value();
        double a = lhs.number(), b = rhs.number();
        switch (op) {
          case BinaryOp::kAdd:
            return Value::Number(a + b);
          case BinaryOp::kSub:
            return Value::Number(a - b);
          case BinaryOp::kMul:
            return Value::Number(a * b);
          case BinaryOp::kDiv:
            return Value::Number(a / b);
          default:
            return Value::Number(std::fmod(a, b));
        }
      }
      case BinaryOp::kEq:
      case BinaryOp::kNe: {
        if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
        bool eq = DeepEqual(lhs, rhs);
        return Value::Bool(op == BinaryOp::kEq ? eq : !eq);
      }
      case BinaryOp::kLt:
      case BinaryOp::kLe:
      case BinaryOp::kGt:
      case BinaryOp::kGe: {
        bool lc = lhs.undefined() || lhs.is_string() || lhs.is_number();
        bool rc = rhs.undefined() || rhs.is_string() || rhs.is_number();
        if (!lc || !rc) Throw("T2010", expr->position, expr->value);
        if (lhs.undefined() || rhs.undefined()) return Value();
        if (lhs.kind() != rhs.kind()) Throw("T2009", expr->position, expr->value);
        int cmp;
        if (lhs.is_number()) {
          double a = lhs.number(), b = rhs.number();
          if (std::isnan(a) || std::isnan(b)) return Value::Bool(false);
          cmp = a < b ? -1 : (a > b ? 1 : 0);
        } else {
          int c = lhs.str().compare(rhs.str());
          cmp = c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        switch (op) {
          case BinaryOp::kLt:
            return Value::Bool(cmp < 0);
          case BinaryOp::kLe:
            return Value::Bool(cmp <= 0);
          case BinaryOp::kGt:
            return Value::Bool(cmp > 0);
          default:
            return Value::Bool(cmp >= 0);
        }
      }
      case BinaryOp::kConcat: {
        std::string joined;
        AppendStringOf(joined, lhs);
        AppendStringOf(joined, rhs);
        return Value::String(std::move(joined));
      }
      case BinaryOp::kRange: {
        bool lint = lhs.is_number() && std::trunc(lhs.number()) == lhs.number();
        bool rint = rhs.is_number() && std::trunc(rhs.number()) == rhs.number();
        if (lhs.defined() && !lint) Throw("T2003", expr->position, expr->value);
        if (rhs.defined() && !rint) Throw("T2004", expr->position, expr->value);
        if (lhs.undefined() || rhs.undefined()) return Value();
        double a = lhs.number(), b = rhs.number();
        if (a > b) return Value();
        double size = b - a + 1;
        if (size > 1e7) {
          Throw("D2014", expr->position, expr->value,
                "The size of the sequence allocated by the range operator (..) must not exceed "
                "1e7.  Attempted to allocate " +
                    NumberToString(size) + ".");
        }
        auto seq = Value::NewSequence();
        seq->items.reserve(static_cast<size_t>(size));
        for (double x = a; x <= b; ++x) seq->items.push_back(Value::Number(x));
        return Value::Array(std::move(seq));
      }
      case BinaryOp::kIn: {
        if (lhs.undefined() || rhs.undefined()) return Value::Bool(false);
        auto same = [&](const Value& item) {
          if (item.is_array() || item.is_object() || item.is_function()) {
            return item.kind() == lhs.kind() && item.shared() == lhs.shared() &&
                   item.json() == lhs.json();
          }
          return DeepEqual(item, lhs);
        };
        if (!rhs.is_array()) return Value::Bool(same(rhs));
        for (size_t i = 0, n = rhs.size(); i < n; ++i) {
          if (same(rhs.at(i))) return Value::Bool(true);
        }
        return Value::Bool(false);
      }
      default:
        break;
    }
  } catch (JsonataError& e) {
    if (e.position < 0) e.position = expr->position;
    if (e.token.empty()) e.token = expr->value;
    throw;
  }
  Throw("S0204", expr->position, expr->value);
}

Value Evaluator::EvalUnary(const Node* expr, const Value& input, const FramePtr& env) {
  if (expr->value == "-") {
    Value v = Eval(expr->expression.get(), input, env);
    if (v.undefined()) return Value();
    bool numeric;
    try {
      numeric = IsNumeric(v);
    } catch (JsonataError& e) {
      e.position = expr->position;
      throw;
    }
    if (!numeric) Throw("D1002", expr->position, "-");
    return Value::Number(-v.number());
  }
  if (expr->value == "[") {
    auto result = std::make_shared<ArrayData>();
    for (const NodePtr& item : expr->expressions) {
      Value v = Eval(item.get(), input, env);
      if (v.undefined()) continue;
      if (item->type == NodeType::kUnary && item->value == "[") {
        result->items.push_back(std::move(v));
      } else if (v.is_array() && result->items.empty() && v.array_data() &&
                 v.shared().use_count() == 1) {
        // The only reference to a fresh array (a range, a path result): take its items.
        result->items = std::move(v.array_data()->items);
      } else if (v.is_array()) {
        for (size_t i = 0, n = v.size(); i < n; ++i) result->items.push_back(v.at(i));
      } else {
        result->items.push_back(std::move(v));
      }
    }
    if (expr->consarray) result->cons = true;
    return Value::Array(std::move(result));
  }
  // Object constructor.
  return EvalGroupPairs(expr->pairs, expr->position, input, env);
}

Value Evaluator::EvalGroupPairs(const std::vector<std::pair<NodePtr, NodePtr>>& pairs, int position,
                                Value input, const FramePtr& env) {
  bool reduce = IsTupleStream(input);
  if (!reduce && !input.is_array() && pairs.size() <= kFewPairs) {
    return EvalObjectOfOne(pairs, position, input, env);
  }
  if (!input.is_array()) input = Value::Array(SequenceOf(input));
  if (input.size() == 0) input = Value::Array(SequenceOf(Value()));
  struct Group {
    Value data;
    size_t expr_index;
    // True once `data` is an array this loop built and nothing else references: later items
    // are appended in place (linear, like jsonata-js's in-place append) instead of copying.
    bool owned = false;
  };
  // The groups in the order their keys first appear: searched linearly while they are few,
  // through `index` (built when they outgrow kLinearGroups) after that.
  std::vector<std::pair<std::string, Group>> groups;
  std::unordered_map<std::string, size_t> index;
  constexpr size_t kLinearGroups = 8;
  auto find_group = [&](std::string_view k) -> Group* {
    if (groups.size() <= kLinearGroups) {
      for (auto& [name, g] : groups) {
        if (name == k) return &g;
      }
      return nullptr;
    }
    if (index.empty()) {
      for (size_t g = 0; g < groups.size(); ++g) index.emplace(groups[g].first, g);
    }
    auto it = index.find(std::string(k));
    return it == index.end() ? nullptr : &groups[it->second].second;
  };
  for (size_t i = 0, n = input.size(); i < n; ++i) {
    Value item = input.at(i);
    FramePtr tuple_env = reduce ? FrameFromTuple(env, item) : nullptr;
    const FramePtr& item_env = reduce ? tuple_env : env;
    Value context = reduce ? item.get("@") : item;
    for (size_t p = 0; p < pairs.size(); ++p) {
      Value key = Eval(pairs[p].first.get(), context, item_env);
      if (key.undefined()) continue;
      if (!key.is_string()) {
        Throw("T1003", position, "",
              "Key in object structure must evaluate to a string; got: " + Stringify(key, false));
      }
      std::string_view k = key.str();
      if (Group* g = find_group(k)) {
        if (g->expr_index != p) Throw("D1009", position, std::string(k));
        if (g->owned) {
          AppendInPlace(*g->data.array_data(), item);
        } else {
          g->owned = g->data.defined() && item.defined();
          g->data = AppendValues(g->data, item);
        }
      } else {
        if (!index.empty()) index.emplace(std::string(k), groups.size());
        groups.push_back({std::string(k), Group{item, p}});
      }
    }
  }
  auto result = std::make_shared<ObjectData>();
  result->entries.reserve(groups.size());
  for (auto& [key, g] : groups) {
    Value context = g.data;
    FramePtr group_env = env;
    if (reduce) {
      // Merge the tuples of the group: each binding becomes the sequence of its values.
      Value tuple;
      if (!g.data.is_array()) {
        tuple = g.data;
      } else {
        auto merged = CopyTuple(g.data.at(0));
        for (size_t i = 1, n = g.data.size(); i < n; ++i) {
          g.data.at(i).ForEachEntry([&](std::string_view k, const Value& v) {
            const Value* existing = merged->Find(k);
            merged->Set(k, AppendValues(existing ? *existing : Value(), v));
          });
        }
        tuple = Value::Object(merged);
      }
      auto copy = CopyTuple(tuple);
      const Value* at = copy->Find("@");
      context = at ? *at : Value();
      copy->Erase("@");
      group_env = FrameFromTuple(env, Value::Object(copy));
    }
    Value v = Eval(pairs[g.expr_index].second.get(), context, group_env);
    if (v.defined()) result->Append(key, std::move(v));  // group keys are unique
  }
  return Value::Object(std::move(result));
}

void Evaluator::EvalEntriesOfOne(const std::vector<std::pair<NodePtr, NodePtr>>& pairs,
                                 int position, const Value& item, const FramePtr& env,
                                 Entries& entries) {
  // All keys first, then the values, in the order EvalGroupPairs evaluates them.
  std::array<Value, kFewPairs> keys;
  for (size_t p = 0; p < pairs.size(); ++p) {
    Value key = Eval(pairs[p].first.get(), item, env);
    if (key.undefined()) continue;
    if (!key.is_string()) {
      Throw("T1003", position, "",
            "Key in object structure must evaluate to a string; got: " + Stringify(key, false));
    }
    // One item: a key seen before came from another pair.
    for (size_t q = 0; q < p; ++q) {
      if (keys[q].defined() && keys[q].str() == key.str()) {
        Throw("D1009", position, std::string(key.str()));
      }
    }
    keys[p] = std::move(key);
  }
  for (size_t p = 0; p < pairs.size(); ++p) {
    if (keys[p].undefined()) continue;
    Value v = Eval(pairs[p].second.get(), item, env);
    if (v.defined()) entries.emplace_back(std::move(keys[p]), std::move(v));
  }
}

Value Evaluator::EvalObjectOfOne(const std::vector<std::pair<NodePtr, NodePtr>>& pairs,
                                 int position, const Value& item, const FramePtr& env) {
  Entries entries;
  EvalEntriesOfOne(pairs, position, item, env, entries);
  auto result = std::make_shared<ObjectData>();
  result->entries.reserve(entries.size());
  for (auto& [key, value] : entries) result->Append(key.str(), std::move(value));
  return Value::Object(std::move(result));
}

namespace {

// jsonata-js's merge sort: `swap(a, b)` true means b goes before a. Stable.
template <class Items, class Swap>
void MergeSort(Items& items, Swap&& swap) {
  if (items.size() <= 1) return;
  const auto middle = items.begin() + static_cast<std::ptrdiff_t>(items.size() / 2);
  std::vector<Value> left(std::make_move_iterator(items.begin()), std::make_move_iterator(middle));
  std::vector<Value> right(std::make_move_iterator(middle), std::make_move_iterator(items.end()));
  MergeSort(left, swap);
  MergeSort(right, swap);
  size_t l = 0, r = 0, o = 0;
  while (l < left.size() && r < right.size()) {
    if (swap(left[l], right[r])) {
      items[o++] = std::move(right[r++]);
    } else {
      items[o++] = std::move(left[l++]);
    }
  }
  while (l < left.size()) items[o++] = std::move(left[l++]);
  while (r < right.size()) items[o++] = std::move(right[r++]);
}

}  // namespace

Value SortValues(const Value& arr, const std::function<bool(const Value&, const Value&)>& swap) {
  if (arr.undefined()) return Value();
  if (!arr.is_array() || arr.size() <= 1) return arr;
  auto out = std::make_shared<ArrayData>();
  out->items.reserve(arr.size());
  for (size_t i = 0, n = arr.size(); i < n; ++i) out->items.push_back(arr.at(i));
  MergeSort(out->items, swap);
  return Value::Array(std::move(out));
}

Value Evaluator::EvalSort(const Node* expr, Value input, const FramePtr& env) {
  bool tuple_sort = IsTupleStream(input);
  auto swap = [&](const Value& a, const Value& b) {
    int comp = 0;
    for (size_t t = 0; comp == 0 && t < expr->terms.size(); ++t) {
      const SortTerm& term = expr->terms[t];
      Value aa = tuple_sort ? Eval(term.expr.get(), a.get("@"), FrameFromTuple(env, a))
                            : Eval(term.expr.get(), a, env);
      Value bb = tuple_sort ? Eval(term.expr.get(), b.get("@"), FrameFromTuple(env, b))
                            : Eval(term.expr.get(), b, env);
      if (aa.undefined()) {
        comp = bb.undefined() ? 0 : 1;
        continue;
      }
      if (bb.undefined()) {
        comp = -1;
        continue;
      }
      bool a_ok = aa.is_string() || aa.is_number();
      bool b_ok = bb.is_string() || bb.is_number();
      if (!a_ok || !b_ok) Throw("T2008", expr->position);
      if (aa.kind() != bb.kind()) Throw("T2007", expr->position);
      if (aa.is_number()) {
        if (aa.number() == bb.number()) continue;
        comp = aa.number() < bb.number() ? -1 : 1;
      } else {
        int c = aa.str().compare(bb.str());
        if (c == 0) continue;
        comp = c < 0 ? -1 : 1;
      }
      if (term.descending) comp = -comp;
    }
    return comp == 1;
  };
  return SortValues(input, swap);
}

Value Evaluator::EvalFunctionCall(const Node* expr, const Value& input, const FramePtr& env,
                                  const Value* applyto) {
  Value proc = Eval(expr->procedure.get(), input, env);
  const Node* procedure = expr->procedure.get();
  const std::string& name = procedure->type == NodeType::kPath && !procedure->steps.empty()
                                ? procedure->steps[0]->value
                                : procedure->value;
  if (proc.undefined() && procedure->type == NodeType::kPath &&
      (env->Lookup(name) || FindBuiltin(name))) {
    Throw("T1005", expr->position, name);
  }
  std::vector<Value> args;
  args.reserve(expr->arguments.size() + (applyto ? 1 : 0));
  if (applyto) args.push_back(*applyto);
  for (const NodePtr& a : expr->arguments) args.push_back(Eval(a.get(), input, env));
  try {
    return Apply(proc, std::move(args), input, env, name, expr->position);
  } catch (JsonataError& e) {
    if (e.position < 0) e.position = expr->position;
    if (e.token.empty()) e.token = name;
    throw;
  }
}

Value Evaluator::EvalPartial(const Node* expr, const Value& input, const FramePtr& env) {
  std::vector<Value> bound;
  std::vector<bool> holes;
  for (const NodePtr& a : expr->arguments) {
    if (a->type == NodeType::kPlaceholder) {
      bound.emplace_back();
      holes.push_back(true);
    } else {
      bound.push_back(Eval(a.get(), input, env));
      holes.push_back(false);
    }
  }
  Value proc = Eval(expr->procedure.get(), input, env);
  const Node* procedure = expr->procedure.get();
  const std::string& name = procedure->type == NodeType::kPath && !procedure->steps.empty()
                                ? procedure->steps[0]->value
                                : procedure->value;
  if (proc.undefined() && procedure->type == NodeType::kPath &&
      (env->Lookup(name) || FindBuiltin(name))) {
    Throw("T1007", expr->position, name);
  }
  if (!proc.is_function()) Throw("T1008", expr->position, name);
  FunctionData* target = proc.function();
  if (target->kind == FunctionData::Kind::kBuiltin) {
    size_t arity = static_cast<size_t>(target->builtin->arity);
    if (bound.size() > arity) {
      bound.resize(arity);
      holes.resize(arity);
    }
  }
  Value f = MakeFunction(FunctionData::Kind::kPartial);
  FunctionData* fd = f.function();
  fd->target = proc;
  fd->bound = std::move(bound);
  fd->holes = std::move(holes);
  int arity = 0;
  for (bool h : fd->holes) arity += h ? 1 : 0;
  fd->arity = arity;
  return f;
}

Value Evaluator::EvalApplyOp(const Node* expr, const Value& input, const FramePtr& env) {
  Value lhs = Eval(expr->lhs.get(), input, env);
  if (expr->rhs->type == NodeType::kFunction) {
    return EvalFunctionCall(expr->rhs.get(), input, env, &lhs);
  }
  Value func = Eval(expr->rhs.get(), input, env);
  if (!func.is_function()) Throw("T2006", expr->position, "~>");
  if (lhs.is_function()) {
    Value f = MakeFunction(FunctionData::Kind::kChain);
    f.function()->first = lhs;
    f.function()->second = func;
    f.function()->arity = 1;
    return f;
  }
  return Apply(func, {lhs}, Value(), env, "", expr->position);
}

Value Evaluator::Apply(const Value& proc, std::vector<Value> args, const Value& input,
                       const FramePtr& env, const std::string& name, int position) {
  Value result = ApplyInner(proc, std::move(args), input, env, name, position);
  while (result.is_function() && result.function()->kind == FunctionData::Kind::kLambda &&
         result.function()->node->thunk) {
    FunctionData* thunk = result.function();
    const Node* call = thunk->node->body.get();
    Value next = Eval(call->procedure.get(), thunk->input, thunk->env);
    std::string next_name =
        call->procedure->type == NodeType::kVariable
            ? call->procedure->value
            : (call->procedure->type == NodeType::kPath && !call->procedure->steps.empty()
                   ? call->procedure->steps[0]->value
                   : std::string());
    std::vector<Value> next_args;
    next_args.reserve(call->arguments.size());
    for (const NodePtr& a : call->arguments) {
      next_args.push_back(Eval(a.get(), thunk->input, thunk->env));
    }
    Value keep = result;  // keeps the thunk's scope alive while its call runs
    result = ApplyInner(next, std::move(next_args), input, env, next_name, call->position);
  }
  return result;
}

Value Evaluator::ApplyInner(const Value& proc, std::vector<Value> args, const Value& input,
                            const FramePtr& env, const std::string& name, int position) {
  if (!proc.is_function()) Throw("T1006", position, name);
  FunctionData* f = proc.function();
  try {
    switch (f->kind) {
      case FunctionData::Kind::kLambda: {
        if (f->signature)
          args = ValidateArguments(*f->signature, std::move(args), input, name, position);
        return ApplyProcedure(f, args);
      }
      case FunctionData::Kind::kBuiltin: {
        const Builtin* b = f->builtin;
        std::string unnamed;
        if (name.empty()) unnamed = b->name;
        const std::string& fname = name.empty() ? unnamed : name;
        std::vector<Value> validated =
            ValidateArguments(*b->signature, std::move(args), input, fname, position);
        return b->impl(*this, validated, input, env);
      }
      case FunctionData::Kind::kHost: {
        if (f->signature)
          args = ValidateArguments(*f->signature, std::move(args), input, name, position);
        return f->host(*this, args);
      }
      case FunctionData::Kind::kPartial: {
        std::vector<Value> full = f->bound;
        size_t next = 0;
        for (size_t i = 0; i < full.size(); ++i) {
          if (f->holes[i]) full[i] = next < args.size() ? args[next++] : Value();
        }
        return Apply(f->target, std::move(full), input, env, name, position);
      }
      case FunctionData::Kind::kRegex: {
        if (args.empty() || !args[0].is_string()) return Value();
        std::optional<RegexMatch> m = MatchFrom(*f->regex, ToCodePoints(args[0].str()), 0);
        if (!m) return Value();
        auto o = std::make_shared<ObjectData>();
        o->Set("match", Value::String(FromCodePoints(m->match)));
        o->Set("start", Value::Number(static_cast<double>(m->start)));
        o->Set("end", Value::Number(static_cast<double>(m->end)));
        auto groups = std::make_shared<ArrayData>();
        for (const std::optional<std::u32string>& group : m->groups) {
          groups->items.push_back(Value::String(group ? FromCodePoints(*group) : std::string()));
        }
        o->Set("groups", Value::Array(groups));
        return Value::Object(o);
      }
      case FunctionData::Kind::kTransform: {
        args = ValidateArguments(*TransformSignature(), std::move(args), input, name, position);
        return ApplyTransform(f, args.empty() ? Value() : args[0]);
      }
      case FunctionData::Kind::kChain: {
        Value first = Apply(f->first, std::move(args), input, env, name, position);
        return Apply(f->second, {first}, input, env, name, position);
      }
    }
  } catch (JsonataError& e) {
    if (e.token.empty()) e.token = name;
    if (e.position < 0) e.position = position;
    throw;
  }
  return Value();
}

Value Evaluator::ApplyProcedure(FunctionData* f, std::vector<Value>& args) {
  FramePtr frame = NewFrame(f->env);
  const Node* lambda = f->node;
  frame->vars.reserve(lambda->params.size());
  for (size_t i = 0; i < lambda->params.size(); ++i) {
    frame->Bind(lambda->params[i], i < args.size() ? args[i] : Value());
  }
  return Eval(lambda->body.get(), f->input, frame);
}

int Evaluator::Arity(const Value& f) {
  if (!f.is_function()) return 0;
  FunctionData* fd = f.function();
  if (fd->kind == FunctionData::Kind::kBuiltin) return fd->builtin->arity;
  if (fd->kind == FunctionData::Kind::kLambda) return static_cast<int>(fd->node->params.size());
  return fd->arity;
}

}  // namespace autoretrain::jsonata
