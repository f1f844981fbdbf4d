// `autoretrain schedules list|describe` (schedules_command.h): the project's schedules, their
// next fire times (ScheduleRunner's slots, from retrain::ScheduleSlots) and the last execution
// the daemon started for each, found in the store by the runner's execution names.
#include <cctype>
#include <iostream>
#include <memory>
#include <optional>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"
#include "autoretrain/store/store.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "cli/schedules_command.h"
#include "cli/table.h"
#include "retrain/project_fields.h"

namespace autoretrain::cli {
namespace {

// How many pages of a state machine's executions (newest first) are scanned for a schedule's
// last fire before giving up.
constexpr int kMaxPagesScanned = 10;
constexpr size_t kStampSize = 16;  // "yyyymmddThhmmssZ"

// One schedule as listed.
struct ScheduleView {
  std::string name;
  const retrain::ScheduleConfig* config = nullptr;
  std::string target_arn;
  std::string zone_name;
  std::vector<std::pair<TimePoint, std::string>> next;  // UTC instant, local time text
  std::optional<store::ExecutionRecord> last;
  // ActionAfterCompletion DELETE: the at() slot, which completes the schedule once its
  // execution exists.
  std::optional<TimePoint> only_slot;
  bool completed = false;
};

// True when `name` is an execution name ExecutionName(schedule, slot) gives for some slot.
bool FiredBy(const std::string& name, const std::string& schedule) {
  const std::string sample = retrain::ExecutionName(schedule, TimePoint{});
  const std::string_view prefix(sample.data(), sample.size() - kStampSize);
  if (name.size() != sample.size() || !name.starts_with(prefix)) return false;
  const std::string_view stamp = std::string_view(name).substr(prefix.size());
  for (size_t i = 0; i < kStampSize; ++i) {
    const char c = stamp[i];
    const bool ok = i == 8    ? c == 'T'
                    : i == 15 ? c == 'Z'
                              : std::isdigit(static_cast<unsigned char>(c));
    if (!ok) return false;
  }
  return true;
}

// The newest execution of `view.target_arn` named after the schedule, if any among the first
// kMaxPagesScanned pages. A state machine the store does not know has no executions.
Status FindLastFire(store::Store& store, ScheduleView& view) {
  store::PageRequest request{store::kMaxMaxResults, ""};
  for (int page_number = 0; page_number < kMaxPagesScanned; ++page_number) {
    auto page = store.ListExecutions(view.target_arn, std::nullopt, request);
    if (!page.ok()) {
      if (page.error().error == "StateMachineDoesNotExist") return OkStatus();
      return page.take_error();
    }
    for (store::ExecutionRecord& record : page->items) {
      if (FiredBy(record.name, view.name)) {
        view.last = std::move(record);
        return OkStatus();
      }
    }
    if (page->next_token.empty()) break;
    request.next_token = page->next_token;
  }
  return OkStatus();
}

// The slot of an enabled at() schedule with ActionAfterCompletion DELETE when it is at or
// before `after`: once its execution exists, `serve` has dropped the schedule.
std::optional<TimePoint> OnlySlotToDelete(const retrain::ScheduleConfig& config, TimePoint after) {
  if (!config.enabled || !config.delete_after_completion) return std::nullopt;
  auto expression = scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok() || expression->kind != scheduler::ScheduleExpression::kAt) {
    return std::nullopt;
  }
  // at() fires once: its slot is the first one after the epoch.
  auto slots = retrain::ScheduleSlots(config, TimePoint{}, 1);
  if (!slots.ok() || slots->empty() || slots->front() > after) return std::nullopt;
  return slots->front();
}

// Everything list and describe print. `only` selects one schedule (empty: all).
struct Listing {
  retrain::ProjectConfig config;
  std::vector<ScheduleView> schedules;
};

// Fails with the exit code already printed.
std::optional<Listing> Load(const SchedulesOptions& options, const std::string& only, int count,
                            int* exit_code) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    *exit_code = ExitCodeFor(config.error());
    return std::nullopt;
  }
  std::optional<TimePoint> after = AfterOption(options.after);
  if (!after) {
    *exit_code = kExitInvalid;
    return std::nullopt;
  }
  Listing listing{std::move(*config), {}};
  if (!only.empty() && !listing.config.schedules.contains(only)) {
    std::vector<std::string> names;
    for (const auto& [name, schedule] : listing.config.schedules) names.push_back(name);
    std::string hint = retrain::DidYouMean(only, names);
    if (hint.empty()) {
      hint = "; its schedules: ";
      for (size_t i = 0; i < names.size(); ++i) hint += (i ? ", " : "") + names[i];
      if (names.empty()) hint += "none";
    }
    PrintError("schedule '" + only + "' is not in " + listing.config.dir + "/autoretrain.json" +
               hint);
    *exit_code = kExitInvalid;
    return std::nullopt;
  }
  for (const auto& [name, schedule] : listing.config.schedules) {
    if (!only.empty() && name != only) continue;
    ScheduleView view;
    view.name = name;
    view.config = &schedule;
    view.target_arn = StateMachineArn(listing.config.account, schedule.state_machine);
    view.zone_name = schedule.timezone;
    auto zone = scheduler::TimeZone::Load(schedule.timezone);
    if (zone.ok()) view.zone_name = zone->name();
    auto slots = retrain::ScheduleSlots(schedule, *after, count);
    if (slots.ok() && zone.ok() && schedule.enabled) {  // LoadProject validated them
      for (TimePoint t : *slots) view.next.emplace_back(t, scheduler::FormatLocal(t, *zone));
    }
    view.only_slot = OnlySlotToDelete(schedule, *after);
    listing.schedules.push_back(std::move(view));
  }
  if (retrain::DatabasePath(listing.config).empty()) return listing;  // nothing is recorded
  Result<std::unique_ptr<store::Store>> store = retrain::OpenProjectStore(listing.config);
  if (!store.ok()) {
    PrintError(store.error().cause);
    *exit_code = kExitFailed;
    return std::nullopt;
  }
  for (ScheduleView& view : listing.schedules) {
    if (Status found = FindLastFire(**store, view); !found.ok()) {
      PrintError(found.error().cause);
      *exit_code = kExitFailed;
      return std::nullopt;
    }
    view.completed = view.only_slot && view.last &&
                     view.last->name == retrain::ExecutionName(view.name, *view.only_slot);
  }
  return listing;
}

