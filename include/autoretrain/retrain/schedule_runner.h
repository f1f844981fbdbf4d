// ScheduleRunner: fires a project's schedules ("schedules" in autoretrain.json) the way Amazon
// EventBridge Scheduler fires a schedule whose target is StartExecution: at every slot of the
// schedule expression it starts one execution of the target state machine with the schedule's
// input. `autoretrain serve` runs one.
//
// Each slot starts an execution named after the schedule and the slot (ExecutionName), so a
// slot fires at most once even across restarts: when the store already holds that name
// (ExecutionAlreadyExists, or the running execution returned as AWS returns it for the same
// name and input), the slot counts as fired. rate() slots are counted from the Unix epoch
// (rate(1 hour) fires on the hour, UTC), so that they, too, are the same slots after a restart.
//
// Slots missed while nothing ran: by default they are skipped, as AWS does: the first slot
// considered is the first one after the runner starts (or after a schedule is added), or with
// a flexible window the first whose delayed fire time is still ahead. A schedule's
// missed_slots policy may fire the latest one, or all of them, within a catch-up window; the
// runner knows how long the daemon was down from the time it last recorded itself alive in its
// state file (WriteHeartbeat, every minute while Run runs; Restore reads it back).
//
// Overlap: with overlap SKIP or BUFFER_ONE, a slot whose schedule's previous execution (the
// one the latest earlier slot started) is still RUNNING is dropped, or held until that
// execution ends (one slot at most; the held slot keeps its own name; the runner looks again
// every second).
//
// Pending slots survive a restart: a slot that is held, or waiting to retry its start, is
// recorded in the state file (PendingSlot; written whole, atomically, at once) when it becomes
// pending, and forgotten when its delivery ends (started, found already started, given up or
// dropped). Restore reads them back and Add resumes those of its schedule, still under the
// slot's execution name, so a slot whose start succeeded just before a crash is found
// (already_fired) rather than started twice. One whose schedule is gone or changed is dropped
// and reported at the first FireDue (FiredSlot::dropped).
//
// The EventBridge Scheduler options of ScheduleConfig apply (docs/schedules.md):
// - FlexibleTimeWindow: a slot fires at slot + a delay in [0, window), drawn from a hash of the
//   schedule's name and the slot, so a restart picks the same delay. The name stays the slot's.
// - StartDate/EndDate: no slot before or after them (cron and rate; at() ignores them, as AWS
//   does). A rate() with a StartDate counts its slots from it instead of the epoch.
// - RetryPolicy: a start that fails with a transient error (IsTransientStartError) is retried
//   with exponential backoff (RetryDelay) while attempts and event age last; then a dead-letter
//   record is appended (AppendDeadLetter). A retry resumed after a restart counts the attempts
//   already made, and is given up when its policy ran out meanwhile.
// - ActionAfterCompletion DELETE: an at() schedule is dropped once its slot's delivery ended.
//
// The enabled schedules sit in a min-heap by next fire time: finding the next due one never
// scans them all. The runner reads the time and sleeps only through its Clock.
//
// Schedules can change while Run runs (the Scheduler API's CreateSchedule, UpdateSchedule and
// DeleteSchedule): Put and Remove queue the change and wake Run, which applies queued changes
// (ApplyChanges) before it next fires anything. A replaced schedule keeps its name, so its slots
// keep their execution names and a slot that already fired does not fire again.
//
// Thread-safety: Add, ApplyChanges, FireDue, Upcoming and Names are for the thread that calls
// Run (or for tests, without Run); Put, Remove and Stop may be called from any thread.
#ifndef AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_
#define AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"

