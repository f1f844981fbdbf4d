// Higher-order functions and $eval: $map, $filter, $single, $reduce, $sift, $each, $sort,
// $eval.
#include "jsonata/builtins.h"
#include "jsonata/error.h"
#include "jsonata/parser.h"

namespace autoretrain::jsonata {
namespace {

using Args = std::vector<Value>;

// The arguments jsonata-js passes to a callback: the value, then the index/key and the whole
// collection if the callback takes them.
std::vector<Value> CallbackArgs(const Value& f, Value a1, Value a2, const Value& a3) {
  std::vector<Value> args{std::move(a1)};
  int arity = Evaluator::Arity(f);
  if (arity >= 2) args.push_back(std::move(a2));
  if (arity >= 3) args.push_back(a3);
  return args;
}

Value FnMap(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  auto out = Value::NewSequence();
  for (size_t i = 0, n = a[0].size(); i < n; ++i) {
    Value r =
        ev.Apply(a[1], CallbackArgs(a[1], a[0].at(i), Value::Number(static_cast<double>(i)), a[0]),
                 Value(), env);
    if (r.defined()) out->items.push_back(std::move(r));
  }
  return Value::Array(std::move(out));
}

Value FnFilter(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  auto out = Value::NewSequence();
  for (size_t i = 0, n = a[0].size(); i < n; ++i) {
    Value item = a[0].at(i);
    Value r = ev.Apply(a[1], CallbackArgs(a[1], item, Value::Number(static_cast<double>(i)), a[0]),
                       Value(), env);
    if (Truthy(r)) out->items.push_back(std::move(item));
  }
  return Value::Array(std::move(out));
}

Value FnSingle(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  bool found = false;
  Value result;
  for (size_t i = 0, n = a[0].size(); i < n; ++i) {
    Value item = a[0].at(i);
    bool positive = true;
    if (a.size() > 1 && a[1].defined()) {
      positive = Truthy(
          ev.Apply(a[1], CallbackArgs(a[1], item, Value::Number(static_cast<double>(i)), a[0]),
                   Value(), env));
    }
    if (positive) {
      if (found) Throw("D3138");
      result = item;
      found = true;
    }
  }
  if (!found) Throw("D3139");
  return result;
}

Value FnReduce(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  int arity = Evaluator::Arity(a[1]);
  if (arity < 2) Throw("D3050");
  size_t n = a[0].size();
  size_t index = 0;
  Value result;
  if ((a.size() < 3 || a[2].undefined()) && n > 0) {
    result = a[0].at(0);
    index = 1;
  } else if (a.size() > 2) {
    result = a[2];
  }
  for (; index < n; ++index) {
    std::vector<Value> args{result, a[0].at(index)};
    if (arity >= 3) args.push_back(Value::Number(static_cast<double>(index)));
    if (arity >= 4) args.push_back(a[0]);
    result = ev.Apply(a[1], std::move(args), Value(), env);
  }
  return result;
}

Value FnSift(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  auto out = std::make_shared<ObjectData>();
  std::vector<std::pair<std::string, Value>> entries;
  a[0].ForEachEntry([&](std::string_view k, const Value& v) { entries.emplace_back(k, v); });
  for (auto& [k, v] : entries) {
    Value r = ev.Apply(a[1], CallbackArgs(a[1], v, Value::String(k), a[0]), Value(), env);
    if (Truthy(r)) out->Set(k, v);
  }
  if (out->entries.empty()) return Value();
  return Value::Object(std::move(out));
}

Value FnEach(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  auto out = Value::NewSequence();
  std::vector<std::pair<std::string, Value>> entries;
  a[0].ForEachEntry([&](std::string_view k, const Value& v) { entries.emplace_back(k, v); });
  for (auto& [k, v] : entries) {
    Value r = ev.Apply(a[1], CallbackArgs(a[1], v, Value::String(k), a[0]), Value(), env);
    if (r.defined()) out->items.push_back(std::move(r));
  }
  return Value::Array(std::move(out));
}

Value FnSort(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  const Value& arr = a[0];
  if (arr.undefined()) return Value();
  if (arr.size() <= 1) return arr;
  if (a.size() < 2 || a[1].undefined()) {
    bool numbers = true, strings = true;
    for (size_t i = 0, n = arr.size(); i < n; ++i) {
      Value v = arr.at(i);
      numbers = numbers && v.is_number();
      strings = strings && v.is_string();
    }
    if (!numbers && !strings) Throw("D3070");
    return SortValues(arr, [](const Value& x, const Value& y) {
      return x.is_number() ? x.number() > y.number() : x.str() > y.str();
    });
  }
  const Value& fn = a[1];
  return SortValues(arr, [&](const Value& x, const Value& y) {
    return Truthy(ev.Apply(fn, {x, y}, Value(), env));
  });
}

Value FnEval(Evaluator& ev, Args& a, const Value& context, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  Value input = context;
  if (a.size() > 1 && a[1].defined()) {
    input = a[1];
    if (input.is_array() && !input.is_sequence()) {
      auto seq = SequenceOf(input);
      seq->outer_wrapper = true;
      input = Value::Array(std::move(seq));
    }
  }
  std::shared_ptr<const Node> tree;
  try {
    tree = ParseExpression(a[0].str());
  } catch (JsonataError& e) {
    Throw("D3120", -1, "eval", "Syntax error in expression passed to function eval: " + e.message);
  }
  ev.eval_trees.push_back(tree);
  try {
    return ev.Eval(tree.get(), input, env);
  } catch (JsonataError& e) {
    if (e.code == "U1001") throw;
    Throw("D3121", -1, "eval",
          "Dynamic error evaluating the expression passed to function eval: " + e.message);
  }
}

}  // namespace

void RegisterHigherOrderFunctions(std::vector<Builtin>& out) {
  out.push_back({"map", "<af>", 2, &FnMap});
  out.push_back({"filter", "<af>", 2, &FnFilter});
  out.push_back({"single", "<af?>", 2, &FnSingle});
  out.push_back({"reduce", "<afj?:j>", 3, &FnReduce});
  out.push_back({"sift", "<o-f?:o>", 2, &FnSift});
  out.push_back({"each", "<o-f:a>", 2, &FnEach});
  out.push_back({"sort", "<af?:a>", 2, &FnSort});
  out.push_back({"eval", "<sx?:x>", 2, &FnEval});
}

}  // namespace autoretrain::jsonata
