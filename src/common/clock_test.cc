#include "autoretrain/common/clock.h"

#include <gtest/gtest.h>

#include <chrono>

namespace autoretrain {
namespace {

using std::chrono::milliseconds;

TimePoint Ms(long long ms) { return TimePoint(milliseconds(ms)); }

// Parses or fails the test; returns milliseconds since the epoch.
long long ParseMs(const std::string& text) {
  TimePoint t;
  EXPECT_TRUE(ParseIso8601(text, &t)) << text;
  return t.time_since_epoch().count();
}

TEST(FormatIso8601Test, EpochAndMilliseconds) {
  EXPECT_EQ(FormatIso8601(Ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(Ms(1)), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatIso8601(Ms(1'796'007'600'123)), "2026-11-30T03:00:00.123Z");
}

TEST(FormatIso8601Test, LeapDayAndYearEnd) {
  EXPECT_EQ(FormatIso8601(Ms(951'782'400'000)), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(Ms(1'735'689'599'999)), "2024-12-31T23:59:59.999Z");
}

TEST(FormatIso8601Test, BeforeTheEpoch) {
  EXPECT_EQ(FormatIso8601(Ms(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(Ms(-1000)), "1969-12-31T23:59:59.000Z");
  EXPECT_EQ(FormatIso8601(Ms(-86'400'000)), "1969-12-31T00:00:00.000Z");
}

TEST(ParseIso8601Test, UtcWithAndWithoutFraction) {
  EXPECT_EQ(ParseMs("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00Z"), 1'796'007'600'000);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00.123Z"), 1'796'007'600'123);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00.1Z"), 1'796'007'600'100);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00.12Z"), 1'796'007'600'120);
  // Digits beyond milliseconds are accepted and truncated.
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00.123999999Z"), 1'796'007'600'123);
}

TEST(ParseIso8601Test, Offsets) {
  EXPECT_EQ(ParseMs("2026-11-30T05:00:00+02:00"), 1'796'007'600'000);
  EXPECT_EQ(ParseMs("2026-11-29T22:30:00-04:30"), 1'796'007'600'000);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00+00:00"), 1'796'007'600'000);
  EXPECT_EQ(ParseMs("2026-11-30T03:00:00-00:00"), 1'796'007'600'000);
  EXPECT_EQ(ParseMs("1970-01-01T00:00:00.5+01:00"), -3'599'500);
}

TEST(ParseIso8601Test, LeapYears) {
  EXPECT_EQ(ParseMs("2024-02-29T00:00:00Z"), 1'709'164'800'000);
  EXPECT_EQ(ParseMs("2000-02-29T00:00:00Z"), 951'782'400'000);
  TimePoint t;
  EXPECT_FALSE(ParseIso8601("2023-02-29T00:00:00Z", &t));
  EXPECT_FALSE(ParseIso8601("1900-02-29T00:00:00Z", &t));  // divisible by 100, not 400
}

TEST(ParseIso8601Test, RoundTripsWithFormat) {
  for (long long ms : {0LL, 1LL, 999LL, 1'796'007'600'123LL, 4'102'444'799'999LL, -1LL}) {
    TimePoint t;
    ASSERT_TRUE(ParseIso8601(FormatIso8601(Ms(ms)), &t)) << ms;
    EXPECT_EQ(t.time_since_epoch().count(), ms);
  }
}

TEST(ParseIso8601Test, RejectsInvalidText) {
  const TimePoint sentinel = Ms(42);
  for (const char* bad : {
           "",
           "2026-11-30",
           "2026-11-30T03:00:00",        // no zone
           "2026-11-30t03:00:00Z",       // lowercase t
           "2026-11-30 03:00:00Z",       // space instead of T
           "2026-11-30T03:00:00z",       // lowercase z
           "2026-11-30T03:00Z",          // no seconds
           "2026-13-01T00:00:00Z",       // month 13
           "2026-00-01T00:00:00Z",       // month 0
           "2026-04-31T00:00:00Z",       // April has 30 days
           "2026-01-32T00:00:00Z",       // day 32
           "2026-01-00T00:00:00Z",       // day 0
           "2026-01-01T24:00:00Z",       // hour 24
           "2026-01-01T00:60:00Z",       // minute 60
           "2026-01-01T00:00:61Z",       // second 61
           "2026-01-01T00:00:00.Z",      // fraction without digits
           "2026-01-01T00:00:00+0100",   // offset without colon
           "2026-01-01T00:00:00+01",     // offset without minutes
           "2026-01-01T00:00:00+24:00",  // offset hour out of range
           "2026-01-01T00:00:00+01:60",  // offset minute out of range
           "2026-01-01T00:00:00Z ",      // trailing space
           " 2026-01-01T00:00:00Z",      // leading space
           "2026-01-01T00:00:00ZZ",      // trailing garbage
           "26-01-01T00:00:00Z",         // two-digit year
           "2026-1-01T00:00:00Z",        // one-digit month
           "2026/01/01T00:00:00Z",       // wrong separators
           "2026-01-01T00:00:0aZ",       // non-digit
           "not a timestamp",
       }) {
    TimePoint t = sentinel;
    EXPECT_FALSE(ParseIso8601(bad, &t)) << "accepted: " << bad;
    EXPECT_EQ(t, sentinel) << "modified output for: " << bad;
  }
}

TEST(ManualClockTest, AdvancesOnlyWhenToldOrSleeping) {
  ManualClock clock(Ms(1000));
  EXPECT_EQ(clock.Now(), Ms(1000));
  clock.Advance(milliseconds(500));
  EXPECT_EQ(clock.Now(), Ms(1500));
  clock.SleepUntil(Ms(3000));
  EXPECT_EQ(clock.Now(), Ms(3000));
  clock.SleepUntil(Ms(2000));  // already past: no change
  EXPECT_EQ(clock.Now(), Ms(3000));
}

TEST(SystemClockTest, NowIsRecentAndSleepUntilThePastReturns) {
  SystemClock clock;
  TimePoint before = clock.Now();
  EXPECT_GT(before, Ms(1'700'000'000'000));  // after November 2023
  clock.SleepUntil(before - milliseconds(1000));
  EXPECT_GE(clock.Now(), before);
}

}  // namespace
}  // namespace autoretrain
