// String functions: $string, $length, $substring, $substringBefore/After, $uppercase,
// $lowercase, $trim, $pad, $contains, $split, $join, $match, $replace, $base64encode/decode,
// $encodeUrl(Component), $decodeUrl(Component).
#include <cmath>
#include <cstring>

#include "jsonata/builtins.h"
#include "jsonata/error.h"
#include "jsonata/regex_match.h"

namespace autoretrain::jsonata {
namespace {

using Args = std::vector<Value>;

Value Str(std::string s) { return Value::String(std::move(s)); }

// JavaScript's ToIntegerOrInfinity for slice positions, clamped to [0, len].
size_t SlicePos(double p, size_t len) {
  if (std::isnan(p)) return 0;
  p = std::trunc(p);
  if (p < 0) p = std::max(0.0, static_cast<double>(len) + p);
  return static_cast<size_t>(std::min(p, static_cast<double>(len)));
}

// True when every character is ASCII: then a byte is a code point, and the string can be
// sliced and case-mapped as bytes.
bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

Value FnString(Evaluator&, Args& a, const Value&, const FramePtr&) {
  Value v = a[0];
  if (v.undefined()) return Value();
  if (v.is_string()) return v;
  if (ArrayData* arr = v.array_data(); arr && arr->outer_wrapper && !arr->items.empty()) {
    v = arr->items[0];
  }
  if (v.is_function()) return Str("");
  if (v.is_number() && !std::isfinite(v.number())) Throw("D3001");
  bool pretty = a.size() > 1 && a[1].is_bool() && a[1].boolean();
  return Str(Stringify(v, pretty));
}

Value FnLength(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return Value::Number(static_cast<double>(ToCodePoints(a[0].str()).size()));
}

Value FnSubstring(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  const std::string_view text = a[0].str();
  const bool ascii = IsAscii(text);
  std::u32string wide;
  if (!ascii) wide = ToCodePoints(text);
  const size_t size = ascii ? text.size() : wide.size();
  double len = static_cast<double>(size);
  double start = a[1].number();
  if (len + start < 0) start = 0;
  double end = len;
  if (a.size() > 2 && a[2].defined()) {
    double length = a[2].number();
    if (length <= 0) return Str("");
    end = start >= 0 ? start + length : len + start + length;
  }
  const size_t from = SlicePos(start, size);
  const size_t to = SlicePos(end, size);
  if (to <= from) return Str("");
  if (ascii) return Str(std::string(text.substr(from, to - from)));
  return Str(FromCodePoints(std::u32string_view(wide).substr(from, to - from)));
}

Value FnSubstringBefore(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  if (a[1].undefined()) return a[0];
  std::string_view s = a[0].str();
  size_t i = s.find(a[1].str());
  return i == std::string_view::npos ? a[0] : Str(std::string(s.substr(0, i)));
}

Value FnSubstringAfter(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  if (a[1].undefined()) return a[0];
  std::string_view s = a[0].str();
  size_t i = s.find(a[1].str());
  return i == std::string_view::npos ? a[0] : Str(std::string(s.substr(i + a[1].str().size())));
}

char32_t ToUpper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0x80) return c;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7)) return c - 32;
  if (c == 0xff) return 0x178;
  if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
    bool odd_lower = !((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e));
    if (odd_lower ? (c & 1) : !(c & 1)) return c - 1;
    return c;
  }
  if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2) return c - 32;
  if (c >= 0x430 && c <= 0x44f) return c - 32;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  return c;
}

char32_t ToLower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 32;
  if (c == 0x178) return 0xff;
  if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149) {
    bool odd_lower = !((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e));
    if (odd_lower ? !(c & 1) : (c & 1)) return c + 1;
    return c;
  }
  if (c >= 0x391 && c <= 0x3a9) return c + 32;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

// `text` with `map` applied to each code point (the case mappings keep ASCII in ASCII).
Value MapCodePoints(std::string_view text, char32_t (*map)(char32_t)) {
  if (IsAscii(text)) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(map(static_cast<unsigned char>(c)));
    return Str(std::move(out));
  }
  std::u32string s = ToCodePoints(text);
  for (char32_t& c : s) c = map(c);
  return Str(FromCodePoints(s));
}

Value FnUppercase(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return MapCodePoints(a[0].str(), ToUpper);
}

Value FnLowercase(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return MapCodePoints(a[0].str(), ToLower);
}

Value FnTrim(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::string out;
  bool space = false;
  for (char c : a[0].str()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
  }
  return Str(out);
}

// The widest string $pad builds, in characters: like the range operator's 1e7 items, a bound that
// keeps one call from taking gigabytes (jsonata-js fails with a JavaScript RangeError past 2^29).
constexpr double kMaxPadWidth = 1e7;

