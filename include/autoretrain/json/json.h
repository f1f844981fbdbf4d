// The one JSON value type of autoretrain (Boost.JSON, see ARCHITECTURE.md for why), with the
// parsing and printing rules Step Functions applies to payloads.
//
// Thread-safety: values are not synchronized; share them read-only or copy them.
#ifndef AUTORETRAIN_JSON_JSON_H_
#define AUTORETRAIN_JSON_JSON_H_

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"

namespace autoretrain::json {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;
using String = boost::json::string;

// Parses one JSON text (RFC 8259; no comments, no trailing commas, nesting limited to
// kMaxDepth). On failure returns Error{"States.Runtime"-agnostic name "JsonParseError",
// cause: what was wrong and the line:column where}. Never throws.
Result<Value> Parse(std::string_view text);

// Nesting limit for Parse, so hostile input cannot exhaust the stack.
inline constexpr int kMaxDepth = 512;

// Prints compactly, the way Step Functions prints payloads: no spaces, keys in insertion
// order, numbers as JavaScript prints them (integers without a fraction, doubles in the shortest
// form that reads back identically: 1.5, 0.1, 100, 1e+21, 1e-7; NaN and infinities as null).
// Strings escaped per RFC 8259 (quotes, backslashes, control characters; non-ASCII kept as
// UTF-8; a byte that is not part of valid UTF-8 printed as U+FFFD, so the text is always JSON).
// Never fails.
std::string Serialize(const Value& value);

// The size in bytes of Serialize(value), computed without building the string: what Step
// Functions measures against its payload limit.
size_t SerializedSize(const Value& value);

// True when SerializedSize(value) <= limit and the value nests at most kMaxDepth levels (a
// deeper one is refused: Parse could not read it back, and printing or measuring it recurses
// once per level). Cheaper than SerializedSize for payloads far below the limit: it first sums
// an upper bound (every string byte escaped as \uXXXX) without looking at characters, and
// counts exactly only when that bound exceeds the limit. Safe on values of any depth.
bool FitsInBytes(const Value& value, size_t limit);

// True when arrays and objects in `value` nest at most `max_depth` levels (a scalar: 0, `[]`:
// 1, `[[1]]`: 2), as Parse allows. Looks no deeper than that, so it is safe on values that
// states built deeper than any stack would allow to print.
bool NestingWithin(const Value& value, int max_depth);

// Step Functions' limit on a state's input, output and task results (256 KiB of UTF-8);
// exceeding it fails with States.DataLimitExceeded.
inline constexpr size_t kMaxPayloadBytes = 256 * 1024;

// Pretty-prints with two-space indentation, for humans (CLI output, generated files).
std::string SerializePretty(const Value& value);

// The JSON type name Step Functions uses in messages: "object", "array", "string", "number",
// "boolean", "null".
std::string_view TypeName(const Value& value);

// True for int64, uint64 and double values.
inline bool IsNumber(const Value& v) { return v.is_number(); }
// The numeric value as a double (precondition: IsNumber).
double AsDouble(const Value& v);

}  // namespace autoretrain::json

#endif  // AUTORETRAIN_JSON_JSON_H_
