#include "autoretrain/scheduler/schedule.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scheduler/scheduler_test_util.h"

namespace autoretrain::scheduler {
namespace {

using testing::At;
using testing::Zone;

std::string Iso(TimePoint t) { return FormatIso8601(t); }

// The next `n` fire times after `after` in `zone`, as ISO strings (UTC, with milliseconds).
std::vector<std::string> Next(const std::string& expr, const std::string& after, int n,
                              const std::string& zone = "UTC") {
  auto e = ParseScheduleExpression(expr);
  EXPECT_TRUE(e.ok()) << expr << ": " << (e.ok() ? "" : e.error().cause);
  std::vector<std::string> out;
  if (!e.ok()) return out;
  for (TimePoint t : NextFireTimes(*e, Zone(zone), At(after), n)) out.push_back(Iso(t));
  return out;
}

// The local wall-clock times (FormatLocal) of the next fire times.
std::vector<std::string> NextLocal(const std::string& expr, const std::string& after, int n,
                                   const std::string& zone) {
  auto e = ParseScheduleExpression(expr);
  EXPECT_TRUE(e.ok()) << expr;
  std::vector<std::string> out;
  if (!e.ok()) return out;
  const TimeZone z = Zone(zone);
  for (TimePoint t : NextFireTimes(*e, z, At(after), n)) out.push_back(FormatLocal(t, z));
  return out;
}

std::string ErrorOf(const std::string& expr) {
  auto e = ParseScheduleExpression(expr);
  EXPECT_FALSE(e.ok()) << expr << " should be invalid";
  if (e.ok()) return "";
  EXPECT_EQ(e.error().error, "InvalidScheduleExpression");
  return e.error().cause;
}

using V = std::vector<std::string>;

// --- the seed's trigger schedule --------------------------------------------------------------

TEST(CronTest, SeedMondaysAt3Utc) {
  EXPECT_EQ(
      Next("cron(0 3 ? * MON *)", "2026-11-26T07:53:00Z", 3),
      (V{"2026-11-30T03:00:00.000Z", "2026-12-07T03:00:00.000Z", "2026-12-14T03:00:00.000Z"}));
}

TEST(CronTest, SeedInKolkataIsSundayEveningUtc) {
  EXPECT_EQ(Next("cron(0 3 ? * MON *)", "2026-11-26T07:53:00Z", 2, "Asia/Kolkata"),
            (V{"2026-11-29T21:30:00.000Z", "2026-12-06T21:30:00.000Z"}));
  EXPECT_EQ(NextLocal("cron(0 3 ? * MON *)", "2026-11-26T07:53:00Z", 1, "Asia/Kolkata"),
            (V{"2026-11-30T03:00:00+05:30"}));
}

TEST(CronTest, StrictlyAfter) {
  EXPECT_EQ(Next("cron(0 3 ? * MON *)", "2026-11-30T03:00:00Z", 1),
            (V{"2026-12-07T03:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 3 ? * MON *)", "2026-11-30T02:59:59.999Z", 1),
            (V{"2026-11-30T03:00:00.000Z"}));
}

// --- fields -----------------------------------------------------------------------------------

TEST(CronTest, StepsFromAValue) {
  EXPECT_EQ(Next("cron(1/10 * * * ? *)", "2026-01-01T00:00:00Z", 7),
            (V{"2026-01-01T00:01:00.000Z", "2026-01-01T00:11:00.000Z", "2026-01-01T00:21:00.000Z",
               "2026-01-01T00:31:00.000Z", "2026-01-01T00:41:00.000Z", "2026-01-01T00:51:00.000Z",
               "2026-01-01T01:01:00.000Z"}));
}

TEST(CronTest, StarStepAndRangeStep) {
  EXPECT_EQ(
      Next("cron(*/20 * * * ? *)", "2026-01-01T00:00:00Z", 3),
      (V{"2026-01-01T00:20:00.000Z", "2026-01-01T00:40:00.000Z", "2026-01-01T01:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 8-17/4 * * ? *)", "2026-01-01T00:00:00Z", 4),
            (V{"2026-01-01T08:00:00.000Z", "2026-01-01T12:00:00.000Z", "2026-01-01T16:00:00.000Z",
               "2026-01-02T08:00:00.000Z"}));
}

TEST(CronTest, ListsAndRanges) {
  EXPECT_EQ(
      Next("cron(0,30 10,15 ? * MON-FRI *)", "2026-11-27T15:00:00Z", 3),
      (V{"2026-11-27T15:30:00.000Z", "2026-11-30T10:00:00.000Z", "2026-11-30T10:30:00.000Z"}));
}

TEST(CronTest, NamesAreCaseInsensitive) {
  EXPECT_EQ(Next("cron(0 0 1 jan,Jul ? *)", "2026-02-01T00:00:00Z", 2),
            (V{"2026-07-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 0 ? * sun *)", "2026-11-26T00:00:00Z", 1),
            (V{"2026-11-29T00:00:00.000Z"}));
}

TEST(CronTest, DayOfWeekNumbersStartAtSunday) {
  // 1 = SUN, 7 = SAT.
  EXPECT_EQ(Next("cron(0 0 ? * 1 *)", "2026-11-26T00:00:00Z", 1), (V{"2026-11-29T00:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 0 ? * 7 *)", "2026-11-26T00:00:00Z", 1), (V{"2026-11-28T00:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 0 ? * 2-6 *)", "2026-11-27T00:00:00Z", 2),
            (V{"2026-11-30T00:00:00.000Z", "2026-12-01T00:00:00.000Z"}));
}

TEST(CronTest, Years) {
  EXPECT_EQ(
      Next("cron(0 0 1 1 ? 2030,2032-2033)", "2026-01-01T00:00:00Z", 4),
      (V{"2030-01-01T00:00:00.000Z", "2032-01-01T00:00:00.000Z", "2033-01-01T00:00:00.000Z"}));
  EXPECT_EQ(
      Next("cron(0 0 1 1 ? 2020/50)", "2026-01-01T00:00:00Z", 5),
      (V{"2070-01-01T00:00:00.000Z", "2120-01-01T00:00:00.000Z", "2170-01-01T00:00:00.000Z"}));
  EXPECT_EQ(Next("cron(59 23 31 12 ? *)", "2199-12-31T23:59:00Z", 1), V{});
  EXPECT_EQ(Next("cron(0 0 1 1 ? 2025)", "2026-01-01T00:00:00Z", 1), V{});
}

TEST(CronTest, LeapDay) {
  EXPECT_EQ(
      Next("cron(0 12 29 2 ? *)", "2026-01-01T00:00:00Z", 3),
      (V{"2028-02-29T12:00:00.000Z", "2032-02-29T12:00:00.000Z", "2036-02-29T12:00:00.000Z"}));
  // 2100 is not a leap year.
  EXPECT_EQ(Next("cron(0 12 29 2 ? 2096-2104)", "2097-01-01T00:00:00Z", 1),
            (V{"2104-02-29T12:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 0 L 2 ? *)", "2027-01-01T00:00:00Z", 2),
            (V{"2027-02-28T00:00:00.000Z", "2028-02-29T00:00:00.000Z"}));
}

TEST(CronTest, DayThatNeverExistsEndsQuickly) {
  EXPECT_EQ(Next("cron(0 0 30 2 ? *)", "2026-01-01T00:00:00Z", 1), V{});
  EXPECT_EQ(Next("cron(0 0 31 4,6,9,11 ? *)", "2026-01-01T00:00:00Z", 1), V{});
}

TEST(CronTest, EveryMinuteAcrossYearEnd) {
  EXPECT_EQ(
      Next("cron(* * * * ? *)", "2026-12-31T23:58:30Z", 3),
      (V{"2026-12-31T23:59:00.000Z", "2027-01-01T00:00:00.000Z", "2027-01-01T00:01:00.000Z"}));
}

// --- L, W, # ----------------------------------------------------------------------------------

TEST(CronTest, LastDayOfMonth) {
  EXPECT_EQ(Next("cron(0 0 L * ? *)", "2026-01-15T00:00:00Z", 4),
            (V{"2026-01-31T00:00:00.000Z", "2026-02-28T00:00:00.000Z", "2026-03-31T00:00:00.000Z",
               "2026-04-30T00:00:00.000Z"}));
}

TEST(CronTest, LastWeekdayOfMonth) {
  // 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
  EXPECT_EQ(
      Next("cron(0 0 LW 1,5,6 ? *)", "2026-01-01T00:00:00Z", 3),
      (V{"2026-01-30T00:00:00.000Z", "2026-05-29T00:00:00.000Z", "2026-06-30T00:00:00.000Z"}));
}

TEST(CronTest, NearestWeekday) {
  // 2026-08-15 Saturday -> Friday 14th; 2026-11-15 Sunday -> Monday 16th; 2026-12-15 Tuesday.
  EXPECT_EQ(
      Next("cron(0 9 15W 8,11,12 ? 2026)", "2026-01-01T00:00:00Z", 3),
      (V{"2026-08-14T09:00:00.000Z", "2026-11-16T09:00:00.000Z", "2026-12-15T09:00:00.000Z"}));
  // 1W on Saturday 2026-08-01 stays in the month: Monday the 3rd.
  EXPECT_EQ(Next("cron(0 9 1W 8 ? 2026)", "2026-01-01T00:00:00Z", 1),
            (V{"2026-08-03T09:00:00.000Z"}));
  // 31W on Sunday 2026-05-31 stays in the month: Friday the 29th; 31W in a 30-day month: none.
  EXPECT_EQ(Next("cron(0 9 31W 5,6 ? 2026)", "2026-01-01T00:00:00Z", 2),
            (V{"2026-05-29T09:00:00.000Z"}));
}

TEST(CronTest, NthWeekday) {
  // First Monday (2#1), third Friday (6#3).
  EXPECT_EQ(Next("cron(0 8 ? * 2#1 *)", "2026-11-26T00:00:00Z", 2),
            (V{"2026-12-07T08:00:00.000Z", "2027-01-04T08:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 8 ? * FRI#3 *)", "2026-11-26T00:00:00Z", 1),
            (V{"2026-12-18T08:00:00.000Z"}));
  // A fifth Thursday exists only in some months.
  EXPECT_EQ(Next("cron(0 8 ? * 5#5 2026)", "2026-01-01T00:00:00Z", 4),
            (V{"2026-01-29T08:00:00.000Z", "2026-04-30T08:00:00.000Z", "2026-07-30T08:00:00.000Z",
               "2026-10-29T08:00:00.000Z"}));
}

TEST(CronTest, LastWeekdayInMonth) {
  // 5L = the last Thursday (5 = THU).
  EXPECT_EQ(Next("cron(0 8 ? * 5L *)", "2026-11-01T00:00:00Z", 2),
            (V{"2026-11-26T08:00:00.000Z", "2026-12-31T08:00:00.000Z"}));
  EXPECT_EQ(Next("cron(0 8 ? * FRIL *)", "2026-11-01T00:00:00Z", 1),
            (V{"2026-11-27T08:00:00.000Z"}));
  // L alone in day-of-week: the last day of the week, Saturday.
  EXPECT_EQ(Next("cron(0 8 ? * L *)", "2026-11-26T00:00:00Z", 1), (V{"2026-11-28T08:00:00.000Z"}));
}

// --- time zones and daylight saving ----------------------------------------------------------

TEST(CronTest, NewYorkSpringForwardSkipsTheGap) {
  // 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist that day.
  EXPECT_EQ(
      NextLocal("cron(30 2 * * ? *)", "2026-03-06T12:00:00Z", 3, "America/New_York"),
      (V{"2026-03-07T02:30:00-05:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"}));
  EXPECT_EQ(
      NextLocal("cron(0 * * * ? *)", "2026-03-08T05:30:00Z", 3, "America/New_York"),
      (V{"2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"}));
}

TEST(CronTest, NewYorkFallBackFiresOnce) {
  // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice and fires once (first).
  EXPECT_EQ(Next("cron(30 1 * * ? *)", "2026-10-31T12:00:00Z", 2, "America/New_York"),
            (V{"2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"}));
  EXPECT_EQ(
      NextLocal("cron(0 * * * ? *)", "2026-11-01T04:30:00Z", 3, "America/New_York"),
      (V{"2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"}));
  // Asked from inside the repeated hour, its second occurrence does not fire again.
  EXPECT_EQ(Next("cron(30 1 * * ? *)", "2026-11-01T06:10:00Z", 1, "America/New_York"),
            (V{"2026-11-02T06:30:00.000Z"}));
}

TEST(CronTest, BerlinGapAndOverlap) {
  // 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  EXPECT_EQ(Next("cron(30 2 * * ? *)", "2026-03-28T12:00:00Z", 2, "Europe/Berlin"),
            (V{"2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"}));
  EXPECT_EQ(Next("cron(30 2 * * ? *)", "2026-10-24T12:00:00Z", 2, "Europe/Berlin"),
            (V{"2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"}));
}

TEST(CronTest, FarFutureUsesTheZoneRule) {
  EXPECT_EQ(NextLocal("cron(0 12 4 7 ? 2150)", "2026-01-01T00:00:00Z", 1, "America/New_York"),
            (V{"2150-07-04T12:00:00-04:00"}));
  EXPECT_EQ(NextLocal("cron(0 12 25 12 ? 2150)", "2026-01-01T00:00:00Z", 1, "Europe/Berlin"),
            (V{"2150-12-25T12:00:00+01:00"}));
}

TEST(CronTest, BerlinHourlyThroughTheOverlapFiresOncePerLocalHour) {
  EXPECT_EQ(NextLocal("cron(0 * * * ? *)", "2026-10-24T22:30:00Z", 4, "Europe/Berlin"),
            (V{"2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00",
               "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00"}));
}

TEST(CronTest, RareMatchesAreFoundWithoutScanningMinutes) {
  // The last possible minute: found by skipping years, months and days, not 120M minutes.
  EXPECT_EQ(Next("cron(59 23 31 12 ? 2199)", "1970-01-01T00:00:00Z", 2),
            (V{"2199-12-31T23:59:00.000Z"}));
  // A fifth Monday in February (only in leap years starting on a Monday).
  EXPECT_EQ(Next("cron(0 0 ? 2 2#5 *)", "2026-01-01T00:00:00Z", 2),
            (V{"2044-02-29T00:00:00.000Z", "2072-02-29T00:00:00.000Z"}));
  // Never: found to be empty quickly, also in a zone.
  EXPECT_EQ(Next("cron(0 0 30 2 ? *)", "1970-01-01T00:00:00Z", 1, "America/New_York"), V{});
}

TEST(CronTest, BeforeTheFirstYear) {
  EXPECT_EQ(Next("cron(0 0 1 1 ? 1970)", "1969-06-01T00:00:00Z", 1),
            (V{"1970-01-01T00:00:00.000Z"}));
}

// --- rate and at ------------------------------------------------------------------------------

TEST(RateTest, FromStartDate) {
  auto e = ParseScheduleExpression("rate(5 minutes)");
  ASSERT_TRUE(e.ok());
  auto times =
      NextFireTimes(*e, TimeZone(), At("2026-01-01T00:12:00Z"), 2, At("2026-01-01T00:00:00Z"));
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(Iso(times[0]), "2026-01-01T00:15:00.000Z");
  EXPECT_EQ(Iso(times[1]), "2026-01-01T00:20:00.000Z");
  // A StartDate in the future: the first fire is the StartDate itself.
  times = NextFireTimes(*e, TimeZone(), At("2026-01-01T00:00:00Z"), 1, At("2026-02-01T00:00:00Z"));
  EXPECT_EQ(Iso(times.at(0)), "2026-02-01T00:00:00.000Z");
}

TEST(RateTest, WithoutStartDateFiresAtOnce) {
  EXPECT_EQ(
      Next("rate(1 hour)", "2026-01-01T00:00:30Z", 3),
      (V{"2026-01-01T00:00:30.000Z", "2026-01-01T01:00:30.000Z", "2026-01-01T02:00:30.000Z"}));
}

TEST(RateTest, DaysAre24HoursAcrossDaylightSaving) {
  EXPECT_EQ(
      Next("rate(1 day)", "2026-03-07T12:00:00Z", 3, "America/New_York"),
      (V{"2026-03-07T12:00:00.000Z", "2026-03-08T12:00:00.000Z", "2026-03-09T12:00:00.000Z"}));
}

TEST(AtTest, OnceInTheZone) {
  EXPECT_EQ(Next("at(2026-11-30T03:00:00)", "2026-11-26T00:00:00Z", 5, "Asia/Kolkata"),
            (V{"2026-11-29T21:30:00.000Z"}));
  EXPECT_EQ(Next("at(2026-11-30T03:00:00)", "2026-11-30T03:00:00Z", 5), V{});
  // In the gap: never; in the overlap: the first occurrence.
  EXPECT_EQ(Next("at(2026-03-08T02:30:00)", "2026-01-01T00:00:00Z", 1, "America/New_York"), V{});
  EXPECT_EQ(Next("at(2026-11-01T01:30:00)", "2026-01-01T00:00:00Z", 1, "America/New_York"),
            (V{"2026-11-01T05:30:00.000Z"}));
}

// --- invalid expressions ----------------------------------------------------------------------

TEST(InvalidTest, BothDaysSpecified) {
  EXPECT_EQ(ErrorOf("cron(0 3 * * MON *)"),
            "cron(0 3 * * MON *): day-of-month and day-of-week cannot both be specified; use '?' "
            "in one of them");
  EXPECT_EQ(ErrorOf("cron(0 3 * * * *)"),
            "cron(0 3 * * * *): day-of-month and day-of-week cannot both be specified; use '?' in "
            "one of them");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * ? *)"),
            "cron(0 3 ? * ? *): day-of-month and day-of-week cannot both be '?'; use '?' in "
            "exactly one of them");
}

TEST(InvalidTest, FieldCount) {
  EXPECT_EQ(ErrorOf("cron(0 3 ? * MON)"),
            "cron(0 3 ? * MON): a cron expression has six required fields (minutes hours "
            "day-of-month month day-of-week year); found 5");
  EXPECT_NE(ErrorOf("cron()").find("found 0"), std::string::npos);
  EXPECT_NE(ErrorOf("cron(0 0 3 ? * MON *)").find("found 7"), std::string::npos);
}

TEST(InvalidTest, Ranges) {
  EXPECT_EQ(ErrorOf("cron(60 3 ? * MON *)"),
            "cron(60 3 ? * MON *): minutes: value 60 is out of range 0-59");
  EXPECT_EQ(ErrorOf("cron(0 24 ? * MON *)"),
            "cron(0 24 ? * MON *): hours: value 24 is out of range 0-23");
  EXPECT_EQ(ErrorOf("cron(0 3 0 * ? *)"),
            "cron(0 3 0 * ? *): day-of-month: value 0 is out of range 1-31");
  EXPECT_EQ(ErrorOf("cron(0 3 32 * ? *)"),
            "cron(0 3 32 * ? *): day-of-month: value 32 is out of range 1-31");
  EXPECT_EQ(ErrorOf("cron(0 3 1 13 ? *)"),
            "cron(0 3 1 13 ? *): month: value 13 is out of range 1-12");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 0 *)"),
            "cron(0 3 ? * 0 *): day-of-week: value 0 is out of range 1-7");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 8 *)"),
            "cron(0 3 ? * 8 *): day-of-week: value 8 is out of range 1-7");
  EXPECT_EQ(ErrorOf("cron(0 3 1 * ? 1969)"),
            "cron(0 3 1 * ? 1969): year: value 1969 is out of range 1970-2199");
  EXPECT_EQ(ErrorOf("cron(0 3 1 * ? 2200)"),
            "cron(0 3 1 * ? 2200): year: value 2200 is out of range 1970-2199");
  EXPECT_EQ(ErrorOf("cron(0 10-8 * * ? *)"),
            "cron(0 10-8 * * ? *): hours: the range '10-8' goes backwards; write its start first "
            "(ranges do not wrap)");
}

TEST(InvalidTest, BadValuesAndNames) {
  EXPECT_EQ(ErrorOf("cron(0 3 1 FOO ? *)"),
            "cron(0 3 1 FOO ? *): month: 'FOO' is not a valid value (1-12 or JAN-DEC)");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * MONDAY *)"),
            "cron(0 3 ? * MONDAY *): day-of-week: 'MONDAY' is not a valid value (1-7 or SUN-SAT, "
            "1 = SUN)");
  EXPECT_EQ(ErrorOf("cron(x 3 1 * ? *)"),
            "cron(x 3 1 * ? *): minutes: 'x' is not a valid value (0-59)");
  EXPECT_EQ(ErrorOf("cron(0 MON 1 * ? *)"),
            "cron(0 MON 1 * ? *): hours: 'MON' is not a valid value (0-23)");
  EXPECT_EQ(ErrorOf("cron(0,,5 3 1 * ? *)"),
            "cron(0,,5 3 1 * ? *): minutes: empty item in the list '0,,5'");
  EXPECT_EQ(ErrorOf("cron(-5 3 1 * ? *)"), "cron(-5 3 1 * ? *): minutes: empty value (0-59)");
}