namespace autoretrain::retrain {

// What happened at one attempt to start a slot's execution.
struct FiredSlot {
  std::string schedule;
  TimePoint slot;
  std::string execution_name;
  std::string execution_arn;   // the started (or already existing) execution; empty on error
  bool already_fired = false;  // the name existed: an earlier run fired this slot
  std::optional<Error> error;  // this attempt could not start the execution
  int attempts = 1;            // starts tried for this slot so far, this one included
  // Set when `error` is transient and the policy allows another attempt at this time.
  std::optional<TimePoint> retry_at;
  // The slot was given up (a transient error outlasted the retry policy) and its dead-letter
  // record was written. When writing it failed, `error`'s cause says so and this stays false.
  bool dead_lettered = false;
  // ActionAfterCompletion DELETE: the slot's delivery ended and the schedule was dropped.
  bool deleted = false;
  // The slot had passed while nothing could fire it; the missed_slots policy fires it late.
  bool caught_up = false;
  // Overlap: the previous execution still runs, so the slot was dropped (skipped_overlap) or
  // is held until it ends (buffered; it is reported again when it fires).
  bool skipped_overlap = false;
  bool buffered = false;
  // The slot was pending (held or waiting for a retry) when the previous runner on the state
  // file stopped; this runner resumed it.
  bool resumed = false;
  // Why a resumed slot was not fired (its schedule no longer exists, is disabled, or changed
  // so that the slot is not one of its slots or its target differs); empty otherwise.
  std::string dropped;
};

// A slot the runner still owes a start after its first turn: held by overlap BUFFER_ONE until
// the previous execution ends, or waiting to retry a start that failed with a transient error.
// The runner keeps these in its state file (retrain/scheduler_state.h) so that a restart
// resumes them.
struct PendingSlot {
  std::string schedule;
  TimePoint slot;
  std::string state_machine_arn;  // the schedule's target when the slot became pending
  bool held = false;              // held; else waiting for a retry
  int attempts = 0;               // starts tried so far (0 while held)
  TimePoint first;                // the first attempt's time, which the event age counts from
  bool late = false;              // a missed slot the missed_slots policy fires (caught_up)
  std::string after;              // held: the execution it waits for
  TimePoint retry_at;             // waiting for a retry: when
  Error error;                    // waiting for a retry: the last attempt's error
};

// "<schedule>-<yyyymmddThhmmssZ>" (the slot in UTC). Names longer than AWS's 80 characters
// keep a prefix of the schedule name and a hash of all of it, so they stay unique.
std::string ExecutionName(std::string_view schedule, TimePoint slot);

// The first `n` slots of `config`'s schedule strictly after `after`, as the runner fires them
// (rate() counted from start_date or else the epoch; start_date/end_date applied), or an
// InvalidScheduleExpression/InvalidTimeZone error. A disabled schedule still has slots.
Result<std::vector<TimePoint>> ScheduleSlots(const ScheduleConfig& config, TimePoint after, int n);

// FLEXIBLE's delay for `slot`: uniform in [0, window), the same for the same schedule and slot.
std::chrono::milliseconds FlexibleDelay(std::string_view schedule, TimePoint slot,
                                        std::chrono::minutes window);

// Whether a failed start may succeed if tried again: the store busy, locked or out of space
// (StoreLocked, StoreFull, StoreError) and AWS's throttling and server errors. Everything else
// (StateMachineDoesNotExist, InvalidArn, InvalidName, StoreCorrupt, ...) is permanent.
bool IsTransientStartError(const Error& error);

// The wait before retry number `retry` (1-based): 1 s doubling per retry, at most 5 minutes.
std::chrono::milliseconds RetryDelay(int retry);

// The files a runner keeps; "" for none.
struct RunnerFiles {
  std::string dead_letter_path;  // dead-letter records (AppendDeadLetter)
  // When the runner was last alive, and its pending slots (WriteHeartbeat, Restore).
  std::string state_path;
};
// DATA_DIR/schedules-dead-letter.jsonl and DATA_DIR/scheduler-state.json, or none when the
// project has no data_dir.
RunnerFiles RunnerFilesFor(const ProjectConfig& config);

// Appends one JSON line {"schedule", "slot", "execution_name", "error", "cause", "attempts",
// "time"} for `fired` (which has an error) to `path`, creating the file. Fails with
// Error{"WriteFailed", ...}.
Status AppendDeadLetter(const std::string& path, const FiredSlot& fired, TimePoint now);

class ScheduleRunner {
 public:
  using FireSink = std::function<void(const FiredSlot&)>;

  // `clock` and `launcher` must outlive the runner; `on_fire` (may be empty) hears every
  // attempt. No file is touched before Restore, WriteHeartbeat or a dead letter.
  ScheduleRunner(Clock& clock, integrations::ExecutionLauncher& launcher, FireSink on_fire = {},
                 RunnerFiles files = {});

