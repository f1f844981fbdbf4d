// Fire times of schedule expressions: the next matching wall-clock minute of a cron expression,
// found field by field (a year, then a month, a day, an hour, a minute) rather than by scanning
// minutes, then mapped to UTC through the schedule's time zone.
#include <algorithm>
#include <cstdio>

#include "autoretrain/scheduler/schedule.h"
#include "scheduler/civil.h"

namespace autoretrain::scheduler {
namespace {

using std::chrono::milliseconds;

constexpr int kFirstYear = 1970;
constexpr int kLastYear = 2199;

int64_t ToSeconds(TimePoint t) { return civil::FloorDiv(t.time_since_epoch().count(), 1000); }
TimePoint FromSeconds(int64_t s) { return TimePoint(milliseconds(s * 1000)); }

// 1 = SUN ... 7 = SAT, as cron numbers days of the week.
int CronWeekday(int64_t year, int month, int day) {
  return civil::WeekdayFromDays(civil::DaysFromCivil(year, month, day)) + 1;
}

// The days of (year, month) the day-of-month and day-of-week fields select.
std::bitset<32> MatchingDays(const CronSchedule& c, int64_t year, int month) {
  std::bitset<32> days;
  const int last = civil::DaysInMonth(year, month);
  if (c.day_of_week_any) {  // day-of-month decides
    if (c.last_day_of_month) {
      days.set(last);
    } else if (c.last_weekday_of_month) {
      int d = last;
      while (CronWeekday(year, month, d) == 1 || CronWeekday(year, month, d) == 7) --d;
      days.set(d);
    } else if (c.nearest_weekday_to != 0) {
      // The weekday nearest day n, never leaving the month: a Saturday moves to Friday (or to
      // Monday the 3rd when n is the 1st), a Sunday to Monday (or to Friday when n is the last
      // day). A day n past the month's end selects nothing.
      const int n = c.nearest_weekday_to;
      if (n <= last) {
        const int wd = CronWeekday(year, month, n);
        int d = n;
        if (wd == 7) d = n == 1 ? 3 : n - 1;
        if (wd == 1) d = n == last ? n - 2 : n + 1;
        days.set(d);
      }
    } else {
      for (int d = 1; d <= last; ++d) days[d] = c.days_of_month[d];
    }
    return days;
  }
  if (c.last_weekday_in_month != 0) {
    int d = last;
    while (CronWeekday(year, month, d) != c.last_weekday_in_month) --d;
    days.set(d);
  } else if (c.nth_weekday != 0) {
    const int first = (c.nth_weekday - CronWeekday(year, month, 1) + 7) % 7 + 1;
    const int d = first + 7 * (c.nth_occurrence - 1);
    if (d <= last) days.set(d);
  } else {
    for (int d = 1; d <= last; ++d) days[d] = c.days_of_week[CronWeekday(year, month, d)];
  }
  return days;
}

struct Civil {
  int64_t year;
  int month, day, hour, minute;
};

// The first wall-clock minute at or after `from` that the cron expression matches; nullopt
// when there is none before the end of 2199.
std::optional<Civil> NextCronMinute(const CronSchedule& c, Civil from) {
  if (from.year < kFirstYear) from = {kFirstYear, 1, 1, 0, 0};
  for (int64_t y = from.year; y <= kLastYear; ++y) {
    if (!c.years[static_cast<size_t>(y - kFirstYear)]) continue;
    const bool same_y = y == from.year;
    for (int m = same_y ? from.month : 1; m <= 12; ++m) {
      if (!c.months[m]) continue;
      const bool same_m = same_y && m == from.month;
      const std::bitset<32> days = MatchingDays(c, y, m);
      if (days.none()) continue;
      for (int d = same_m ? from.day : 1; d <= 31; ++d) {
        if (!days[d]) continue;
        const bool same_d = same_m && d == from.day;
        for (int h = same_d ? from.hour : 0; h < 24; ++h) {
          if (!c.hours[h]) continue;
          const bool same_h = same_d && h == from.hour;
          for (int mi = same_h ? from.minute : 0; mi < 60; ++mi) {
            if (c.minutes[mi]) return Civil{y, m, d, h, mi};
          }
        }
      }
    }
  }
  return std::nullopt;
}

int64_t LocalSeconds(const Civil& t) {
  return civil::DaysFromCivil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60;
}

Civil CivilFromLocalSeconds(int64_t s) {
  const int64_t days = civil::FloorDiv(s, 86400);
  const int64_t rem = s - days * 86400;
  const civil::Date d = civil::CivilFromDays(days);
  return {d.year, d.month, d.day, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60)};
}

std::vector<TimePoint> CronTimes(const CronSchedule& c, const TimeZone& zone, TimePoint after,
                                 int n) {
  std::vector<TimePoint> out;
  const int64_t after_s = ToSeconds(after);
  // Start a few hours before `after` on the wall clock: when `after` falls in the repeated hour
  // of an overlap, wall-clock times earlier than its own local time are still ahead of it; those
  // whose first occurrence precedes `after` are filtered out below.
  int64_t local = after_s + zone.OffsetAt(after_s) - 4 * 3600;
  local = civil::FloorDiv(local, 60) * 60;
  while (static_cast<int>(out.size()) < n) {
    const std::optional<Civil> next = NextCronMinute(c, CivilFromLocalSeconds(local));
    if (!next) break;
    const int64_t next_local = LocalSeconds(*next);
    const std::vector<int64_t> instants = zone.LocalToUtc(next_local);
    // A time in the gap does not exist (skipped); one in the overlap fires at its first
    // occurrence only.
    if (!instants.empty() && instants.front() * 1000 > after.time_since_epoch().count()) {
      out.push_back(FromSeconds(instants.front()));
    }
    local = next_local + 60;
  }
  return out;
}

}  // namespace

