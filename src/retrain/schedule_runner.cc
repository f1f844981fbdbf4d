// ScheduleRunner (include/autoretrain/retrain/schedule_runner.h).
#include "autoretrain/retrain/schedule_runner.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include "autoretrain/store/store.h"

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

// The slots of a parsed schedule; see ScheduleSlots.
std::vector<TimePoint> Slots(const scheduler::ScheduleExpression& expression,
                             const scheduler::TimeZone& zone, const ScheduleConfig& config,
                             TimePoint after, int n) {
  if (expression.kind == scheduler::ScheduleExpression::kAt) {  // AWS ignores the dates
    return scheduler::NextFireTimes(expression, zone, after, n);
  }
  // rate(): counted from StartDate, else from the epoch, so that a restart computes the same
  // slots.
  std::optional<TimePoint> start;
  if (expression.kind == scheduler::ScheduleExpression::kRate) {
    start = config.start_date.value_or(TimePoint{});
  }
  // Strictly after `after`: a cron slot at the StartDate itself counts.
  if (config.start_date) after = std::max(after, *config.start_date - std::chrono::milliseconds(1));
  std::vector<TimePoint> slots = scheduler::NextFireTimes(expression, zone, after, n, start);
  if (config.end_date) {
    std::erase_if(slots, [&](TimePoint t) { return t > *config.end_date; });
  }
  return slots;
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

Result<std::vector<TimePoint>> ScheduleSlots(const ScheduleConfig& config, TimePoint after, int n) {
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok()) return expression.take_error();
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(config.timezone);
  if (!zone.ok()) return zone.take_error();
  return Slots(*expression, *zone, config, after, n);
}

std::chrono::milliseconds FlexibleDelay(std::string_view schedule, TimePoint slot,
                                        std::chrono::minutes window) {
  const int64_t window_ms = std::chrono::milliseconds(window).count();
  if (window_ms <= 0) return std::chrono::milliseconds(0);
  uint64_t h = Fnv1a(std::string(schedule) + "@" + std::to_string(slot.time_since_epoch().count()));
  // splitmix64's finalizer: FNV-1a's low bits alone are not uniform enough for a modulo.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  return std::chrono::milliseconds(static_cast<int64_t>(h % static_cast<uint64_t>(window_ms)));
}

bool IsTransientStartError(const Error& error) {
  static constexpr std::string_view kTransient[] = {
      store::kStoreLocked, store::kStoreFull, store::kStoreError,
      // What an AWS StartExecution answers when it is overloaded or failing.
      "ThrottlingException", "ServiceUnavailable", "InternalServerError"};
  return std::find(std::begin(kTransient), std::end(kTransient), error.error) !=
         std::end(kTransient);
}

std::chrono::milliseconds RetryDelay(int retry) {
  constexpr std::chrono::milliseconds kFirst(1000);
  constexpr std::chrono::milliseconds kMax(5 * 60 * 1000);
  if (retry >= 9) return kMax;  // 2^9 s already exceeds it
  return std::min(kMax, kFirst * (int64_t{1} << std::max(0, retry - 1)));
}

std::string DeadLetterPath(const ProjectConfig& config) {
  if (config.data_dir.empty()) return "";
  return config.data_dir + "/schedules-dead-letter.jsonl";
}

Status AppendDeadLetter(const std::string& path, const FiredSlot& fired, TimePoint now) {
  json::Object record{{"schedule", fired.schedule},
                      {"slot", FormatIso8601(fired.slot)},
                      {"execution_name", fired.execution_name},
                      {"error", fired.error ? fired.error->error : ""},
                      {"cause", fired.error ? fired.error->cause : ""},
                      {"attempts", static_cast<int64_t>(fired.attempts)},
                      {"time", FormatIso8601(now)}};
  const std::string line = json::Serialize(json::Value(std::move(record))) + "\n";
  // One write of the whole line in append mode: concurrent writers do not interleave lines.
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return Error{"WriteFailed", "cannot open '" + path + "': " + std::strerror(errno)};
  }
  const bool written = std::fwrite(line.data(), 1, line.size(), file) == line.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    return Error{"WriteFailed", "cannot write '" + path + "': " + std::strerror(errno)};
  }
  return OkStatus();
}

ScheduleRunner::ScheduleRunner(Clock& clock, integrations::ExecutionLauncher& launcher,
                               FireSink on_fire, std::string dead_letter_path)
    : clock_(clock),
      launcher_(launcher),
      on_fire_(std::move(on_fire)),
      dead_letter_path_(std::move(dead_letter_path)) {}

