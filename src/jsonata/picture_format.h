// JSONata's picture-string functions: formatting numbers, integers and timestamps with XPath/XQuery
// 3.1 F&O picture strings (fn:format-number, fn:format-integer, fn:format-dateTime) and the
// inverses JSONata adds ($parseInteger, $toMillis with a picture), with jsonata-js's behaviour.
//
// The evaluator calls these with already-typed arguments; undefined inputs and argument type
// checks are the caller's. Errors carry JSONata's code in `error` (for example "D3110") and
// jsonata-js's message, followed by where the problem is and how to fix it, in `cause`.
//
// Thread-safety: pure functions of their arguments (ParseDateTime without `now_millis` reads the
// system clock); safe to call from any thread.
#ifndef AUTORETRAIN_JSONATA_PICTURE_FORMAT_H_
#define AUTORETRAIN_JSONATA_PICTURE_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::jsonata {

// The decimal-format properties of $formatNumber's third argument, with XPath's defaults. Strings
// in UTF-8. The single-character properties (decimal-separator, grouping-separator,
// exponent-separator, zero-digit, digit, pattern-separator) hold exactly one character.
struct NumberFormatOptions {
  std::string decimal_separator = ".";
  std::string grouping_separator = ",";
  std::string exponent_separator = "e";
  std::string infinity = "Infinity";
  std::string minus_sign = "-";
  std::string nan = "NaN";
  std::string percent = "%";
  std::string per_mille = "\u2030";
  std::string zero_digit = "0";
  std::string digit = "#";
  std::string pattern_separator = ";";
  bool operator==(const NumberFormatOptions&) const = default;
};

// Reads $formatNumber's options object: each known key ("decimal-separator", "per-mille", ...)
// overrides its default; unknown keys are ignored, as jsonata-js does. A null `options` gives the
// defaults. On failure (a value that is not a string, an empty string, or more than one character
// for a single-character property) returns Error{"T0410", cause naming the key and the fix}.
Result<NumberFormatOptions> NumberFormatOptionsFrom(const json::Object* options);

// $formatNumber: `value` formatted with the XPath decimal-format `picture` (one or two
// sub-pictures separated by the pattern separator: digits from the zero-digit family, optional
// digits, grouping and decimal separators, exponent, percent/per-mille, prefix and suffix text).
// On success returns the text; on an invalid picture returns Error{"D3080".."D3093"}.
Result<std::string> FormatNumber(double value, std::string_view picture,
                                 const NumberFormatOptions& options);

// $formatInteger: floor(value) formatted with the XPath integer `picture` (decimal digit patterns
// from any Unicode digit family with grouping separators, "a"/"A" letters, "i"/"I" Roman
// numerals, "w"/"W"/"Ww" English words; ";o" for ordinals). On an unsupported picture returns
// Error{"D3130"} (a numbering sequence) or Error{"D3131"} (digits of two families).
Result<std::string> FormatInteger(double value, std::string_view picture);

// $parseInteger: the integer `text` represents under `picture` (the inverse of FormatInteger,
// including words such as "one hundred and twenty-three" and Roman numerals). Returns nullopt
// (undefined) when `text` is not in the picture's form; Error{"D3130"/"D3131"} as FormatInteger.
Result<std::optional<double>> ParseInteger(std::string_view text, std::string_view picture);

// $formatBase: round(value) (half to even) in base round(radix) (2..36; nullopt = 10), lower-case
// digits, a leading '-' for negatives. On a radix out of range returns Error{"D3100"}.
Result<std::string> FormatBase(double value, std::optional<double> radix);

// $fromMillis / $now: the instant `millis` (milliseconds since the Unix epoch) formatted with the
// XPath date/time `picture` (nullopt = ISO 8601 with millisecond precision, as jsonata-js prints
// it: "2018-03-23T10:33:36.617Z") in the time zone `timezone` ("+hhmm"/"-hhmm"; nullopt = UTC).
// On a bad picture returns Error{"D3130".."D3135"}; on an unreadable timezone, or `millis`
// outside a JavaScript Date's range (+-8.64e15), Error{"T0410"}.
Result<std::string> FormatDateTime(int64_t millis, std::optional<std::string_view> picture,
                                   std::optional<std::string_view> timezone);

// $toMillis: the instant `timestamp` denotes, in milliseconds since the Unix epoch. With no
// picture `timestamp` must be ISO 8601 (else Error{"D3110"}); a timestamp without an offset is
// read as UTC. With a picture, components the picture lacks before the first one it has are
// taken from the current time, those after the last one it has default to their minimum; a gap
// between given components is Error{"D3136"}. Matching ignores case; [f] digits are a decimal
// fraction of a second. Returns nullopt (undefined) when `timestamp` does not match the picture
// (or names no valid value, e.g. an unknown month name); Error{"D3130".."D3136"} for a bad or
// insufficient picture (ISO week dates [X][W][F] / [x][w][F] cannot be read: D3136).
Result<std::optional<int64_t>> ParseDateTime(std::string_view timestamp,
                                             std::optional<std::string_view> picture);

// As ParseDateTime, with the current time given (so one evaluation sees one $now()).
Result<std::optional<int64_t>> ParseDateTimeAt(std::string_view timestamp,
                                               std::optional<std::string_view> picture,
                                               int64_t now_millis);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_PICTURE_FORMAT_H_