// GetSchedule's FlexibleTimeWindow, StartDate, EndDate, RetryPolicy and ActionAfterCompletion,
// then autoretrain's MissedSlots and Overlap, each only when it differs from the default (so
// that a plain schedule's JSON is unchanged).
void AddOptionsJson(const ScheduleView& view, json::Object& out) {
  const retrain::ScheduleConfig& config = *view.config;
  if (config.flexible_window_minutes > 0) {
    out["FlexibleTimeWindow"] = json::Object{
        {"Mode", "FLEXIBLE"}, {"MaximumWindowInMinutes", config.flexible_window_minutes}};
  }
  if (config.start_date) out["StartDate"] = FireTimeUtc(*config.start_date);
  if (config.end_date) out["EndDate"] = FireTimeUtc(*config.end_date);
  const retrain::ScheduleConfig defaults;
  if (config.maximum_retry_attempts != defaults.maximum_retry_attempts ||
      config.maximum_event_age_seconds != defaults.maximum_event_age_seconds) {
    out["RetryPolicy"] =
        json::Object{{"MaximumRetryAttempts", config.maximum_retry_attempts},
                     {"MaximumEventAgeInSeconds", config.maximum_event_age_seconds}};
  }
  if (config.delete_after_completion) {
    out["ActionAfterCompletion"] = "DELETE";
    out["Completed"] = view.completed;
  }
  // autoretrain's own policies (no AWS counterpart), in the same style.
  using Missed = retrain::ScheduleConfig::MissedSlots;
  if (config.missed_slots != Missed::kSkip) {
    out["MissedSlots"] =
        json::Object{{"Policy", config.missed_slots == Missed::kAll ? "ALL" : "LATEST"},
                     {"WindowMinutes", config.catch_up_window_minutes}};
  }
  using Overlap = retrain::ScheduleConfig::Overlap;
  if (config.overlap != Overlap::kAllow) {
    out["Overlap"] = config.overlap == Overlap::kSkip ? "SKIP" : "BUFFER_ONE";
  }
}

json::Value ScheduleJson(const ScheduleView& view) {
  json::Object out;
  out["Name"] = view.name;
  out["State"] = view.config->enabled ? "ENABLED" : "DISABLED";
  out["ScheduleExpression"] = view.config->expression;
  out["ScheduleExpressionTimezone"] = view.zone_name;
  out["Target"] =
      json::Object{{"Arn", view.target_arn}, {"Input", json::Serialize(view.config->input)}};
  AddOptionsJson(view, out);
  json::Array next;
  for (const auto& [utc, local] : view.next) {
    next.push_back(json::Object{{"utc", FireTimeUtc(utc)}, {"local", local}});
  }
  out["NextFireTimes"] = std::move(next);
  if (view.last) {
    out["LastExecution"] = json::Object{{"executionArn", view.last->arn},
                                        {"name", view.last->name},
                                        {"status", engine::ExecutionStatusName(view.last->status)},
                                        {"startDate", FormatIso8601(view.last->start_date)}};
  } else {
    out["LastExecution"] = nullptr;
  }
  return out;
}

// ENABLED, DISABLED, or COMPLETED for a schedule ActionAfterCompletion DELETE dropped.
std::string StateName(const ScheduleView& view) {
  if (view.completed) return "COMPLETED";
  return view.config->enabled ? "ENABLED" : "DISABLED";
}

