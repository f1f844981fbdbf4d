// XPath integer pictures: analysis, formatting and parsing ($formatInteger, $parseInteger and
// the integer components of date/time pictures).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <numeric>

#include "jsonata/picture_format.h"
#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata {
namespace picture {

Error SequenceError(std::u32string_view token) {
  return Error{"D3130", "Formatting or parsing an integer as a sequence starting with " +
                            ToUtf8(token) +
                            " is not supported by this implementation; use a decimal digit "
                            "pattern such as \"1\" or \"#,##0\", or \"a\", \"A\", \"i\", \"I\", "
                            "\"w\", \"W\" or \"Ww\""};
}

namespace {

// The separators of a decimal pattern are regular when they are one character at every multiple
// of one interval; returns that interval, or 0.
int RegularInterval(const std::vector<GroupingSeparator>& separators) {
  if (separators.empty()) return 0;
  for (const auto& s : separators) {
    if (s.character != separators[0].character) return 0;
  }
  int factor = 0;
  for (const auto& s : separators) factor = std::gcd(factor, s.position);
  if (factor == 0) return 0;
  for (size_t k = 1; k <= separators.size(); ++k) {
    bool found = false;
    for (const auto& s : separators) found = found || s.position == static_cast<int>(k) * factor;
    if (!found) return 0;
  }
  return factor;
}

}  // namespace

Result<IntegerFormat> AnalyseIntegerPicture(std::u32string_view picture) {
  IntegerFormat format;
  std::u32string_view primary = picture;
  const size_t semicolon = picture.rfind(U';');
  if (semicolon != std::u32string_view::npos) {
    primary = picture.substr(0, semicolon);
    const std::u32string_view modifier = picture.substr(semicolon + 1);
    format.ordinal = !modifier.empty() && modifier[0] == U'o';
  }
  if (primary == U"A" || primary == U"a") {
    format.primary = IntegerPrimary::kLetters;
    format.letter_case = primary == U"A" ? LetterCase::kUpper : LetterCase::kLower;
    return format;
  }
  if (primary == U"I" || primary == U"i") {
    format.primary = IntegerPrimary::kRoman;
    format.letter_case = primary == U"I" ? LetterCase::kUpper : LetterCase::kLower;
    return format;
  }
  if (primary == U"W" || primary == U"w" || primary == U"Ww") {
    format.primary = IntegerPrimary::kWords;
    format.letter_case = primary == U"W"   ? LetterCase::kUpper
                         : primary == U"w" ? LetterCase::kLower
                                           : LetterCase::kTitle;
    return format;
  }
  // A decimal digit pattern when it has a digit; read from the right so each separator knows how
  // many digits are to its right.
  std::optional<char32_t> zero;
  int position = 0;
  std::vector<GroupingSeparator> separators;
  for (auto it = primary.rbegin(); it != primary.rend(); ++it) {
    const char32_t c = *it;
    if (auto family = DigitFamilyZero(c)) {
      if (zero && *zero != *family) {
        return Error{"D3131",
                     "In a decimal digit pattern, all digits must be from the same decimal group "
                     "(picture \"" +
                         ToUtf8(picture) +
                         "\"); write every digit from one family, e.g. \"#,##0\""};
      }
      zero = family;
      ++format.mandatory_digits;
      ++position;
    } else if (c == U'#') {
      ++format.optional_digits;
      ++position;
    } else {
      separators.push_back({position, c});
    }
  }
  if (format.mandatory_digits == 0) {
    format.primary = IntegerPrimary::kSequence;
    format.token = std::u32string(primary);
    return format;
  }
  format.primary = IntegerPrimary::kDecimal;
  format.zero = *zero;
  if (int interval = RegularInterval(separators); interval > 0) {
    format.regular = true;
    format.regular_interval = interval;
    format.regular_character = separators[0].character;
  } else {
    format.separators = std::move(separators);
  }
  return format;
}

namespace {

std::u32string DecimalToLetters(double value, bool upper) {
  std::u32string letters;
  const char32_t a = upper ? U'A' : U'a';
  while (value > 0) {
    letters.insert(letters.begin(), a + static_cast<char32_t>(std::fmod(value - 1, 26)));
    value = std::floor((value - 1) / 26);
  }
  return letters;
}

struct RomanDigit {
  int value;
  const char32_t* text;
};
constexpr RomanDigit kRoman[] = {{1000, U"M"}, {900, U"CM"}, {500, U"D"}, {400, U"CD"}, {100, U"C"},
                                 {90, U"XC"},  {50, U"L"},   {40, U"XL"}, {10, U"X"},   {9, U"IX"},
                                 {5, U"V"},    {4, U"IV"},   {1, U"I"}};
// Above this, Roman numerals (a thousand Ms) give way to decimal digits.
constexpr double kMaxRoman = 1e6;

std::u32string DecimalToRoman(double value) {
  std::u32string out;
  auto remaining = static_cast<long long>(value);
  for (const auto& digit : kRoman) {
    while (remaining >= digit.value) {
      out += digit.text;
      remaining -= digit.value;
    }
  }
  return out;
}

int RomanValue(char32_t c) {
  switch (c) {
    case U'M':
      return 1000;
    case U'D':
      return 500;
    case U'C':
      return 100;
    case U'L':
      return 50;
    case U'X':
      return 10;
    case U'V':
      return 5;
    case U'I':
      return 1;
    default:
      return 0;
  }
}

std::u32string OrdinalSuffix(double value) {
  const double last_two = std::fmod(value, 100);
  if (last_two >= 11 && last_two <= 13) return U"th";
  switch (static_cast<int>(std::fmod(value, 10))) {
    case 1:
      return U"st";
    case 2:
      return U"nd";
    case 3:
      return U"rd";
    default:
      return U"th";
  }
}

// Whether `value` (not negative) is an integer written with plain digits (below 2^53; larger
// ones are written as JavaScript does, possibly with an exponent).
bool IsPlainInteger(double value) {
  return value == std::trunc(value) && value < 9007199254740992.0;
}

// Writes the digits of `n` just before `end`; returns where they begin.
char* WriteDigits(uint64_t n, char* end) {
  do {
    *--end = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  return end;
}

// The digits JavaScript prints for a non-negative value, with leading zeros up to
// `min_digits`; integers below 2^53 (every date component) are converted exactly without going
// through JsNumberToString.
std::u32string DecimalDigits(double value, int min_digits) {
  std::u32string digits;
  if (!IsPlainInteger(value)) {
    digits = ToU32(JsNumberToString(value));
  } else {
    char buffer[24];
    char* end = buffer + sizeof buffer;
    char* begin = WriteDigits(static_cast<uint64_t>(value), end);
    digits.reserve(std::max<size_t>(end - begin, min_digits > 0 ? min_digits : 0));
    digits.assign(begin, end);
  }
  if (static_cast<int>(digits.size()) < min_digits) {
    digits.insert(0, min_digits - digits.size(), U'0');
  }
  return digits;
}

std::u32string FormatDecimal(double value, const IntegerFormat& format) {
  std::u32string digits = DecimalDigits(value, format.mandatory_digits);
  if (format.zero != U'0') {
    for (char32_t& c : digits) {
      if (c >= U'0' && c <= U'9') c = c - U'0' + format.zero;
    }
  }
  if (format.regular) {
    const int count = (static_cast<int>(digits.size()) - 1) / format.regular_interval;
    for (int k = count; k > 0; --k) {
      digits.insert(digits.size() - k * format.regular_interval, 1, format.regular_character);
    }
  } else {
    // Farthest from the units first, so the nearer positions still count from the right end.
    const size_t length = digits.size();
    for (auto it = format.separators.rbegin(); it != format.separators.rend(); ++it) {
      if (static_cast<size_t>(it->position) >= length) continue;
      digits.insert(digits.size() - it->position, 1, it->character);
    }
  }
  if (format.ordinal) digits += OrdinalSuffix(value);
  return digits;
}

}  // namespace

Result<std::u32string> FormatIntegerWith(double value, const IntegerFormat& format) {
  if (format.primary == IntegerPrimary::kSequence) return SequenceError(format.token);
  if (!std::isfinite(value)) return ToU32(JsNumberToString(value));
  const bool negative = value < 0;
  value = std::fabs(value);
  std::u32string text;
  switch (format.primary) {
    case IntegerPrimary::kLetters:
      text = DecimalToLetters(value, format.letter_case == LetterCase::kUpper);
      break;
    case IntegerPrimary::kRoman:
      if (value > kMaxRoman) {
        text = ToU32(JsNumberToString(value));
      } else {
        text = DecimalToRoman(value);
        if (format.letter_case != LetterCase::kUpper) text = AsciiLower(text);
      }
      break;
    case IntegerPrimary::kWords:
      text = NumberToWords(value, format.ordinal);
      if (format.letter_case == LetterCase::kUpper) text = AsciiUpper(text);
      if (format.letter_case == LetterCase::kLower) text = AsciiLower(text);
      break;
    case IntegerPrimary::kDecimal:
      text = FormatDecimal(value, format);
      break;
    case IntegerPrimary::kSequence:
      return SequenceError(format.token);
  }
  if (negative) text.insert(text.begin(), U'-');
  return text;
}

bool AppendPlainDecimal(double value, const IntegerFormat& format, std::u32string& out) {
  if (format.primary != IntegerPrimary::kDecimal || format.zero != U'0' || format.regular ||
      !format.separators.empty() || format.ordinal || !(value >= 0) || !IsPlainInteger(value)) {
    return false;
  }
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* begin = WriteDigits(static_cast<uint64_t>(value), end);
  if (end - begin < format.mandatory_digits)
    out.append(format.mandatory_digits - (end - begin), U'0');
  out.append(begin, end);
  return true;
}

namespace {

bool EndsWithOrdinalSuffix(std::u32string_view text) {
  if (text.size() < 2) return false;
  const std::u32string suffix = AsciiLower(text.substr(text.size() - 2));
  return suffix == U"st" || suffix == U"nd" || suffix == U"rd" || suffix == U"th";
}

std::optional<double> ParseDecimal(std::u32string_view text, const IntegerFormat& format) {
  if (format.ordinal && EndsWithOrdinalSuffix(text)) text.remove_suffix(2);
  std::string ascii;
  for (size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (format.regular && c == format.regular_character) continue;
    bool separator = false;
    for (const auto& s : format.separators) separator = separator || s.character == c;
    if (separator) continue;
    if (c == U'-' && i == 0) {
      ascii.push_back('-');
    } else if (c >= format.zero && c <= format.zero + 9) {
      ascii.push_back(static_cast<char>('0' + (c - format.zero)));
    } else if (c >= U'0' && c <= U'9') {
      ascii.push_back(static_cast<char>(c));
    } else {
      return std::nullopt;
    }
  }
  if (ascii.empty() || ascii == "-") return std::nullopt;
  return std::strtod(ascii.c_str(), nullptr);
}

}  // namespace

Result<std::optional<double>> ParseIntegerWith(std::u32string_view text,
                                               const IntegerFormat& format) {
  switch (format.primary) {
    case IntegerPrimary::kLetters: {
      double value = 0;
      double scale = 1;
      for (auto it = text.rbegin(); it != text.rend(); ++it) {
        const char32_t c = AsciiLower(std::u32string_view(&*it, 1))[0];
        if (c < U'a' || c > U'z') return std::optional<double>();
        value += (c - U'a' + 1) * scale;
        scale *= 26;
      }
      return std::optional<double>(value);
    }
    case IntegerPrimary::kRoman: {
      // Above kMaxRoman FormatIntegerWith writes decimal digits.
      if (!text.empty() && text.find_first_not_of(U"0123456789") == std::u32string_view::npos) {
        return std::optional<double>(std::strtod(ToUtf8(text).c_str(), nullptr));
      }
      double value = 0;
      int max = 1;
      const std::u32string upper = AsciiUpper(text);
      for (auto it = upper.rbegin(); it != upper.rend(); ++it) {
        const int digit = RomanValue(*it);
        if (digit == 0) return std::optional<double>();
        if (digit < max) {
          value -= digit;
        } else {
          max = digit;
          value += digit;
        }
      }
      return std::optional<double>(value);
    }
    case IntegerPrimary::kWords:
      return WordsToNumber(text);
    case IntegerPrimary::kDecimal:
      return ParseDecimal(text, format);
    case IntegerPrimary::kSequence:
      break;
  }
  return SequenceError(format.token);
}

}  // namespace picture

Result<std::string> FormatInteger(double value, std::string_view picture) {
  auto format = picture::AnalyseIntegerPicture(picture::ToU32(picture));
  if (!format.ok()) return format.take_error();
  auto text = picture::FormatIntegerWith(std::floor(value), *format);
  if (!text.ok()) return text.take_error();
  return picture::ToUtf8(*text);
}

Result<std::optional<double>> ParseInteger(std::string_view text, std::string_view picture) {
  auto format = picture::AnalyseIntegerPicture(picture::ToU32(picture));
  if (!format.ok()) return format.take_error();
  return picture::ParseIntegerWith(picture::ToU32(text), *format);
}

}  // namespace autoretrain::jsonata
