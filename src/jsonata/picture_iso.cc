// ISO 8601 timestamps for $toMillis without a picture.
#include "jsonata/picture_datetime.h"

namespace autoretrain::jsonata::picture {

std::optional<int64_t> ParseIso(std::string_view text) {
  size_t pos = 0;
  auto digits = [&](size_t count, int& value) {
    if (pos + count > text.size()) return false;
    value = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
  };
  auto literal = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  int year = 0, month = 1, day = 1, hours = 0, minutes = 0, seconds = 0, millis = 0;
  int offset_minutes = 0;
  if (!digits(4, year)) return std::nullopt;
  if (literal('-')) {
    if (!digits(2, month)) return std::nullopt;
    if (literal('-') && !digits(2, day)) return std::nullopt;
  }
  if (literal('T')) {
    if (!digits(2, hours) || !literal(':') || !digits(2, minutes) || !literal(':') ||
        !digits(2, seconds)) {
      return std::nullopt;
    }
    if (literal('.')) {
      const size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
      for (size_t i = 0; i < 3; ++i) {
        millis = millis * 10 + (start + i < pos ? text[start + i] - '0' : 0);
      }
    }
    if (literal('Z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int offset_hours = 0, offset_mins = 0;
      if (!digits(2, offset_hours)) return std::nullopt;
      literal(':');
      if (!digits(2, offset_mins) || offset_hours > 23 || offset_mins > 59) return std::nullopt;
      offset_minutes = sign * (offset_hours * 60 + offset_mins);
    }
  }
  if (pos != text.size()) return std::nullopt;
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] ||
      (month == 2 && day == 29 && !leap)) {
    return std::nullopt;
  }
  if (minutes > 59 || seconds > 59 || hours > 24 ||
      (hours == 24 && (minutes != 0 || seconds != 0 || millis != 0))) {
    return std::nullopt;
  }
  // Date.UTC maps years 0..99 to 1900..1999 but ISO text means the year as written: compute
  // 400 years later (the calendar repeats every 400 years) and move back.
  const double midnight =
      DateUtc(2000, 0) + (DateUtc(year + 400.0, month - 1, day) - DateUtc(2400, 0));
  const double result = midnight + hours * 3600000.0 + minutes * 60000.0 + seconds * 1000.0 +
                        millis - offset_minutes * 60000.0;
  return static_cast<int64_t>(result);
}

}  // namespace autoretrain::jsonata::picture
