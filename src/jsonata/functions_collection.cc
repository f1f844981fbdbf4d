// Boolean, array and object functions: $boolean, $not, $exists, $count, $append, $reverse,
// $shuffle, $zip, $distinct, $keys, $lookup, $spread, $merge, $type, $error, $assert.
#include <algorithm>
#include <random>

#include "jsonata/builtins.h"
#include "jsonata/error.h"

namespace autoretrain::jsonata {
namespace {

using Args = std::vector<Value>;

std::shared_ptr<ArrayData> Items(const Value& arr) {
  auto out = std::make_shared<ArrayData>();
  size_t n = arr.size();
  out->items.reserve(n);
  for (size_t i = 0; i < n; ++i) out->items.push_back(arr.at(i));
  return out;
}

Value FnBoolean(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return Value::Bool(Truthy(a[0]));
}
Value FnNot(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return Value::Bool(!Truthy(a[0]));
}
Value FnExists(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return Value::Bool(a[0].defined());
}
Value FnCount(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value::Number(0);
  return Value::Number(static_cast<double>(a[0].size()));
}
Value FnAppend(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return AppendValues(a[0], a.size() > 1 ? a[1] : Value());
}
Value FnReverse(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  if (a[0].size() <= 1) return a[0];
  auto out = Items(a[0]);
  std::reverse(out->items.begin(), out->items.end());
  return Value::Array(std::move(out));
}
Value FnShuffle(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  if (a[0].size() <= 1) return a[0];
  auto out = Items(a[0]);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::shuffle(out->items.begin(), out->items.end(), rng);
  return Value::Array(std::move(out));
}
Value FnZip(Evaluator&, Args& a, const Value&, const FramePtr&) {
  size_t length = a.empty() ? 0 : SIZE_MAX;
  for (const Value& arg : a) length = std::min(length, arg.is_array() ? arg.size() : 0);
  auto out = std::make_shared<ArrayData>();
  for (size_t i = 0; i < length; ++i) {
    auto tuple = std::make_shared<ArrayData>();
    for (const Value& arg : a) tuple->items.push_back(arg.at(i));
    out->items.push_back(Value::Array(std::move(tuple)));
  }
  return Value::Array(std::move(out));
}
Value FnDistinct(Evaluator&, Args& a, const Value&, const FramePtr&) {
  const Value& arr = a[0];
  if (arr.undefined()) return Value();
  if (!arr.is_array() || arr.size() <= 1) return arr;
  auto out = std::make_shared<ArrayData>();
  out->sequence = arr.is_sequence();
  for (size_t i = 0, n = arr.size(); i < n; ++i) {
    Value v = arr.at(i);
    bool seen = false;
    for (const Value& r : out->items) {
      if (DeepEqual(v, r)) {
        seen = true;
        break;
      }
    }
    if (!seen) out->items.push_back(std::move(v));
  }
  return Value::Array(std::move(out));
}
Value FnKeys(Evaluator&, Args& a, const Value&, const FramePtr&) {
  auto out = Value::NewSequence();
  const Value& arg = a[0];
  if (arg.is_array()) {
    std::vector<std::string> keys;
    for (size_t i = 0, n = arg.size(); i < n; ++i) {
      Value item = arg.at(i);
      if (!item.is_object()) continue;
      item.ForEachEntry([&](std::string_view k, const Value&) {
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.emplace_back(k);
      });
    }
    for (auto& k : keys) out->items.push_back(Value::String(std::move(k)));
  } else if (arg.is_object()) {
    arg.ForEachEntry([&](std::string_view k, const Value&) {
      out->items.push_back(Value::String(std::string(k)));
    });
  }
  return Value::Array(std::move(out));
}
Value FnLookup(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[1].undefined()) return Value();
  return LookupKey(a[0], a[1].str());
}
Value Spread(const Value& arg) {
  if (arg.is_array()) {
    Value result = Value::Array(Value::NewSequence());
    for (size_t i = 0, n = arg.size(); i < n; ++i) result = AppendValues(result, Spread(arg.at(i)));
    return result;
  }
  if (arg.is_object()) {
    auto out = Value::NewSequence();
    arg.ForEachEntry([&](std::string_view k, const Value& v) {
      auto o = std::make_shared<ObjectData>();
      o->Set(k, v);
      out->items.push_back(Value::Object(std::move(o)));
    });
    return Value::Array(std::move(out));
  }
  return arg;
}
Value FnSpread(Evaluator&, Args& a, const Value&, const FramePtr&) { return Spread(a[0]); }
Value FnMerge(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  auto out = std::make_shared<ObjectData>();
  for (size_t i = 0, n = a[0].size(); i < n; ++i) {
    a[0].at(i).ForEachEntry([&](std::string_view k, const Value& v) { out->Set(k, v); });
  }
  return Value::Object(std::move(out));
}
Value FnType(Evaluator&, Args& a, const Value&, const FramePtr&) {
  switch (a[0].kind()) {
    case Value::Kind::kUndefined:
      return Value();
    case Value::Kind::kNull:
      return Value::String("null");
    case Value::Kind::kBool:
      return Value::String("boolean");
    case Value::Kind::kNumber:
      return Value::String("number");
    case Value::Kind::kString:
      return Value::String("string");
    case Value::Kind::kArray:
      return Value::String("array");
    case Value::Kind::kObject:
      return Value::String("object");
    case Value::Kind::kFunction:
      return Value::String("function");
  }
  return Value();
}
Value FnError(Evaluator&, Args& a, const Value&, const FramePtr&) {
  std::string message =
      a.empty() || a[0].undefined() ? "$error() function evaluated" : std::string(a[0].str());
  Throw("D3137", -1, "error", message);
}
Value FnAssert(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].is_bool() && !a[0].boolean()) {
    std::string message =
        a.size() < 2 || a[1].undefined() ? "$assert() statement failed" : std::string(a[1].str());
    Throw("D3141", -1, "assert", message);
  }
  return Value();
}

}  // namespace

void RegisterCollectionFunctions(std::vector<Builtin>& out) {
  out.push_back({"boolean", "<x-:b>", 1, &FnBoolean});
  out.push_back({"not", "<x-:b>", 1, &FnNot});
  out.push_back({"exists", "<x:b>", 1, &FnExists});
  out.push_back({"count", "<a:n>", 1, &FnCount});
  out.push_back({"append", "<xx:a>", 2, &FnAppend});
  out.push_back({"reverse", "<a:a>", 1, &FnReverse});
  out.push_back({"shuffle", "<a:a>", 1, &FnShuffle});
  out.push_back({"zip", "<a+>", 0, &FnZip});
  out.push_back({"distinct", "<x:x>", 1, &FnDistinct});
  out.push_back({"keys", "<x-:a<s>>", 1, &FnKeys});
  out.push_back({"lookup", "<x-s:x>", 2, &FnLookup});
  out.push_back({"spread", "<x-:a<o>>", 1, &FnSpread});
  out.push_back({"merge", "<a<o>:o>", 1, &FnMerge});
  out.push_back({"type", "<x:s>", 1, &FnType});
  out.push_back({"error", "<s?:x>", 1, &FnError});
  out.push_back({"assert", "<bs?:x>", 2, &FnAssert});
}

}  // namespace autoretrain::jsonata
