// Fuzz target: EventBridge Scheduler expressions and POSIX time zone rules. Input: the
// expression on the first line, optionally a POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0") on the
// second. Parses both; for what parses, computes the next fire times in that zone (UTC when
// there is no valid rule), which must be after the start and ascending.
#include "autoretrain/scheduler/schedule.h"
#include "fuzz_util.h"

namespace scheduler = autoretrain::scheduler;
using autoretrain::Result;
using autoretrain::TimePoint;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [expression_text, rest] =
      autoretrain::fuzz::SplitFirstLine(autoretrain::fuzz::AsText(data, size));
  const std::string_view rule = autoretrain::fuzz::SplitFirstLine(rest).first;
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(expression_text);
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::FromPosix("fuzz", rule);
  if (!expression.ok()) {
    Check(expression.error().error == "InvalidScheduleExpression",
          "a bad expression is InvalidScheduleExpression");
    return 0;
  }
  const TimePoint after(autoretrain::fuzz::kNow);
  const scheduler::TimeZone in = zone.ok() ? *zone : scheduler::TimeZone();
  std::vector<TimePoint> times = scheduler::NextFireTimes(*expression, in, after, 5);
  // A rate without a start date fires at `after` itself (its creation); the rest strictly later.
  const bool starts_now = expression->kind == scheduler::ScheduleExpression::kRate;
  for (size_t i = 0; i < times.size(); ++i) {
    Check(i == 0 ? times[0] > after || (starts_now && times[0] == after) : times[i] > times[i - 1],
          "fire times are after the start, ascending");
    Check(!scheduler::FormatLocal(times[i], in).empty(), "a fire time prints");
  }
  return 0;
}