Value FnPad(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::u32string s = ToCodePoints(a[0].str());
  double width = a[1].number();
  std::u32string pad = a.size() > 2 && a[2].defined() ? ToCodePoints(a[2].str()) : U"";
  if (pad.empty()) pad = U" ";
  double pad_len = std::fabs(width) - static_cast<double>(s.size());
  if (pad_len <= 0) return a[0];
  if (!(std::fabs(width) <= kMaxPadWidth)) {
    Throw("D1001", -1, "",
          "Number out of range: the width of $pad (" + NumberToString(width) +
              ") is larger than 1e7");
  }
  size_t n = static_cast<size_t>(pad_len);
  std::u32string padding;
  while (padding.size() < n) padding += pad;
  padding.resize(n);
  return Str(FromCodePoints(width > 0 ? s + padding : padding + s));
}

// The matches of `matcher` (a regex literal, or a function returning jsonata-js's matcher
// objects {match, start, end, groups, next}) in `text`, at most `limit` (negative: all).
std::vector<RegexMatch> RunMatcher(Evaluator& ev, const Value& matcher, const std::u32string& text,
                                   long limit, const FramePtr& env, const char* fn) {
  if (const RegexLiteral* r = RegexOf(matcher)) return AllMatches(*r, text, limit);
  std::vector<RegexMatch> out;
  if (limit == 0) return out;
  Value m = ev.Apply(matcher, {Value::String(FromCodePoints(text))}, Value(), env);
  while (m.defined() && (limit < 0 || static_cast<long>(out.size()) < limit)) {
    Value match = m.get("match"), start = m.get("start"), end = m.get("end"),
          groups = m.get("groups");
    if (!match.is_string() || !start.is_number() || !end.is_number() || !groups.is_array()) {
      Throw("T1010", -1, fn,
            std::string("The matcher function argument passed to function $") + fn +
                " does not return the correct object structure");
    }
    RegexMatch rm;
    rm.match = ToCodePoints(match.str());
    rm.start = static_cast<size_t>(start.number());
    rm.end = static_cast<size_t>(end.number());
    for (size_t i = 0, n = groups.size(); i < n; ++i) {
      Value g = groups.at(i);
      if (g.is_string()) {
        rm.groups.emplace_back(ToCodePoints(g.str()));
      } else {
        rm.groups.emplace_back(std::nullopt);
      }
    }
    out.push_back(std::move(rm));
    Value next = m.get("next");
    if (!next.is_function()) break;
    m = ev.Apply(next, {}, Value(), env);
  }
  return out;
}

Value FnContains(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined() || a[1].undefined()) return Value();
  if (a[1].is_string()) return Value::Bool(a[0].str().find(a[1].str()) != std::string_view::npos);
  return Value::Bool(!RunMatcher(ev, a[1], ToCodePoints(a[0].str()), 1, env, "contains").empty());
}

long LimitOf(const Args& a, size_t i, const char* code) {
  if (a.size() <= i || a[i].undefined()) return -1;
  double l = a[i].number();
  if (l < 0) Throw(code);
  return static_cast<long>(std::floor(l));
}

Value FnSplit(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  long limit = LimitOf(a, 2, "D3020");
  auto result = std::make_shared<ArrayData>();
  if (limit != 0) {
    if (a[1].is_string()) {
      std::string_view s = a[0].str();
      std::string_view sep = a[1].str();
      if (sep.empty()) {
        for (char32_t c : ToCodePoints(s))
          result->items.push_back(Str(FromCodePoints(std::u32string(1, c))));
      } else {
        size_t pos = 0;
        for (;;) {
          size_t i = s.find(sep, pos);
          if (i == std::string_view::npos) {
            result->items.push_back(Str(std::string(s.substr(pos))));
            break;
          }
          result->items.push_back(Str(std::string(s.substr(pos, i - pos))));
          pos = i + sep.size();
        }
      }
      if (limit >= 0 && result->items.size() > static_cast<size_t>(limit))
        result->items.resize(limit);
    } else {
      std::u32string s = ToCodePoints(a[0].str());
      auto matches = RunMatcher(ev, a[1], s, limit, env, "split");
      size_t start = 0;
      for (const RegexMatch& m : matches) {
        result->items.push_back(Str(FromCodePoints(s.substr(start, m.start - start))));
        start = m.end;
      }
      if (limit < 0 || static_cast<long>(matches.size()) < limit) {
        result->items.push_back(Str(FromCodePoints(s.substr(std::min(start, s.size())))));
      }
    }
  }
  return Value::Array(std::move(result));
}

