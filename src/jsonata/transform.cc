// The transform operator `|pattern|update, delete|` (part of the Evaluator).
//
// jsonata-js deep-copies the input, finds the pattern's matches in the copy and changes them in
// place. Copying only the matched objects and the containers above them gives the same result
// when
// - the input is a document of the caller (read-only, so unchanged parts can be shared),
// - the pattern reads nothing but its input (Node::pure_pattern), so its object matches are
//   objects of that document, found by identity, and evaluating it on the document instead of
//   the copy gives the same matches,
// - the matched objects are distinct and none holds another: then no update or deletion list
//   can see a change made for another match, and each match's copy (with its children shared)
//   is what the deep copy would hold when its turn comes.
// Otherwise the whole input is copied first, as jsonata-js does.
#include <algorithm>
#include <optional>

#include <boost/container/small_vector.hpp>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"

namespace autoretrain::jsonata {
namespace {

// The copies planned for a transform: the matched objects of the input (sorted by address), the
// copy of each, and how many of them the walk has found.
struct CopyOnWrite {
  // Room for a few matches without allocating.
  boost::container::small_vector<const json::Value*, 8> matched;
  boost::container::small_vector<std::shared_ptr<ObjectData>, 8> copies;  // of matched[i]
  size_t found = 0;
};

// `node` rebuilt with a copy of each matched object in it, and of every container above one:
// returns the new value, or undefined when nothing in `node` is matched (the caller shares it).
// It does not look inside a matched object, nor anywhere once every match is found: a match
// inside another is then never found.
Value Rebuild(const json::Value& node, CopyOnWrite& plan) {
  if (plan.found == plan.matched.size() || !(node.is_object() || node.is_array())) return Value();
  CheckValueStack();
  if (const json::Array* array = node.if_array()) {
    std::shared_ptr<ArrayData> copy;
    for (size_t i = 0; i < array->size(); ++i) {
      Value item = Rebuild((*array)[i], plan);
      if (item.undefined() && !copy) continue;
      if (!copy) {
        copy = std::make_shared<ArrayData>();
        copy->items.reserve(array->size());
        for (size_t j = 0; j < i; ++j) copy->items.push_back(Value::FromJson(&(*array)[j]));
      }
      copy->items.push_back(item.defined() ? std::move(item) : Value::FromJson(&(*array)[i]));
    }
    return copy ? Value::Array(std::move(copy)) : Value();
  }
  const json::Object& object = node.get_object();
  auto match = std::lower_bound(plan.matched.begin(), plan.matched.end(), &node);
  if (match != plan.matched.end() && *match == &node) {
    ++plan.found;
    auto copy = std::make_shared<ObjectData>();
    // Room for a key the update adds (the usual case) without moving the entries.
    copy->entries.reserve(object.size() + 1);
    // An object's keys are unique (a JSON object's too, as parsed).
    for (const auto& kv : object) copy->Append(kv.key(), Value::FromJson(&kv.value()));
    plan.copies[static_cast<size_t>(match - plan.matched.begin())] = copy;
    return Value::Object(std::move(copy));
  }
  std::shared_ptr<ObjectData> copy;
  size_t i = 0;
  for (const auto& kv : object) {
    Value item = Rebuild(kv.value(), plan);
    if (item.defined() && !copy) {
      copy = std::make_shared<ObjectData>();
      copy->entries.reserve(object.size());
      for (auto before = object.begin(); before != object.begin() + i; ++before) {
        copy->Append(before->key(), Value::FromJson(&before->value()));
      }
    }
    if (copy) {
      copy->Append(kv.key(), item.defined() ? std::move(item) : Value::FromJson(&kv.value()));
    }
    ++i;
  }
  return copy ? Value::Object(std::move(copy)) : Value();
}

// Plans the copies for `matches` (the pattern's result over `input`, as a sequence) and sets
// `root` to the new input; nullopt when the whole input must be copied instead: a match that is
// repeated, inside another or an array (whose update would see changes inside it).
std::optional<CopyOnWrite> PlanCopies(const json::Value& input, const Value& matches, Value& root) {
  CopyOnWrite plan;
  for (size_t i = 0, n = matches.size(); i < n; ++i) {
    Value m = matches.at(i);
    if (m.is_array()) return std::nullopt;
    if (m.is_object()) plan.matched.push_back(m.json());
  }
  std::sort(plan.matched.begin(), plan.matched.end());
  if (std::adjacent_find(plan.matched.begin(), plan.matched.end()) != plan.matched.end()) {
    return std::nullopt;
  }
  // A pure pattern's object matches are objects of the input: one built during the evaluation
  // (null here) or not found in the input would break the reasoning above.
  if (!plan.matched.empty() && plan.matched.front() == nullptr) return std::nullopt;
  plan.copies.resize(plan.matched.size());
  root = Rebuild(input, plan);
  if (plan.found != plan.matched.size()) return std::nullopt;
  if (root.undefined()) root = Value::FromJson(&input);  // nothing matched: share it all
  return plan;
}

bool IsStringLiteral(const Node& node) {
  return node.type == NodeType::kString && node.predicate.empty() && !node.group &&
         !node.keep_array;
}

// Whether a deletion list is a string literal or an array of them: the same for every match.
bool IsLiteralList(const Node& node) {
  if (IsStringLiteral(node)) return true;
  return node.type == NodeType::kUnary && node.value == "[" && node.predicate.empty() &&
         !node.group && !node.keep_array &&
         std::all_of(node.expressions.begin(), node.expressions.end(),
                     [](const NodePtr& item) { return IsStringLiteral(*item); });
}

// An object constructor `{...}` with nothing after it (no predicate, group or `[]`).
bool IsPlainObjectConstructor(const Node& node) {
  return node.type == NodeType::kUnary && node.value == "{" && node.predicate.empty() &&
         !node.group && !node.keep_array;
}

}  // namespace

void Evaluator::UpdateMatch(const Node* expr, const Value& match, ObjectData* target,
                            const FramePtr& env, Value& literal_deletions) {
  const Node* update_node = expr->update.get();
  if (IsPlainObjectConstructor(*update_node) && update_node->pairs.size() <= kFewPairs &&
      !match.is_array()) {
    // What Eval would do (EvalGroupPairs over one item), without building the update object:
    // its entries go to the target.
    Entries entries;
    {
      Level level(*this);
      EvalEntriesOfOne(update_node->pairs, update_node->position, match, env, entries);
    }
    if (target) {
      for (auto& [key, value] : entries) target->Set(key.str(), std::move(value));
    }
  } else {
    Value update = Eval(update_node, match, env);
    if (update.defined()) {
      if (!update.is_object()) Throw("T2011", update_node->position);
      if (target) {
        update.ForEachEntry([&](std::string_view k, const Value& v) { target->Set(k, v); });
      }
    }
  }
  if (!expr->remove) return;
  Value deletions = literal_deletions;
  if (deletions.undefined()) {
    deletions = Eval(expr->remove.get(), match, env);
    // A literal list is evaluated for the first match only (read, never changed, after).
    if (IsLiteralList(*expr->remove)) literal_deletions = deletions;
  }
  if (deletions.undefined()) return;
  Value list = deletions.is_array() ? deletions : Value::Array(SequenceOf(deletions));
  for (size_t j = 0, m = list.size(); j < m; ++j) {
    if (!list.at(j).is_string()) Throw("T2012", expr->remove->position);
  }
  if (target) {
    for (size_t j = 0, m = list.size(); j < m; ++j) target->Erase(list.at(j).str());
  }
}

Value Evaluator::ApplyTransform(FunctionData* f, const Value& obj) {
  if (obj.undefined()) return Value();
  const Node* expr = f->node;
  auto as_sequence = [](Value matches) {
    return matches.is_array() ? matches : Value::Array(SequenceOf(matches));
  };
  Value literal_deletions;  // see UpdateMatch
  if (expr->pure_pattern && obj.json()) {
    Value matches = Eval(expr->pattern.get(), obj, f->env);
    if (matches.undefined()) return obj;
    matches = as_sequence(std::move(matches));
    Value root;
    if (std::optional<CopyOnWrite> plan = PlanCopies(*obj.json(), matches, root)) {
      for (size_t i = 0, n = matches.size(); i < n; ++i) {
        Value match = matches.at(i);
        std::shared_ptr<ObjectData> copy;
        if (match.is_object()) {
          auto at = std::lower_bound(plan->matched.begin(), plan->matched.end(), match.json());
          copy = plan->copies[static_cast<size_t>(at - plan->matched.begin())];
          match = Value::Object(copy);
        }
        UpdateMatch(expr, match, copy.get(), f->env, literal_deletions);
      }
      return root;
    }
    // A pure pattern has no effects: evaluating it again on the deep copy below is safe.
  }
  Value result = DeepClone(obj);
  Value matches = Eval(expr->pattern.get(), result, f->env);
  if (matches.undefined()) return result;
  matches = as_sequence(std::move(matches));
  for (size_t i = 0, n = matches.size(); i < n; ++i) {
    Value match = matches.at(i);
    UpdateMatch(expr, match, match.object_data(), f->env, literal_deletions);
  }
  return result;
}

}  // namespace autoretrain::jsonata
