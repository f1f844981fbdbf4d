#include "integrations/dynamodb_number.h"

#include <algorithm>

namespace autoretrain::integrations::dynamo {
namespace {

// Strips leading and trailing zeros, adjusting the exponent; zero becomes canonical.
void Normalize(Decimal& d) {
  size_t lead = d.digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    d = Decimal{};
    return;
  }
  d.digits.erase(0, lead);
  d.exponent -= static_cast<int>(lead);
  d.digits.erase(d.digits.find_last_not_of('0') + 1);
}

// |a| compared with |b|.
int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) return a.is_zero() ? (b.is_zero() ? 0 : -1) : 1;
  if (a.exponent != b.exponent) return a.exponent < b.exponent ? -1 : 1;
  int c = a.digits.compare(b.digits);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Digits of |d| scaled to exponent `low` (the place of the last digit), as a string of
// `width` digits (most significant first), for aligned arithmetic.
std::string Aligned(const Decimal& d, int top, int width) {
  std::string out(static_cast<size_t>(width), '0');
  // digit i (0-based) of d has place value 10^(d.exponent - 1 - i); column of place p is
  // top - 1 - p.
  for (size_t i = 0; i < d.digits.size(); ++i) {
    int place = d.exponent - 1 - static_cast<int>(i);
    out[static_cast<size_t>(top - 1 - place)] = d.digits[i];
  }
  return out;
}

// |a| + |b| or |a| - |b| (|a| >= |b| for subtraction) with the sign of a.
Decimal Combine(const Decimal& a, const Decimal& b, bool subtract) {
  const int top = std::max(a.exponent, b.exponent) + 1;  // one spare column for a carry
  const int low = std::min(a.exponent - static_cast<int>(a.digits.size()),
                           b.exponent - static_cast<int>(b.digits.size()));
  const int width = top - low;
  std::string x = Aligned(a, top, width), y = Aligned(b, top, width);
  std::string r(static_cast<size_t>(width), '0');
  int carry = 0;
  for (int i = width - 1; i >= 0; --i) {
    int v = (x[i] - '0') + (subtract ? -(y[i] - '0') : (y[i] - '0')) + carry;
    carry = 0;
    if (v >= 10) {
      v -= 10;
      carry = 1;
    } else if (v < 0) {
      v += 10;
      carry = -1;
    }
    r[i] = static_cast<char>('0' + v);
  }
  Decimal out{a.negative, std::move(r), top};
  Normalize(out);
  return out;
}

}  // namespace

Result<Decimal> ParseDecimal(std::string_view text) {
  auto bad = [&]() {
    return Validation(text.empty() ? "The parameter cannot be converted to a numeric value"
                                   : "The parameter cannot be converted to a numeric value: " +
                                         std::string(text));
  };
  size_t i = 0;
  Decimal d;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  std::string digits;
  int point = -1;
  size_t mantissa_digits = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      ++mantissa_digits;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
  }
  if (mantissa_digits == 0) return bad();
  long long exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exp < 100000) exp = exp * 10 + (text[i] - '0');
    }
    if (i == start) return bad();
    if (exp_negative) exp = -exp;
  }
  if (i != text.size()) return bad();
  d.digits = std::move(digits);
  d.exponent =
      static_cast<int>((point < 0 ? static_cast<long long>(d.digits.size()) : point) + exp);
  Normalize(d);
  return d;
}

Status CheckNumberLimits(const Decimal& d) {
  if (d.is_zero()) return OkStatus();
  // Big.js-style exponent of the first digit: d.exponent - 1.
  if (d.exponent - 1 > 125) {
    return Validation(
        "Number overflow. Attempting to store a number with magnitude larger than supported "
        "range");
  }
  if (d.exponent - 1 < -130) {
    return Validation(
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range");
  }
  if (d.digits.size() > 38) {
    return Validation("Attempting to store more than 38 significant digits in a Number");
  }
  return OkStatus();
}

Result<Decimal> ParseNumber(std::string_view text) {
  Result<Decimal> d = ParseDecimal(text);
  if (!d.ok()) return d;
  if (Status s = CheckNumberLimits(*d); !s.ok()) return s.take_error();
  return d;
}

std::string FormatDecimal(const Decimal& d) {
  if (d.is_zero()) return "0";
  std::string out = d.negative ? "-" : "";
  const int n = static_cast<int>(d.digits.size());
  if (d.exponent <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-d.exponent), '0');
    out += d.digits;
  } else if (d.exponent >= n) {
    out += d.digits;
    out.append(static_cast<size_t>(d.exponent - n), '0');
  } else {
    out.append(d.digits, 0, static_cast<size_t>(d.exponent));
    out += '.';
    out.append(d.digits, static_cast<size_t>(d.exponent), std::string::npos);
  }
  return out;
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  const int sign_a = a.is_zero() ? 0 : a.negative ? -1 : 1;
  const int sign_b = b.is_zero() ? 0 : b.negative ? -1 : 1;
  if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
  int m = CompareMagnitude(a, b);
  return sign_a < 0 ? -m : m;
}

Decimal AddDecimal(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  if (a.negative == b.negative) return Combine(a, b, false);
  int m = CompareMagnitude(a, b);
  if (m == 0) return Decimal{};
  return m > 0 ? Combine(a, b, true) : Combine(b, a, true);
}

Decimal SubtractDecimal(const Decimal& a, Decimal b) {
  if (!b.is_zero()) b.negative = !b.negative;
  return AddDecimal(a, b);
}

std::string SortableBytes(const Decimal& d) {
  std::string out;
  if (d.is_zero()) return std::string(1, '\x80');
  // Exponent in [-200, 200] after the limits; stored biased in two bytes.
  const int biased = d.exponent + 1000;
  if (!d.negative) {
    out.push_back('\x81');
    out.push_back(static_cast<char>((biased >> 8) & 0xff));
    out.push_back(static_cast<char>(biased & 0xff));
    out += d.digits;  // a shorter prefix sorts first, as a smaller number should
    return out;
  }
  // Negative: everything inverted, and a terminator above every digit so that a prefix
  // (a number of smaller magnitude) sorts last.
  const int inverted = 0xffff - biased;
  out.push_back('\x7f');
  out.push_back(static_cast<char>((inverted >> 8) & 0xff));
  out.push_back(static_cast<char>(inverted & 0xff));
  for (char c : d.digits) out.push_back(static_cast<char>('9' - (c - '0')));
  out.push_back('\xff');
  return out;
}

size_t NumberSize(const Decimal& d) {
  if (d.is_zero()) return 1;
  return 1 + (d.digits.size() + 1) / 2 + (d.negative ? 1 : 0);
}

}  // namespace autoretrain::integrations::dynamo
