// ScheduleRunner (include/autoretrain/retrain/schedule_runner.h).
#include "autoretrain/retrain/schedule_runner.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include "autoretrain/common/arn.h"
#include "autoretrain/store/store.h"
#include "retrain/scheduler_state.h"

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

// Whether a slot may be tried again after `made` starts, at `at`, its first try at `first`.
bool RetryAllowed(const ScheduleConfig& config, int made, TimePoint at, TimePoint first) {
  return made - 1 < config.maximum_retry_attempts &&
         at - first <= std::chrono::seconds(config.maximum_event_age_seconds);
}

// What the `fired` report of a slot starts as, before its outcome is known.
FiredSlot SlotReport(const std::string& schedule, TimePoint slot, int attempts, bool late,
                     bool resumed) {
  FiredSlot fired;
  fired.schedule = schedule;
  fired.slot = slot;
  fired.execution_name = ExecutionName(schedule, slot);
  fired.attempts = attempts;
  fired.caught_up = late;
  fired.resumed = resumed;
  return fired;
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
  // What an AWS StartExecution answers when it is overloaded or failing.
  static constexpr std::string_view kTransientAws[] = {"ThrottlingException", "ServiceUnavailable",
                                                       "InternalServerError"};
  return store::IsTransientStoreError(error.error) ||
         std::find(std::begin(kTransientAws), std::end(kTransientAws), error.error) !=
             std::end(kTransientAws);
}

std::chrono::milliseconds RetryDelay(int retry) {
  constexpr std::chrono::milliseconds kFirst(1000);
  constexpr std::chrono::milliseconds kMax(5 * 60 * 1000);
  if (retry >= 9) return kMax;  // 2^9 s already exceeds it
  return std::min(kMax, kFirst * (int64_t{1} << std::max(0, retry - 1)));
}

RunnerFiles RunnerFilesFor(const ProjectConfig& config) {
  if (config.data_dir.empty()) return {};
  return RunnerFiles{config.data_dir + "/schedules-dead-letter.jsonl",
                     config.data_dir + "/scheduler-state.json"};
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
                               FireSink on_fire, RunnerFiles files)
    : clock_(clock), launcher_(launcher), on_fire_(std::move(on_fire)), files_(std::move(files)) {}

Status ScheduleRunner::Restore() {
  last_alive_.reset();
  restored_.clear();
  if (files_.state_path.empty()) return OkStatus();
  Result<std::optional<SchedulerState>> state = ReadSchedulerState(files_.state_path);
  if (!state.ok()) return state.take_error();
  if (*state) {
    last_alive_ = (*state)->alive_at;
    restored_ = std::move((*state)->pending);
  }
  return OkStatus();
}

Status ScheduleRunner::WriteHeartbeat() {
  if (files_.state_path.empty()) return OkStatus();
  SchedulerState state;
  state.alive_at = fired_through_.value_or(last_alive_.value_or(clock_.Now()));
  for (const auto& [key, pending] : pending_) state.pending.push_back(pending);
  state.pending.insert(state.pending.end(), restored_.begin(), restored_.end());
  return WriteSchedulerState(files_.state_path, state);
}

void ScheduleRunner::SaveState() {
  if (Status written = WriteHeartbeat(); !written.ok()) unsaved_ = written.error();
}

void ScheduleRunner::Remember(PendingSlot pending) {
  std::pair<std::string, TimePoint> key{pending.schedule, pending.slot};
  pending_[std::move(key)] = std::move(pending);
  SaveState();
}

void ScheduleRunner::Forget(const std::string& schedule, TimePoint slot) {
  if (pending_.erase({schedule, slot}) > 0) SaveState();
}

Status ScheduleRunner::Add(const std::string& name, const ScheduleConfig& config,
                           const std::string& state_machine_arn) {
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok()) return expression.take_error();
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(config.timezone);
  if (!zone.ok()) return zone.take_error();
  if (!config.enabled) return OkStatus();
  Insert(name, config, std::move(expression).value(), std::move(zone).value(), state_machine_arn,
         /*restart=*/true);
  return OkStatus();
}

