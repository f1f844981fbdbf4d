// Date/time and picture functions: $now, $millis, $fromMillis, $toMillis, $formatNumber,
// $formatBase, $formatInteger, $parseInteger. The formatting itself is picture_format.h's; this
// file checks arguments and maps undefined and errors.
#include <cmath>

#include "jsonata/builtins.h"
#include "jsonata/error.h"
#include "jsonata/picture_format.h"

namespace autoretrain::jsonata {
namespace {

using Args = std::vector<Value>;

template <class T>
T Unwrap(Result<T> r) {
  if (!r.ok()) {
    Error e = r.take_error();
    Throw(e.error, -1, "", e.cause);
  }
  return std::move(r).value();
}

std::optional<std::string_view> OptionalString(const Args& a, size_t i) {
  if (a.size() > i && a[i].is_string()) return a[i].str();
  return std::nullopt;
}

// The picture string, argument `i` of `function`. An undefined argument passes the signature
// check (undefined matches any parameter type) but leaves nothing to format with: T0410.
std::string_view Picture(const Args& a, size_t i, const char* function) {
  if (a.size() > i && a[i].is_string()) return a[i].str();
  Throw("T0410", -1, function,
        "Argument " + std::to_string(i + 1) + " of function \"" + function +
            "\" is undefined: expected a picture string");
}

Value FnNow(Evaluator& ev, Args& a, const Value&, const FramePtr&) {
  return Value::String(
      Unwrap(FormatDateTime(ev.now_millis(), OptionalString(a, 0), OptionalString(a, 1))));
}

Value FnMillis(Evaluator& ev, Args&, const Value&, const FramePtr&) {
  return Value::Number(static_cast<double>(ev.now_millis()));
}

Value FnFromMillis(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  double millis = std::floor(a[0].number());
  return Value::String(Unwrap(
      FormatDateTime(static_cast<int64_t>(millis), OptionalString(a, 1), OptionalString(a, 2))));
}

Value FnToMillis(Evaluator& ev, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::optional<int64_t> r =
      Unwrap(ParseDateTimeAt(a[0].str(), OptionalString(a, 1), ev.now_millis()));
  if (!r) return Value();
  return Value::Number(static_cast<double>(*r));
}

Value FnFormatNumber(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  if (a.size() > 2 && a[2].is_object()) {
    const json::Value options = ToJson(a[2]);
    const NumberFormatOptions given = Unwrap(NumberFormatOptionsFrom(&options.get_object()));
    return Value::String(Unwrap(FormatNumber(a[0].number(), Picture(a, 1, "formatNumber"), given)));
  }
  static const NumberFormatOptions kDefaultOptions;
  return Value::String(
      Unwrap(FormatNumber(a[0].number(), Picture(a, 1, "formatNumber"), kDefaultOptions)));
}

Value FnFormatBase(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::optional<double> radix;
  if (a.size() > 1 && a[1].defined()) radix = a[1].number();
  return Value::String(Unwrap(FormatBase(a[0].number(), radix)));
}

Value FnFormatInteger(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  return Value::String(Unwrap(FormatInteger(a[0].number(), Picture(a, 1, "formatInteger"))));
}

Value FnParseInteger(Evaluator&, Args& a, const Value&, const FramePtr&) {
  if (a[0].undefined()) return Value();
  std::optional<double> r = Unwrap(ParseInteger(a[0].str(), Picture(a, 1, "parseInteger")));
  if (!r) return Value();
  return Value::Number(*r);
}

}  // namespace

void RegisterPictureFunctions(std::vector<Builtin>& out) {
  out.push_back({"now", "<s?s?:s>", 2, &FnNow});
  out.push_back({"millis", "<:n>", 0, &FnMillis});
  out.push_back({"fromMillis", "<n-s?s?:s>", 3, &FnFromMillis});
  out.push_back({"toMillis", "<s-s?:n>", 2, &FnToMillis});
  out.push_back({"formatNumber", "<n-so?:s>", 3, &FnFormatNumber});
  out.push_back({"formatBase", "<n-n?:s>", 2, &FnFormatBase});
  out.push_back({"formatInteger", "<n-s:s>", 2, &FnFormatInteger});
  out.push_back({"parseInteger", "<s-s:n>", 2, &FnParseInteger});
}

}  // namespace autoretrain::jsonata
