#include "integrations/dynamodb_eval.h"

#include <algorithm>
#include <map>
#include <optional>

#include "integrations/dynamodb_number.h"
#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations::dynamo {
namespace {

const json::Value* Child(const json::Value& container, const PathElement& e) {
  if (!container.is_object()) return nullptr;
  const json::Object& o = container.get_object();
  if (e.is_index()) {
    const json::Value* list = o.if_contains("L");
    if (list == nullptr || !list->is_array()) return nullptr;
    const json::Array& a = list->get_array();
    return e.index < static_cast<int64_t>(a.size()) ? &a[static_cast<size_t>(e.index)] : nullptr;
  }
  const json::Value* map = o.if_contains("M");
  if (map == nullptr || !map->is_object()) return nullptr;
  return map->get_object().if_contains(e.name);
}

// An operand's value, or nullopt for a missing attribute (or a size() of an unsized one).
std::optional<json::Value> Operand(const Node& node, const json::Object& item) {
  if (node.kind == NodeKind::kValue) return node.value;
  if (node.kind == NodeKind::kPath) {
    const json::Value* v = Resolve(item, node.path);
    if (v == nullptr) return std::nullopt;
    return *v;
  }
  if (node.kind == NodeKind::kFunction && node.op == "size") {
    std::optional<json::Value> v = Operand(node.args[0], item);
    if (!v) return std::nullopt;
    std::string_view type = TypeOf(*v);
    const json::Value& inner = v->get_object().begin()->value();
    size_t size;
    if (type == "S") {
      size = inner.get_string().size();
    } else if (type == "B") {
      size = DecodeBase64(inner.get_string()).value_or("").size();
    } else if (type == "SS" || type == "NS" || type == "BS" || type == "L") {
      size = inner.get_array().size();
    } else if (type == "M") {
      size = inner.get_object().size();
    } else {
      return std::nullopt;
    }
    return NumberValue(std::to_string(size));
  }
  return std::nullopt;
}

bool Contains(const json::Value& haystack, const json::Value& needle) {
  std::string_view ht = TypeOf(haystack), nt = TypeOf(needle);
  const json::Value& h = haystack.get_object().begin()->value();
  const json::Value& n = needle.get_object().begin()->value();
  if (ht == "S" && nt == "S") {
    return std::string_view(h.get_string()).find(n.get_string()) != std::string_view::npos;
  }
  if (ht == "B" && nt == "B") {
    std::string hb = DecodeBase64(h.get_string()).value_or("");
    return hb.find(DecodeBase64(n.get_string()).value_or("")) != std::string::npos;
  }
  if ((ht == "SS" && nt == "S") || (ht == "NS" && nt == "N") || (ht == "BS" && nt == "B")) {
    for (const json::Value& e : h.get_array()) {
      if (ValuesEqual(json::Object{{nt, e}}, needle)) return true;
    }
    return false;
  }
  if (ht == "L") {
    for (const json::Value& e : h.get_array()) {
      if (ValuesEqual(e, needle)) return true;
    }
  }
  return false;
}

bool BeginsWith(const json::Value& value, const json::Value& prefix) {
  std::string_view vt = TypeOf(value), pt = TypeOf(prefix);
  if (vt != pt || (vt != "S" && vt != "B")) return false;
  std::string v(value.get_object().begin()->value().get_string());
  std::string p(prefix.get_object().begin()->value().get_string());
  if (vt == "B") {
    v = DecodeBase64(v).value_or("");
    p = DecodeBase64(p).value_or("");
  }
  return std::string_view(v).starts_with(p);
}

bool Compare(const std::string& op, const std::optional<json::Value>& a,
             const std::optional<json::Value>& b) {
  if (op == "=") return a && b && ValuesEqual(*a, *b);
  if (op == "<>") return !(a && b && ValuesEqual(*a, *b));
  if (!a || !b) return false;
  std::optional<int> c = CompareValues(*a, *b);
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == "<=") return *c <= 0;
  if (op == ">") return *c > 0;
  return *c >= 0;  // ">="
}

