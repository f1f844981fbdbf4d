// $formatBase: integers in bases 2 to 36, as JavaScript's Number.prototype.toString(radix).
#include <cmath>
#include <string>

#include "jsonata/picture_format.h"
#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata {

namespace {

// The digits of the integer |value| in `radix` as JavaScript's toString(radix) prints them: exact
// below 2^53; above, the digits a double can tell apart followed by zeros (V8 divides by the
// radix, writing '0', while the quotient is still 2^53 or more).
std::string IntegerDigits(double value, int radix) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  constexpr double kTwoTo53 = 9007199254740992.0;
  double integer = std::fabs(value);
  std::string reversed;
  while (integer / radix >= kTwoTo53) {
    integer /= radix;
    reversed.push_back('0');
  }
  do {
    const double remainder = std::fmod(integer, radix);
    reversed.push_back(kDigits[static_cast<int>(remainder)]);
    integer = (integer - remainder) / radix;
  } while (integer > 0);
  return std::string(reversed.rbegin(), reversed.rend());
}

}  // namespace

Result<std::string> FormatBase(double value, std::optional<double> radix) {
  value = picture::JsRound(value, 0);
  const double base = radix ? picture::JsRound(*radix, 0) : 10;
  if (!(base >= 2 && base <= 36)) {
    return Error{"D3100",
                 "The radix of the formatBase function must be between 2 and 36.  It "
                 "was given " +
                     picture::JsNumberToString(base) +
                     "; pass a radix from 2 to 36, e.g. $formatBase(255, 16)"};
  }
  if (!std::isfinite(value)) return picture::JsNumberToString(value);
  // Base 10 is JavaScript's ordinary number text (shortest digits, exponent form from 1e21).
  if (base == 10) return picture::JsNumberToString(value);
  return (value < 0 ? "-" : "") + IntegerDigits(value, static_cast<int>(base));
}

}  // namespace autoretrain::jsonata
