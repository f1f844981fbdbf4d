#include "cli/schedules_command.h"

#include <iostream>

#include "autoretrain/common/clock.h"
#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"
#include "cli/output.h"

namespace autoretrain::cli {
namespace {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string FireTimeUtc(TimePoint t) {
  std::string s = FormatIso8601(t);
  if (s.size() == 24 && s.compare(19, 4, ".000") == 0) s.erase(19, 4);
  return s;
}

CLI::App* AddSchedulesCommand(CLI::App& app, SchedulesOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "schedules",
      "Check EventBridge Scheduler schedule expressions before deploying them; list the "
      "project's schedules with their next and last fires.");
  cmd->require_subcommand(1);
  CLI::App* next = cmd->add_subcommand(
      "next",
      "Print the next fire times of a schedule expression (cron(...), rate(...) or at(...)) in "
      "UTC and in its time zone.");
  next->add_option("EXPRESSION", options->expression,
                   "The schedule expression, quoted: 'cron(0 3 ? * MON *)', 'rate(5 minutes)', "
                   "'at(2026-11-30T03:00:00)'")
      ->required();
  next->add_option("--tz", options->tz,
                   "ScheduleExpressionTimezone: an IANA time zone name (default: UTC)")
      ->type_name("ZONE");
  next->add_option("-n", options->count, "How many fire times to print (1-1000, default 5)")
      ->type_name("N");
  next->add_option("--after", options->after,
                   "Print fire times strictly after this instant, ISO 8601 with a zone "
                   "(default: now)")
      ->type_name("ISO8601");
  next->add_option("--start", options->start,
                   "The schedule's StartDate, ISO 8601 with a zone: where a rate() schedule "
                   "counts from (default: the schedule is created at --after and fires at once)")
      ->type_name("ISO8601");
  next->add_flag("--json", options->json,
                 "Print one JSON object: {\"expression\", \"timezone\", \"after\", "
                 "\"fireTimes\": [{\"utc\", \"local\"}]}");
  next->callback([options] { options->action = SchedulesOptions::Action::kNext; });
  next->footer(
      "cron and at are evaluated on the zone's wall clock: a local time that does not exist "
      "(daylight saving gap) is skipped, one that occurs twice fires once. See "
      "docs/schedules.md.\n"
      "Exit status: 0 printed, 2 an invalid expression, zone or argument.");
  AddScheduleListingCommands(cmd, options);
  return cmd;
}

int SchedulesCommand(const SchedulesOptions& options) {
  if (options.action == SchedulesOptions::Action::kList) return ListSchedulesCommand(options);
  if (options.action == SchedulesOptions::Action::kDescribe) {
    return DescribeScheduleCommand(options);
  }
  if (options.count < 1 || options.count > 1000) {
    PrintError("-n: " + std::to_string(options.count) + " is not a count from 1 to 1000");
    return kExitInvalid;
  }
  auto expression = scheduler::ParseScheduleExpression(options.expression);
  if (!expression) {
    PrintError(expression.error().cause);
    return kExitInvalid;
  }
  auto zone = scheduler::TimeZone::Load(options.tz);
  if (!zone) {
    PrintError("--tz: " + zone.error().cause);
    return kExitInvalid;
  }
  std::optional<TimePoint> after = AfterOption(options.after);
  if (!after) return kExitInvalid;
  std::optional<TimePoint> start;
  if (!options.start.empty()) {
    TimePoint t{};
    if (!ParseIso8601(options.start, &t)) {
      PrintError("--start: '" + options.start +
                 "' is not an ISO 8601 timestamp with a zone, such as 2026-11-26T00:00:00Z");
      return kExitInvalid;
    }
    start = t;
  }
  const std::vector<TimePoint> times =
      scheduler::NextFireTimes(*expression, *zone, *after, options.count, start);
  if (options.json) {
    std::cout << "{\"expression\": " << JsonString(options.expression)
              << ", \"timezone\": " << JsonString(zone->name())
              << ", \"after\": " << JsonString(FormatIso8601(*after)) << ", \"fireTimes\": [";
    for (size_t i = 0; i < times.size(); ++i) {
      std::cout << (i ? ", " : "") << "{\"utc\": " << JsonString(FireTimeUtc(times[i]))
                << ", \"local\": " << JsonString(scheduler::FormatLocal(times[i], *zone)) << "}";
    }
    std::cout << "]}\n";
    return kExitOk;
  }
  std::cout << "Expression: " << options.expression << "\n"
            << "Time zone:  " << zone->name() << "\n"
            << "After:      " << FormatIso8601(*after) << "\n";
  if (times.empty()) {
    std::cout << "No fire times after that.\n";
    return kExitOk;
  }
  std::cout << "Next " << times.size() << " fire time" << (times.size() == 1 ? "" : "s")
            << " (UTC, then " << zone->name() << "):\n";
  for (TimePoint t : times) {
    std::cout << "  " << FireTimeUtc(t) << "  " << scheduler::FormatLocal(t, *zone) << '\n';
  }
  return kExitOk;
}

std::optional<TimePoint> AfterOption(const std::string& after) {
  if (after.empty()) return SystemClock().Now();
  TimePoint t{};
  if (ParseIso8601(after, &t)) return t;
  PrintError("--after: '" + after +
             "' is not an ISO 8601 timestamp with a zone, such as 2026-11-26T00:00:00Z");
  return std::nullopt;
}

}  // namespace autoretrain::cli
