#include "autoretrain/json/json.h"

#include <cmath>
#include <string>

namespace autoretrain::json {
namespace {

// 1-based line and column of byte `offset` in `text`, for parse error messages.
std::string LineColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Describes the byte at `offset` for a message: 'x', a hex code for control bytes, or the end.
std::string Describe(std::string_view text, size_t offset) {
  if (offset >= text.size()) return "end of input";
  unsigned char c = static_cast<unsigned char>(text[offset]);
  if (c < 0x20 || c >= 0x7f) {
    static const char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 15];
  }
  return std::string("character '") + static_cast<char>(c) + "'";
}

Error ParseError(std::string_view text, size_t offset, std::string_view what) {
  return Error{"JsonParseError",
               "Invalid JSON at " + LineColumn(text, offset) + ": " + std::string(what)};
}

// Boost.JSON turns numbers beyond the double range (1e400) into infinity; JSON has no such
// value, so Parse rejects them. Returns true when `v` holds a non-finite double anywhere.
bool HasNonFinite(const Value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return !std::isfinite(v.get_double());
    case boost::json::kind::array:
      for (const Value& e : v.get_array()) {
        if (HasNonFinite(e)) return true;
      }
      return false;
    case boost::json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (HasNonFinite(kv.value())) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

Result<Value> Parse(std::string_view text) {
  // One parser per thread, reset for each text: constructing one allocates its work buffers,
  // which costs as much as parsing a small payload.
  thread_local boost::json::stream_parser parser(boost::json::storage_ptr(), [] {
    boost::json::parse_options options;
    options.max_depth = kMaxDepth;
    return options;
  }());
  parser.reset();
  boost::json::error_code ec;
  size_t consumed = 0;
  try {
    consumed = parser.write_some(text.data(), text.size(), ec);
    if (ec) {
      if (ec == boost::json::error::too_deep) {
        return ParseError(text, consumed,
                          "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
      }
      return ParseError(text, consumed,
                        "unexpected " + Describe(text, consumed) + " (" + ec.message() + ")");
    }
    if (consumed < text.size()) {
      // write_some stops after one complete value and the whitespace that follows it.
      return ParseError(text, consumed,
                        "unexpected " + Describe(text, consumed) + " after the JSON value");
    }
    parser.finish(ec);
    if (ec || !parser.done()) {
      return ParseError(text, text.size(), "unexpected end of input");
    }
    Value value = parser.release();
    if (HasNonFinite(value)) {
      return Error{"JsonParseError", "Invalid JSON: a number is out of the representable range"};
    }
    return value;
  } catch (const std::exception& e) {  // allocation failures; Boost reports the rest via ec
    return Error{"JsonParseError", std::string("Invalid JSON: ") + e.what()};
  }
}

std::string_view TypeName(const Value& value) {
  switch (value.kind()) {
    case boost::json::kind::object:
      return "object";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "number";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::null:
      return "null";
  }
  return "null";
}

double AsDouble(const Value& v) {
  switch (v.kind()) {
    case boost::json::kind::int64:
      return static_cast<double>(v.get_int64());
    case boost::json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    case boost::json::kind::double_:
      return v.get_double();
    default:
      return 0;
  }
}

}  // namespace autoretrain::json
