// WriteBatch: the writes of one or more durable state transitions, committed together. An
// execution's start (its row and first events), each step (the step's history events and the
// checkpoint to resume from), and its end (final status and last events) are operations; a
// batch holding any number of them, for any number of executions, is applied by
// Store::Commit in one transaction (all or nothing) or by Store::CommitGroup/GroupCommitter
// together with other batches (each batch all or nothing, one fsync for all).
//
// Thread-safety: a WriteBatch is a plain value; fill it on one thread, then hand it over.
#ifndef AUTORETRAIN_STORE_WRITE_BATCH_H_
#define AUTORETRAIN_STORE_WRITE_BATCH_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "autoretrain/engine/observer.h"
#include "autoretrain/store/records.h"

namespace autoretrain::store {

class WriteBatch {
 public:
  // Records a new RUNNING execution with its first history events (usually ExecutionStarted).
  // At commit: ExecutionAlreadyExists when the ARN or (state machine, name) is taken.
  void StartExecution(NewExecution execution, std::vector<engine::HistoryEvent> events);

  // Appends `events` to a running execution's history and, when given, replaces its checkpoint.
  // At commit: ExecutionDoesNotExist, ExecutionNotRunning, or InvalidHistoryEvent when an id
  // is not exactly the previous id + 1.
  void RecordStep(std::string execution_arn, std::vector<engine::HistoryEvent> events,
                  std::optional<Checkpoint> checkpoint);

  // Appends the final events, sets the status, stop date and output or error/cause, and drops
  // the checkpoint. At commit: the errors of RecordStep.
  void FinishExecution(ExecutionEnd end, std::vector<engine::HistoryEvent> events);

  bool empty() const { return ops_.empty(); }
  size_t size() const { return ops_.size(); }

  struct Start {
    NewExecution execution;
    std::vector<engine::HistoryEvent> events;
  };
  struct Step {
    std::string execution_arn;
    std::vector<engine::HistoryEvent> events;
    std::optional<Checkpoint> checkpoint;
  };
  struct Finish {
    ExecutionEnd end;
    std::vector<engine::HistoryEvent> events;
  };
  using Op = std::variant<Start, Step, Finish>;
  const std::vector<Op>& ops() const { return ops_; }
  // Moves the operations out, leaving the batch empty (to reuse what a failed write held).
  std::vector<Op> TakeOps() { return std::exchange(ops_, {}); }

 private:
  std::vector<Op> ops_;
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_WRITE_BATCH_H_
