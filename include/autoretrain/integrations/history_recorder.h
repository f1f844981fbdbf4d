// HistoryRecorder: an engine::Observer that makes every execution it sees durable in a
// store::Store. ExecutionStarted records the execution (state machine, name, input, start date)
// with its first event; each further event is appended to the execution's history; the
// terminal event (ExecutionSucceeded/Failed/TimedOut/Aborted) finishes it with its output or
// error and cause. Writes go through a GroupCommitter, so executions running at the same time
// and events arriving while a commit is in flight share one transaction (one fsync).
//
// Failure policy: recording history must never cost an execution its result. The first store
// failure (locked, read-only, full, corrupt database...) is reported once through the
// WarningSink and the recorder stops writing; executions go on in memory.
//
// Thread-safety: all methods may be called from any thread (executions run on several).
#ifndef AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_
#define AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/store/group_commit.h"
#include "autoretrain/store/store.h"

namespace autoretrain::integrations {

// Receives a warning (one line, no prefix); called from any thread, at most once per recorder.
using WarningSink = std::function<void(const std::string&)>;

// The warning for `error` while recording in `database`: "execution history is not saved in
// 'DATABASE': ERROR: CAUSE (executions still run)".
std::string HistoryWarning(std::string_view database, const Error& error);

class HistoryRecorder final : public engine::Observer {
 public:
  // `store` must outlive the recorder. `database` names the store in warnings (its path).
  // `warn` may be empty (failures are then silent).
  HistoryRecorder(store::Store& store, std::string database, WarningSink warn);
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

  // Blocks until every event seen so far is committed or has failed.
  void Flush();

  // True once a store failure stopped the recording.
  bool failed() const { return failed_.load(); }

 private:
  // Reports `error` (the first time) and stops recording.
  void Fail(const Error& error);
  // The version of the state machine executions of `state_machine_arn` run (1 when unknown).
  int64_t VersionOf(const std::string& state_machine_arn) const;

  store::Store& store_;
  const std::string database_;
  const WarningSink warn_;
  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;  // guards versions_
  std::map<std::string, int64_t, std::less<>> versions_;
  store::GroupCommitter committer_;  // last: its writer thread calls Fail
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_HISTORY_RECORDER_H_