TEST(InvalidTest, WildcardsNotAllowedInAField) {
  EXPECT_EQ(ErrorOf("cron(? 3 1 * ? *)"),
            "cron(? 3 1 * ? *): minutes: '?' is not allowed in this field; its wildcards are , - "
            "* /");
  EXPECT_EQ(ErrorOf("cron(0 3 1 ? * *)").substr(0, 45),
            "cron(0 3 1 ? * *): month: '?' is not allowed ");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * MON/2 *)"),
            "cron(0 3 ? * MON/2 *): day-of-week: '/' is not allowed in this field; its wildcards "
            "are , - * ? L #");
  EXPECT_EQ(ErrorOf("cron(0 3 1# * ? *)"),
            "cron(0 3 1# * ? *): day-of-month: '#' is not allowed in this field; its wildcards "
            "are , - * ? / L W");
  EXPECT_EQ(ErrorOf("cron(L 3 1 * ? *)"),
            "cron(L 3 1 * ? *): minutes: 'L' is not allowed in this field; its wildcards are , - "
            "* /");
  EXPECT_EQ(ErrorOf("cron(0 3 1 * ? L)"),
            "cron(0 3 1 * ? L): year: 'L' is not allowed in this field; its wildcards are , - * /");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 2W *)"),
            "cron(0 3 ? * 2W *): day-of-week: 'W' is not allowed in this field; its wildcards "
            "are , - * ? L #");
  EXPECT_EQ(ErrorOf("cron(0 3 1,? * ? *)"),
            "cron(0 3 1,? * ? *): day-of-month: '?' must stand alone in the field");
}

