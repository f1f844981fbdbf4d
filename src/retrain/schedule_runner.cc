// ScheduleRunner (include/autoretrain/retrain/schedule_runner.h).
#include "autoretrain/retrain/schedule_runner.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace autoretrain::retrain {
namespace {

constexpr size_t kMaxExecutionName = 80;  // AWS StartExecution's name limit

// 64-bit FNV-1a.
uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string ExecutionName(std::string_view schedule, TimePoint slot) {
  // "2026-11-26T03:00:00.000Z" -> "20261126T030000Z".
  const std::string iso = FormatIso8601(slot);
  std::string stamp = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" +
                      iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2) + "Z";
  std::string suffix = "-" + stamp;
  if (schedule.size() + suffix.size() <= kMaxExecutionName) {
    return std::string(schedule) + suffix;
  }
  char hash[17];
  std::snprintf(hash, sizeof hash, "%08x", static_cast<unsigned>(Fnv1a(schedule) & 0xffffffffu));
  const size_t keep = kMaxExecutionName - suffix.size() - 9;  // "-" + 8 hex digits
  return std::string(schedule.substr(0, keep)) + "-" + hash + suffix;
}

ScheduleRunner::ScheduleRunner(Clock& clock, integrations::ExecutionLauncher& launcher,
                               FireSink on_fire)
    : clock_(clock), launcher_(launcher), on_fire_(std::move(on_fire)) {}

Status ScheduleRunner::Add(const std::string& name, const ScheduleConfig& config,
                           const std::string& state_machine_arn) {
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok()) return expression.take_error();
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(config.timezone);
  if (!zone.ok()) return zone.take_error();
  if (!config.enabled) return OkStatus();
  schedules_.push_back(Schedule{name, std::move(expression).value(), std::move(zone).value(),
                                state_machine_arn, config.input});
  if (std::optional<TimePoint> next = NextSlot(schedules_.back(), clock_.Now())) {
    heap_.push(Due{*next, schedules_.size() - 1});
  }
  return OkStatus();
}

std::optional<TimePoint> ScheduleRunner::NextSlot(const Schedule& schedule, TimePoint after) const {
  // rate(): counted from the epoch, so that a restart computes the same slots.
  std::optional<TimePoint> start;
  if (schedule.expression.kind == scheduler::ScheduleExpression::kRate) start = TimePoint{};
  std::vector<TimePoint> next =
      scheduler::NextFireTimes(schedule.expression, schedule.zone, after, 1, start);
  if (next.empty()) return std::nullopt;
  return next.front();
}

FiredSlot ScheduleRunner::Fire(const Schedule& schedule, TimePoint slot) {
  FiredSlot fired;
  fired.schedule = schedule.name;
  fired.slot = slot;
  fired.execution_name = ExecutionName(schedule.name, slot);
  integrations::ExecutionLauncher::StartRequest request;
  request.state_machine_arn = schedule.arn;
  request.input = schedule.input;
  request.name = fired.execution_name;
  Result<integrations::ExecutionLauncher::Started> started = launcher_.Start(request);
  if (started.ok()) {
    fired.execution_arn = started->execution_arn;
  } else if (started.error().error == "ExecutionAlreadyExists") {
    fired.already_fired = true;
  } else {
    fired.error = started.error();
  }
  return fired;
}

std::optional<TimePoint> ScheduleRunner::FireDue() {
  const TimePoint now = clock_.Now();
  while (!heap_.empty() && heap_.top().at <= now) {
    Due due = heap_.top();
    heap_.pop();
    const Schedule& schedule = schedules_[due.schedule];
    FiredSlot fired = Fire(schedule, due.at);
    if (on_fire_) on_fire_(fired);
    // Slots missed in between (a suspended process) are skipped.
    if (std::optional<TimePoint> next = NextSlot(schedule, std::max(due.at, now))) {
      heap_.push(Due{*next, due.schedule});
    }
  }
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

std::vector<std::pair<std::string, TimePoint>> ScheduleRunner::Upcoming() const {
  auto copy = heap_;
  std::vector<std::pair<std::string, TimePoint>> out;
  while (!copy.empty()) {
    out.emplace_back(schedules_[copy.top().schedule].name, copy.top().at);
    copy.pop();
  }
  return out;
}

void ScheduleRunner::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_) {
    lock.unlock();
    std::optional<TimePoint> next = FireDue();
    lock.lock();
    if (stopped_) break;
    if (next) {
      clock_.WaitUntil(lock, cv_, *next);
    } else {
      cv_.wait(lock, [this] { return stopped_; });
    }
  }
}

void ScheduleRunner::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  cv_.notify_all();
}

}  // namespace autoretrain::retrain
