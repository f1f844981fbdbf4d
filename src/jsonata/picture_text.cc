// Text helpers of the picture-string functions: UTF-8/UTF-32, JavaScript number text and
// rounding, Unicode decimal digit families.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "jsonata/picture_internal.h"
#include "jsonata/value.h"

namespace autoretrain::jsonata::picture {

std::u32string ToU32(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int length = byte < 0x80           ? 1
                 : (byte >> 5) == 0x6  ? 2
                 : (byte >> 4) == 0xE  ? 3
                 : (byte >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    char32_t c = length == 1 ? byte : byte & (0x7F >> length);
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        valid = false;
        break;
      }
      c = (c << 6) | (next & 0x3F);
    }
    if (!valid) {
      out.push_back(U'\uFFFD');
      ++i;
      continue;
    }
    out.push_back(c);
    i += length;
  }
  return out;
}

std::string ToUtf8(char32_t c) {
  std::string out;
  AppendUtf8(out, c);
  return out;
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) AppendUtf8(out, c);
  return out;
}

std::u32string AsciiLower(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (c >= U'A' && c <= U'Z') c += 32;
  }
  return out;
}

std::u32string AsciiUpper(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& c : out) {
    if (c >= U'a' && c <= U'z') c -= 32;
  }
  return out;
}

namespace {

// The shortest decimal digits that read back as `value` (> 0, finite) and the decimal exponent
// of the first digit: value = 0.d1d2... * 10^(exponent + 1).
void ShortestDigits(double value, std::string& digits, int& exponent) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string text(buffer, ec == std::errc() ? end : buffer);
  const size_t e = text.find('e');
  digits.clear();
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits.push_back(text[i]);
  }
  exponent = std::atoi(text.c_str() + e + 1);
}

}  // namespace

std::string JsNumberToString(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return "0";
  std::string sign = value < 0 ? "-" : "";
  std::string digits;
  int exponent = 0;
  ShortestDigits(std::fabs(value), digits, exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // ECMAScript's n: value = 0.digits * 10^n
  if (k <= n && n <= 21) return sign + digits + std::string(n - k, '0');
  if (0 < n && n <= 21) return sign + digits.substr(0, n) + "." + digits.substr(n);
  if (-6 < n && n <= 0) return sign + "0." + std::string(-n, '0') + digits;
  std::string mantissa = digits.substr(0, 1);
  if (k > 1) mantissa += "." + digits.substr(1);
  const int e = n - 1;
  return sign + mantissa + "e" + (e < 0 ? "-" : "+") + std::to_string(std::abs(e));
}

namespace {

// value * 10^shift computed as jsonata-js does: on the shortest decimal text, not in binary.
double ShiftDecimal(double value, int shift) {
  if (value == 0 || !std::isfinite(value)) return value;
  std::string digits;
  int exponent = 0;
  ShortestDigits(std::fabs(value), digits, exponent);
  std::string text = (value < 0 ? "-" : "") + digits + "e" +
                     std::to_string(exponent - static_cast<int>(digits.size()) + 1 + shift);
  // from_chars rounds as strtod does, faster; out of range it leaves the result unset, where
  // strtod gives the infinity or zero callers test for.
  double shifted = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), shifted);
  if (parsed.ec == std::errc::result_out_of_range) return std::strtod(text.c_str(), nullptr);
  return shifted;
}

}  // namespace

double JsRound(double value, int precision) {
  if (!std::isfinite(value)) return value;
  double shifted = precision != 0 ? ShiftDecimal(value, precision) : value;
  if (!std::isfinite(shifted)) return value;  // too large to have digits at that precision
  // Math.round: the nearest integer, halves toward +infinity.
  double result = std::floor(shifted);
  if (shifted - result >= 0.5) result += 1;
  // Halves go to the even neighbour instead.
  if (std::fabs(result - shifted) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  if (precision != 0) result = ShiftDecimal(result, -precision);
  if (result == 0) result = 0;  // no negative zero
  return result;
}

namespace {

// The zero of every Unicode decimal digit family (general category Nd), ascending.
constexpr char32_t kDigitZeros[] = {
    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,
    0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,
    0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};

}  // namespace

std::optional<char32_t> DigitFamilyZero(char32_t c) {
  const auto* it = std::upper_bound(std::begin(kDigitZeros), std::end(kDigitZeros), c);
  if (it == std::begin(kDigitZeros)) return std::nullopt;
  const char32_t zero = *(it - 1);
  if (c - zero <= 9) return zero;
  return std::nullopt;
}

}  // namespace autoretrain::jsonata::picture