// ---- updates ----

Result<json::Value> UpdateValue(const Node& node, const json::Object& item) {
  switch (node.kind) {
    case NodeKind::kValue:
      return node.value;
    case NodeKind::kPath: {
      const json::Value* v = Resolve(item, node.path);
      if (v == nullptr) {
        return Validation(
            "The provided expression refers to an attribute that does not exist in the item");
      }
      return *v;
    }
    case NodeKind::kPlus:
    case NodeKind::kMinus: {
      Result<json::Value> a = UpdateValue(node.args[0], item);
      if (!a.ok()) return a;
      Result<json::Value> b = UpdateValue(node.args[1], item);
      if (!b.ok()) return b;
      if (TypeOf(*a) != "N" || TypeOf(*b) != "N") {
        return Validation("An operand in the update expression has an incorrect data type");
      }
      Result<Decimal> x = ParseDecimal(a->at("N").get_string());
      Result<Decimal> y = ParseDecimal(b->at("N").get_string());
      if (!x.ok()) return x.take_error();
      if (!y.ok()) return y.take_error();
      Decimal r = node.kind == NodeKind::kPlus ? AddDecimal(*x, *y) : SubtractDecimal(*x, *y);
      if (Status s = CheckNumberLimits(r); !s.ok()) return s.take_error();
      return NumberValue(FormatDecimal(r));
    }
    case NodeKind::kFunction: {
      if (node.op == "if_not_exists") {
        if (const json::Value* v = Resolve(item, node.args[0].path)) return *v;
        return UpdateValue(node.args[1], item);
      }
      // list_append
      Result<json::Value> a = UpdateValue(node.args[0], item);
      if (!a.ok()) return a;
      Result<json::Value> b = UpdateValue(node.args[1], item);
      if (!b.ok()) return b;
      if (TypeOf(*a) != "L" || TypeOf(*b) != "L") {
        return Validation("An operand in the update expression has an incorrect data type");
      }
      json::Array joined = a->at("L").get_array();
      for (const json::Value& e : b->at("L").get_array()) joined.push_back(e);
      return json::Value(json::Object{{"L", std::move(joined)}});
    }
    default:
      return Validation("An operand in the update expression has an incorrect data type");
  }
}

Error InvalidPath() {
  return Validation("The document path provided in the update expression is invalid for update");
}

// The container (a top-level item, or the "M"/"L" payload of a value) that holds the last
// element of `path`; null when it does not exist or has the wrong kind.
json::Value* Parent(json::Object& item, const Path& path, bool* is_top) {
  *is_top = path.size() == 1;
  if (*is_top) return nullptr;
  json::Value* v = item.if_contains(path[0].name);
  for (size_t i = 1; v != nullptr && i + 1 < path.size(); ++i) {
    v = const_cast<json::Value*>(Child(*v, path[i]));
  }
  if (v == nullptr || !v->is_object()) return nullptr;
  const PathElement& last = path.back();
  json::Value* payload = v->get_object().if_contains(last.is_index() ? "L" : "M");
  return payload;
}

Status Set(json::Object& item, const Path& path, json::Value value) {
  bool top;
  json::Value* parent = Parent(item, path, &top);
  if (top) {
    item[path[0].name] = std::move(value);
    return OkStatus();
  }
  if (parent == nullptr) return InvalidPath();
  const PathElement& last = path.back();
  if (last.is_index()) {
    json::Array& list = parent->get_array();
    if (last.index < static_cast<int64_t>(list.size())) {
      list[static_cast<size_t>(last.index)] = std::move(value);
    } else {
      list.push_back(std::move(value));  // past the end: appended, as DynamoDB does
    }
  } else {
    parent->get_object()[last.name] = std::move(value);
  }
  return OkStatus();
}

json::Value* Existing(json::Object& item, const Path& path) {
  return const_cast<json::Value*>(Resolve(item, path));
}

