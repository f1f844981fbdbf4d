// Serialize and SerializePretty: our own writer, because Step Functions prints numbers the way
// JavaScript does (1.0 -> "1", 1e21 -> "1e+21") while Boost.JSON prints 1.0 as "1E0".
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "autoretrain/json/json.h"

namespace autoretrain::json {
namespace {

// A sink with the part of std::string's interface the writer uses, that only counts bytes.
struct ByteCounter {
  size_t size = 0;
  void operator+=(char) { ++size; }
  void operator+=(const char* s) { size += std::strlen(s); }
  void operator+=(const std::string& s) { size += s.size(); }
  void append(const char*, size_t n) { size += n; }
  void append(size_t n, char) { size += n; }
  void append(const char* first, const char* last) { size += last - first; }
};

// Appends `d` as JavaScript's Number.prototype.toString does (ECMA-262 Number::toString):
// the shortest digits that read back identically, in fixed notation for decimal exponents in
// [-6, 21), otherwise in exponent notation "d.ddde+N". Non-finite values print as null, as
// JSON.stringify prints them.
template <class Out>
void AppendDouble(Out& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  if (d == 0) {  // also -0, which JavaScript prints as "0"
    out += '0';
    return;
  }
  char buf[40];
  // Without a precision, to_chars gives the shortest round-trip form, e.g. "-1.2345e+02".
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  size_t e_pos = sci.find('e');
  char digits[24];
  int k = 0;  // number of significant digits
  for (size_t i = 0; i < e_pos; ++i) {
    if (sci[i] != '.') digits[k++] = sci[i];
  }
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  int n = exponent + 1;  // value = digits * 10^(n - k)
  if (k <= n && n <= 21) {
    out.append(digits, k);
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, n);
    out += '.';
    out.append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out.append(digits, k);
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits + 1, k - 1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

template <class Out, class Int>
void AppendInteger(Out& out, Int v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// The length of the UTF-8 sequence (RFC 3629: no overlong forms, surrogates or code points
// past U+10FFFF) that starts at s[i], a byte >= 0x80; 0 when none does.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const unsigned char lead = static_cast<unsigned char>(s[i]);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  }
  if (length == 0 || s.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[i + k]);
    if (c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF)) return 0;
  }
  return length;
}

// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped
// (short forms where JSON has them, otherwise \u00xx), UTF-8 kept as is, and each byte that is
// not part of UTF-8 replaced by U+FFFD, so that the output is always JSON (strings that did not
// come from parsed JSON, such as request headers, paths and file names, may hold any bytes).
template <class Out>
void AppendString(Out& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending run of characters that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const size_t length = Utf8SequenceLength(s, i); length > 0) {
        i += length - 1;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "\xEF\xBF\xBD";
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

template <class Out>
void AppendScalar(Out& out, const Value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      AppendString(out, v.get_string());
      break;
    case boost::json::kind::int64:
      AppendInteger(out, v.get_int64());
      break;
    case boost::json::kind::uint64:
      AppendInteger(out, v.get_uint64());
      break;
    case boost::json::kind::double_:
      AppendDouble(out, v.get_double());
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    default:
      out += "null";
  }
}

// `indent` < 0 prints compactly; otherwise pretty with two spaces per level, starting at
// `indent` levels (JSON.stringify(value, null, 2) layout).
template <class Out>
void Append(Out& out, const Value& v, int indent) {
  auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<size_t>(level) * 2, ' ');
  };
  if (v.is_object()) {
    const Object& obj = v.get_object();
    if (obj.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& kv : obj) {
      if (!first) out += ',';
      first = false;
      if (indent >= 0) newline(indent + 1);
      AppendString(out, kv.key());
      out += indent >= 0 ? ": " : ":";
      Append(out, kv.value(), indent >= 0 ? indent + 1 : -1);
    }
    if (indent >= 0) newline(indent);
    out += '}';
  } else if (v.is_array()) {
    const Array& arr = v.get_array();
    if (arr.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const Value& e : arr) {
      if (!first) out += ',';
      first = false;
      if (indent >= 0) newline(indent + 1);
      Append(out, e, indent >= 0 ? indent + 1 : -1);
    }
    if (indent >= 0) newline(indent);
    out += ']';
  } else {
    AppendScalar(out, v);
  }
}

}  // namespace

std::string Serialize(const Value& value) {
  std::string out;
  out.reserve(128);  // most payloads are small; saves the first few reallocations
  Append(out, value, -1);
  return out;
}

std::string SerializePretty(const Value& value) {
  std::string out;
  Append(out, value, 0);
  return out;
}

namespace {

// What SizeUpperBound returns for a value nested deeper than it may look.
constexpr size_t kTooDeep = SIZE_MAX;

// An upper bound of SerializedSize: 6 bytes per string byte (a \uXXXX escape) plus quotes,
// 24 per number (the longest shortest-round-trip double), separators and brackets; kTooDeep
// when arrays and objects nest more than `depth_left` levels (the recursion stops there).
size_t SizeUpperBound(const Value& value, int depth_left) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return 6 * value.get_string().size() + 2;
    case boost::json::kind::array: {
      if (depth_left == 0) return kTooDeep;
      size_t total = 2;
      for (const Value& item : value.get_array()) {
        const size_t item_bound = SizeUpperBound(item, depth_left - 1);
        if (item_bound == kTooDeep) return kTooDeep;
        total += item_bound + 1;
      }
      return total;
    }
    case boost::json::kind::object: {
      if (depth_left == 0) return kTooDeep;
      size_t total = 2;
      for (const auto& member : value.get_object()) {
        const size_t member_bound = SizeUpperBound(member.value(), depth_left - 1);
        if (member_bound == kTooDeep) return kTooDeep;
        total += 6 * member.key().size() + 4 + member_bound;
      }
      return total;
    }
    default:
      return 24;
  }
}

}  // namespace

bool FitsInBytes(const Value& value, size_t limit) {
  const size_t bound = SizeUpperBound(value, kMaxDepth);
  return bound <= limit || (bound != kTooDeep && SerializedSize(value) <= limit);
}

bool NestingWithin(const Value& value, int max_depth) {
  return SizeUpperBound(value, max_depth) != kTooDeep;
}

size_t SerializedSize(const Value& value) {
  ByteCounter counter;
  Append(counter, value, -1);
  return counter.size;
}

}  // namespace autoretrain::json
