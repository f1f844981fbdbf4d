// HistoryRecorder: an engine::Observer that makes every execution it sees durable in a
// store::Store, with the checkpoints it resumes from after a crash.
//
// What is written when. ExecutionStarted is held until CommitStart (the execution service calls
// it before StartExecution returns: an accepted execution is on disk) or until the execution's
// first write. Further events are buffered per execution and written together with each
// checkpoint (OnCheckpoint: before a task is invoked, and when the execution suspends), which
// blocks until that write is durable: a task's side effects begin only once its start is
// recorded, and the stored history always ends exactly at the stored checkpoint. The terminal
// event (ExecutionSucceeded/Failed/TimedOut/Aborted) finishes the execution with its buffered
// events without blocking. Writes go through a GroupCommitter, so executions advancing at the
// same time share one transaction (one fsync).
//
// Failure policy (FailurePolicy): for a command that runs one execution and exits (`check`,
// `run`), recording history must never cost an execution its result: the first store failure
// (locked, read-only, full, corrupt database...) is reported once through the WarningSink and
// the recorder stops writing; executions go on in memory. For the daemon, an accepted
// execution must be on disk: a start that cannot be written is refused (CommitStart returns
// the store's error, so StartExecution fails and a schedule retries), and every later write is
// still tried, so recording resumes once the store can be written again (each failure and the
// recovery are reported). A checkpoint's unwritten events are written with the next one; an
// end that failed with a transient store error (store::IsTransientStoreError) is held and
// submitted again before each later write and at Flush, so the stored execution does not stay
// RUNNING once the store recovers. A write refused because the execution is no longer running
// (stopped by another process) makes OnCheckpoint return false, so the engine halts that execution.
//
// Thread-safety: all methods may be called from any thread (executions run on several); events
// of one execution arrive from one thread at a time.
#ifndef AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_
#define AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/engine/execution.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/store/group_commit.h"
#include "autoretrain/store/store.h"

namespace autoretrain::integrations {

// Receives a warning (one line, no prefix); called from any thread, at most once per recorder.
using WarningSink = std::function<void(const std::string&)>;

// The warning for `error` while recording in `database`: "execution history is not saved in
// 'DATABASE': ERROR: CAUSE (executions still run)".
std::string HistoryWarning(std::string_view database, const Error& error);

// What the recorder does when the store cannot be written (see above).
enum class FailurePolicy {
  kStopRecording,  // warn once, then run every execution in memory only
  kRefuseStarts,   // refuse starts that cannot be written; keep trying every other write
};

class HistoryRecorder final : public engine::Observer {
 public:
  // `store` must outlive the recorder. `database` names the store in warnings (its path).
  // `warn` may be empty (failures are then silent).
  HistoryRecorder(store::Store& store, std::string database, WarningSink warn,
                  FailurePolicy policy = FailurePolicy::kStopRecording);
  // Flushes: every event seen before is committed (or has failed) when it returns.
  ~HistoryRecorder() override;
  HistoryRecorder(const HistoryRecorder&) = delete;
  HistoryRecorder& operator=(const HistoryRecorder&) = delete;

  // Makes `definition` the current version of state machine `arn` (created when new, a new
  // version when the definition changed, nothing when unchanged); its executions record that
  // version. Synchronous. On failure warns and stops recording.
  void RegisterStateMachine(const std::string& arn, const std::string& name,
                            const std::string& definition, TimePoint now);

  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override;
  bool OnCheckpoint(std::string_view execution_arn, const engine::ResumePoint& point) override;

  // Writes the held ExecutionStarted of `execution_arn` and blocks until it is durable. OK when
  // written, or (kStopRecording) when recording has stopped after a store failure (the
  // execution runs in memory); ExecutionAlreadyExists when the store already has that ARN or
  // name; with kRefuseStarts, the store's error when it could not be written (the execution
  // must not run: its held events are dropped).
  // `version` (when not 0) is the definition version the execution runs, instead of the
  // machine's current one.
  Status CommitStart(std::string_view execution_arn, int64_t version = 0);

  // Blocks until every event seen so far is committed or has failed.
  void Flush();

  // kRefuseStarts: submits again the execution ends whose write failed with a transient store
  // error (locked, full), without waiting; each is held again if it fails again. Every write
  // does this first; a daemon also calls it periodically, so that an end is written once the
  // store recovers even when nothing else happens.
  void RetryHeldEnds();

  store::Store& store() const { return store_; }

  // True once a store failure stopped the recording (never with kRefuseStarts).
  bool failed() const { return failed_.load(); }

 private:
  // kStopRecording: reports `error` (the first time) and stops recording. kRefuseStarts:
  // reports `error` when the previous write succeeded.
  void Fail(const Error& error);
  // A write succeeded: with kRefuseStarts after a failure, reports that recording resumed.
  void Succeeded();
  // The version of the state machine executions of `state_machine_arn` run (1 when unknown).
  int64_t VersionOf(const std::string& state_machine_arn) const;
  // Moves the held events of `execution_arn` out (and forgets them when `last`).
  std::vector<engine::HistoryEvent> TakePending(std::string_view execution_arn, bool last);
  // Puts the events of a step whose write failed back in front of the execution's held ones.
  void KeepStepEvents(std::string_view execution_arn, store::WriteBatch& batch);
  // kRefuseStarts: keeps an end whose write failed with a transient store error.
  void HoldEnd(const Status& status, store::WriteBatch& batch);
  // Submits `batch`, which finishes an execution, without waiting.
  void SubmitEnd(store::WriteBatch batch);
  // A StartExecution operation for a held ExecutionStarted event.
  bool AddStart(store::WriteBatch& batch, std::string_view execution_arn,
                const engine::HistoryEvent& started, int64_t version = 0);

  store::Store& store_;
  const std::string database_;
  const WarningSink warn_;
  const FailurePolicy policy_;
  std::atomic<bool> failed_{false};
  std::atomic<bool> failing_{false};  // kRefuseStarts: the latest write failed
  mutable std::mutex mu_;             // guards versions_, pending_ and held_ends_
  std::map<std::string, int64_t, std::less<>> versions_;
  // Events seen but not yet submitted, per execution (ExecutionStarted first when not yet
  // committed).
  std::map<std::string, std::vector<engine::HistoryEvent>, std::less<>> pending_;
  // Ends whose write failed (kRefuseStarts; see HoldEnd).
  std::vector<store::WriteBatch> held_ends_;
  store::GroupCommitter committer_;  // last: its writer thread calls Fail
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_
