#include "jsonata/name_path.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <boost/container/small_vector.hpp>

#include "jsonata/value.h"

namespace autoretrain::jsonata {
namespace {

// The items a step iterates or produces, pointing into the input.
using ItemPointers = boost::container::small_vector<const json::Value*, 16>;

bool IsPlainName(const Node& step) {
  return step.type == NodeType::kName && step.stages.empty() && step.predicate.empty() &&
         !step.group && !step.keep_array && !step.tuple && step.focus.empty() &&
         step.index.empty() && !step.ancestor && !step.consarray && !step.has_seeking_parent;
}

void AppendItems(const json::Array& array, ItemPointers& out) {
  for (const json::Value& v : array) out.push_back(&v);
}

// LookupKey over an array: `key` of each object in it, nested arrays searched alike, array
// values spread one level.
void LookupInArray(const json::Array& array, std::string_view key, ItemPointers& out) {
  for (const json::Value& item : array) {
    if (const json::Object* o = item.if_object()) {
      auto it = o->find(key);
      if (it == o->end()) continue;
      if (const json::Array* a = it->value().if_array()) {
        AppendItems(*a, out);
      } else {
        out.push_back(&it->value());
      }
    } else if (const json::Array* a = item.if_array()) {
      LookupInArray(*a, key, out);
    }
  }
}

// A result item as the evaluator's ToJson gives it (numbers normalised, containers copied).
json::Value Output(const json::Value& v) { return ToJson(Value::FromJson(&v)); }

bool NonFiniteNumber(const json::Value& v) {
  return v.is_double() && !std::isfinite(v.get_double());
}

}  // namespace

bool IsNamePath(const Node& expr) {
  if (expr.type != NodeType::kPath || expr.steps.empty() || !expr.predicate.empty() || expr.group ||
      expr.keep_array || expr.keep_singleton_array || expr.tuple || expr.has_seeking_parent) {
    return false;
  }
  return std::all_of(expr.steps.begin(), expr.steps.end(),
                     [](const NodePtr& step) { return IsPlainName(*step); });
}

bool EvaluateNamePath(const Node& path, const json::Value& input,
                      std::optional<json::Value>& result) {
  // The first step's input: the input as one item (an array input too: the evaluator wraps it
  // in a one-item sequence).
  ItemPointers inputs{&input};
  ItemPointers out;
  const size_t n = path.steps.size();
  for (size_t s = 0; s < n; ++s) {
    const std::string_view key = path.steps[s]->value;
    out.clear();
    // Each input item gives at most one result: undefined, a value (spread one level into the
    // step's sequence when an array) or a sequence of two or more (added as it is).
    size_t count = 0;
    const json::Value* first_array = nullptr;  // the first result, when an array
    for (const json::Value* item : inputs) {
      const json::Value* res = nullptr;
      if (const json::Object* o = item->if_object()) {
        auto it = o->find(key);
        if (it == o->end()) continue;
        res = &it->value();
      } else if (const json::Array* a = item->if_array()) {
        const size_t before = out.size();
        LookupInArray(*a, key, out);
        const size_t got = out.size() - before;
        if (got == 0) continue;
        if (got > 1) {
          ++count;
          continue;
        }
        // A one-item sequence stands for its item.
        res = out.back();
        out.pop_back();
      } else {
        continue;
      }
      if (++count == 1 && res->is_array()) first_array = res;
      if (const json::Array* a = res->if_array()) {
        AppendItems(*a, out);
      } else {
        out.push_back(res);
      }
    }
    if (count == 0) {
      result.reset();
      return true;
    }
    // The last step's one result, an array, is the path's result as it is.
    if (count == 1 && first_array && s == n - 1) {
      result = Output(*first_array);
      return true;
    }
    if (out.empty()) {
      result.reset();
      return true;
    }
    inputs.swap(out);
  }
  // A sequence: one item stands for itself.
  if (inputs.size() == 1) {
    if (NonFiniteNumber(*inputs[0])) return false;
    result = Output(*inputs[0]);
    return true;
  }
  json::Array items;
  items.reserve(inputs.size());
  for (const json::Value* item : inputs) items.push_back(Output(*item));
  result = json::Value(std::move(items));
  return true;
}

}  // namespace autoretrain::jsonata