TEST(InvalidTest, Steps) {
  EXPECT_EQ(ErrorOf("cron(0/0 3 1 * ? *)"),
            "cron(0/0 3 1 * ? *): minutes: the increment in '0/0' must be a whole number from 1 "
            "to 60");
  EXPECT_EQ(ErrorOf("cron(0/61 3 1 * ? *)"),
            "cron(0/61 3 1 * ? *): minutes: the increment in '0/61' must be a whole number from "
            "1 to 60");
  EXPECT_EQ(ErrorOf("cron(0/x 3 1 * ? *)"),
            "cron(0/x 3 1 * ? *): minutes: the increment in '0/x' must be a whole number from 1 "
            "to 60");
}

TEST(InvalidTest, LWAndHash) {
  EXPECT_EQ(ErrorOf("cron(0 3 1,L * ? *)"),
            "cron(0 3 1,L * ? *): day-of-month: '1,L': L and W must stand alone: 'L' (last day of "
            "the month), 'LW' (last weekday of the month) or 'nW' (the weekday nearest day n, n "
            "1-31)");
  EXPECT_NE(ErrorOf("cron(0 3 L-2 * ? *)").find("L and W must stand alone"), std::string::npos);
  EXPECT_NE(ErrorOf("cron(0 3 1-5W * ? *)").find("L and W must stand alone"), std::string::npos);
  EXPECT_EQ(ErrorOf("cron(0 3 32W * ? *)"),
            "cron(0 3 32W * ? *): day-of-month: '32W': the day before W must be from 1 to 31");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 3#1,6#3 *)"),
            "cron(0 3 ? * 3#1,6#3 *): day-of-week: with '#' the field can hold only one "
            "expression ('3#1,6#3' holds several)");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 3#6 *)"),
            "cron(0 3 ? * 3#6 *): day-of-week: '3#6': the number after '#' must be from 1 to 5");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 8#1 *)"),
            "cron(0 3 ? * 8#1 *): day-of-week: value 8 is out of range 1-7");
  EXPECT_EQ(ErrorOf("cron(0 3 ? * 1-5L *)"),
            "cron(0 3 ? * 1-5L *): day-of-week: '1-5L': 'nL' (the last day n of the month) must "
            "stand alone");
}