  // Reads when the previous runner on these files was last alive, and the slots it left
  // pending (call before Add, so that missed_slots can fire what it missed and Add can resume
  // the pending slots of its schedule). OK when there is no state file yet (nothing is caught
  // up or resumed); Error{"InvalidSchedulerState", ...} naming the file when it cannot be read
  // or parsed (then nothing is caught up or resumed either; deleting the file clears the
  // error).
  Status Restore();
  // Records the time the runner was last alive, with the pending slots (atomically and
  // durably: a temporary file, flushed, renamed over the state file): the Now() of the latest
  // FireDue, up to which every due slot was attempted, or before any FireDue the restored time
  // (else Now()). Not the time of writing: a slot that came due after the latest FireDue and
  // was never attempted (the process was killed or stopped first) must stay a missed slot for
  // the next runner. Run calls it after each FireDue at start and every minute, and when it
  // stops; the runner also writes the file whenever a slot becomes pending or stops being
  // pending. Error{"WriteFailed", ...} when the file cannot be written; OK without a state
  // path.
  Status WriteHeartbeat();

  // Adds schedule `name` starting `state_machine_arn`, and resumes the pending slots Restore
  // read for it: a held slot waits again for the execution it waited for (or, when the
  // schedule's overlap is no longer BUFFER_ONE, gets its first attempt now); a retry comes at
  // its time (at once when that passed), or is given up when the retry policy ran out
  // meanwhile. A slot that is no longer one of the schedule's slots, or was pending for another
  // target, is not resumed. A disabled schedule is accepted and never fires. Fails with
  // InvalidScheduleExpression or InvalidTimeZone.
  Status Add(const std::string& name, const ScheduleConfig& config,
             const std::string& state_machine_arn);

  // Queues adding schedule `name`, or replacing the schedule of that name (then its queued
  // slots and retries are dropped and its slots are counted afresh from Now(), without
  // catching up missed ones), and wakes Run. A disabled `config` removes the schedule. Fails,
  // queueing nothing, with InvalidScheduleExpression or InvalidTimeZone. Any thread.
  Status Put(const std::string& name, const ScheduleConfig& config,
             const std::string& state_machine_arn);
  // Queues removing schedule `name` (with its queued slots, retries and held slot, which leave
  // the state file; nothing when there is none) and wakes Run. Any thread.
  void Remove(const std::string& name);
  // Applies the changes Put and Remove queued, in order; returns how many. Run calls it.
  size_t ApplyChanges();

  // Fires every schedule whose next fire time (slot + flexible delay) is due (at or before
  // Now()), and every retry that is due. The first call drops the restored pending slots no
  // Add resumed, reporting each (FiredSlot::dropped). A schedule that missed several slots while
  // the process ran but could not fire (it was suspended) fires once, for the first of them; its
  // next slot is then the first one after Now() minus its flexible window. Returns the
  // earliest fire or retry time still to come, nullopt when nothing will fire again.
  std::optional<TimePoint> FireDue();

  // The next slot (not retries) of every schedule that will fire again, earliest first.
  std::vector<std::pair<std::string, TimePoint>> Upcoming() const;

  // The schedules added and enabled, less those ActionAfterCompletion DELETE dropped; sorted.
  std::vector<std::string> Names() const;

  // Fires slots as they fall due, and writes a heartbeat every minute, until Stop is called.
  // `on_heartbeat_error` (may be empty) hears a heartbeat, or a change of the pending slots,
  // that could not be written to the state file (the next heartbeat writes them again).
  void Run(std::function<void(const Error&)> on_heartbeat_error = {});
  // Makes Run return (at once, or after the slot it is firing); later Runs return at once.
  void Stop();

 private:
  struct Schedule {
    std::string name;
    ScheduleConfig config;
    scheduler::ScheduleExpression expression;
    scheduler::TimeZone zone;
    std::string arn;
    bool deleted = false;  // ActionAfterCompletion DELETE applied
    // The execution the latest slot started (or found already started): overlap's "previous".
    std::string last_execution;
    bool holding = false;  // BUFFER_ONE holds a slot
    bool removed = false;  // replaced or removed (Put, Remove): its queued entries are dropped
  };
  // A change Put or Remove queued (config unset: remove).
  struct Change {
    std::string name;
    std::optional<ScheduleConfig> config;
    std::string arn;
  };
  static constexpr int kHeld = -1;  // Due::attempt of a slot BUFFER_ONE holds
  // A schedule's cursor (attempt 0: its next slot, due at the slot's time) or one attempt to
  // start a slot's execution (due at slot + flexible delay, or at a retry's time). The cursor
  // queues the slot's first attempt when the slot arrives, so that with a window longer than
  // the interval a later slot can fire before an earlier one, as on AWS.
  struct Due {
    TimePoint at;     // when it is due
    size_t schedule;  // index into schedules_
    TimePoint slot;
    int attempt = 0;       // 0 for the cursor, 1 for the slot's first attempt, then retries; kHeld
    TimePoint first;       // the first attempt's time, which the event age counts from
    bool late = false;     // a missed slot the missed_slots policy fires
    bool resumed = false;  // pending when the previous runner stopped
    bool operator>(const Due& other) const {
      if (at != other.at) return at > other.at;
      if (schedule != other.schedule) return schedule > other.schedule;
      return attempt != other.attempt ? attempt > other.attempt : slot > other.slot;
    }
  };

