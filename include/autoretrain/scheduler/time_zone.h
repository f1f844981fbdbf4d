// TimeZone: an IANA time zone (ScheduleExpressionTimezone) read from the system tz database.
//
// Approach: this layer reads the TZif files under /usr/share/zoneinfo itself (RFC 8536: the
// version 2+ 64-bit transition table plus the POSIX TZ footer rule for instants after the last
// transition, so years up to 2199 work). Reason: g++ 12's libstdc++ has no C++20 <chrono> time
// zone support (std::chrono::locate_zone arrived in GCC 13), and reading TZif is small and
// adds no dependency (libhowardhinnant-date-dev would add a package and a compiled tz.cpp).
// $TZDIR, when set, replaces /usr/share/zoneinfo (as in glibc).
//
// Each zone file is read once per process (Load caches the parsed data by path, so many
// schedules in one zone share it; a tz database updated while the process runs is seen at the
// next start).
//
// Thread-safety: an immutable value once loaded; safe to share between threads. Load may be
// called from any thread.
#ifndef AUTORETRAIN_SCHEDULER_TIME_ZONE_H_
#define AUTORETRAIN_SCHEDULER_TIME_ZONE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::scheduler {

// A POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0"): the footer of a TZif file. Offsets are seconds
// east of UTC (the POSIX text counts west; parsing flips the sign).
struct PosixTzRule {
  struct Date {
    enum Kind { kJulianNoLeap, kZeroBasedDay, kMonthWeekDay } kind = kMonthWeekDay;
    int day = 0;    // Jn: 1-365; n: 0-365; Mm.w.d: d (0 = Sunday)
    int month = 0;  // Mm.w.d
    int week = 0;   // Mm.w.d: 1-5 (5 = last)
  };
  int64_t std_offset = 0;
  bool has_dst = false;
  int64_t dst_offset = 0;
  Date start, end;
  int64_t start_time = 7200, end_time = 7200;  // seconds after local midnight (may be < 0)
};

// Parses the POSIX TZ text; false when it is not one.
bool ParsePosixTz(std::string_view text, PosixTzRule* out);

class TimeZone {
 public:
  // UTC (no file needed).
  TimeZone();
  // Loads the named zone ("America/New_York", "UTC"); an Error (InvalidTimeZone) naming the
  // zone when the name is not an IANA zone in the tz database.
  static Result<TimeZone> Load(std::string_view name);
  // A zone built from a POSIX TZ rule alone (for tests); `name` is only reported back.
  static Result<TimeZone> FromPosix(std::string name, std::string_view rule);

  const std::string& name() const { return name_; }

  // Seconds east of UTC in effect at `utc_seconds` (seconds since the epoch).
  int64_t OffsetAt(int64_t utc_seconds) const;

  // The instants (seconds since the epoch, ascending) at which the local wall-clock time
  // `local_seconds` (seconds since 1970-01-01T00:00 local) occurs: none in a daylight-saving
  // gap, two in an overlap, else one.
  std::vector<int64_t> LocalToUtc(int64_t local_seconds) const;

 private:
  struct Data;
  // The zone data of the TZif file at `path`, or InvalidTimeZone naming `name`.
  static Result<std::shared_ptr<const Data>> ReadTzif(std::string_view name,
                                                      const std::string& path);
  std::string name_;
  std::shared_ptr<const Data> data_;
};

}  // namespace autoretrain::scheduler

#endif  // AUTORETRAIN_SCHEDULER_TIME_ZONE_H_