TEST(InvalidTest, Rate) {
  EXPECT_EQ(ErrorOf("rate(1 hours)"),
            "rate(1 hours): with the value 1 the unit must be singular: rate(1 hour)");
  EXPECT_EQ(ErrorOf("rate(5 hour)"),
            "rate(5 hour): with a value other than 1 the unit must be plural: rate(5 hours)");
  EXPECT_EQ(ErrorOf("rate(1 minutes)"),
            "rate(1 minutes): with the value 1 the unit must be singular: rate(1 minute)");
  EXPECT_EQ(ErrorOf("rate(2 day)"),
            "rate(2 day): with a value other than 1 the unit must be plural: rate(2 days)");
  EXPECT_EQ(ErrorOf("rate(0 minutes)"),
            "rate(0 minutes): the value '0' must be a positive whole number (at most 9 digits)");
  EXPECT_EQ(ErrorOf("rate(-5 minutes)"),
            "rate(-5 minutes): the value '-5' must be a positive whole number (at most 9 digits)");
  EXPECT_EQ(ErrorOf("rate(1.5 hours)"),
            "rate(1.5 hours): the value '1.5' must be a positive whole number (at most 9 digits)");
  EXPECT_EQ(ErrorOf("rate(5 seconds)"),
            "rate(5 seconds): the unit 'seconds' must be one of minute | minutes | hour | hours "
            "| day | days");
  EXPECT_EQ(ErrorOf("rate(5 Minutes)"),
            "rate(5 Minutes): the unit 'Minutes' must be one of minute | minutes | hour | hours "
            "| day | days");
  EXPECT_EQ(ErrorOf("rate(5)"),
            "rate(5): a rate expression is rate(value unit), for example rate(5 minutes)");
}

