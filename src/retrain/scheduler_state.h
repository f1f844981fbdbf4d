// The schedule runner's state file (data_dir/scheduler-state.json): the time up to which the
// runner had fired every due slot, and the slots it still owes a start (PendingSlot: held by
// overlap BUFFER_ONE, or waiting for a retry). One small JSON document, always written whole:
//
//   {"alive_at": "2026-11-26T08:00:30.000Z",
//    "pending": [{"schedule": "s", "slot": "...", "execution_name": "s-20261126T080000Z",
//                 "state_machine_arn": "...", "state": "held", "attempts": 0,
//                 "first_attempt": "...", "waiting_for": "<execution ARN>"},
//                {..., "state": "retry", "attempts": 2, "retry_at": "...",
//                 "error": "StoreLocked", "cause": "..."}]}
//
// "pending" is left out when there is none (the file then reads as it did before pending slots
// were kept), "caught_up": true only when set. "execution_name" is for whoever reads the file:
// the runner derives the name from the schedule and the slot (ExecutionName).
//
// Thread-safety: plain functions; concurrent writers of one path are not supported (the
// runner's thread is its only writer).
#ifndef AUTORETRAIN_RETRAIN_SCHEDULER_STATE_H_
#define AUTORETRAIN_RETRAIN_SCHEDULER_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/retrain/schedule_runner.h"

namespace autoretrain::retrain {

struct SchedulerState {
  TimePoint alive_at;
  std::vector<PendingSlot> pending;
};

// Reads the state file at `path`: nullopt when it does not exist; Error{"InvalidSchedulerState",
// ...} naming the file and what is wrong when it cannot be read or is not such a document.
Result<std::optional<SchedulerState>> ReadSchedulerState(const std::string& path);

// Replaces the file at `path` with `state`: written to PATH.tmp, flushed to disk (fsync),
// renamed over `path`, and the folder flushed, so that after a crash of the process or of the
// machine the file holds either the previous state or this one, whole. Error{"WriteFailed",
// ...} naming the file when a step fails (the previous state then stays in place).
Status WriteSchedulerState(const std::string& path, const SchedulerState& state);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_SCHEDULER_STATE_H_
