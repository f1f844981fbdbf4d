// ScheduleRunner: fires a project's schedules ("schedules" in autoretrain.json) the way Amazon
// EventBridge Scheduler fires a schedule whose target is StartExecution: at every slot of the
// schedule expression it starts one execution of the target state machine with the schedule's
// input. `autoretrain serve` runs one.
//
// Each slot starts an execution named after the schedule and the slot (ExecutionName), so a
// slot fires at most once even across restarts: when the store already holds that name
// (ExecutionAlreadyExists, or the running execution returned as AWS returns it for the same
// name and input), the slot counts as fired. Slots missed while nothing ran are skipped, as
// AWS does: the first slot considered is the first one after the runner starts (or after a
// schedule is added). rate() slots are counted from the Unix epoch (rate(1 hour) fires on the
// hour, UTC), so that they, too, are the same slots after a restart.
//
// The enabled schedules sit in a min-heap by next slot: finding the next due one never scans
// them all. The runner reads the time and sleeps only through its Clock.
//
// Thread-safety: Add and FireDue are for the thread that calls Run (or for tests, without Run);
// Stop may be called from any thread.
#ifndef AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_
#define AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"

namespace autoretrain::retrain {

// What happened at one slot.
struct FiredSlot {
  std::string schedule;
  TimePoint slot;
  std::string execution_name;
  std::string execution_arn;   // the started (or already existing) execution; empty on error
  bool already_fired = false;  // the name existed: an earlier run fired this slot
  std::optional<Error> error;  // the execution could not be started (the slot is not retried)
};

// "<schedule>-<yyyymmddThhmmssZ>" (the slot in UTC). Names longer than AWS's 80 characters
// keep a prefix of the schedule name and a hash of all of it, so they stay unique.
std::string ExecutionName(std::string_view schedule, TimePoint slot);

class ScheduleRunner {
 public:
  using FireSink = std::function<void(const FiredSlot&)>;

  // `clock` and `launcher` must outlive the runner; `on_fire` (may be empty) hears every slot.
  ScheduleRunner(Clock& clock, integrations::ExecutionLauncher& launcher, FireSink on_fire = {});

  // Adds schedule `name` starting `state_machine_arn`. A disabled schedule is accepted and
  // never fires. Fails with InvalidScheduleExpression or InvalidTimeZone.
  Status Add(const std::string& name, const ScheduleConfig& config,
             const std::string& state_machine_arn);

  // Fires every schedule whose next slot is due (at or before Now()). A schedule that missed
  // several slots while the process ran but could not fire (it was suspended) fires once, for
  // the first of them; its next slot is then the first one after Now(). Returns the earliest
  // slot still to come, nullopt when no schedule will fire again.
  std::optional<TimePoint> FireDue();

  // The next slot of every schedule that will fire again, earliest first.
  std::vector<std::pair<std::string, TimePoint>> Upcoming() const;

  // Fires slots as they fall due until Stop is called.
  void Run();
  // Makes Run return (at once, or after the slot it is firing); later Runs return at once.
  void Stop();

 private:
  struct Schedule {
    std::string name;
    scheduler::ScheduleExpression expression;
    scheduler::TimeZone zone;
    std::string arn;
    json::Value input;
  };
  struct Due {
    TimePoint at;
    size_t schedule;  // index into schedules_
    bool operator>(const Due& other) const {
      return at != other.at ? at > other.at : schedule > other.schedule;
    }
  };

  std::optional<TimePoint> NextSlot(const Schedule& schedule, TimePoint after) const;
  FiredSlot Fire(const Schedule& schedule, TimePoint slot);

  Clock& clock_;
  integrations::ExecutionLauncher& launcher_;
  FireSink on_fire_;
  std::vector<Schedule> schedules_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> heap_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;  // guarded by mu_
};

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_SCHEDULE_RUNNER_H_
