#include "autoretrain/json/json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
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

// Builds the value as boost::json::parser does, except for doubles: Boost.JSON 1.81 reads
// about one decimal in ten one unit in the last place off (90.57 as 90.56999999999999), which
// would print differently from AWS. Doubles are read again from their text with
// std::from_chars, which rounds correctly. Numbers beyond the double range (1e400) are an
// error: JSON has no infinity.
class ValueBuilder {
 public:
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  boost::json::value_stack stack;
  bool out_of_range = false;

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) { return true; }
  bool on_object_end(std::size_t n, boost::json::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view s, boost::json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, boost::json::string_view, boost::json::error_code&) {
    number_.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, boost::json::string_view, boost::json::error_code&) {
    number_.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double, boost::json::string_view s, boost::json::error_code&) {
    std::string_view text(s.data(), s.size());
    if (!number_.empty()) text = number_.append(s.data(), s.size());
    double d = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc::result_out_of_range) {
      // Underflow reads as zero (or a subnormal), as JavaScript reads it; overflow is an error.
      d = std::strtod(std::string(text).c_str(), nullptr);
      out_of_range = out_of_range || !std::isfinite(d);
    }
    number_.clear();
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(boost::json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

 private:
  std::string number_;  // a number's text split across buffers (not with one buffer)
};

}  // namespace

Result<Value> Parse(std::string_view text) {
  // One parser per thread, reset for each text: constructing one allocates its work buffers,
  // which costs as much as parsing a small payload.
  thread_local boost::json::basic_parser<ValueBuilder> parser([] {
    boost::json::parse_options options;
    options.max_depth = kMaxDepth;
    return options;
  }());
  parser.reset();
  ValueBuilder& builder = parser.handler();
  builder.out_of_range = false;
  boost::json::error_code ec;
  try {
    builder.stack.reset();
    const size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      if (ec == boost::json::error::too_deep) {
        return ParseError(text, consumed,
                          "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
      }
      if (consumed >= text.size()) return ParseError(text, text.size(), "unexpected end of input");
      return ParseError(text, consumed,
                        "unexpected " + Describe(text, consumed) + " (" + ec.message() + ")");
    }
    if (consumed < text.size()) {
      // write_some stops after one complete value and the whitespace that follows it.
      return ParseError(text, consumed,
                        "unexpected " + Describe(text, consumed) + " after the JSON value");
    }
    if (!parser.done()) return ParseError(text, text.size(), "unexpected end of input");
    if (builder.out_of_range) {
      return Error{"JsonParseError", "Invalid JSON: a number is out of the representable range"};
    }
    return builder.stack.release();
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
