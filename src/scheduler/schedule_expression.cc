// Parsing of schedule expressions: cron(...), rate(...), at(...), with AWS's field rules.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "autoretrain/scheduler/schedule.h"
#include "scheduler/civil.h"

namespace autoretrain::scheduler {
namespace {

constexpr const char* kErrorName = "InvalidScheduleExpression";

constexpr std::array<const char*, 7> kDayNames = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
constexpr std::array<const char*, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

enum FieldIndex { kMinutes, kHours, kDayOfMonth, kMonth, kDayOfWeek, kYear };

struct Field {
  const char* name;
  int min, max;
  const char* wildcards;
};
constexpr Field kFields[] = {
    {"minutes", 0, 59, ", - * /"},
    {"hours", 0, 23, ", - * /"},
    {"day-of-month", 1, 31, ", - * ? / L W"},
    {"month", 1, 12, ", - * /"},
    {"day-of-week", 1, 7, ", - * ? L #"},
    {"year", 1970, 2199, ", - * /"},
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class CronParser {
 public:
  explicit CronParser(std::string_view text) : text_(text) {}

  Error Fail(const std::string& message) const {
    return Error{kErrorName, std::string(text_) + ": " + message};
  }
  Error FieldFail(FieldIndex f, const std::string& message) const {
    return Fail(std::string(kFields[f].name) + ": " + message);
  }

  // A number or (month, day-of-week) a name; -1 with *error set when it is neither or out of
  // range.
  int Value(FieldIndex f, std::string_view token, std::optional<Error>* error) const {
    const Field& spec = kFields[f];
    if (AllDigits(token)) {
      const int v = std::stoi(std::string(token));
      if (v < spec.min || v > spec.max) {
        *error = FieldFail(f, "value " + std::string(token) + " is out of range " +
                                  std::to_string(spec.min) + "-" + std::to_string(spec.max));
        return -1;
      }
      return v;
    }
    const std::string up = Upper(token);
    if (f == kMonth) {
      for (int i = 0; i < 12; ++i) {
        if (up == kMonthNames[i]) return i + 1;
      }
    } else if (f == kDayOfWeek) {
      for (int i = 0; i < 7; ++i) {
        if (up == kDayNames[i]) return i + 1;
      }
    }
    std::string hint = f == kMonth ? " (1-12 or JAN-DEC)"
                       : f == kDayOfWeek
                           ? " (1-7 or SUN-SAT, 1 = SUN)"
                           : " (" + std::to_string(spec.min) + "-" + std::to_string(spec.max) + ")";
    *error =
        FieldFail(f, token.empty() ? "empty value" + hint
                                   : "'" + std::string(token) + "' is not a valid value" + hint);
    return -1;
  }

  // The list/range/step syntax shared by every field. Sets bits [value] in *bits (size >= max+1,
  // offset by `base`).
  std::optional<Error> List(FieldIndex f, std::string_view field, std::vector<bool>* bits) const {
    const Field& spec = kFields[f];
    const bool steps = std::string_view(spec.wildcards).find('/') != std::string_view::npos;
    for (std::string_view item : Split(field, ',')) {
      if (item.empty()) return FieldFail(f, "empty item in the list '" + std::string(field) + "'");
      int step = 1;
      std::string_view range = item;
      const size_t slash = item.find('/');
      if (slash != std::string_view::npos) {
        if (!steps) {
          return FieldFail(f, "'/' (increments) is not allowed in this field; its wildcards are " +
                                  std::string(spec.wildcards));
        }
        const std::string_view s = item.substr(slash + 1);
        const int count = spec.max - spec.min + 1;
        if (!AllDigits(s) || std::stoi(std::string(s)) < 1 || std::stoi(std::string(s)) > count) {
          return FieldFail(f, "the increment in '" + std::string(item) +
                                  "' must be a whole number from 1 to " + std::to_string(count));
        }
        step = std::stoi(std::string(s));
        range = item.substr(0, slash);
      }
      int lo = spec.min, hi = spec.max;
      if (range == "*") {
      } else {
        const size_t dash = range.find('-');
        std::optional<Error> error;
        if (dash == std::string_view::npos) {
          lo = Value(f, range, &error);
          if (error) return error;
          // "a/c": from a to the end of the field; "a": a alone.
          hi = slash != std::string_view::npos ? spec.max : lo;
        } else {
          lo = Value(f, range.substr(0, dash), &error);
          if (error) return error;
          hi = Value(f, range.substr(dash + 1), &error);
          if (error) return error;
          if (lo > hi) {
            return FieldFail(f, "the range '" + std::string(range) +
                                    "' goes backwards; write its start first (ranges do not wrap)");
          }
        }
      }
      for (int v = lo; v <= hi; v += step) (*bits)[v - spec.min] = true;
    }
    return std::nullopt;
  }

  // Characters this field does not allow at all.
  std::optional<Error> Charset(FieldIndex f, std::string_view field) const {
    const std::string wild = kFields[f].wildcards;
    for (char c : std::string_view("*/?LW#-,")) {
      if (field.find(c) == std::string_view::npos) continue;
      if (c == 'L' || c == 'W') {
        // Letters also occur in names (JUL, WED, ...): checked where names are resolved.
        continue;
      }
      if (wild.find(c) == std::string::npos) {
        return FieldFail(
            f, std::string("'") + c + "' is not allowed in this field; its wildcards are " + wild);
      }
    }
    return std::nullopt;
  }

  template <size_t N>
  std::optional<Error> Bits(FieldIndex f, std::string_view field, std::bitset<N>* out) const {
    if (auto e = Charset(f, field)) return e;
    const std::string up = Upper(field);
    for (char c : {'L', 'W'}) {
      const bool in_name = f == kMonth && c == 'L' && up != "L";  // JUL
      if (up.find(c) != std::string::npos && !in_name) {
        return FieldFail(f, std::string("'") + c +
                                "' is not allowed in this field; its wildcards are " +
                                kFields[f].wildcards);
      }
    }
    std::vector<bool> bits(kFields[f].max - kFields[f].min + 1);
    if (auto e = List(f, field, &bits)) return e;
    const int offset = f == kYear ? 0 : kFields[f].min;
    for (size_t i = 0; i < bits.size(); ++i) {
      if (bits[i]) out->set(i + static_cast<size_t>(offset));
    }
    return std::nullopt;
  }

  std::optional<Error> DayOfMonth(std::string_view field, CronSchedule* c) const {
    if (field == "?") {
      c->day_of_month_any = true;
      return std::nullopt;
    }
    if (auto e = Charset(kDayOfMonth, field)) return e;
    const std::string up = Upper(field);
    const bool has_l = up.find('L') != std::string::npos;
    const bool has_w = up.find('W') != std::string::npos;
    if (field.find('?') != std::string_view::npos) {
      return FieldFail(kDayOfMonth, "'?' must stand alone in the field");
    }
    if (up == "L") {
      c->last_day_of_month = true;
      return std::nullopt;
    }
    if (up == "LW") {
      c->last_weekday_of_month = true;
      return std::nullopt;
    }
    if (has_w && !has_l && up.back() == 'W' &&
        AllDigits(std::string_view(up).substr(0, up.size() - 1))) {
      const int v = std::stoi(up.substr(0, up.size() - 1));
      if (v < 1 || v > 31) {
        return FieldFail(kDayOfMonth,
                         "'" + std::string(field) + "': the day before W must be from 1 to 31");
      }
      c->nearest_weekday_to = v;
      return std::nullopt;
    }
    if (has_l || has_w) {
      return FieldFail(kDayOfMonth,
                       "'" + std::string(field) +
                           "': L and W must stand alone: 'L' (last day of the month), 'LW' (last "
                           "weekday of the month) or 'nW' (the weekday nearest day n, n 1-31)");
    }
    std::vector<bool> bits(31);
    if (auto e = List(kDayOfMonth, field, &bits)) return e;
    for (int i = 0; i < 31; ++i) c->days_of_month[i + 1] = bits[i];
    return std::nullopt;
  }

  std::optional<Error> DayOfWeek(std::string_view field, CronSchedule* c) const {
    if (field == "?") {
      c->day_of_week_any = true;
      return std::nullopt;
    }
    if (auto e = Charset(kDayOfWeek, field)) return e;
    if (field.find('?') != std::string_view::npos) {
      return FieldFail(kDayOfWeek, "'?' must stand alone in the field");
    }
    const std::string up = Upper(field);
    std::string without_wed = up;
    for (size_t at; (at = without_wed.find("WED")) != std::string::npos;) without_wed.erase(at, 3);
    if (without_wed.find('W') != std::string::npos) {
      return FieldFail(kDayOfWeek,
                       std::string("'W' is not allowed in this field; its wildcards are ") +
                           kFields[kDayOfWeek].wildcards);
    }
    std::optional<Error> error;
    if (up.find('#') != std::string::npos) {
      if (up.find(',') != std::string::npos) {
        return FieldFail(kDayOfWeek, "with '#' the field can hold only one expression ('" +
                                         std::string(field) + "' holds several)");
      }
      const size_t hash = up.find('#');
      const int day = Value(kDayOfWeek, std::string_view(field).substr(0, hash), &error);
      if (error) return error;
      const std::string n = up.substr(hash + 1);
      if (!AllDigits(n) || std::stoi(n) < 1 || std::stoi(n) > 5) {
        return FieldFail(kDayOfWeek,
                         "'" + std::string(field) + "': the number after '#' must be from 1 to 5");
      }
      c->nth_weekday = day;
      c->nth_occurrence = std::stoi(n);
      return std::nullopt;
    }
    if (up == "L") {  // the last day of the week: Saturday
      c->days_of_week.set(7);
      return std::nullopt;
    }
    // "nL" / "FRIL": the last such day of the month (names never end in L).
    if (up.size() >= 2 && up.back() == 'L') {
      if (up.find_first_of(",-/") != std::string::npos) {
        return FieldFail(kDayOfWeek, "'" + std::string(field) +
                                         "': 'nL' (the last day n of the month) must stand alone");
      }
      const int day = Value(kDayOfWeek, std::string_view(field).substr(0, up.size() - 1), &error);
      if (error) return error;
      c->last_weekday_in_month = day;
      return std::nullopt;
    }
    std::vector<bool> bits(7);
    if (auto e = List(kDayOfWeek, field, &bits)) return e;
    for (int i = 0; i < 7; ++i) c->days_of_week[i + 1] = bits[i];
    return std::nullopt;
  }

  Result<CronSchedule> Parse(std::string_view body) const {
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < body.size()) {
      while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
      const size_t start = i;
      while (i < body.size() && !std::isspace(static_cast<unsigned char>(body[i]))) ++i;
      if (i > start) fields.push_back(body.substr(start, i - start));
    }
    if (fields.size() != 6) {
      return Fail(
          "a cron expression has six required fields (minutes hours day-of-month month "
          "day-of-week year); found " +
          std::to_string(fields.size()));
    }
    CronSchedule c;
    if (auto e = Bits(kMinutes, fields[0], &c.minutes)) return *e;
    if (auto e = Bits(kHours, fields[1], &c.hours)) return *e;
    if (auto e = DayOfMonth(fields[2], &c)) return *e;
    if (auto e = Bits(kMonth, fields[3], &c.months)) return *e;
    if (auto e = DayOfWeek(fields[4], &c)) return *e;
    if (auto e = Bits(kYear, fields[5], &c.years)) return *e;
    if (c.day_of_month_any && c.day_of_week_any) {
      return Fail(
          "day-of-month and day-of-week cannot both be '?'; use '?' in exactly one of "
          "them");
    }
    if (!c.day_of_month_any && !c.day_of_week_any) {
      return Fail("day-of-month and day-of-week cannot both be specified; use '?' in one of them");
    }
    return c;
  }

 private:
  std::string_view text_;
};

Result<RateSchedule> ParseRate(std::string_view text, std::string_view body) {
  auto fail = [&](const std::string& m) { return Error{kErrorName, std::string(text) + ": " + m}; };
  std::vector<std::string_view> parts;
  for (std::string_view p : Split(body, ' ')) {
    if (!p.empty()) parts.push_back(p);
  }
  if (parts.size() != 2) {
    return fail("a rate expression is rate(value unit), for example rate(5 minutes)");
  }
  if (!AllDigits(parts[0]) || std::stoll(std::string(parts[0])) < 1) {
    return fail("the value '" + std::string(parts[0]) +
                "' must be a positive whole number (at most 9 digits)");
  }
  RateSchedule r;
  r.value = std::stoll(std::string(parts[0]));
  const std::string_view unit = parts[1];
  std::string singular;
  if (unit == "minute" || unit == "minutes") {
    r.unit = RateSchedule::kMinutes;
    singular = "minute";
  } else if (unit == "hour" || unit == "hours") {
    r.unit = RateSchedule::kHours;
    singular = "hour";
  } else if (unit == "day" || unit == "days") {
    r.unit = RateSchedule::kDays;
    singular = "day";
  } else {
    return fail("the unit '" + std::string(unit) +
                "' must be one of minute | minutes | hour | hours | day | days");
  }
  const bool plural = unit.size() != singular.size();
  if (r.value == 1 && plural) {
    return fail("with the value 1 the unit must be singular: rate(1 " + singular + ")");
  }
  if (r.value != 1 && !plural) {
    return fail("with a value other than 1 the unit must be plural: rate(" + std::string(parts[0]) +
                " " + singular + "s)");
  }
  return r;
}

Result<AtSchedule> ParseAt(std::string_view text, std::string_view body) {
  auto fail = [&](const std::string& m) { return Error{kErrorName, std::string(text) + ": " + m}; };
  const std::string format = "dddd-dd-ddTdd:dd:dd";
  bool shape = body.size() == format.size();
  for (size_t i = 0; shape && i < format.size(); ++i) {
    shape = format[i] == 'd' ? std::isdigit(static_cast<unsigned char>(body[i])) != 0
                             : body[i] == format[i];
  }
  if (!shape) {
    return fail(
        "an at expression is at(yyyy-mm-ddThh:mm:ss), for example "
        "at(2026-11-30T03:00:00), with no zone or fraction (the zone is the schedule's)");
  }
  auto num = [&](size_t at, size_t len) { return std::stoi(std::string(body.substr(at, len))); };
  AtSchedule a{num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)};
  if (a.month < 1 || a.month > 12) return fail("month " + std::to_string(a.month) + " is not 1-12");
  if (a.day < 1 || a.day > civil::DaysInMonth(a.year, a.month)) {
    return fail("day " + std::to_string(a.day) + " does not exist in " +
                std::string(body.substr(0, 7)));
  }
  if (a.hour > 23) return fail("hour " + std::to_string(a.hour) + " is not 0-23");
  if (a.minute > 59) return fail("minute " + std::to_string(a.minute) + " is not 0-59");
  if (a.second > 59) return fail("second " + std::to_string(a.second) + " is not 0-59");
  return a;
}

}  // namespace

