#include "engine/choice_evaluator.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "autoretrain/common/clock.h"
#include "engine/io_processing.h"

namespace autoretrain::engine {
namespace {

using Op = asl::ChoiceRule::Op;

Error InvalidPath(const json::Path& path) {
  return Error{"States.Runtime",
               "Invalid path '" + path.text() +
                   "': The choice state's condition path references an invalid value."};
}

template <class T>
int Compare3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Decodes the UTF-8 code point starting at s[i]; returns -1 for a malformed sequence.
int32_t DecodeUtf8At(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return -1;
  if (len == 1) return b0;
  int32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  return cp;
}

// The first UTF-16 code unit of a code point: supplementary characters start with a high
// surrogate (0xD800-0xDBFF), which sorts below BMP characters in 0xE000-0xFFFF.
int32_t FirstUtf16Unit(int32_t cp) { return cp < 0x10000 ? cp : 0xD800 + ((cp - 0x10000) >> 10); }

// Orders strings as Java's String.compareTo does (by UTF-16 code units), which is what AWS
// documents for the String comparison operators. UTF-8 byte order is code point order; the two
// differ only where a supplementary character meets a BMP character above U+E000.
int CompareUtf16(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return Compare3(a.size(), b.size());
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;  // back to a lead byte
  int32_t ca = DecodeUtf8At(a, i), cb = DecodeUtf8At(b, i);
  if (ca < 0 || cb < 0) return a.compare(b) < 0 ? -1 : 1;
  int unit_order = Compare3(FirstUtf16Unit(ca), FirstUtf16Unit(cb));
  return unit_order != 0 ? unit_order : Compare3(ca, cb);
}

long double AsLongDouble(const json::Value& v) {
  if (v.is_int64()) return static_cast<long double>(v.get_int64());
  if (v.is_uint64()) return static_cast<long double>(v.get_uint64());
  return static_cast<long double>(v.get_double());
}

// Applies a comparison result (-1, 0, 1) to the operator's relation.
bool Relation(Op op, int cmp) {
  switch (op) {
    case Op::kStringEquals:
    case Op::kNumericEquals:
    case Op::kTimestampEquals:
      return cmp == 0;
    case Op::kStringLessThan:
    case Op::kNumericLessThan:
    case Op::kTimestampLessThan:
      return cmp < 0;
    case Op::kStringGreaterThan:
    case Op::kNumericGreaterThan:
    case Op::kTimestampGreaterThan:
      return cmp > 0;
    case Op::kStringLessThanEquals:
    case Op::kNumericLessThanEquals:
    case Op::kTimestampLessThanEquals:
      return cmp <= 0;
    case Op::kStringGreaterThanEquals:
    case Op::kNumericGreaterThanEquals:
    case Op::kTimestampGreaterThanEquals:
      return cmp >= 0;
    default:
      return false;
  }
}

bool IsStringOp(Op op) { return op >= Op::kStringEquals && op <= Op::kStringGreaterThanEquals; }
bool IsNumericOp(Op op) { return op >= Op::kNumericEquals && op <= Op::kNumericGreaterThanEquals; }
bool IsTimestampOp(Op op) {
  return op >= Op::kTimestampEquals && op <= Op::kTimestampGreaterThanEquals;
}

std::optional<TimePoint> AsTimestamp(const json::Value& v) {
  if (!v.is_string()) return std::nullopt;
  TimePoint t;
  if (!ParseIso8601(std::string(v.get_string()), &t)) return std::nullopt;
  return t;
}

// Compares the variable's value with the operand for the binary operators.
bool Compare(Op op, const json::Value& value, const json::Value& operand) {
  if (IsStringOp(op)) {
    if (!value.is_string() || !operand.is_string()) return false;
    return Relation(op, CompareUtf16(value.get_string(), operand.get_string()));
  }
  if (IsNumericOp(op)) {
    if (!value.is_number() || !operand.is_number()) return false;
    return Relation(op, CompareNumbers(value, operand));
  }
  if (IsTimestampOp(op)) {
    std::optional<TimePoint> a = AsTimestamp(value), b = AsTimestamp(operand);
    if (!a || !b) return false;
    return Relation(op, Compare3(*a, *b));
  }
  if (op == Op::kStringMatches) {
    if (!value.is_string() || !operand.is_string()) return false;
    return StringMatchesPattern(value.get_string(), operand.get_string());
  }
  if (op == Op::kBooleanEquals) {
    if (!value.is_bool() || !operand.is_bool()) return false;
    return value.get_bool() == operand.get_bool();
  }
  return false;
}

// The Is* type tests; `operand` is the rule's boolean.
bool TypeTest(Op op, const json::Value& value, bool operand) {
  bool is = false;
  switch (op) {
    case Op::kIsNull:
      is = value.is_null();
      break;
    case Op::kIsNumeric:
      is = value.is_number();
      break;
    case Op::kIsString:
      is = value.is_string();
      break;
    case Op::kIsBoolean:
      is = value.is_bool();
      break;
    case Op::kIsTimestamp:
      is = AsTimestamp(value).has_value();
      break;
    default:
      break;
  }
  return is == operand;
}

bool OperandBool(const asl::ChoiceRule& rule) {
  return rule.operand.is_bool() && rule.operand.get_bool();
}

}  // namespace

int CompareNumbers(const json::Value& a, const json::Value& b) {
  if (a.is_double() || b.is_double()) {
    // long double holds every int64/uint64 and double exactly on the platforms we build for.
    return Compare3(AsLongDouble(a), AsLongDouble(b));
  }
  if (a.is_int64() && b.is_int64()) return Compare3(a.get_int64(), b.get_int64());
  if (a.is_uint64() && b.is_uint64()) return Compare3(a.get_uint64(), b.get_uint64());
  if (a.is_int64()) {
    if (a.get_int64() < 0) return -1;
    return Compare3(static_cast<uint64_t>(a.get_int64()), b.get_uint64());
  }
  if (b.get_int64() < 0) return 1;
  return Compare3(a.get_uint64(), static_cast<uint64_t>(b.get_int64()));
}

bool StringMatchesPattern(std::string_view value, std::string_view pattern) {
  // Greedy wildcard matching with backtracking to the last star. Escapes are resolved as the
  // pattern is read; `p_star`/`v_star` remember where to resume after a mismatch.
  size_t v = 0, p = 0;
  size_t p_star = std::string_view::npos, v_star = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      p_star = ++p;
      v_star = v;
      continue;
    }
    if (p < pattern.size()) {
      char literal = pattern[p];
      size_t width = 1;
      if (literal == '\\' && p + 1 < pattern.size()) {
        literal = pattern[p + 1];
        width = 2;
      }
      if (literal == value[v]) {
        p += width;
        ++v;
        continue;
      }
    }
    if (p_star == std::string_view::npos) return false;
    p = p_star;
    v = ++v_star;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<bool> EvaluateChoiceRule(const asl::ChoiceRule& rule, const json::Value& input,
                                ContextObject& context) {
  switch (rule.op) {
    case Op::kAnd:
      for (const asl::ChoiceRule& child : rule.children) {
        Result<bool> r = EvaluateChoiceRule(child, input, context);
        if (!r.ok() || !*r) return r;
      }
      return true;
    case Op::kOr:
      for (const asl::ChoiceRule& child : rule.children) {
        Result<bool> r = EvaluateChoiceRule(child, input, context);
        if (!r.ok() || *r) return r;
      }
      return false;
    case Op::kNot: {
      if (rule.children.empty()) return false;
      Result<bool> r = EvaluateChoiceRule(rule.children.front(), input, context);
      if (!r.ok()) return r;
      return !*r;
    }
    default:
      break;
  }
  if (!rule.variable) return false;
  std::optional<Payload> value = LookupPath(*rule.variable, input, context);
  if (rule.op == Op::kIsPresent) return value.has_value() == OperandBool(rule);
  if (!value) return InvalidPath(*rule.variable);
  if (rule.op >= Op::kIsNull) return TypeTest(rule.op, value->get(), OperandBool(rule));
  if (rule.operand_path) {
    std::optional<Payload> operand = LookupPath(*rule.operand_path, input, context);
    if (!operand) return InvalidPath(*rule.operand_path);
    return Compare(rule.op, value->get(), operand->get());
  }
  return Compare(rule.op, value->get(), rule.operand);
}

}  // namespace autoretrain::engine
