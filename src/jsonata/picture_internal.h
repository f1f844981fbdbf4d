// Internal pieces shared by the picture-string functions (picture_format.h): UTF-8/UTF-32
// conversion, JavaScript's number-to-text rules, and XPath integer pictures (analysed once, used
// by $formatInteger, $parseInteger and the integer components of date/time pictures).
//
// Thread-safety: pure functions and plain values.
#ifndef AUTORETRAIN_JSONATA_PICTURE_INTERNAL_H_
#define AUTORETRAIN_JSONATA_PICTURE_INTERNAL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::jsonata::picture {

// Decodes UTF-8; an invalid byte becomes U+FFFD. Never fails.
std::u32string ToU32(std::string_view text);
// Encodes code points as UTF-8. Never fails.
std::string ToUtf8(std::u32string_view text);
std::string ToUtf8(char32_t c);

// ASCII-only case mapping (all the words and names pictures produce are ASCII).
std::u32string AsciiLower(std::u32string_view text);
std::u32string AsciiUpper(std::u32string_view text);

// JavaScript's Number.prototype.toString() for a finite double (shortest round-trip digits,
// exponent form below 1e-6 and from 1e21). NaN and infinities print as JavaScript does.
std::string JsNumberToString(double value);

// jsonata-js's $round(value, precision): round half to even at `precision` decimal places,
// shifting the decimal point in text so that 0.125 rounds like the decimal number it prints as.
double JsRound(double value, int precision);

// The zero of the Unicode decimal digit family `c` belongs to (c - digit value), or nullopt.
std::optional<char32_t> DigitFamilyZero(char32_t c);

enum class IntegerPrimary { kDecimal, kLetters, kRoman, kWords, kSequence };
enum class LetterCase { kLower, kUpper, kTitle };

struct GroupingSeparator {
  int position = 0;  // digits to the right of the separator
  char32_t character = 0;
};

// An analysed XPath integer picture ("#,##0", "a", "I", "Ww;o", ...).
struct IntegerFormat {
  IntegerPrimary primary = IntegerPrimary::kDecimal;
  LetterCase letter_case = LetterCase::kLower;
  bool ordinal = false;
  char32_t zero = U'0';
  int mandatory_digits = 0;
  int optional_digits = 0;
  // Regular grouping: one separator character repeated every `regular_interval` digits.
  bool regular = false;
  int regular_interval = 0;
  char32_t regular_character = 0;
  // Irregular grouping: each separator where the picture has it, nearest the units first.
  std::vector<GroupingSeparator> separators;
  std::u32string token;  // the picture of an (unsupported) numbering sequence
  int parse_width = 0;   // exact digit count when parsing (0 = one or more)
};

// Analyses an integer picture (primary token and optional ";o"/";c" modifier). On digits from two
// decimal families returns Error{"D3131"}.
Result<IntegerFormat> AnalyseIntegerPicture(std::u32string_view picture);

// Formats an integer-valued `value` (negative: a leading '-'). On a numbering-sequence picture
// returns Error{"D3130"}.
Result<std::u32string> FormatIntegerWith(double value, const IntegerFormat& format);
// FormatIntegerWith's result appended to `out` when that is plain digits (a decimal picture with
// the digits 0-9, no grouping, no ordinal, a value that is a non-negative integer below 2^53):
// true then; false, leaving `out` alone, otherwise.
bool AppendPlainDecimal(double value, const IntegerFormat& format, std::u32string& out);

// Reads an integer written under `format`; nullopt when `text` is not in that form. On a
// numbering-sequence picture returns Error{"D3130"}.
Result<std::optional<double>> ParseIntegerWith(std::u32string_view text,
                                               const IntegerFormat& format);

// English words for a non-negative integer ("One Hundred and Twenty-Three", title case as the
// pieces are stored), ordinal ("...Twenty-Third") when asked.
std::u32string NumberToWords(double value, bool ordinal);
// The value of English number words (any case, cardinal or ordinal); nullopt on an unknown word.
std::optional<double> WordsToNumber(std::u32string_view text);
// Every word WordsToNumber knows, lower case (for matching words inside a longer text).
const std::vector<std::u32string>& NumberWords();

// The error for a numbering-sequence picture, which this implementation (like jsonata-js) does
// not support.
Error SequenceError(std::u32string_view token);

}  // namespace autoretrain::jsonata::picture

#endif  // AUTORETRAIN_JSONATA_PICTURE_INTERNAL_H_