TEST(InvalidTest, At) {
  const std::string shape =
      ": an at expression is at(yyyy-mm-ddThh:mm:ss), for example at(2026-11-30T03:00:00), with "
      "no zone or fraction (the zone is the schedule's)";
  EXPECT_EQ(ErrorOf("at(2026-11-30T03:00:00Z)"), "at(2026-11-30T03:00:00Z)" + shape);
  EXPECT_EQ(ErrorOf("at(2026-11-30 03:00:00)"), "at(2026-11-30 03:00:00)" + shape);
  EXPECT_EQ(ErrorOf("at(2026-11-30T03:00)"), "at(2026-11-30T03:00)" + shape);
  EXPECT_EQ(ErrorOf("at(2027-02-29T03:00:00)"),
            "at(2027-02-29T03:00:00): day 29 does not exist in 2027-02");
  EXPECT_EQ(ErrorOf("at(2026-13-01T03:00:00)"), "at(2026-13-01T03:00:00): month 13 is not 1-12");
  EXPECT_EQ(ErrorOf("at(2026-12-01T24:00:00)"), "at(2026-12-01T24:00:00): hour 24 is not 0-23");
  EXPECT_TRUE(ParseScheduleExpression("at(2028-02-29T00:00:00)").ok());
}

TEST(InvalidTest, Kind) {
  EXPECT_EQ(ErrorOf("every monday"),
            "'every monday': a schedule expression is cron(minutes hours day-of-month month "
            "day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)");
  EXPECT_EQ(ErrorOf("CRON(0 3 ? * MON *)"),
            "'CRON(0 3 ? * MON *)': unknown schedule type 'CRON'; use cron(...), rate(...) or "
            "at(...) (lowercase)");
  EXPECT_EQ(ErrorOf(""),
            "'': a schedule expression is cron(minutes hours day-of-month month day-of-week "
            "year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)");
}

TEST(ValidTest, AcceptedForms) {
  for (const char* text :
       {"cron(0 3 ? * MON *)", "cron(0/15 * * * ? *)", "cron(0 8 ? * MON-FRI 2026-2030)",
        "cron(0 18 ? * L *)", "cron(0 18 L * ? *)", "cron(0 18 LW * ? *)", "cron(0 18 15W * ? *)",
        "cron(0 18 ? * 6#3 *)", "cron(0 18 ? * 6L *)", "cron(5,35 14 * * ? *)",
        "cron(0 0 1 JAN-MAR ? *)", "cron(*/5 */2 1/3 */4 ? */10)", "rate(1 minute)",
        "rate(15 minutes)", "rate(1 day)", "rate(7 days)", "at(2026-11-30T03:00:00)"}) {
    auto e = ParseScheduleExpression(text);
    EXPECT_TRUE(e.ok()) << text << ": " << (e.ok() ? "" : e.error().cause);
  }
}

}  // namespace
}  // namespace autoretrain::scheduler
