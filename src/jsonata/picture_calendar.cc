// Calendar arithmetic of the date/time pictures: JavaScript Date.UTC, UTC fields of an instant,
// and the component values jsonata-js computes (ISO weeks, day of year, ...).
#include <cmath>

#include "jsonata/picture_datetime.h"

namespace autoretrain::jsonata::picture {

const char32_t* const kMonthNames[12] = {U"January",   U"February", U"March",    U"April",
                                         U"May",       U"June",     U"July",     U"August",
                                         U"September", U"October",  U"November", U"December"};
const char32_t* const kDayNames[8] = {U"",         U"Monday", U"Tuesday",  U"Wednesday",
                                      U"Thursday", U"Friday", U"Saturday", U"Sunday"};

namespace {

constexpr double kMillisPerDay = 86400000;
constexpr double kMaxTime = 8.64e15;  // the range of a JavaScript Date

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days from 1970-01-01 to year-month-day in the proleptic Gregorian calendar (month 1..12).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = FloorDiv(year, 400);
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, int64_t& year, int& month, int& day) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
}

double StartOfFirstWeek(double year, double month0) {
  const double first = DateUtc(year, month0);
  if (std::isnan(first)) return first;
  int weekday = FieldsOf(static_cast<int64_t>(first)).weekday;
  if (weekday == 0) weekday = 7;
  // Week 1 is the one with the first Thursday; weeks start on Monday.
  return weekday > 4 ? first + (8 - weekday) * kMillisPerDay
                     : first - (weekday - 1) * kMillisPerDay;
}

double DeltaWeeks(double start, double end) { return (end - start) / (kMillisPerDay * 7) + 1; }

}  // namespace

double DateUtc(double year, double month0, double day, double hours, double minutes, double seconds,
               double millis) {
  for (double v : {year, month0, day, hours, minutes, seconds, millis}) {
    if (!std::isfinite(v)) return NAN;
  }
  year = std::trunc(year);
  month0 = std::trunc(month0);
  if (year >= 0 && year <= 99) year += 1900;
  const double whole_year = year + std::floor(month0 / 12);
  const double month = month0 - std::floor(month0 / 12) * 12;
  if (std::fabs(whole_year) > 400000) return NAN;
  const double days = static_cast<double>(DaysFromCivil(static_cast<int64_t>(whole_year),
                                                        static_cast<int>(month) + 1, 1)) +
                      std::trunc(day) - 1;
  const double time = std::trunc(hours) * 3600000 + std::trunc(minutes) * 60000 +
                      std::trunc(seconds) * 1000 + std::trunc(millis);
  const double result = days * kMillisPerDay + time;
  if (!(std::fabs(result) <= kMaxTime)) return NAN;
  return result;
}

DateFields FieldsOf(int64_t epoch_millis) {
  DateFields f;
  f.epoch_millis = epoch_millis;
  const int64_t days = FloorDiv(epoch_millis, 86400000);
  int64_t in_day = epoch_millis - days * 86400000;
  CivilFromDays(days, f.year, f.month0, f.day);
  f.month0 -= 1;
  f.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  f.hours = static_cast<int>(in_day / 3600000);
  in_day %= 3600000;
  f.minutes = static_cast<int>(in_day / 60000);
  in_day %= 60000;
  f.seconds = static_cast<int>(in_day / 1000);
  f.millis = static_cast<int>(in_day % 1000);
  return f;
}

double ComponentValue(const DateFields& date, char32_t component) {
  const auto year = static_cast<double>(date.year);
  switch (component) {
    case U'Y':
      return year;
    case U'M':
      return date.month0 + 1;
    case U'D':
      return date.day;
    case U'd':
      return (DateUtc(year, date.month0, date.day) - DateUtc(year, 0)) / kMillisPerDay + 1;
    case U'F':
      return date.weekday == 0 ? 7 : date.weekday;
    case U'W': {
      const double today = DateUtc(year, date.month0, date.day);
      double week = DeltaWeeks(StartOfFirstWeek(year, 0), today);
      if (week > 52) {
        if (today >= StartOfFirstWeek(year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = DeltaWeeks(StartOfFirstWeek(year - 1, 0), today);
      }
      return std::floor(week);
    }
    case U'w': {
      const double today = DateUtc(year, date.month0, date.day);
      double week = DeltaWeeks(StartOfFirstWeek(year, date.month0), today);
      if (week > 4) {
        const double next_year = date.month0 == 11 ? year + 1 : year;
        const double next_month = date.month0 == 11 ? 0 : date.month0 + 1;
        if (today >= StartOfFirstWeek(next_year, next_month)) week = 1;
      } else if (week < 1) {
        const double previous_year = date.month0 == 0 ? year - 1 : year;
        const double previous_month = date.month0 == 0 ? 11 : date.month0 - 1;
        week = DeltaWeeks(StartOfFirstWeek(previous_year, previous_month), today);
      }
      return std::floor(week);
    }
    case U'X': {
      const auto now = static_cast<double>(date.epoch_millis);
      if (now < StartOfFirstWeek(year, 0)) return year - 1;
      if (now >= StartOfFirstWeek(year + 1, 0)) return year + 1;
      return year;
    }
    case U'x': {
      const auto now = static_cast<double>(date.epoch_millis);
      if (now < StartOfFirstWeek(year, date.month0)) return date.month0 == 0 ? 12 : date.month0;
      const double next_year = date.month0 == 11 ? year + 1 : year;
      const int next_month = date.month0 == 11 ? 0 : date.month0 + 1;
      if (now >= StartOfFirstWeek(next_year, next_month)) return next_month + 1;
      return date.month0 + 1;
    }
    case U'H':
      return date.hours;
    case U'h':
      return date.hours % 12 == 0 ? 12 : date.hours % 12;
    case U'P':
      return date.hours >= 12 ? 1 : 0;
    case U'm':
      return date.minutes;
    case U's':
      return date.seconds;
    case U'f':
      return date.millis;
    default:
      return NAN;
  }
}

}  // namespace autoretrain::jsonata::picture