  // Add's work for parsed values; `restart`: resume the schedule's pending slots and apply the
  // missed_slots policy (Add), not for a replacement (Put).
  void Insert(const std::string& name, const ScheduleConfig& config,
              scheduler::ScheduleExpression expression, scheduler::TimeZone zone,
              const std::string& state_machine_arn, bool restart);
  // Queues the restored pending slots of schedule `index` that are still its slots.
  void Resume(size_t index, TimePoint now);
  // Reports and forgets the restored pending slots no Add resumed.
  void DropUnresumed();
  // Marks the live schedule called `name` removed, forgetting its pending slots; false when
  // there is none.
  bool MarkRemoved(const std::string& name);
  // Records a slot as pending, or forgets it, and writes the state file when that changed.
  void Remember(PendingSlot pending);
  void Forget(const std::string& schedule, TimePoint slot);
  // Writes the state file; a failure is kept for Run to report.
  void SaveState();
  std::optional<TimePoint> NextSlot(const Schedule& schedule, TimePoint after) const;
  // The latest slot at or before `t`, looking back at most about ten years.
  std::optional<TimePoint> LatestSlotAtOrBefore(const Schedule& schedule, TimePoint t) const;
  // Queues the missed slots in (from, now] the schedule's missed_slots policy fires, each
  // due now, but for those pending already (resumed). `also`: a slot already due that counts
  // as the earliest of them.
  void CatchUp(size_t index, TimePoint from, TimePoint now, std::optional<TimePoint> also);
  // Whether the schedule's previous execution is still RUNNING.
  bool PreviousRunning(const Schedule& schedule);
  // Applies the overlap policy to a slot's first attempt; true when it was dropped or held.
  bool HeldOrDropped(Schedule& schedule, const Due& due);
  TimePoint FireTime(const Schedule& schedule, TimePoint slot) const;
  // The slot's time arrived: queues its first attempt and moves the cursor on.
  void Advance(const Due& cursor, TimePoint now);
  // Runs one attempt (after the overlap policy) and reports it.
  void Attempt(Due due);
  // What is reported of `due`, before its outcome.
  FiredSlot Report(const Schedule& schedule, const Due& due) const;
  FiredSlot Fire(const Schedule& schedule, const Due& due);
  // A resumed retry whose policy ran out while no runner ran: found already started (the
  // previous runner's last attempt started it), else given up with the last attempt's error.
  FiredSlot ExpiredRetry(const Schedule& schedule, const Due& due);
  // After a failed attempt: queues a retry (pending), or gives the slot up (GiveUp).
  void RetryOrGiveUp(const Due& due, FiredSlot& fired);
  // Appends `fired`'s dead-letter record, or adds to its cause why it could not.
  void GiveUp(FiredSlot& fired);

  Clock& clock_;
  integrations::ExecutionLauncher& launcher_;
  FireSink on_fire_;
  RunnerFiles files_;
  std::optional<TimePoint> last_alive_;     // from Restore
  std::optional<TimePoint> fired_through_;  // the Now() of the latest FireDue
  // Pending slots from Restore that no Add resumed yet (the first FireDue drops the rest), and
  // those of this runner's schedules, by schedule name and slot. Both are in the state file.
  std::vector<PendingSlot> restored_;
  std::map<std::pair<std::string, TimePoint>, PendingSlot> pending_;
  std::optional<Error> unsaved_;  // the latest failure to write the state file, for Run
  std::vector<Schedule> schedules_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> heap_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;         // guarded by mu_
  std::vector<Change> changes_;  // guarded by mu_
};

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_