void ScheduleRunner::Insert(const std::string& name, const ScheduleConfig& config,
                            scheduler::ScheduleExpression expression, scheduler::TimeZone zone,
                            const std::string& state_machine_arn, bool restart) {
  schedules_.push_back(Schedule{.name = name,
                                .config = config,
                                .expression = std::move(expression),
                                .zone = std::move(zone),
                                .arn = state_machine_arn,
                                .last_execution = ""});
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
  if (config.overlap != ScheduleConfig::Overlap::kAllow) {
    if (std::optional<TimePoint> latest = LatestSlotAtOrBefore(schedule, now)) {
      schedules_[index].last_execution =
          ExecutionArnOf(state_machine_arn, ExecutionName(name, *latest)).value_or("");
    }
  }
  if (!restart) return;
  Resume(index, now);  // before CatchUp, which leaves the resumed slots to it
  if (last_alive_) CatchUp(index, *last_alive_, now, std::nullopt);
}

void ScheduleRunner::Resume(size_t index, TimePoint now) {
  Schedule& schedule = schedules_[index];
  for (auto it = restored_.begin(); it != restored_.end();) {
    const bool still_its_slot =
        it->schedule == schedule.name && it->state_machine_arn == schedule.arn &&
        NextSlot(schedule, it->slot - std::chrono::milliseconds(1)) == it->slot;
    if (!still_its_slot) {
      ++it;
      continue;
    }
    PendingSlot pending = std::move(*it);
    it = restored_.erase(it);
    Due due{now, index, pending.slot, 0, pending.first, pending.late, /*resumed=*/true};
    if (pending.held) {
      // No slot of the schedule started after the held one: its previous execution is the one
      // the held slot waits for. Without BUFFER_ONE any more, the slot gets its first attempt.
      schedule.last_execution = pending.after;
      schedule.holding = schedule.config.overlap == ScheduleConfig::Overlap::kBufferOne;
      due.attempt = schedule.holding ? kHeld : 1;
    } else {
      due.at = std::max(now, pending.retry_at);
      due.attempt = pending.attempts + 1;
    }
    heap_.push(due);
    pending_[{pending.schedule, pending.slot}] = std::move(pending);
  }
}

void ScheduleRunner::DropUnresumed() {
  const std::vector<std::string> live = Names();
  for (const PendingSlot& pending : restored_) {
    FiredSlot fired = SlotReport(pending.schedule, pending.slot, pending.attempts, pending.late,
                                 /*resumed=*/true);
    fired.dropped = std::binary_search(live.begin(), live.end(), pending.schedule)
                        ? "the schedule changed: the slot is no longer one of its slots, or its "
                          "target is another state machine"
                        : "the schedule no longer exists or is disabled";
    if (on_fire_) on_fire_(fired);
  }
  restored_.clear();
  SaveState();
}

bool ScheduleRunner::MarkRemoved(const std::string& name) {
  bool found = false;
  for (Schedule& schedule : schedules_) {
    if (!schedule.removed && schedule.name == name) schedule.removed = found = true;
  }
  if (std::erase_if(pending_, [&](const auto& entry) { return entry.first.first == name; }) > 0) {
    SaveState();
  }
  return found;
}

Status ScheduleRunner::Put(const std::string& name, const ScheduleConfig& config,
                           const std::string& state_machine_arn) {
  Result<scheduler::ScheduleExpression> expression =
      scheduler::ParseScheduleExpression(config.expression);
  if (!expression.ok()) return expression.take_error();
  Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(config.timezone);
  if (!zone.ok()) return zone.take_error();
  std::lock_guard<std::mutex> lock(mu_);
  changes_.push_back(Change{name, config, state_machine_arn});
  cv_.notify_all();
  return OkStatus();
}

void ScheduleRunner::Remove(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  changes_.push_back(Change{name, std::nullopt, ""});
  cv_.notify_all();
}