Value FnJoin(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::string sep = a.size() > 1 && a[1].defined() ? std::string(a[1].str()) : "";
  std::string out;
  for (size_t i = 0, n = a[0].size(); i < n; ++i) {
    if (i > 0) out += sep;
    out += a[0].at(i).str();
  }
  return Str(out);
}

Value MatchObject(const RegexMatch& m) {
  auto o = std::make_shared<ObjectData>();
  o->Set("match", Str(FromCodePoints(m.match)));
  o->Set("index", Value::Number(static_cast<double>(m.start)));
  auto groups = std::make_shared<ArrayData>();
  for (const auto& g : m.groups) {
    groups->items.push_back(g ? Str(FromCodePoints(*g)) : Value());
  }
  o->Set("groups", Value::Array(groups));
  return Value::Object(o);
}

Value FnMatch(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  long limit = LimitOf(a, 2, "D3040");
  auto result = Value::NewSequence();
  for (const RegexMatch& m : RunMatcher(ev, a[1], ToCodePoints(a[0].str()), limit, env, "match")) {
    result->items.push_back(MatchObject(m));
  }
  return Value::Array(std::move(result));
}

std::u32string ExpandReplacement(const std::u32string& rep, const RegexMatch& m) {
  std::u32string out;
  size_t position = 0;
  size_t index = rep.find(U'$', position);
  size_t ngroups = m.groups.size();
  while (index != std::u32string::npos && position < rep.size()) {
    out += rep.substr(position, index - position);
    position = index + 1;
    char32_t d = position < rep.size() ? rep[position] : 0;
    if (d == U'$') {
      out += U'$';
      ++position;
    } else if (d == U'0') {
      out += m.match;
      ++position;
    } else {
      size_t max_digits =
          ngroups == 0
              ? 1
              : static_cast<size_t>(std::floor(std::log10(static_cast<double>(ngroups)))) + 1;
      auto parse = [&](size_t digits) -> long {
        long v = -1;
        for (size_t k = 0; k < digits && position + k < rep.size(); ++k) {
          char32_t c = rep[position + k];
          if (c < U'0' || c > U'9') break;
          v = (v < 0 ? 0 : v * 10) + static_cast<long>(c - U'0');
        }
        return v;
      };
      long group = parse(max_digits);
      if (max_digits > 1 && group > static_cast<long>(ngroups)) group = parse(max_digits - 1);
      if (group >= 0) {
        if (ngroups > 0 && group >= 1 && static_cast<size_t>(group) <= ngroups &&
            m.groups[group - 1]) {
          out += *m.groups[group - 1];
        }
        position += std::to_string(group).size();
      } else {
        out += U'$';
      }
    }
    index = rep.find(U'$', position);
  }
  if (position < rep.size()) out += rep.substr(position);
  return out;
}

Value FnReplace(Evaluator& ev, Args& a, const Value&, const FramePtr& env) {
  if (a[0].undefined()) return Value();
  if (a[1].is_string() && a[1].str().empty()) Throw("D3010");
  long limit = LimitOf(a, 3, "D3011");
  if (limit == 0) return a[0];
  if (a[1].is_string()) {
    std::string_view s = a[0].str(), pattern = a[1].str();
    std::string rep = a[2].is_string() ? std::string(a[2].str()) : "";
    std::string out;
    size_t pos = 0;
    long count = 0;
    size_t i = s.find(pattern, pos);
    while (i != std::string_view::npos && (limit < 0 || count < limit)) {
      out += s.substr(pos, i - pos);
      out += rep;
      pos = i + pattern.size();
      ++count;
      i = s.find(pattern, pos);
    }
    out += s.substr(pos);
    return Str(out);
  }
  std::u32string s = ToCodePoints(a[0].str());
  auto matches = RunMatcher(ev, a[1], s, limit, env, "replace");
  if (matches.empty()) return a[0];
  std::u32string out;
  size_t pos = 0;
  std::u32string rep = a[2].is_string() ? ToCodePoints(a[2].str()) : U"";
  for (const RegexMatch& m : matches) {
    out += s.substr(pos, m.start - pos);
    if (a[2].is_string()) {
      out += ExpandReplacement(rep, m);
    } else {
      Value r = ev.Apply(a[2], {MatchObject(m)}, Value(), env);
      if (!r.is_string()) Throw("D3012");
      out += ToCodePoints(r.str());
    }
    pos = m.start + m.match.size();
  }
  out += s.substr(std::min(pos, s.size()));
  return Str(FromCodePoints(out));
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Value FnBase64Encode(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::string bytes;
  for (char32_t c : ToCodePoints(a[0].str())) bytes += static_cast<char>(c & 0xff);
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return Str(out);
}

Value FnBase64Decode(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::u32string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : a[0].str()) {
    const char* p = c ? std::strchr(kB64, c) : nullptr;
    if (!p) continue;
    v = (v << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char32_t>((v >> bits) & 0xff);
    }
  }
  return Str(FromCodePoints(out));
}