void AddCommon(CLI::App* cmd, SchedulesOptions* options) {
  AddProjectOption(cmd, &options->project);
  cmd->add_option("--after", options->after,
                  "Next fire times strictly after this instant, ISO 8601 with a zone "
                  "(default: now)")
      ->type_name("ISO8601");
}

}  // namespace

void AddScheduleListingCommands(CLI::App* schedules, SchedulesOptions* options) {
  using Action = SchedulesOptions::Action;
  CLI::App* list = schedules->add_subcommand(
      "list",
      "List the project's schedules: state, expression, time zone, next fire time, and the "
      "last execution `serve` started for each.");
  AddCommon(list, options);
  list->add_flag("--json", options->json,
                 "Print {\"Schedules\": [...]}, each like EventBridge Scheduler's GetSchedule "
                 "plus \"NextFireTimes\" and \"LastExecution\"");
  list->callback([options] { options->action = Action::kList; });
  list->footer(
      "Exit status: 0 listed, 2 a missing or invalid project, 1 the store cannot be read.");

  CLI::App* describe = schedules->add_subcommand(
      "describe", "Describe one of the project's schedules, with its next N fire times.");
  describe->add_option("NAME", options->name, "The schedule's name in autoretrain.json")
      ->required();
  AddCommon(describe, options);
  describe->add_option("-n", options->count, "How many fire times to print (1-1000, default 5)")
      ->type_name("N");
  describe->add_flag("--json", options->json,
                     "Print one object like EventBridge Scheduler's GetSchedule plus "
                     "\"NextFireTimes\" and \"LastExecution\"");
  describe->callback([options] { options->action = Action::kDescribe; });
  describe->footer(
      "Exit status: 0 described, 2 an unknown schedule, a missing or invalid project or a "
      "bad argument, 1 the store cannot be read.");
}

int ListSchedulesCommand(const SchedulesOptions& options) {
  int exit_code = kExitOk;
  std::optional<Listing> listing = Load(options, "", 1, &exit_code);
  if (!listing) return exit_code;
  if (options.json) {
    json::Array items;
    for (const ScheduleView& view : listing->schedules) items.push_back(ScheduleJson(view));
    PrintJson(json::Object{{"Schedules", std::move(items)}}, /*pretty=*/true);
    return kExitOk;
  }
  if (listing->schedules.empty()) {
    std::cout << "No schedules in " << listing->config.dir << "/autoretrain.json.\n";
    return kExitOk;
  }
  Table table(
      {"NAME", "STATE", "EXPRESSION", "TIME ZONE", "NEXT (UTC)", "LAST FIRE", "LAST STATUS"});
  for (const ScheduleView& view : listing->schedules) {
    table.AddRow({view.name, StateName(view), view.config->expression, view.zone_name,
                  view.next.empty() ? "-" : FireTimeUtc(view.next.front().first),
                  view.last ? view.last->name : "-",
                  view.last ? engine::ExecutionStatusName(view.last->status) : "-"});
  }
  table.Print(std::cout);
  return kExitOk;
}

int DescribeScheduleCommand(const SchedulesOptions& options) {
  if (options.count < 1 || options.count > 1000) {
    PrintError("-n: " + std::to_string(options.count) + " is not a count from 1 to 1000");
    return kExitInvalid;
  }
  int exit_code = kExitOk;
  std::optional<Listing> listing = Load(options, options.name, options.count, &exit_code);
  if (!listing) return exit_code;
  const ScheduleView& view = listing->schedules.front();
  if (options.json) {
    PrintJson(ScheduleJson(view), /*pretty=*/true);
    return kExitOk;
  }
  std::cout << "Name:          " << view.name << "\n"
            << "State:         " << StateName(view) << "\n"
            << "Expression:    " << view.config->expression << "\n"
            << "Time zone:     " << view.zone_name << "\n"
            << "State machine: " << view.config->state_machine << " (" << view.target_arn << ")\n"
            << "Input:         " << json::Serialize(view.config->input) << "\n";
  if (view.last) {
    std::cout << "Last fire:     " << view.last->name << " "
              << engine::ExecutionStatusName(view.last->status) << " started "
              << FormatIso8601(view.last->start_date) << "\n"
              << "               " << view.last->arn << "\n";
  } else {
    std::cout << "Last fire:     none\n";
  }
  if (view.next.empty()) {
    std::cout << (view.completed         ? "No fire times: the schedule completed.\n"
                  : view.config->enabled ? "No fire times after that.\n"
                                         : "No fire times: the schedule is DISABLED.\n");
    return kExitOk;
  }
  std::cout << "Next " << view.next.size() << " fire time" << (view.next.size() == 1 ? "" : "s")
            << " (UTC, then " << view.zone_name << "):\n";
  for (const auto& [utc, local] : view.next)
    std::cout << "  " << FireTimeUtc(utc) << "  " << local << '\n';
  return kExitOk;
}

}  // namespace autoretrain::cli