std::chrono::milliseconds RateSchedule::interval() const {
  const int64_t unit_ms = unit == kMinutes ? 60'000 : unit == kHours ? 3'600'000 : 86'400'000;
  return std::chrono::milliseconds(value * unit_ms);
}

Result<ScheduleExpression> ParseScheduleExpression(std::string_view text) {
  ScheduleExpression out;
  out.text = std::string(text);
  auto fail = [&](const std::string& m) {
    return Error{kErrorName, "'" + std::string(text) + "': " + m};
  };
  const size_t open = text.find('(');
  if (open == std::string_view::npos || text.empty() || text.back() != ')') {
    return fail(
        "a schedule expression is cron(minutes hours day-of-month month day-of-week "
        "year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)");
  }
  const std::string_view kind = text.substr(0, open);
  const std::string_view body = text.substr(open + 1, text.size() - open - 2);
  if (body.find_first_of("()") != std::string_view::npos) {
    return fail("unexpected parenthesis inside the expression");
  }
  if (kind == "cron") {
    auto cron = CronParser(text).Parse(body);
    if (!cron) return cron.take_error();
    out.kind = ScheduleExpression::kCron;
    out.cron = std::move(cron).value();
  } else if (kind == "rate") {
    auto rate = ParseRate(text, body);
    if (!rate) return rate.take_error();
    out.kind = ScheduleExpression::kRate;
    out.rate = *rate;
  } else if (kind == "at") {
    auto at = ParseAt(text, body);
    if (!at) return at.take_error();
    out.kind = ScheduleExpression::kAt;
    out.at = *at;
  } else {
    return fail("unknown schedule type '" + std::string(kind) +
                "'; use cron(...), rate(...) or at(...) (lowercase)");
  }
  return out;
}

}  // namespace autoretrain::scheduler
