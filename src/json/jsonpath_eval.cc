// Evaluation of compiled JSONPath steps with Jayway's semantics: a step that cannot be taken
// (missing field, index out of range, wrong type) contributes no match; filters test each array
// element, or an object itself; `..` applies the next step at a node and every descendant.
#include <algorithm>

#include "json/jsonpath_impl.h"

namespace autoretrain::json {
namespace {

// Bounds that keep hostile paths (`$..*..*..*` on a large document) from running for minutes
// or exhausting memory; evaluation stops at either. Every match is a copy of a subtree, so
// copies are budgeted in nodes: a result holding kMaxCopiedNodes nodes serializes to more than
// 1 MB, beyond Step Functions' 256 KiB payload limit, so the engine's payload check still fails
// the state when a real result is cut short. kMaxWork bounds the steps taken.
constexpr size_t kMaxCopiedNodes = size_t{1} << 20;
constexpr size_t kMaxWork = size_t{1} << 25;

// Resolves index `i` (negative counts from the end) into [0, size); false when out of range.
bool NormalizeIndex(int64_t i, size_t size, size_t* out) {
  int64_t n = static_cast<int64_t>(size);
  if (i < 0) i += n;
  if (i < 0 || i >= n) return false;
  *out = static_cast<size_t>(i);
  return true;
}

bool IsIntegral(const Value& v) { return v.is_int64() || v.is_uint64(); }

// Three-way comparison of two numbers, exact for integers.
int CompareNumbers(const Value& a, const Value& b) {
  if (IsIntegral(a) && IsIntegral(b)) {
    if (a.is_int64() && b.is_int64()) {
      int64_t x = a.get_int64(), y = b.get_int64();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    // At least one is a uint64 (which only holds values above INT64_MAX when parsed).
    if (a.is_int64() && a.get_int64() < 0) return -1;
    if (b.is_int64() && b.get_int64() < 0) return 1;
    uint64_t x = a.is_int64() ? static_cast<uint64_t>(a.get_int64()) : a.get_uint64();
    uint64_t y = b.is_int64() ? static_cast<uint64_t>(b.get_int64()) : b.get_uint64();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  double x = AsDouble(a), y = AsDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// JSON equality where 1 and 1.0 are the same number.
bool JsonEquals(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return CompareNumbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const Array& x = a.get_array();
    const Array& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!JsonEquals(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const Object& x = a.get_object();
    const Object& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const Value* other = y.if_contains(kv.key());
      if (other == nullptr || !JsonEquals(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

// Evaluation state shared by the whole evaluation of one path, filters included.
struct Eval {
  const Value& root;  // what `$` means inside filters
  size_t work_left;   // steps still allowed (see kMaxWork)
  size_t copy_left;   // nodes that matches may still copy (see kMaxCopiedNodes)
};

// The number of nodes in `v`'s subtree, counting stops once it exceeds `limit`.
size_t CountNodes(const Value& v, size_t limit) {
  size_t n = 1;
  if (v.is_array()) {
    for (const Value& e : v.get_array()) {
      if (n > limit) break;
      n += CountNodes(e, limit - n);
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (n > limit) break;
      n += CountNodes(kv.value(), limit - n);
    }
  }
  return n;
}

void Next(const std::vector<Step>& steps, size_t i, const Value& node, Eval& ev, Array& out);

// The value of a filter operand: a node of the document (no copy), or a value built for
// indefinite paths; `node` is null when the path matched nothing.
struct Resolved {
  const Value* node = nullptr;
  Value owned;
};

Resolved Resolve(const Operand& operand, const Value& current, Eval& ev) {
  Resolved r;
  if (operand.kind == Operand::Kind::kLiteral) {
    r.node = &operand.literal;
    return r;
  }
  const Value& base = operand.kind == Operand::Kind::kCurrent ? current : ev.root;
  const std::vector<Step>& steps = operand.path.steps;
  bool merge_leaf = !steps.empty() && steps.back().kind == StepKind::kFields;
  if (operand.path.definite && !merge_leaf) {
    r.node = FindDefinite(steps, steps.size(), base);
    return r;
  }
  Array matches;
  Next(steps, 0, base, ev, matches);
  if (operand.path.definite) {  // a merged object: exactly one match, or none
    if (matches.empty()) return r;
    r.owned = std::move(matches[0]);
  } else {
    if (matches.empty()) return r;  // an indefinite path with no match does not exist
    r.owned = std::move(matches);
  }
  r.node = &r.owned;
  return r;
}

bool Compare(CompareOp op, const Value& a, const Value& b) {
  switch (op) {
    case CompareOp::kEq:
      return JsonEquals(a, b);
    case CompareOp::kNe:
      return !JsonEquals(a, b);
    default:
      break;
  }
  int c;
  if (a.is_number() && b.is_number()) {
    c = CompareNumbers(a, b);
  } else if (a.is_string() && b.is_string()) {
    c = a.get_string().subview().compare(b.get_string().subview());
    c = c < 0 ? -1 : c > 0 ? 1 : 0;
  } else {
    return false;  // ordering across types (or of arrays, objects, booleans) never holds
  }
  switch (op) {
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    default:
      return c >= 0;
  }
}

bool Matches(const FilterNode& f, const Value& current, Eval& ev) {
  switch (f.kind) {
    case FilterNode::Kind::kOr:
      return Matches(*f.lhs, current, ev) || Matches(*f.rhs, current, ev);
    case FilterNode::Kind::kAnd:
      return Matches(*f.lhs, current, ev) && Matches(*f.rhs, current, ev);
    case FilterNode::Kind::kNot:
      return !Matches(*f.lhs, current, ev);
    case FilterNode::Kind::kExists:
      return Resolve(f.left, current, ev).node != nullptr;
    case FilterNode::Kind::kCompare: {
      Resolved a = Resolve(f.left, current, ev);
      Resolved b = Resolve(f.right, current, ev);
      // A missing operand equals nothing, so only != holds (Jayway's undefined value).
      if (a.node == nullptr || b.node == nullptr) return f.op == CompareOp::kNe;
      return Compare(f.op, *a.node, *b.node);
    }
  }
  return false;
}

// Applies steps[i] (ignoring its `deep` flag) at `node`, continuing with steps[i + 1] from
// every node it selects.
void ApplyStep(const std::vector<Step>& steps, size_t i, const Value& node, Eval& ev, Array& out) {
  const Step& s = steps[i];
  switch (s.kind) {
    case StepKind::kField:
      if (node.is_object()) {
        if (const Value* v = node.get_object().if_contains(s.name)) Next(steps, i + 1, *v, ev, out);
      }
      return;
    case StepKind::kFields: {
      if (!node.is_object()) return;
      const Object& obj = node.get_object();
      if (i + 1 == steps.size()) {  // Jayway merges the named fields into one object
        Object merged;
        for (const std::string& name : s.names) {
          if (const Value* v = obj.if_contains(name)) merged[name] = *v;
        }
        out.emplace_back(std::move(merged));
        return;
      }
      for (const std::string& name : s.names) {
        if (const Value* v = obj.if_contains(name)) Next(steps, i + 1, *v, ev, out);
      }
      return;
    }
    case StepKind::kIndex: {
      if (!node.is_array()) return;
      size_t at;
      if (NormalizeIndex(s.index, node.get_array().size(), &at)) {
        Next(steps, i + 1, node.get_array()[at], ev, out);
      }
      return;
    }
    case StepKind::kIndices: {
      if (!node.is_array()) return;
      const Array& arr = node.get_array();
      for (int64_t index : s.indices) {
        size_t at;
        if (NormalizeIndex(index, arr.size(), &at)) Next(steps, i + 1, arr[at], ev, out);
      }
      return;
    }
    case StepKind::kSlice: {
      if (!node.is_array()) return;
      const Array& arr = node.get_array();
      int64_t n = static_cast<int64_t>(arr.size());
      if (s.step > 0) {
        int64_t lo = !s.start       ? 0
                     : *s.start < 0 ? std::max<int64_t>(*s.start + n, 0)
                                    : std::min(*s.start, n);
        int64_t hi = !s.end       ? n
                     : *s.end < 0 ? std::max<int64_t>(*s.end + n, 0)
                                  : std::min(*s.end, n);
        for (int64_t k = lo; k < hi; k += s.step) Next(steps, i + 1, arr[k], ev, out);
      } else {
        int64_t lo = !s.start       ? n - 1
                     : *s.start < 0 ? std::max<int64_t>(*s.start + n, -1)
                                    : std::min(*s.start, n - 1);
        int64_t hi = !s.end       ? -1
                     : *s.end < 0 ? std::max<int64_t>(*s.end + n, -1)
                                  : std::min(*s.end, n - 1);
        for (int64_t k = lo; k > hi; k += s.step) Next(steps, i + 1, arr[k], ev, out);
      }
      return;
    }
    case StepKind::kWildcard:
      if (node.is_object()) {
        for (const auto& kv : node.get_object()) Next(steps, i + 1, kv.value(), ev, out);
      } else if (node.is_array()) {
        for (const Value& e : node.get_array()) Next(steps, i + 1, e, ev, out);
      }
      return;
    case StepKind::kFilter:
      if (node.is_object()) {
        if (Matches(*s.filter, node, ev)) Next(steps, i + 1, node, ev, out);
      } else if (node.is_array()) {
        for (const Value& e : node.get_array()) {
          if (Matches(*s.filter, e, ev)) Next(steps, i + 1, e, ev, out);
        }
      }
      return;
  }
}

// `..step`: applies steps[i] at `node` and at each of its descendants, in document order (the
// node before its children), as Jayway's scan does.
void DeepWalk(const std::vector<Step>& steps, size_t i, const Value& node, Eval& ev, Array& out) {
  if (!node.is_object() && !node.is_array()) return;
  if (ev.work_left == 0) return;
  --ev.work_left;
  const Step& s = steps[i];
  if (s.kind == StepKind::kFilter) {
    // Scanning with a filter tests the containers themselves; arrays never match a filter on
    // their fields, so only objects are tested.
    if (node.is_object() && Matches(*s.filter, node, ev)) Next(steps, i + 1, node, ev, out);
  } else if (s.kind == StepKind::kFields && i + 1 == steps.size()) {
    // A merged leaf is only produced where every named field exists (Jayway's scan predicate).
    if (node.is_object() && std::all_of(s.names.begin(), s.names.end(), [&](const std::string& n) {
          return node.get_object().contains(n);
        })) {
      ApplyStep(steps, i, node, ev, out);
    }
  } else {
    ApplyStep(steps, i, node, ev, out);
  }
  if (node.is_object()) {
    for (const auto& kv : node.get_object()) DeepWalk(steps, i, kv.value(), ev, out);
  } else {
    for (const Value& e : node.get_array()) DeepWalk(steps, i, e, ev, out);
  }
}

void Next(const std::vector<Step>& steps, size_t i, const Value& node, Eval& ev, Array& out) {
  if (ev.work_left == 0) return;
  --ev.work_left;
  if (i == steps.size()) {
    out.push_back(node);  // one subtree, at most the document: always kept whole
    size_t cost = CountNodes(node, ev.copy_left);
    if (cost >= ev.copy_left) {
      ev.copy_left = 0;
      ev.work_left = 0;  // budget spent: stop the whole evaluation
    } else {
      ev.copy_left -= cost;
    }
  } else if (steps[i].deep) {
    DeepWalk(steps, i, node, ev, out);
  } else {
    ApplyStep(steps, i, node, ev, out);
  }
}

}  // namespace

void EvaluateSteps(const std::vector<Step>& steps, size_t from, const Value& node,
                   const Value& root, Array& out) {
  Eval ev{root, kMaxWork, kMaxCopiedNodes};
  Next(steps, from, node, ev, out);
}

const Value* FindDefinite(const std::vector<Step>& steps, size_t count, const Value& node) {
  const Value* cur = &node;
  for (size_t i = 0; i < count; ++i) {
    const Step& s = steps[i];
    if (s.kind == StepKind::kField) {
      if (!cur->is_object()) return nullptr;
      cur = cur->get_object().if_contains(s.name);
      if (cur == nullptr) return nullptr;
    } else if (s.kind == StepKind::kIndex) {
      if (!cur->is_array()) return nullptr;
      size_t at;
      if (!NormalizeIndex(s.index, cur->get_array().size(), &at)) return nullptr;
      cur = &cur->get_array()[at];
    } else {
      return nullptr;  // not a definite step
    }
  }
  return cur;
}

}  // namespace autoretrain::json
