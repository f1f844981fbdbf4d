// `autoretrain schedules next EXPRESSION`: prints the next fire times of an EventBridge
// Scheduler schedule expression (cron, rate, at) in UTC and in its time zone, so a schedule can
// be checked before it is deployed.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_
#define AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct SchedulesOptions {
  std::string expression;
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

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_SCHEDULES_COMMAND_H_
