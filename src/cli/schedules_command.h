// `autoretrain schedules next EXPRESSION`: prints the next fire times of an EventBridge
// Scheduler schedule expression (cron, rate, at) in UTC and in its time zone, so a schedule can
// be checked before it is deployed. `autoretrain schedules list|describe`: the project's
// schedules with their next fire times and the last execution `serve` started for each
// (schedules_listing.cc).
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_
#define AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "autoretrain/common/clock.h"

namespace autoretrain::cli {

struct SchedulesOptions {
  enum class Action { kNext, kList, kDescribe };
  Action action = Action::kNext;
  std::string expression;
  std::string project = ".";  // list, describe
  std::string name;           // describe: the schedule
  std::string tz = "UTC";
  int count = 5;
  std::string after;  // ISO 8601; empty = now
  std::string start;  // ISO 8601 StartDate (rate); empty = none
  bool json = false;
};

// Adds the subcommand `schedules` (with `next`) to `app`, parsing into *options (which must
// outlive `app`).
CLI::App* AddSchedulesCommand(CLI::App& app, SchedulesOptions* options);

// Runs it; returns the exit code (output.h).
int SchedulesCommand(const SchedulesOptions& options);

// schedules_listing.cc: adds `list` and `describe` to the `schedules` subcommand, and runs them.
void AddScheduleListingCommands(CLI::App* schedules, SchedulesOptions* options);
int ListSchedulesCommand(const SchedulesOptions& options);
int DescribeScheduleCommand(const SchedulesOptions& options);

// ISO 8601 UTC without milliseconds when they are zero (fire times are whole minutes).
std::string FireTimeUtc(TimePoint t);

// The instant --after names (now when empty); prints the error and returns nullopt when it is not
// an ISO 8601 timestamp with a zone.
std::optional<TimePoint> AfterOption(const std::string& after);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_
