// Numeric and aggregation functions: $number, $abs, $floor, $ceil, $round, $power, $sqrt,
// $random, $sum, $max, $min, $average.
#include <cmath>
#include <cstdlib>
#include <random>

#include "jsonata/builtins.h"
#include "jsonata/error.h"

namespace autoretrain::jsonata {
namespace {

using Args = std::vector<Value>;

Value Num(double d) { return Value::Number(d); }

bool MatchesJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] >= '0' && s[i] <= '9') {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

Value FnNumber(Evaluator&, Args& a, const Value&, const FramePtr&) {
  const Value& v = a[0];
  if (v.undefined()) return Value();
  if (v.is_number()) return v;
  if (v.is_bool()) return Num(v.boolean() ? 1 : 0);
  if (v.is_string()) {
    std::string s(v.str());
    if (MatchesJsonNumber(s)) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) return Num(d);
    }
    if (s.size() > 2 && s[0] == '0') {
      int base = 0;
      char p = s[1];
      if (p == 'x' || p == 'X') base = 16;
      if (p == 'o' || p == 'O') base = 8;
      if (p == 'b' || p == 'B') base = 2;
      if (base) {
        double d = 0;
        bool ok = true;
        for (size_t i = 2; i < s.size() && ok; ++i) {
          int digit =
              std::isdigit(static_cast<unsigned char>(s[i]))
                  ? s[i] - '0'
                  : (std::isalpha(static_cast<unsigned char>(s[i])) ? std::tolower(s[i]) - 'a' + 10
                                                                    : 99);
          if (digit >= base) ok = false;
          d = d * base + digit;
        }
        if (ok) return Num(d);
      }
    }
  }
  Throw("D3030", -1, "", "Unable to cast value to a number: " + Stringify(v, false));
}

Value FnAbs(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return a[0].undefined() ? Value() : Num(std::fabs(a[0].number()));
}
Value FnFloor(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return a[0].undefined() ? Value() : Num(std::floor(a[0].number()));
}
Value FnCeil(Evaluator&, Args& a, const Value&, const FramePtr&) {
  return a[0].undefined() ? Value() : Num(std::ceil(a[0].number()));
}

// Shifts the decimal point of `d` by `places` through its decimal text, as jsonata-js does
// (multiplying by a power of ten would add binary rounding errors).
double Shift(double d, int places) {
  std::string text = NumberToString(d);
  size_t e = text.find('e');
  int exponent = places;
  std::string mantissa = text;
  if (e != std::string::npos) {
    mantissa = text.substr(0, e);
    exponent += std::atoi(text.c_str() + e + 1);
  }
  std::string shifted = mantissa + "e" + std::to_string(exponent);
  return std::strtod(shifted.c_str(), nullptr);
}

Value FnRound(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  double value = a[0].number();
  int precision = a.size() > 1 && a[1].defined() ? static_cast<int>(a[1].number()) : 0;
  if (precision) value = Shift(value, precision);
  double result = std::floor(value + 0.5);  // JavaScript's Math.round
  double diff = result - value;
  if (std::fabs(diff) == 0.5 && std::fabs(std::fmod(result, 2)) == 1) result -= 1;
  if (precision) result = Shift(result, -precision);
  if (result == 0) result = 0;  // no -0
  return Num(result);
}

Value FnPower(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  double r = std::pow(a[0].number(), a[1].number());
  if (!std::isfinite(r)) Throw("D3061");
  return Num(r);
}

Value FnSqrt(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  double v = a[0].number();
  if (v < 0) Throw("D3060", -1, NumberToString(v));
  return Num(std::sqrt(v));
}

Value FnRandom(Evaluator&, Args&, const Value&, const FramePtr&) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return Num(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
}

Value FnSum(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  double total = 0;
  for (size_t i = 0, n = a[0].size(); i < n; ++i) total += a[0].at(i).number();
  return Num(total);
}

Value FnMax(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined() || a[0].size() == 0) return Value();
  double m = -INFINITY;
  for (size_t i = 0, n = a[0].size(); i < n; ++i) m = std::max(m, a[0].at(i).number());
  return Num(m);
}

Value FnMin(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined() || a[0].size() == 0) return Value();
  double m = INFINITY;
  for (size_t i = 0, n = a[0].size(); i < n; ++i) m = std::min(m, a[0].at(i).number());
  return Num(m);
}

Value FnAverage(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined() || a[0].size() == 0) return Value();
  double total = 0;
  size_t n = a[0].size();
  for (size_t i = 0; i < n; ++i) total += a[0].at(i).number();
  return Num(total / static_cast<double>(n));
}

}  // namespace

void RegisterNumericFunctions(std::vector<Builtin>& out) {
  out.push_back({"number", "<(nsb)-:n>", 1, &FnNumber});
  out.push_back({"abs", "<n-:n>", 1, &FnAbs});
  out.push_back({"floor", "<n-:n>", 1, &FnFloor});
  out.push_back({"ceil", "<n-:n>", 1, &FnCeil});
  out.push_back({"round", "<n-n?:n>", 2, &FnRound});
  out.push_back({"power", "<n-n:n>", 2, &FnPower});
  out.push_back({"sqrt", "<n-:n>", 1, &FnSqrt});
  out.push_back({"random", "<:n>", 0, &FnRandom});
  out.push_back({"sum", "<a<n>:n>", 1, &FnSum});
  out.push_back({"max", "<a<n>:n>", 1, &FnMax});
  out.push_back({"min", "<a<n>:n>", 1, &FnMin});
  out.push_back({"average", "<a<n>:n>", 1, &FnAverage});
}

}  // namespace autoretrain::jsonata
