// $fromMillis and $toMillis against every case of the JSONata reference suite's
// function-fromMillis and function-tomillis groups (arguments transcribed from each case's
// expression; the composite expressions are spelled out as the calls they make; undefined inputs
// are the evaluator's), plus calendar edge cases.
#include <optional>

#include <gtest/gtest.h>

#include "jsonata/picture_datetime.h"
#include "jsonata/picture_format.h"

namespace autoretrain::jsonata {
namespace {

struct FromMillisCase {
  const char* expr;
  int64_t millis;
  std::optional<const char*> picture;
  std::optional<const char*> timezone;
  const char* result;  // nullptr when an error is expected
  const char* code;
};

const FromMillisCase kFromMillisCases[] = {
    {"$fromMillis(1)", 1LL, std::nullopt, std::nullopt, "1970-01-01T00:00:00.001Z", nullptr},
    {"$fromMillis(1509380732935)", 1509380732935LL, std::nullopt, std::nullopt,
     "2017-10-30T16:25:32.935Z", nullptr},
    {"$fromMillis(1521801216617, 'Hello')", 1521801216617LL, "Hello", std::nullopt, "Hello",
     nullptr},
    {"$fromMillis(1521801216617, 'Year: [Y0001]')", 1521801216617LL, "Year: [Y0001]", std::nullopt,
     "Year: 2018", nullptr},
    {"$fromMillis(1521801216617, 'Year: <[Y0001]>')", 1521801216617LL, "Year: <[Y0001]>",
     std::nullopt, "Year: <2018>", nullptr},
    {"$fromMillis(1521801216617, 'Year: <[Y9,999,*]>')", 1521801216617LL, "Year: <[Y9,999,*]>",
     std::nullopt, "Year: <2,018>", nullptr},
    {"$fromMillis(1521801216617, '[[Year: <[Y0001]>')", 1521801216617LL, "[[Year: <[Y0001]>",
     std::nullopt, "[Year: <2018>", nullptr},
    {"$fromMillis(1521801216617, 'Year]]: <[Y0001]>')", 1521801216617LL, "Year]]: <[Y0001]>",
     std::nullopt, "Year]: <2018>", nullptr},
    {"$fromMillis(1521801216617, '[[Year]]: [[[Y0001]]]')", 1521801216617LL,
     "[[Year]]: [[[Y0001]]]", std::nullopt, "[Year]: [2018]", nullptr},
    {"$fromMillis(1521801216617, '[D#1]/[M#1]/[Y0001]')", 1521801216617LL, "[D#1]/[M#1]/[Y0001]",
     std::nullopt, "23/3/2018", nullptr},
    {"$fromMillis(1522616700000, '[F0] [FNn]')", 1522616700000LL, "[F0] [FNn]", std::nullopt,
     "7 Sunday", nullptr},
    {"$fromMillis(1522703100000, '[F0] [FNn]')", 1522703100000LL, "[F0] [FNn]", std::nullopt,
     "1 Monday", nullptr},
    {"$fromMillis(1521801216617, '[Y0001]-[M01]-[D01]')", 1521801216617LL, "[Y0001]-[M01]-[D01]",
     std::nullopt, "2018-03-23", nullptr},
    {"$fromMillis(1521801216617, '[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]')", 1521801216617LL,
     "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", std::nullopt, "03/23/2018 at 10:33:36", nullptr},
    {"$fromMillis(1521801216617, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]')", 1521801216617LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", std::nullopt, "2018-03-23T10:33:36.617Z",
     nullptr},
    {"$fromMillis(1521801216617, '[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]')",
     1521801216617LL, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", std::nullopt,
     "2018-03-23T10:33:36.617Z", nullptr},
    {"$fromMillis(1521801216617, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0100')",
     1521801216617LL, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100",
     "2018-03-23T11:33:36.617+0100", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", std::nullopt, "2018-07-11T12:00:00+00:00", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", std::nullopt, "2018-07-11T12:00:00Z", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]', '-0500')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500", "2018-07-11T07:00:00-05:00", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '-0500')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500", "2018-07-11T07:00:00-5", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]', '+1000')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000", "2018-07-11T22:00:00+10:00", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '+1000')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000", "2018-07-11T22:00:00+10", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '+0530')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530", "2018-07-11T17:30:00+5:30", nullptr},
    {"$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][z]', '-0500')", 1531310400000LL,
     "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500", "2018-07-11T07:00:00GMT-05:00", nullptr},
    {"$fromMillis(1204405500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0530')",
     1204405500000LL, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530",
     "2008-03-02T02:35:00.000+0530", nullptr},
    {"$fromMillis(1230757500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0530')",
     1230757500000LL, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530",
     "2009-01-01T02:35:00.000+0530", nullptr},
    {"$fromMillis(1230757500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]', '+0530')",
     1230757500000LL, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530", nullptr, "D3134"},
    {"$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y,2]')", 1521801216617LL, "[D#1,2]/[M1,2]/[Y,2]",
     std::nullopt, "23/03/18", nullptr},
    {"$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y0001,2]')", 1521801216617LL,
     "[D#1,2]/[M1,2]/[Y0001,2]", std::nullopt, "23/03/2018", nullptr},
    {"$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y##01,2-2]')", 1521801216617LL,
     "[D#1,2]/[M1,2]/[Y##01,2-2]", std::nullopt, "23/03/18", nullptr},
    {"$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y0001,2-2]')", 1521801216617LL,
     "[D#1,2]/[M1,2]/[Y0001,2-2]", std::nullopt, "23/03/18", nullptr},
    {"$fromMillis(1521801216617, '[D1] [M01] [YI]')", 1521801216617LL, "[D1] [M01] [YI]",
     std::nullopt, "23 03 MMXVIII", nullptr},
    {"$fromMillis(1521801216617, '[Da] [MA] [Yi]')", 1521801216617LL, "[Da] [MA] [Yi]",
     std::nullopt, "w C mmxviii", nullptr},
    {"$fromMillis(1521801216617, '[D1o] [M01] [Y]')", 1521801216617LL, "[D1o] [M01] [Y]",
     std::nullopt, "23rd 03 2018", nullptr},
    {"$fromMillis(1521801216617, '[Yw]')", 1521801216617LL, "[Yw]", std::nullopt,
     "two thousand and eighteen", nullptr},
    {"$fromMillis(1521801216617, '[Dwo] [M01] [Y]')", 1521801216617LL, "[Dwo] [M01] [Y]",
     std::nullopt, "twenty-third 03 2018", nullptr},
    {"$fromMillis(1521801216617, '[D1o] [MNn] [Y]')", 1521801216617LL, "[D1o] [MNn] [Y]",
     std::nullopt, "23rd March 2018", nullptr},
    {"$fromMillis(1521801216617, '[D1o] [MN] [Y]')", 1521801216617LL, "[D1o] [MN] [Y]",
     std::nullopt, "23rd MARCH 2018", nullptr},
    {"$fromMillis(1521801216617, '[FNn], [D1o] [MNn] [Y]')", 1521801216617LL,
     "[FNn], [D1o] [MNn] [Y]", std::nullopt, "Friday, 23rd March 2018", nullptr},
    {"$fromMillis(1521801216617, '[FNn], the [Dwo] of [MNn] [Y] [E]')", 1521801216617LL,
     "[FNn], the [Dwo] of [MNn] [Y] [E]", std::nullopt,
     "Friday, the twenty-third of March 2018 ISO", nullptr},
    {"$fromMillis(1521801216617, '[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]')", 1521801216617LL,
     "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", std::nullopt, "Fri, 23rd Mar 2018 ISO", nullptr},
    {"$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')", 1521801216617LL,
     "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt, "friday, 23/3/2018 10:33:36 am", nullptr},
    {"$fromMillis(1204405500000, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')", 1204405500000LL,
     "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt, "saturday, 1/3/2008 9:05:00 pm", nullptr},
    {"$fromMillis(1199664000000, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')", 1199664000000LL,
     "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt, "monday, 7/1/2008 12:00:00 am", nullptr},
    {"$fromMillis(1514808000000, '[dwo] day of the year')", 1514808000000LL,
     "[dwo] day of the year", std::nullopt, "first day of the year", nullptr},
    {"$fromMillis(1546257600000, '[d] days in [Y0001]')", 1546257600000LL, "[d] days in [Y0001]",
     std::nullopt, "365 days in 2018", nullptr},
    {"$fromMillis(1483185600000, '[d] days in [Y0001]')", 1483185600000LL, "[d] days in [Y0001]",
     std::nullopt, "366 days in 2016", nullptr},
    {"$fromMillis(1514808000000, 'Week: [W]')", 1514808000000LL, "Week: [W]", std::nullopt,
     "Week: 1", nullptr},
    {"$fromMillis(1515326400000, 'Week: [W]')", 1515326400000LL, "Week: [W]", std::nullopt,
     "Week: 1", nullptr},
    {"$fromMillis(1545739200000, 'Week: [W]')", 1545739200000LL, "Week: [W]", std::nullopt,
     "Week: 52", nullptr},
    {"$fromMillis(1388577600000, 'Week: [W]')", 1388577600000LL, "Week: [W]", std::nullopt,
     "Week: 1", nullptr},
    {"$fromMillis(1419854400000, 'Week: [W]')", 1419854400000LL, "Week: [W]", std::nullopt,
     "Week: 1", nullptr},
    {"$fromMillis(1419768000000, 'Week: [W]')", 1419768000000LL, "Week: [W]", std::nullopt,
     "Week: 52", nullptr},
    {"$fromMillis(1419336000000, 'Week: [W]')", 1419336000000LL, "Week: [W]", std::nullopt,
     "Week: 52", nullptr},
    {"$fromMillis(1420113600000, 'Week: [W]')", 1420113600000LL, "Week: [W]", std::nullopt,
     "Week: 1", nullptr},
    {"$fromMillis(1420459200000, 'Week: [W]')", 1420459200000LL, "Week: [W]", std::nullopt,
     "Week: 2", nullptr},
    {"$fromMillis(1451304000000, 'Week: [W]')", 1451304000000LL, "Week: [W]", std::nullopt,
     "Week: 53", nullptr},
    {"$fromMillis(1451563200000, 'Week: [W]')", 1451563200000LL, "Week: [W]", std::nullopt,
     "Week: 53", nullptr},
    {"$fromMillis(1451736000000, 'Week: [W]')", 1451736000000LL, "Week: [W]", std::nullopt,
     "Week: 53", nullptr},
    {"$fromMillis(1359460800000, 'Week: [w] of [xNn]')", 1359460800000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 5 of January", nullptr},
    {"$fromMillis(1359633600000, 'Week: [w] of [xNn]')", 1359633600000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 5 of January", nullptr},
    {"$fromMillis(1359720000000, 'Week: [w] of [xNn]')", 1359720000000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 5 of January", nullptr},
    {"$fromMillis(1514808000000, 'Week: [w] of [xNn]')", 1514808000000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 1 of January", nullptr},
    {"$fromMillis(1483272000000, 'Week: [w] of [xNn]')", 1483272000000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 5 of December", nullptr},
    {"$fromMillis(1533038400000, 'Week: [w] of [xNn]')", 1533038400000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 1 of August", nullptr},
    {"$fromMillis(1419940800000, 'Week: [w] of [xNn]')", 1419940800000LL, "Week: [w] of [xNn]",
     std::nullopt, "Week: 1 of January", nullptr},
    {"$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]')", 1521801216617LL,
     "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", std::nullopt, "friday, 23/3/2018 10:33:36 AM", nullptr},
    {"$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]')", 1521801216617LL,
     "[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]", std::nullopt, "friday, 23/3/2018 10:33:36 am", nullptr},
    {"$fromMillis(1419940800000, '[YN]-[M]-[D]')", 1419940800000LL, "[YN]-[M]-[D]", std::nullopt,
     nullptr, "D3133"},
    {"$fromMillis(1419940800000, '[YN]-[M')", 1419940800000LL, "[YN]-[M", std::nullopt, nullptr,
     "D3135"},
};

std::optional<std::string_view> View(std::optional<const char*> text) {
  if (!text) return std::nullopt;
  return std::string_view(*text);
}

// A parse result as text: the milliseconds, "undefined", or the error code and message.
std::string Describe(const Result<std::optional<int64_t>>& result) {
  if (!result.ok()) return result.error().error + ": " + result.error().cause;
  if (!result->has_value()) return "undefined";
  return std::to_string(**result);
}

TEST(FromMillisConformance, EveryCase) {
  for (const auto& c : kFromMillisCases) {
    SCOPED_TRACE(c.expr);
    auto result = FormatDateTime(c.millis, View(c.picture), View(c.timezone));
    if (c.result != nullptr) {
      ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
      EXPECT_EQ(*result, c.result);
    } else {
      ASSERT_FALSE(result.ok()) << "got " << *result;
      EXPECT_EQ(result.error().error, c.code) << result.error().cause;
    }
  }
}

// $toMillis('2018-10-21T13:05:00Z').[$fromMillis(), $fromMillis($, (),'-0500'),
//   $fromMillis($, (),'0000')]
TEST(FromMillisConformance, DefaultPictureWithTimezones) {
  auto millis = ParseDateTime("2018-10-21T13:05:00Z", std::nullopt);
  ASSERT_TRUE(millis.ok() && millis->has_value());
  EXPECT_EQ(*FormatDateTime(**millis, std::nullopt, std::nullopt), "2018-10-21T13:05:00.000Z");
  EXPECT_EQ(*FormatDateTime(**millis, std::nullopt, "-0500"), "2018-10-21T08:05:00.000-05:00");
  EXPECT_EQ(*FormatDateTime(**millis, std::nullopt, "0000"), "2018-10-21T13:05:00.000Z");
}

// isoWeekDate.json: ($ts := $toMillis(DATE, '[Y]-[M]-[D]'); $fromMillis($ts,
//   '[X0001]-W[W01]-[F1]'))
TEST(FromMillisConformance, IsoWeekDates) {
  const std::pair<const char*, const char*> kCases[] = {
      {"2005-01-01", "2004-W53-6"}, {"2005-01-02", "2004-W53-7"}, {"2005-12-31", "2005-W52-6"},
      {"2006-01-01", "2005-W52-7"}, {"2006-01-02", "2006-W01-1"}, {"2006-12-31", "2006-W52-7"},
      {"2007-01-01", "2007-W01-1"}, {"2007-12-30", "2007-W52-7"}, {"2007-12-31", "2008-W01-1"},
      {"2008-01-01", "2008-W01-2"}, {"2008-12-28", "2008-W52-7"}, {"2008-12-29", "2009-W01-1"},
      {"2008-12-30", "2009-W01-2"}, {"2008-12-31", "2009-W01-3"}, {"2009-01-01", "2009-W01-4"},
      {"2009-12-31", "2009-W53-4"}, {"2010-01-01", "2009-W53-5"}, {"2010-01-02", "2009-W53-6"},
      {"2010-01-03", "2009-W53-7"},
  };
  for (const auto& [date, expected] : kCases) {
    SCOPED_TRACE(date);
    auto millis = ParseDateTime(date, "[Y]-[M]-[D]");
    ASSERT_TRUE(millis.ok()) << millis.error().cause;
    ASSERT_TRUE(millis->has_value());
    auto text = FormatDateTime(**millis, "[X0001]-W[W01]-[F1]", std::nullopt);
    ASSERT_TRUE(text.ok()) << text.error().cause;
    EXPECT_EQ(*text, expected);
  }
}

struct ToMillisCase {
  const char* expr;
  const char* timestamp;
  std::optional<const char*> picture;
  int64_t millis;
  const char* formatted;  // the case pipes the result into $fromMillis()
  bool undefined;
  const char* code;
};

const ToMillisCase kToMillisCases[] = {
    {"$toMillis(\"1970-01-01T00:00:00.001Z\")", "1970-01-01T00:00:00.001Z", std::nullopt, 1LL,
     nullptr, false, nullptr},
    {"$toMillis(\"2018-02-01T09:42:13.123+0000\")", "2018-02-01T09:42:13.123+0000", std::nullopt,
     1517478133123LL, nullptr, false, nullptr},
    {"$toMillis(\"2017-10-30\")", "2017-10-30", std::nullopt, 1509321600000LL, nullptr, false,
     nullptr},
    {"$toMillis(\"2017-10-30T15:28:34Z\")", "2017-10-30T15:28:34Z", std::nullopt, 1509377314000LL,
     nullptr, false, nullptr},
    {"$toMillis(\"2018\")", "2018", std::nullopt, 1514764800000LL, nullptr, false, nullptr},
    {"$toMillis(\"foo\")", "foo", std::nullopt, 0, nullptr, false, "D3110"},
    {"$toMillis(\"01-02-2018\")", "01-02-2018", std::nullopt, 0, nullptr, false, "D3110"},
    {"$toMillis(\"2018-02-03 11:15:33\")", "2018-02-03 11:15:33", std::nullopt, 0, nullptr, false,
     "D3110"},
    {"$toMillis(\"201802\", \"[Y0001][M01]\")", "201802", "[Y0001][M01]", 1517443200000LL, nullptr,
     false, nullptr},
    {"$toMillis(\"201802\", \"[Y,*-4][M01]\")", "201802", "[Y,*-4][M01]", 1517443200000LL, nullptr,
     false, nullptr},
    {"$toMillis(\"20180205\", \"[Y0001][M01][D01]\")", "20180205", "[Y0001][M01][D01]",
     1517788800000LL, nullptr, false, nullptr},
    {"$toMillis('Hello', 'Hello')", "Hello", "Hello", 0, nullptr, true, nullptr},
    {"$toMillis('2018', '[Y1]')", "2018", "[Y1]", 1514764800000LL, nullptr, false, nullptr},
    {"$toMillis('2018-03-27', '[Y1]-[M01]-[D01]')", "2018-03-27", "[Y1]-[M01]-[D01]",
     1522108800000LL, nullptr, false, nullptr},
    {"$toMillis('2018-03-27T14:03:00.123Z', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z')",
     "2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z", 1522159380123LL,
     nullptr, false, nullptr},
    {"$toMillis('27th 3 1976', '[D1o] [M#1] [Y0001]')", "27th 3 1976", "[D1o] [M#1] [Y0001]",
     196732800000LL, nullptr, false, nullptr},
    {"$toMillis('21st 12 1881', '[D1o] [M01] [Y0001]')", "21st 12 1881", "[D1o] [M01] [Y0001]",
     -2777932800000LL, nullptr, false, nullptr},
    {"$toMillis('2nd 12 2012', '[D1o] [M01] [Y0001]')", "2nd 12 2012", "[D1o] [M01] [Y0001]",
     1354406400000LL, nullptr, false, nullptr},
    {"$toMillis('MCMLXXXIV', '[YI]')", "MCMLXXXIV", "[YI]", 441763200000LL, nullptr, false,
     nullptr},
    {"$toMillis('27 03 MMXVIII', '[D1] [M01] [YI]')", "27 03 MMXVIII", "[D1] [M01] [YI]",
     1522108800000LL, nullptr, false, nullptr},
    {"$toMillis('27 iii MMXVIII', '[D1] [Mi] [YI]')", "27 iii MMXVIII", "[D1] [Mi] [YI]",
     1522108800000LL, nullptr, false, nullptr},
    {"$toMillis('w C mmxviii', '[Da] [MA] [Yi]')", "w C mmxviii", "[Da] [MA] [Yi]", 1521763200000LL,
     nullptr, false, nullptr},
    {"$toMillis('ae C mmxviii', '[Da] [MA] [Yi]')", "ae C mmxviii", "[Da] [MA] [Yi]",
     1522454400000LL, nullptr, false, nullptr},
    {"$toMillis('27th April 2008', '[D1o] [MNn] [Y0001]')", "27th April 2008",
     "[D1o] [MNn] [Y0001]", 1209254400000LL, nullptr, false, nullptr},
    {"$toMillis('21 August 2017', '[D1] [MNn] [Y0001]')", "21 August 2017", "[D1] [MNn] [Y0001]",
     1503273600000LL, nullptr, false, nullptr},
    {"$toMillis('2 Feb 2012', '[D1] [MNn,3-3] [Y0001]')", "2 Feb 2012", "[D1] [MNn,3-3] [Y0001]",
     1328140800000LL, nullptr, false, nullptr},
    {"$toMillis('one thousand, nine hundred and eighty-four', '[Yw]')",
     "one thousand, nine hundred and eighty-four", "[Yw]", 441763200000LL, nullptr, false, nullptr},
    {"$toMillis('nineteen hundred and eighty-four', '[Yw]')", "nineteen hundred and eighty-four",
     "[Yw]", 441763200000LL, nullptr, false, nullptr},
    {"$toMillis('twenty-seven April 2008', '[Dw] [MNn] [Y0001]')", "twenty-seven April 2008",
     "[Dw] [MNn] [Y0001]", 1209254400000LL, nullptr, false, nullptr},
    {"$toMillis('twenty-seventh April 2008', '[Dw] [MNn] [Y0001]')", "twenty-seventh April 2008",
     "[Dw] [MNn] [Y0001]", 1209254400000LL, nullptr, false, nullptr},
    {"$toMillis('twenty-first August two thousand and seventeen', '[Dw] [MNn] [Yw]')",
     "twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", 1503273600000LL, nullptr,
     false, nullptr},
    {"$toMillis('TWENTY-SECOND August two thousand and seventeen', '[DW] [MNn] [Yw]')",
     "TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", 1503360000000LL, nullptr,
     false, nullptr},
    {"$toMillis('Twentieth of August, two thousand and seventeen', '[DW] of [MNn], [Yw]')",
     "Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]", 1503187200000LL,
     nullptr, false, nullptr},
    {"$toMillis('4/4/2018 12:06 am', '[D1]/[M1]/[Y0001] [h]:[m] [P]')", "4/4/2018 12:06 am",
     "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522800360000LL, nullptr, false, nullptr},
    {"$toMillis('4/4/2018 06:30 am', '[D1]/[M1]/[Y0001] [h]:[m] [P]')", "4/4/2018 06:30 am",
     "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522823400000LL, nullptr, false, nullptr},
    {"$toMillis('4/4/2018 12:06 pm', '[D1]/[M1]/[Y0001] [h]:[m] [P]')", "4/4/2018 12:06 pm",
     "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522843560000LL, nullptr, false, nullptr},
    {"$toMillis('4/4/2018 11:30 pm', '[D1]/[M1]/[Y0001] [h]:[m] [P]')", "4/4/2018 11:30 pm",
     "[D1]/[M1]/[Y0001] [h]:[m] [P]", 1522884600000LL, nullptr, false, nullptr},
    {"$toMillis('2018-094', '[Y0001]-[d001]')", "2018-094", "[Y0001]-[d001]", 1522800000000LL,
     nullptr, false, nullptr},
    {"$toMillis('Wednesday, 14th November 2018', '[FNn], [D1o] [MNn] [Y]') ~> $fromMillis()",
     "Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", 0, "2018-11-14T00:00:00.000Z",
     false, nullptr},
    {"$toMillis('Mon, Twelfth November 2018', '[FNn,*-3], [DWwo] [MNn] [Y]') ~> $fromMillis()",
     "Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", 0, "2018-11-12T00:00:00.000Z",
     false, nullptr},
    {"$toMillis('2018--180', '[Y]--[d]') ~> $fromMillis()", "2018--180", "[Y]--[d]", 0,
     "2018-06-29T00:00:00.000Z", false, nullptr},
    {"$toMillis('three hundred and sixty-fifth day of 2018', '[dwo] day of [Y]') ~> $fromMillis()",
     "three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", 0, "2018-12-31T00:00:00.000Z",
     false, nullptr},
    {"$toMillis('irrelevent string', '[Y]-[M]-[D]')", "irrelevent string", "[Y]-[M]-[D]", 0,
     nullptr, true, nullptr},
    {"$toMillis('2018-05-22', '[Y]-[M]-[q]')", "2018-05-22", "[Y]-[M]-[q]", 0, nullptr, false,
     "D3132"},
    {"$toMillis('2018-05-22', '[YN]-[M]-[D]')", "2018-05-22", "[YN]-[M]-[D]", 0, nullptr, false,
     "D3133"},
    {"$toMillis('2018-22', '[Y]-[D]')", "2018-22", "[Y]-[D]", 0, nullptr, false, "D3136"},
    {"$toMillis('5-22 23:59', '[M]-[D] [m]:[s]')", "5-22 23:59", "[M]-[D] [m]:[s]", 0, nullptr,
     false, "D3136"},
    {"$toMillis('2018-3-2-5', '[X]-[x]-[w]-[F1]')", "2018-3-2-5", "[X]-[x]-[w]-[F1]", 0, nullptr,
     false, "D3136"},
    {"$toMillis('2018-32-5', '[X]-[W]-[F1]')", "2018-32-5", "[X]-[W]-[F1]", 0, nullptr, false,
     "D3136"},
    {"$toMillis('2020-09-09 08:00:00 +02:00', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]') ~> "
     "$fromMillis() ",
     "2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", 0,
     "2020-09-09T06:00:00.000Z", false, nullptr},
    {"$toMillis('2020-09-09 08:00:00 GMT-05:00', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]') ~> "
     "$fromMillis() ",
     "2020-09-09 08:00:00 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", 0,
     "2020-09-09T13:00:00.000Z", false, nullptr},
    {"$toMillis('2020-09-09 12:00:00 +05:30', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]') ~> "
     "$fromMillis() ",
     "2020-09-09 12:00:00 +05:30", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", 0,
     "2020-09-09T06:30:00.000Z", false, nullptr},
    {"$toMillis('2020-09-09 12:00:00 GMT-5', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]') ~> "
     "$fromMillis() ",
     "2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]", 0,
     "2020-09-09T17:00:00.000Z", false, nullptr},
    {"$toMillis('2020-09-09 12:00:00 +0530', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]') ~> "
     "$fromMillis() ",
     "2020-09-09 12:00:00 +0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", 0,
     "2020-09-09T06:30:00.000Z", false, nullptr},
    {"$toMillis('2026-04-08T19:05:04.01987', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]') ~> "
     "$fromMillis() ",
     "2026-04-08T19:05:04.01987", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]", 0,
     "2026-04-08T19:05:04.019Z", false, nullptr},
};

TEST(ToMillisConformance, EveryCase) {
  for (const auto& c : kToMillisCases) {
    SCOPED_TRACE(c.expr);
    auto result = ParseDateTime(c.timestamp, View(c.picture));
    if (c.code != nullptr) {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.error().error, c.code) << result.error().cause;
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
    if (c.undefined) {
      EXPECT_FALSE(result->has_value());
      continue;
    }
    ASSERT_TRUE(result->has_value());
    if (c.formatted != nullptr) {
      EXPECT_EQ(*FormatDateTime(**result, std::nullopt, std::nullopt), c.formatted);
    } else {
      EXPECT_EQ(**result, c.millis);
    }
  }
}

// case013: $toMillis('2024-01-01T12:38:49Z') =
//   $toMillis('20240101123849', '[Y0000][M00][D00][H00][m00][s00]')
TEST(ToMillisConformance, AdjacentNumbersUseTheirWidths) {
  auto iso = ParseDateTime("2024-01-01T12:38:49Z", std::nullopt);
  auto pictured = ParseDateTime("20240101123849", "[Y0000][M00][D00][H00][m00][s00]");
  ASSERT_TRUE(iso.ok() && pictured.ok() && iso->has_value() && pictured->has_value());
  EXPECT_EQ(**iso, **pictured);
}

// $toMillis('13:45', '[H]:[m]') ~> $fromMillis() ~> $substringBefore('T') =
//   $substringBefore($now(), 'T'), and ~> $substringAfter('T') = "13:45:00.000Z"
TEST(ToMillisConformance, TimeOnlyTakesTodaysDate) {
  const int64_t now = 1700000000123;  // 2023-11-14T22:13:20.123Z
  auto millis = ParseDateTimeAt("13:45", "[H]:[m]", now);
  ASSERT_TRUE(millis.ok() && millis->has_value());
  EXPECT_EQ(*FormatDateTime(**millis, std::nullopt, std::nullopt), "2023-11-14T13:45:00.000Z");
  auto today = ParseDateTime("13:45", "[H]:[m]");
  ASSERT_TRUE(today.ok() && today->has_value());
  const std::string text = *FormatDateTime(**today, std::nullopt, std::nullopt);
  EXPECT_EQ(text.substr(text.find('T')), "T13:45:00.000Z");
}

TEST(FromMillis, CalendarEdges) {
  EXPECT_EQ(*FormatDateTime(0, std::nullopt, std::nullopt), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(*FormatDateTime(-1, std::nullopt, std::nullopt), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(*FormatDateTime(951782400000, "[Y0001]-[M01]-[D01] [FNn] [d]", std::nullopt),
            "2000-02-29 Tuesday 60");
  EXPECT_EQ(*FormatDateTime(-62135596800000, "[Y0001]-[M01]-[D01]", std::nullopt), "0001-01-01");
  EXPECT_EQ(*FormatDateTime(1521801216617, "[H01]:[m01] [Z]", "-0530"), "05:03 -05:30");
  EXPECT_EQ(*FormatDateTime(1521801216617, "[Z0]", "-0530"), "-5:30");
  EXPECT_EQ(*FormatDateTime(1521801216617, "[Z0101]", "-0530"), "-0530");
  EXPECT_EQ(*FormatDateTime(1521801216617, "[MNn,*-3]. [FN,2-2]", std::nullopt), "Mar. FR");
  EXPECT_EQ(*FormatDateTime(1521801216617, "[h]:[m01][P] [PN] [Pn]", std::nullopt),
            "10:33am AM am");
}

TEST(FromMillis, ErrorsSayWhatAndWhere) {
  auto unknown = FormatDateTime(0, "[Q]", std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().error, "D3132");
  EXPECT_NE(unknown.error().cause.find("\"[Q]\""), std::string::npos);
  auto unclosed = FormatDateTime(0, "[Y0001", std::nullopt);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().error, "D3135");
  auto names = FormatDateTime(0, "[DNn]", std::nullopt);
  ASSERT_FALSE(names.ok());
  EXPECT_EQ(names.error().error, "D3133");
  auto timezone = FormatDateTime(0, std::nullopt, "Europe/London");
  ASSERT_FALSE(timezone.ok());
  EXPECT_EQ(timezone.error().error, "T0410");
  auto sequence = FormatDateTime(0, "[Y#]", std::nullopt);
  ASSERT_FALSE(sequence.ok());
  EXPECT_EQ(sequence.error().error, "D3130");
}

TEST(ToMillis, IsoForms) {
  EXPECT_EQ(Describe(ParseDateTime("2018-02-01T09:42:13+01:00", std::nullopt)),
            std::to_string(1517474533000));
  EXPECT_EQ(Describe(ParseDateTime("2018-02-01T09:42:13.5", std::nullopt)),
            std::to_string(1517478133500));
  EXPECT_EQ(Describe(ParseDateTime("2018-02", std::nullopt)), std::to_string(1517443200000));
  EXPECT_EQ(Describe(ParseDateTime("0050-01-01", std::nullopt)), std::to_string(-60589296000000));
  for (const char* bad :
       {"2018-02-30", "2018-13-01", "2018-01-01T25:00:00", "2018-1-1", "", "2018-01-01T10:00"}) {
    SCOPED_TRACE(bad);
    auto result = ParseDateTime(bad, std::nullopt);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().error, "D3110");
  }
}

TEST(ToMillis, RoundTripsThroughFromMillis) {
  const char* kPictures[] = {
      "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
      "[FNn], [D1o] [MNn] [Y0001] [h]:[m01]:[s01].[f001] [P]",
      "[Dw] [MNn,3-3] [Yw] [H01][m01][s01][f001]",
      "[D01][M01][Y0001][H01][m01][s01][f001]",
      "[Y0001]-[d001] [H01]:[m01]:[s01].[f001] [z]",
  };
  for (int64_t millis : {int64_t{1521801216617}, int64_t{0}, int64_t{951825600001},
                         int64_t{-2777932800000}, int64_t{4102444799999}}) {
    for (const char* picture : kPictures) {
      SCOPED_TRACE(std::string(picture) + " " + std::to_string(millis));
      auto text = FormatDateTime(millis, picture, std::nullopt);
      ASSERT_TRUE(text.ok()) << text.error().cause;
      auto back = ParseDateTime(*text, picture);
      ASSERT_TRUE(back.ok()) << back.error().cause;
      ASSERT_TRUE(back->has_value()) << *text;
      EXPECT_EQ(**back, millis) << *text;
    }
  }
}

TEST(ToMillis, MissingPartsDefault) {
  const int64_t now = 1700000000123;  // 2023-11-14T22:13:20.123Z
  // Date only: midnight; month and day only: this year.
  EXPECT_EQ(Describe(ParseDateTimeAt("03-27", "[M01]-[D01]", now)), std::to_string(1679875200000));
  // Unknown month names do not match.
  auto unknown = ParseDateTimeAt("27 Smarch 2018", "[D1] [MNn] [Y0001]", now);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
  // Text with the right letters but no valid value makes the match try a shorter piece:
  // [MA] takes "E" (May), leaving "pm" for [P] (12 pm, as [h] is absent).
  EXPECT_EQ(Describe(ParseDateTimeAt("01Epm2035", "[D01][MA][P][Y0001]", now)),
            std::to_string(2061590400000 + 12 * 3600000));
  // Upper-case and abbreviated names read back.
  EXPECT_EQ(Describe(ParseDateTimeAt("27 MAR 2018", "[D] [MN,*-3] [Y]", now)),
            std::to_string(1522108800000));
  // A day of the year with a time.
  EXPECT_EQ(Describe(ParseDateTimeAt("2018-094 10:30", "[Y0001]-[d001] [H01]:[m01]", now)),
            std::to_string(1522800000000 + 10 * 3600000 + 30 * 60000));
  // A trailing Z for a zero offset with the 't' modifier.
  EXPECT_EQ(
      Describe(ParseDateTimeAt("2018-03-27T10:00:00Z", "[Y]-[M]-[D]T[H]:[m]:[s][Z01:01t]", now)),
      std::to_string(1522144800000));
  // Hour with seconds but no minutes leaves a gap.
  auto gap = ParseDateTimeAt("10::05", "[H]::[s]", now);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().error, "D3136");
}

}  // namespace
}  // namespace autoretrain::jsonata