size_t ScheduleRunner::ApplyChanges() {
  std::vector<Change> changes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    changes.swap(changes_);
  }
  for (const Change& change : changes) {
    MarkRemoved(change.name);
    if (!change.config || !change.config->enabled) continue;
    // Put parsed both already; they parse the same way again.
    Result<scheduler::ScheduleExpression> expression =
        scheduler::ParseScheduleExpression(change.config->expression);
    Result<scheduler::TimeZone> zone = scheduler::TimeZone::Load(change.config->timezone);
    if (!expression.ok() || !zone.ok()) continue;
    Insert(change.name, *change.config, std::move(expression).value(), std::move(zone).value(),
           change.arn, /*catch_up=*/false);
  }
  return changes.size();
}

void ScheduleRunner::CatchUp(size_t index, TimePoint from, TimePoint now,
                             std::optional<TimePoint> also) {
  const Schedule& schedule = schedules_[index];
  using Missed = ScheduleConfig::MissedSlots;
  // Each is due at its own fire time (passed: they fire at once, oldest first); the event age
  // of a late one counts from now.
  if (schedule.config.missed_slots == Missed::kSkip) {
    if (also) heap_.push(Due{FireTime(schedule, *also), index, *also, 1, now});
    return;
  }
  from = std::max(from, now - std::chrono::minutes(schedule.config.catch_up_window_minutes));
  std::vector<TimePoint> missed;
  if (also) missed.push_back(*also);
  // A missed slot whose flexible fire time is still ahead is already queued (see Add).
  for (std::optional<TimePoint> slot = NextSlot(schedule, std::max(from, also.value_or(from)));
       slot && *slot <= now; slot = NextSlot(schedule, *slot)) {
    if (FireTime(schedule, *slot) <= now) missed.push_back(*slot);
  }
  if (schedule.config.missed_slots == Missed::kLatest && !missed.empty()) {
    missed.erase(missed.begin(), missed.end() - 1);
  }
  for (TimePoint slot : missed) {
    if (pending_.count({schedule.name, slot})) continue;  // resumed: queued already
    heap_.push(Due{FireTime(schedule, slot), index, slot, 1, now, !also || slot != *also});
  }
}

std::optional<TimePoint> ScheduleRunner::LatestSlotAtOrBefore(const Schedule& schedule,
                                                              TimePoint t) const {
  using std::chrono::hours;
  for (hours back : {hours(1), hours(24), hours(24 * 32), hours(24 * 366), hours(24 * 3660)}) {
    std::optional<TimePoint> latest;
    for (std::optional<TimePoint> slot = NextSlot(schedule, t - back); slot && *slot <= t;
         slot = NextSlot(schedule, *slot)) {
      latest = slot;
    }
    if (latest) return latest;
  }
  return std::nullopt;
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
  std::optional<TimePoint> next = NextSlot(schedule, cursor.slot);
  if (at > now || !next || *next > now) {
    heap_.push(Due{at, cursor.schedule, cursor.slot, 1, at});
  } else {
    // Later slots passed too (the process was suspended): the missed_slots policy decides.
    CatchUp(cursor.schedule, cursor.slot, now, cursor.slot);
  }
  if (next && *next <= now) next = NextSlot(schedule, now);
  if (next) heap_.push(Due{*next, cursor.schedule, *next, 0, {}});
}

FiredSlot ScheduleRunner::Report(const Schedule& schedule, const Due& due) const {
  return SlotReport(schedule.name, due.slot, due.attempt, due.late, due.resumed);
}