Status ScheduleRunner::Add(const std::string& name, const ScheduleConfig& config,
                           const std::string& state_machine_arn) {
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok()) return expression.take_error();
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(config.timezone);
  if (!zone.ok()) return zone.take_error();
  if (!config.enabled) return OkStatus();
  schedules_.push_back(Schedule{name, config, std::move(expression).value(),
                                std::move(zone).value(), state_machine_arn});
  const size_t index = schedules_.size() - 1;
  const Schedule& schedule = schedules_.back();
  const TimePoint now = clock_.Now();
  // A slot that passed but whose flexible fire time has not (a restart inside the window)
  // still fires, at the same time as before the restart.
  const TimePoint window_start = now - std::chrono::minutes(config.flexible_window_minutes);
  std::optional<TimePoint> slot = NextSlot(schedule, window_start);
  for (; slot && *slot <= now; slot = NextSlot(schedule, *slot)) {
    const TimePoint at = FireTime(schedule, *slot);
    if (at > now) heap_.push(Due{at, index, *slot, 1, at});
  }
  if (slot) heap_.push(Due{*slot, index, *slot, 0, {}});
  return OkStatus();
}

std::optional<TimePoint> ScheduleRunner::NextSlot(const Schedule& schedule, TimePoint after) const {
  std::vector<TimePoint> next =
      Slots(schedule.expression, schedule.zone, schedule.config, after, 1);
  if (next.empty()) return std::nullopt;
  return next.front();
}

TimePoint ScheduleRunner::FireTime(const Schedule& schedule, TimePoint slot) const {
  return slot + FlexibleDelay(schedule.name, slot,
                              std::chrono::minutes(schedule.config.flexible_window_minutes));
}

void ScheduleRunner::Advance(const Due& cursor, TimePoint now) {
  const Schedule& schedule = schedules_[cursor.schedule];
  const TimePoint at = FireTime(schedule, cursor.slot);
  heap_.push(Due{at, cursor.schedule, cursor.slot, 1, at});
  // Slots missed in between (a suspended process) are skipped.
  if (std::optional<TimePoint> next = NextSlot(schedule, std::max(cursor.slot, now))) {
    heap_.push(Due{*next, cursor.schedule, *next, 0, {}});
  }
}

FiredSlot ScheduleRunner::Fire(const Schedule& schedule, const Due& due) {
  FiredSlot fired;
  fired.schedule = schedule.name;
  fired.slot = due.slot;
  fired.execution_name = ExecutionName(schedule.name, due.slot);
  fired.attempts = due.attempt;
  integrations::ExecutionLauncher::StartRequest request;
  request.state_machine_arn = schedule.arn;
  request.input = schedule.config.input;
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

void ScheduleRunner::RetryOrGiveUp(const Due& due, FiredSlot& fired) {
  const ScheduleConfig& config = schedules_[due.schedule].config;
  const TimePoint now = clock_.Now();
  if (IsTransientStartError(*fired.error)) {
    const TimePoint retry_at = now + RetryDelay(due.attempt);
    const bool attempts_left = due.attempt - 1 < config.maximum_retry_attempts;
    const bool age_left =
        retry_at - due.first <= std::chrono::seconds(config.maximum_event_age_seconds);
    if (attempts_left && age_left) {
      fired.retry_at = retry_at;
      heap_.push(Due{retry_at, due.schedule, due.slot, due.attempt + 1, due.first});
      return;
    }
  }
  if (dead_letter_path_.empty()) return;
  if (Status written = AppendDeadLetter(dead_letter_path_, fired, now); written.ok()) {
    fired.dead_lettered = true;
  } else {
    fired.error->cause +=
        " (the dead-letter record could not be written: " + written.error().cause + ")";
  }
}

void ScheduleRunner::Attempt(const Due& due) {
  Schedule& schedule = schedules_[due.schedule];
  FiredSlot fired = Fire(schedule, due);
  if (fired.error) RetryOrGiveUp(due, fired);
  // The delivery ended (started, already there, or given up): a one-time schedule completed.
  if (!fired.retry_at && schedule.config.delete_after_completion &&
      schedule.expression.kind == scheduler::ScheduleExpression::kAt) {
    schedule.deleted = fired.deleted = true;
  }
  if (on_fire_) on_fire_(fired);
}

std::optional<TimePoint> ScheduleRunner::FireDue() {
  const TimePoint now = clock_.Now();
  while (!heap_.empty() && heap_.top().at <= now) {
    Due due = heap_.top();
    heap_.pop();
    if (due.attempt == 0) {
      Advance(due, now);
    } else {
      Attempt(due);
    }
  }
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

std::vector<std::pair<std::string, TimePoint>> ScheduleRunner::Upcoming() const {
  auto copy = heap_;
  std::vector<std::pair<std::string, TimePoint>> out;
  for (; !copy.empty(); copy.pop()) {
    if (copy.top().attempt == 0)
      out.emplace_back(schedules_[copy.top().schedule].name, copy.top().at);
  }
  return out;
}

std::vector<std::string> ScheduleRunner::Names() const {
  std::vector<std::string> names;
  for (const Schedule& schedule : schedules_) {
    if (!schedule.deleted) names.push_back(schedule.name);
  }
  std::sort(names.begin(), names.end());
  return names;
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