Status Remove(json::Object& item, const Path& path) {
  bool top;
  json::Value* parent = Parent(item, path, &top);
  if (top) {
    item.erase(path[0].name);
    return OkStatus();
  }
  if (parent == nullptr) return InvalidPath();
  const PathElement& last = path.back();
  if (last.is_index()) {
    json::Array& list = parent->get_array();
    if (last.index < static_cast<int64_t>(list.size())) {
      list.erase(list.begin() + last.index);
    }
  } else {
    parent->get_object().erase(last.name);
  }
  return OkStatus();
}

Status AddOrDelete(json::Object& item, const UpdateAction& action) {
  const json::Value& operand = action.value.value;
  const std::string type(TypeOf(operand));
  json::Value* existing = Existing(item, action.path);
  if (existing != nullptr && TypeOf(*existing) != type) {
    return Validation("An operand in the update expression has an incorrect data type");
  }
  if (action.kind == UpdateAction::Kind::kDelete) {
    if (existing == nullptr) return OkStatus();
    json::Array& elements = existing->get_object()[type].get_array();
    const json::Array& gone = operand.at(type).get_array();
    json::Array kept;
    for (const json::Value& e : elements) {
      bool removed = false;
      for (const json::Value& g : gone) {
        if (ValuesEqual(json::Object{{type, json::Array{e}}},
                        json::Object{{type, json::Array{g}}})) {
          removed = true;
        }
      }
      if (!removed) kept.push_back(e);
    }
    if (kept.empty()) return Remove(item, action.path);
    elements = std::move(kept);
    return OkStatus();
  }
  if (existing == nullptr) return Set(item, action.path, operand);
  if (type == "N") {
    Result<Decimal> x = ParseDecimal(existing->at("N").get_string());
    Result<Decimal> y = ParseDecimal(operand.at("N").get_string());
    if (!x.ok()) return x.take_error();
    if (!y.ok()) return y.take_error();
    Decimal sum = AddDecimal(*x, *y);
    if (Status s = CheckNumberLimits(sum); !s.ok()) return s;
    *existing = NumberValue(FormatDecimal(sum));
    return OkStatus();
  }
  json::Array& elements = existing->get_object()[type].get_array();
  for (const json::Value& e : operand.at(type).get_array()) {
    bool present = false;
    for (const json::Value& have : elements) {
      if (ValuesEqual(json::Object{{type, json::Array{have}}},
                      json::Object{{type, json::Array{e}}})) {
        present = true;
      }
    }
    if (!present) elements.push_back(e);
  }
  return OkStatus();
}

// A tree of selected paths, for Project.
struct Selection {
  bool whole = false;
  std::map<std::string, Selection> fields;
  std::map<int64_t, Selection> elements;
};

std::optional<json::Value> Materialize(const json::Value& value, const Selection& selection) {
  if (selection.whole) return value;
  if (!value.is_object()) return std::nullopt;
  const json::Object& o = value.get_object();
  if (!selection.fields.empty()) {
    const json::Value* map = o.if_contains("M");
    if (map == nullptr) return std::nullopt;
    json::Object out;
    for (const auto& [name, sub] : selection.fields) {
      const json::Value* child = map->get_object().if_contains(name);
      if (child == nullptr) continue;
      if (auto v = Materialize(*child, sub)) out[name] = std::move(*v);
    }
    if (out.empty()) return std::nullopt;
    return json::Value(json::Object{{"M", std::move(out)}});
  }
  const json::Value* list = o.if_contains("L");
  if (list == nullptr) return std::nullopt;
  json::Array out;
  for (const auto& [index, sub] : selection.elements) {
    if (index >= static_cast<int64_t>(list->get_array().size())) continue;
    if (auto v = Materialize(list->get_array()[static_cast<size_t>(index)], sub)) {
      out.push_back(std::move(*v));
    }
  }
  if (out.empty()) return std::nullopt;
  return json::Value(json::Object{{"L", std::move(out)}});
}

}  // namespace

const json::Value* Resolve(const json::Object& item, const Path& path) {
  if (path.empty() || path[0].is_index()) return nullptr;
  const json::Value* v = item.if_contains(path[0].name);
  for (size_t i = 1; v != nullptr && i < path.size(); ++i) v = Child(*v, path[i]);
  return v;
}

