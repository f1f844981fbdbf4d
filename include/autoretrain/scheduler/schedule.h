// Schedule expressions exactly as Amazon EventBridge Scheduler defines them, and their fire
// times: cron(minutes hours day-of-month month day-of-week year), rate(value unit) and
// at(yyyy-mm-ddThh:mm:ss), evaluated in a ScheduleExpressionTimezone (docs/schedules.md).
//
// Thread-safety: pure functions over immutable values.
#ifndef AUTORETRAIN_SCHEDULER_SCHEDULE_H_
#define AUTORETRAIN_SCHEDULER_SCHEDULE_H_

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/scheduler/time_zone.h"

namespace autoretrain::scheduler {

// A parsed cron expression. Values are as written: day-of-week 1 = SUN ... 7 = SAT.
struct CronSchedule {
  std::bitset<60> minutes;
  std::bitset<24> hours;
  std::bitset<13> months;  // 1-12
  std::bitset<230> years;  // index = year - 1970 (1970-2199)
  // Day-of-month (when day_of_week_any): exactly one of these forms.
  bool day_of_month_any = false;       // '?'
  std::bitset<32> days_of_month;       // 1-31 (values, ranges, steps, '*')
  bool last_day_of_month = false;      // 'L'
  bool last_weekday_of_month = false;  // 'LW'
  int nearest_weekday_to = 0;          // 'nW' (1-31), 0 = unused
  // Day-of-week.
  bool day_of_week_any = false;   // '?'
  std::bitset<8> days_of_week;    // 1-7 (values, ranges, '*', and 'L' alone = 7)
  int last_weekday_in_month = 0;  // 'nL': the last day n of the month, 0 = unused
  int nth_weekday = 0;            // 'd#n': day d ...
  int nth_occurrence = 0;         // ... its n-th occurrence (1-5) in the month
};

struct RateSchedule {
  int64_t value = 0;
  enum Unit { kMinutes, kHours, kDays } unit = kMinutes;
  std::chrono::milliseconds interval() const;
};

// One-time: the wall-clock time in the schedule's time zone.
struct AtSchedule {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

struct ScheduleExpression {
  enum Kind { kCron, kRate, kAt } kind = kCron;
  std::string text;  // as given
  CronSchedule cron;
  RateSchedule rate;
  AtSchedule at;
};

// Parses `text`. An invalid expression is an Error named InvalidScheduleExpression whose cause
// starts with the expression and names the field and the rule broken, for example
// "cron(0 3 * * MON *): day-of-month and day-of-week cannot both be specified; use '?' in one
// of them".
Result<ScheduleExpression> ParseScheduleExpression(std::string_view text);

// The first `n` fire times strictly after `after`, ascending (fewer when the schedule ends:
// an at() schedule fires once; cron years end at 2199).
//
// cron and at are evaluated on the wall clock of `zone`: a local time that does not exist (the
// daylight-saving gap) is skipped; a local time that occurs twice (the overlap) fires once, at
// its first occurrence. rate fires at start, start + interval, ... where `start` is the
// schedule's StartDate, or when none is given its creation time, taken to be `after` itself
// (AWS starts a rate schedule without StartDate at once; that first invocation is included).
// A rate's day is 24 hours, whatever the zone's daylight saving does.
std::vector<TimePoint> NextFireTimes(const ScheduleExpression& expression, const TimeZone& zone,
                                     TimePoint after, int n,
                                     std::optional<TimePoint> start = std::nullopt);

// "2026-11-30T08:30:00+05:30": `t` (whole seconds) on the wall clock of `zone`.
std::string FormatLocal(TimePoint t, const TimeZone& zone);

}  // namespace autoretrain::scheduler

#endif  // AUTORETRAIN_SCHEDULER_SCHEDULE_H_