Value Encode(const Value& v, std::string_view keep, const char* fn) {
  if (v.undefined()) return Value();
  std::string out;
  static const char kHex[] = "0123456789ABCDEF";
  std::string_view s = v.str();
  for (char32_t cp : ToCodePoints(s)) {
    if (cp >= 0xd800 && cp < 0xe000)
      Throw("D3140", -1, fn, std::string("Malformed URL passed to $") + fn + "()");
  }
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        (c < 0x80 && keep.find(static_cast<char>(c)) != std::string_view::npos)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return Str(out);
}

Value FnEncodeUrlComponent(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return Encode(a[0], "-_.!~*'()", "encodeUrlComponent");
}
Value FnEncodeUrl(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return Encode(a[0], "-_.!~*'();/?:@&=+$,#", "encodeUrl");
}

Value Decode(const Value& v, std::string_view reserved, const char* fn) {
  if (v.undefined()) return Value();
  std::string_view s = v.str();
  std::string out;
  auto fail = [&] {
    Throw("D3140", -1, fn, std::string("Malformed URL passed to $") + fn + "(): " + std::string(s));
  };
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out += s[i++];
      continue;
    }
    // Read a whole UTF-8 sequence of escapes.
    auto byte_at = [&](size_t at) -> int {
      if (at + 2 >= s.size()) return -1;
      if (s[at] != '%') return -1;
      int h = hex(s[at + 1]), l = hex(s[at + 2]);
      if (h < 0 || l < 0) return -1;
      return h * 16 + l;
    };
    int b0 = byte_at(i);
    if (b0 < 0) fail();
    int len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
    if (len == 0) fail();
    std::string seq(1, static_cast<char>(b0));
    for (int k = 1; k < len; ++k) {
      int b = byte_at(i + 3 * k);
      if (b < 0 || (b & 0xc0) != 0x80) fail();
      seq += static_cast<char>(b);
    }
    if (len == 1 && reserved.find(static_cast<char>(b0)) != std::string_view::npos) {
      out += s.substr(i, 3);
    } else {
      out += seq;
    }
    i += 3 * len;
  }
  return Str(out);
}

Value FnDecodeUrlComponent(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return Decode(a[0], "", "decodeUrlComponent");
}
Value FnDecodeUrl(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return Decode(a[0], ";/?:@&=+$,#", "decodeUrl");
}

}  // namespace

void RegisterStringFunctions(std::vector<Builtin>& out) {
  out.push_back({"string", "<x-b?:s>", 1, &FnString});
  out.push_back({"length", "<s-:n>", 1, &FnLength});
  out.push_back({"substring", "<s-nn?:s>", 3, &FnSubstring});
  out.push_back({"substringBefore", "<s-s:s>", 2, &FnSubstringBefore});
  out.push_back({"substringAfter", "<s-s:s>", 2, &FnSubstringAfter});
  out.push_back({"uppercase", "<s-:s>", 1, &FnUppercase});
  out.push_back({"lowercase", "<s-:s>", 1, &FnLowercase});
  out.push_back({"trim", "<s-:s>", 1, &FnTrim});
  out.push_back({"pad", "<s-ns?:s>", 3, &FnPad});
  out.push_back({"contains", "<s-(sf):b>", 2, &FnContains});
  out.push_back({"split", "<s-(sf)n?:a<s>>", 3, &FnSplit});
  out.push_back({"join", "<a<s>s?:s>", 2, &FnJoin});
  out.push_back({"match", "<s-f<s:o>n?:a<o>>", 3, &FnMatch});
  out.push_back({"replace", "<s-(sf)(sf)n?:s>", 4, &FnReplace});
  out.push_back({"base64encode", "<s-:s>", 1, &FnBase64Encode});
  out.push_back({"base64decode", "<s-:s>", 1, &FnBase64Decode});
  out.push_back({"encodeUrlComponent", "<s-:s>", 1, &FnEncodeUrlComponent});
  out.push_back({"encodeUrl", "<s-:s>", 1, &FnEncodeUrl});
  out.push_back({"decodeUrlComponent", "<s-:s>", 1, &FnDecodeUrlComponent});
  out.push_back({"decodeUrl", "<s-:s>", 1, &FnDecodeUrl});
}

}  // namespace autoretrain::jsonata