bool Evaluate(const Node& condition, const json::Object& item) {
  switch (condition.kind) {
    case NodeKind::kAnd:
      return Evaluate(condition.args[0], item) && Evaluate(condition.args[1], item);
    case NodeKind::kOr:
      return Evaluate(condition.args[0], item) || Evaluate(condition.args[1], item);
    case NodeKind::kNot:
      return !Evaluate(condition.args[0], item);
    case NodeKind::kCompare:
      return Compare(condition.op, Operand(condition.args[0], item),
                     Operand(condition.args[1], item));
    case NodeKind::kBetween: {
      auto v = Operand(condition.args[0], item);
      return Compare(">=", v, Operand(condition.args[1], item)) &&
             Compare("<=", v, Operand(condition.args[2], item));
    }
    case NodeKind::kIn: {
      auto v = Operand(condition.args[0], item);
      for (size_t i = 1; i < condition.args.size(); ++i) {
        if (Compare("=", v, Operand(condition.args[i], item))) return true;
      }
      return false;
    }
    case NodeKind::kFunction: {
      const std::string& fn = condition.op;
      if (fn == "attribute_exists") return Resolve(item, condition.args[0].path) != nullptr;
      if (fn == "attribute_not_exists") return Resolve(item, condition.args[0].path) == nullptr;
      auto a = Operand(condition.args[0], item);
      auto b = condition.args.size() > 1 ? Operand(condition.args[1], item) : std::nullopt;
      if (!a || !b) return false;
      if (fn == "attribute_type") return TypeOf(*a) == b->at("S").get_string();
      if (fn == "begins_with") return BeginsWith(*a, *b);
      if (fn == "contains") return Contains(*a, *b);
      return false;
    }
    default:
      return false;
  }
}

Status ApplyUpdate(const std::vector<UpdateAction>& actions, json::Object& item) {
  const json::Object before = item;
  std::vector<json::Value> values(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].kind != UpdateAction::Kind::kSet) continue;
    Result<json::Value> v = UpdateValue(actions[i].value, before);
    if (!v.ok()) return v.take_error();
    values[i] = std::move(*v);
  }
  // List elements are removed from the highest index down, so that each REMOVE names an
  // element of the list as it was.
  std::vector<size_t> order(actions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const UpdateAction &a = actions[x], &b = actions[y];
    bool ra = a.kind == UpdateAction::Kind::kRemove && a.path.back().is_index();
    bool rb = b.kind == UpdateAction::Kind::kRemove && b.path.back().is_index();
    if (!ra || !rb) return false;
    return a.path.back().index > b.path.back().index;
  });
  for (size_t i : order) {
    const UpdateAction& action = actions[i];
    Status s = OkStatus();
    switch (action.kind) {
      case UpdateAction::Kind::kSet:
        s = Set(item, action.path, std::move(values[i]));
        break;
      case UpdateAction::Kind::kRemove:
        s = Remove(item, action.path);
        break;
      case UpdateAction::Kind::kAdd:
      case UpdateAction::Kind::kDelete:
        s = AddOrDelete(item, action);
        break;
    }
    if (!s.ok()) return s;
  }
  return OkStatus();
}

json::Object Project(const json::Object& item, const std::vector<Path>& paths) {
  std::map<std::string, Selection> top;
  for (const Path& path : paths) {
    if (path.empty() || path[0].is_index()) continue;
    Selection* s = &top[path[0].name];
    for (size_t i = 1; i < path.size(); ++i) {
      s = path[i].is_index() ? &s->elements[path[i].index] : &s->fields[path[i].name];
    }
    s->whole = true;
  }
  json::Object out;
  for (const auto& [name, selection] : top) {
    const json::Value* v = item.if_contains(name);
    if (v == nullptr) continue;
    if (auto m = Materialize(*v, selection)) out[name] = std::move(*m);
  }
  return out;
}

}  // namespace autoretrain::integrations::dynamo
