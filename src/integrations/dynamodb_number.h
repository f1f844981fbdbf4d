// DynamoDB numbers: decimals of up to 38 significant digits with a magnitude from 1E-130 to
// under 1E+126, kept as exact digit strings (never doubles), compared, added and printed as
// DynamoDB does, and encoded into bytes whose order is the numeric order (for sort keys).
//
// Thread-safety: plain values and functions.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_NUMBER_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_NUMBER_H_

#include <string>
#include <string_view>
#include <utility>

#include "autoretrain/common/result.h"

namespace autoretrain::integrations::dynamo {

// The error DynamoDB answers a request it rejects with: ValidationException, `message`.
inline Error Validation(std::string message) {
  return Error{"ValidationException", std::move(message)};
}

// value = (negative ? -1 : 1) * 0.d1d2d3... * 10^exponent. `digits` has no leading or trailing
// zeros; zero has empty digits (and is never negative).
struct Decimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;

  bool is_zero() const { return digits.empty(); }
};

// Parses DynamoDB's number text ("12", "-0.5", "1e3", ".5"; no '+' sign, no spaces) without
// range checks. On failure ValidationException "The parameter cannot be converted to a numeric
// value: TEXT" (empty text: without the suffix).
Result<Decimal> ParseDecimal(std::string_view text);
// ParseDecimal plus DynamoDB's limits: ValidationException "Number overflow...", "Number
// underflow..." or "Attempting to store more than 38 significant digits in a Number".
Result<Decimal> ParseNumber(std::string_view text);
// The same limits for a computed value (a sum).
Status CheckNumberLimits(const Decimal& d);

// DynamoDB's printed form: plain decimal notation without exponent, no superfluous zeros
// ("100", "0.001", "-2.5").
std::string FormatDecimal(const Decimal& d);

// -1, 0 or 1 as a < b, a == b, a > b (exactly).
int CompareDecimal(const Decimal& a, const Decimal& b);

// a + b and a - b, exactly.
Decimal AddDecimal(const Decimal& a, const Decimal& b);
Decimal SubtractDecimal(const Decimal& a, Decimal b);

// Bytes whose lexicographic (unsigned) order is the numeric order; equal numbers give equal
// bytes.
std::string SortableBytes(const Decimal& d);

// The storage size DynamoDB counts for a number (about one byte per two digits, plus one).
size_t NumberSize(const Decimal& d);

}  // namespace autoretrain::integrations::dynamo

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_NUMBER_H_
