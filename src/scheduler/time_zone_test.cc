#include "autoretrain/scheduler/time_zone.h"

#include <gtest/gtest.h>

namespace autoretrain::scheduler {
namespace {

TEST(TimeZoneTest, UtcNeedsNoFile) {
  TimeZone utc;
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.OffsetAt(0), 0);
  auto z = TimeZone::Load("UTC");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->LocalToUtc(1000), (std::vector<int64_t>{1000}));
}

TEST(TimeZoneTest, Kolkata) {
  auto z = TimeZone::Load("Asia/Kolkata");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->OffsetAt(1'796'007'600), 19800);
}

TEST(TimeZoneTest, NewYorkOffsetsAndTransitions) {
  auto z = TimeZone::Load("America/New_York");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->OffsetAt(1'767'225'600), -5 * 3600);  // 2026-01-01
  EXPECT_EQ(z->OffsetAt(1'782'864'000), -4 * 3600);  // 2026-07-01
  // 2026-03-08T02:30 local does not exist; 2026-11-01T01:30 local occurs twice.
  const int64_t gap = 1'772'937'000;      // 2026-03-08T02:30 as if UTC
  const int64_t overlap = 1'793'496'600;  // 2026-11-01T01:30 as if UTC
  EXPECT_TRUE(z->LocalToUtc(gap).empty());
  EXPECT_EQ(z->LocalToUtc(overlap), (std::vector<int64_t>{overlap + 4 * 3600, overlap + 5 * 3600}));
}

TEST(TimeZoneTest, UnknownZonesAreErrors) {
  for (const char* name : {"Mars/Olympus", "../etc/passwd", "", "/etc/passwd", "America/",
                           "zone.tab", "America/New York", "right/UTC", "posixrules"}) {
    auto z = TimeZone::Load(name);
    ASSERT_FALSE(z.ok()) << name;
    EXPECT_EQ(z.error().error, "InvalidTimeZone");
    EXPECT_EQ(z.error().cause.rfind("time zone '" + std::string(name) + "': ", 0), 0u)
        << z.error().cause;
  }
}

TEST(PosixTzTest, Rules) {
  PosixTzRule r;
  ASSERT_TRUE(ParsePosixTz("EST5EDT,M3.2.0,M11.1.0", &r));
  EXPECT_EQ(r.std_offset, -18000);
  EXPECT_EQ(r.dst_offset, -14400);
  ASSERT_TRUE(ParsePosixTz("<+0530>-5:30", &r));
  EXPECT_EQ(r.std_offset, 19800);
  EXPECT_FALSE(r.has_dst);
  ASSERT_TRUE(ParsePosixTz("CET-1CEST,M3.5.0,M10.5.0/3", &r));
  EXPECT_EQ(r.end_time, 3 * 3600);
  EXPECT_FALSE(ParsePosixTz("", &r));
  EXPECT_FALSE(ParsePosixTz("E5", &r));
  EXPECT_FALSE(ParsePosixTz("EST5EDT,M13.1.0,M11.1.0", &r));
}

TEST(PosixTzTest, SouthernHemisphere) {
  // Sydney: AEST+10, daylight saving from the first Sunday of October to the first of April.
  auto z = TimeZone::FromPosix("Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->OffsetAt(1'767'225'600), 11 * 3600);  // 2026-01-01: summer
  EXPECT_EQ(z->OffsetAt(1'782'864'000), 10 * 3600);  // 2026-07-01: winter
}

}  // namespace
}  // namespace autoretrain::scheduler