std::vector<TimePoint> NextFireTimes(const ScheduleExpression& e, const TimeZone& zone,
                                     TimePoint after, int n, std::optional<TimePoint> start) {
  std::vector<TimePoint> out;
  if (n <= 0) return out;
  switch (e.kind) {
    case ScheduleExpression::kCron:
      return CronTimes(e.cron, zone, after, n);
    case ScheduleExpression::kRate: {
      const milliseconds interval = e.rate.interval();
      TimePoint t = start.value_or(after);
      if (!start) {
        out.push_back(t);  // created at `after`: the first invocation is immediate
        t += interval;
      } else if (t <= after) {
        const int64_t k = (after - t) / interval + 1;
        t += k * interval;
      }
      // Stops at the end of year 9999 (far past cron's 2199; keeps the arithmetic in range).
      const TimePoint end = TimePoint(milliseconds(253'402'300'799'999));
      while (static_cast<int>(out.size()) < n && t <= end) {
        out.push_back(t);
        t += interval;
      }
      return out;
    }
    case ScheduleExpression::kAt: {
      const AtSchedule& a = e.at;
      const int64_t local = civil::DaysFromCivil(a.year, a.month, a.day) * 86400 + a.hour * 3600 +
                            a.minute * 60 + a.second;
      const std::vector<int64_t> instants = zone.LocalToUtc(local);
      if (!instants.empty() && FromSeconds(instants.front()) > after) {
        out.push_back(FromSeconds(instants.front()));
      }
      return out;
    }
  }
  return out;
}

std::string FormatLocal(TimePoint t, const TimeZone& zone) {
  const int64_t s = ToSeconds(t);
  const int64_t off = zone.OffsetAt(s);
  const int64_t local = s + off;
  const int64_t days = civil::FloorDiv(local, 86400);
  const int64_t rem = local - days * 86400;
  const civil::Date d = civil::CivilFromDays(days);
  char buf[128];
  const int64_t aoff = off < 0 ? -off : off;
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld%c%02lld:%02lld",
                static_cast<long long>(d.year), d.month, d.day, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                off < 0 ? '-' : '+', static_cast<long long>(aoff / 3600),
                static_cast<long long>(aoff / 60 % 60));
  return buf;
}

}  // namespace autoretrain::scheduler