FiredSlot ScheduleRunner::Fire(const Schedule& schedule, const Due& due) {
  FiredSlot fired = Report(schedule, due);
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

FiredSlot ScheduleRunner::ExpiredRetry(const Schedule& schedule, const Due& due) {
  FiredSlot fired = Report(schedule, due);
  fired.attempts = due.attempt - 1;  // no attempt now
  const std::string arn = ExecutionArnOf(schedule.arn, fired.execution_name).value_or("");
  if (launcher_.Describe(arn).ok()) {
    fired.already_fired = true;
    return fired;
  }
  fired.error = pending_.at({schedule.name, due.slot}).error;
  GiveUp(fired);
  return fired;
}

void ScheduleRunner::RetryOrGiveUp(const Due& due, FiredSlot& fired) {
  const Schedule& schedule = schedules_[due.schedule];
  const TimePoint retry_at = clock_.Now() + RetryDelay(due.attempt);
  if (!IsTransientStartError(*fired.error) ||
      !RetryAllowed(schedule.config, due.attempt, retry_at, due.first)) {
    GiveUp(fired);
    return;
  }
  fired.retry_at = retry_at;
  heap_.push(
      Due{retry_at, due.schedule, due.slot, due.attempt + 1, due.first, due.late, due.resumed});
  PendingSlot pending;
  pending.schedule = schedule.name;
  pending.slot = due.slot;
  pending.state_machine_arn = schedule.arn;
  pending.attempts = due.attempt;
  pending.first = due.first;
  pending.late = due.late;
  pending.retry_at = retry_at;
  pending.error = *fired.error;
  Remember(std::move(pending));  // before it is reported: a reported retry is never lost
}

void ScheduleRunner::GiveUp(FiredSlot& fired) {
  if (files_.dead_letter_path.empty()) return;
  Status written = AppendDeadLetter(files_.dead_letter_path, fired, clock_.Now());
  if (written.ok()) {
    fired.dead_lettered = true;
  } else {
    fired.error->cause +=
        " (the dead-letter record could not be written: " + written.error().cause + ")";
  }
}

bool ScheduleRunner::PreviousRunning(const Schedule& schedule) {
  if (schedule.last_execution.empty()) return false;
  Result<engine::ExecutionResult> previous = launcher_.Describe(schedule.last_execution);
  return previous.ok() && previous->status == engine::ExecutionStatus::kRunning;
}

bool ScheduleRunner::HeldOrDropped(Schedule& schedule, const Due& due) {
  constexpr std::chrono::seconds kLookAgain(1);
  using Overlap = ScheduleConfig::Overlap;
  if (due.attempt == kHeld) {
    if (PreviousRunning(schedule)) {
      Due again = due;
      again.at = clock_.Now() + kLookAgain;
      heap_.push(again);
      return true;
    }
    schedule.holding = false;
    return false;
  }
  if (due.attempt != 1 || schedule.config.overlap == Overlap::kAllow ||
      !PreviousRunning(schedule)) {
    return false;
  }
  FiredSlot fired = Report(schedule, due);
  fired.attempts = 0;
  if (schedule.config.overlap == Overlap::kBufferOne && !schedule.holding) {
    schedule.holding = fired.buffered = true;
    Due held = due;
    held.at = clock_.Now() + kLookAgain;
    held.attempt = kHeld;
    heap_.push(held);
    PendingSlot pending;
    pending.schedule = schedule.name;
    pending.slot = due.slot;
    pending.state_machine_arn = schedule.arn;
    pending.held = true;
    pending.first = due.first;
    pending.late = due.late;
    pending.after = schedule.last_execution;
    Remember(std::move(pending));  // before it is reported: a reported hold is never lost
  } else {
    fired.skipped_overlap = true;
    Forget(schedule.name, due.slot);  // a resumed held slot, now under overlap SKIP
  }
  if (on_fire_) on_fire_(fired);
  return true;
}

void ScheduleRunner::Attempt(Due due) {
  Schedule& schedule = schedules_[due.schedule];
  if (HeldOrDropped(schedule, due)) return;
  if (due.attempt == kHeld) due.attempt = 1;  // released: the previous execution ended
  FiredSlot fired;
  // A resumed retry is checked against its policy at the time it comes (the restart may be
  // later than the retry was due); the retries this runner queues were checked when queued.
  if (due.resumed && due.attempt > 1 &&
      !RetryAllowed(schedule.config, due.attempt - 1, due.at, due.first)) {
    fired = ExpiredRetry(schedule, due);
  } else {
    fired = Fire(schedule, due);
    if (fired.error) RetryOrGiveUp(due, fired);  // a retry stays pending
  }
  if (!fired.execution_arn.empty()) {
    schedule.last_execution = fired.execution_arn;
  } else if (fired.already_fired) {
    schedule.last_execution = ExecutionArnOf(schedule.arn, fired.execution_name).value_or("");
  }
  // The delivery ended (started, already there, or given up): no longer pending, and a
  // one-time schedule completed.
  if (!fired.retry_at) {
    Forget(schedule.name, due.slot);
    if (schedule.config.delete_after_completion &&
        schedule.expression.kind == scheduler::ScheduleExpression::kAt) {
      schedule.deleted = fired.deleted = true;
    }
  }
  if (on_fire_) on_fire_(fired);
}

std::optional<TimePoint> ScheduleRunner::FireDue() {
  if (!restored_.empty()) DropUnresumed();
  const TimePoint now = clock_.Now();
  while (!heap_.empty() && heap_.top().at <= now) {
    Due due = heap_.top();
    heap_.pop();
    if (schedules_[due.schedule].removed) continue;
    if (due.attempt == 0) {
      Advance(due, now);
    } else {
      Attempt(due);
    }
  }
  fired_through_ = now;
  // Entries of removed schedules are dropped when they surface, not counted as work to come.
  while (!heap_.empty() && schedules_[heap_.top().schedule].removed) heap_.pop();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().at;
}

std::vector<std::pair<std::string, TimePoint>> ScheduleRunner::Upcoming() const {
  auto copy = heap_;
  std::vector<std::pair<std::string, TimePoint>> out;
  for (; !copy.empty(); copy.pop()) {
    if (copy.top().attempt == 0 && !schedules_[copy.top().schedule].removed)
      out.emplace_back(schedules_[copy.top().schedule].name, copy.top().at);
  }
  return out;
}

std::vector<std::string> ScheduleRunner::Names() const {
  std::vector<std::string> names;
  for (const Schedule& schedule : schedules_) {
    if (!schedule.deleted && !schedule.removed) names.push_back(schedule.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void ScheduleRunner::Run(std::function<void(const Error&)> on_heartbeat_error) {
  constexpr std::chrono::minutes kHeartbeat(1);
  std::optional<TimePoint> heartbeat_due;  // none yet: write one at once
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_) {
    lock.unlock();
    ApplyChanges();
    std::optional<TimePoint> next = FireDue();
    if (unsaved_ && on_heartbeat_error) on_heartbeat_error(*unsaved_);
    unsaved_.reset();
    const TimePoint now = clock_.Now();
    if (!files_.state_path.empty() && (!heartbeat_due || *heartbeat_due <= now)) {
      Status written = WriteHeartbeat();
      if (!written.ok() && on_heartbeat_error) on_heartbeat_error(written.error());
      heartbeat_due = now + kHeartbeat;
    }
    if (heartbeat_due && (!next || *heartbeat_due < *next)) next = heartbeat_due;
    lock.lock();
    if (stopped_) break;
    if (!changes_.empty()) continue;  // queued while firing: apply them first
    if (next) {
      clock_.WaitUntil(lock, cv_, *next);
    } else {
      cv_.wait(lock, [this] { return stopped_; });
    }
  }
  lock.unlock();
  // Fired through the latest FireDue: a restart counts only the slots after it as missed, so
  // one that came due while stopping is caught up (by the missed_slots policy) rather than lost.
  if (!files_.state_path.empty()) {
    Status written = WriteHeartbeat();
    if (!written.ok() && on_heartbeat_error) on_heartbeat_error(written.error());
  }
}

void ScheduleRunner::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  cv_.notify_all();
}

}  // namespace autoretrain::retrain
