// ExecutionService: runs many executions at once on a bounded pool of worker threads, the way
// Step Functions runs Standard workflows. An execution holds a worker only while it computes or
// a task runs; while it waits (Wait states, Retry delays) it sits in a timer queue and holds no
// thread, so thousands of waiting executions cost memory, not threads.
//
// With a HistoryRecorder, executions are durable: StartExecution returns only once the start is
// committed; checkpoints are committed before every task invocation and at every suspension;
// ResumeInterrupted continues, after a crash, every execution the store still holds as RUNNING
// from its last checkpoint (see docs/durability.md for the guarantee per task type). Without
// one, everything lives in memory (`autoretrain run` without a project, tests).
//
// Names and idempotency follow AWS StartExecution for Standard workflows: a name is unique per
// state machine; the same name and input as a RUNNING execution returns that execution; a
// different input, or a closed execution, fails with ExecutionAlreadyExists. A name the task
// router derived for a child (StartRequest::derived_name) is "already started" whatever the
// state of the existing execution: that is what makes re-running a startExecution task after
// a crash start nothing new.
//
// Thread-safety: all methods may be called from any thread, except that AddStateMachine must
// not race with starts of the same machine, and WaitAll must not be called from a worker.
#ifndef AUTORETRAIN_INTEGRATIONS_EXECUTION_SERVICE_H_
#define AUTORETRAIN_INTEGRATIONS_EXECUTION_SERVICE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/engine/execution.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/history_recorder.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/store/store.h"

namespace autoretrain::integrations {

struct ExecutionServiceOptions {
  int workers = 8;  // threads that advance executions (and run their tasks)
  // Keep finished executions' results in memory for Find (off for long-running services that
  // read results from the store instead).
  bool keep_finished = true;
  // Executions accepted and not yet ended, at most: AWS's default quota of open executions
  // per account and Region. Beyond it Start fails with ExecutionLimitExceeded; resumed
  // executions are never refused (they were accepted before).
  int64_t max_open_executions = 1'000'000;
};

class ExecutionService final : public ExecutionLauncher {
 public:
  // `executor` (whose observer should be `recorder` when there is one) and `recorder` (may be
  // null: nothing durable) must outlive the service. Threads start when work arrives.
  ExecutionService(engine::Executor& executor, AccountContext account, HistoryRecorder* recorder,
                   ExecutionServiceOptions options = {});
  // Waits for every execution to finish, then stops the threads.
  ~ExecutionService() override;
  ExecutionService(const ExecutionService&) = delete;
  ExecutionService& operator=(const ExecutionService&) = delete;

  // Adds (or replaces) state machine `name`; returns its ARN.
  std::string AddStateMachine(const std::string& name,
                              std::shared_ptr<const asl::StateMachine> machine);

  // Accepts an execution and queues it. Errors as AWS StartExecution: InvalidArn,
  // StateMachineDoesNotExist, InvalidName, ExecutionAlreadyExists (causes worded as AWS words
  // them, e.g. "State Machine Does Not Exist: 'ARN'"), ExecutionLimitExceeded (already
  // max_open_executions open; starting a name that is running with the same input still
  // returns it); a store that cannot be read while checking the name: its Store* error.
  Result<Started> Start(const StartRequest& request) override;
  // Running executions from memory; finished ones from memory when kept, else from the store
  // (durable mode). ExecutionDoesNotExist otherwise.
  Result<engine::ExecutionResult> Describe(std::string_view execution_arn) override;
  // When `execution_arn` (running here) ends, a `waiter` suspended in a .sync task is advanced
  // at once. Nothing when `execution_arn` is not running here (the waiter's own checks find
  // out).
  void WakeWhenDone(std::string_view execution_arn, std::string_view waiter) override;
  // Task tokens live in the store (durable mode, while recording works): a worker's answer
  // may come from another process. Without a store both fail with CallbacksUnavailable.
  Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                           const std::string& state_name) override;
  Result<store::TaskTokenRecord> GetTaskToken(const std::string& token) override;
  Status RegisterActivityTask(const std::string& token, const std::string& execution_arn,
                              const std::string& state_name, const std::string& activity_arn,
                              const std::string& input) override;
  // Starts an execution and waits for it to end; returns its result.
  Result<engine::ExecutionResult> RunSync(std::string_view state_machine_arn, json::Value input,
                                          std::string_view name);

  // Stops a running execution as AWS StopExecution does: it ends ABORTED with an
  // ExecutionAborted event carrying `error` and `cause`; a waiting execution stops at once, one
  // whose task is running stops when the task returns (its next state is not entered).
  // ExecutionDoesNotExist when this service does not run it; OK when it already ended.
  Status Stop(std::string_view execution_arn, std::optional<std::string> error,
              std::optional<std::string> cause);

  // Continues every execution `store` holds as RUNNING (the ones a killed process left), each
  // from its checkpoint and with the definition version it started with. Returns their ARNs,
  // oldest first. Fails with the store's errors; an execution whose definition or checkpoint
  // cannot be used is ended FAILED (States.Runtime naming the problem) rather than retried
  // forever. The caller must make sure no other process runs these executions (see
  // retrain::ProjectLock).
  Result<std::vector<std::string>> ResumeInterrupted(store::Store& store);

  // Blocks until every execution accepted so far (and every one they start) has ended.
  void WaitAll();

  // The result of a finished execution (nullopt if unknown, running, or not kept).
  std::optional<engine::ExecutionResult> Find(std::string_view execution_arn) const;
  // ARNs of the executions accepted through Start (not RunSync or resumed), in order; empty
  // unless keep_finished.
  std::vector<std::string> StartedExecutions() const;
  // How many executions are accepted and not yet ended.
  int64_t running() const;

 private:
  struct Machine {
    std::string name;
    std::shared_ptr<const asl::StateMachine> compiled;
  };
  enum class Phase { kReady, kAdvancing, kWaiting, kDone };
  struct Entry {
    std::shared_ptr<const asl::StateMachine> machine;  // keeps the definition alive
    std::unique_ptr<engine::Execution> execution;
    json::Value input;  // as accepted, for the idempotency check
    TimePoint start_date;
    Phase phase = Phase::kReady;
    bool stop_requested = false;  // Stop was called: never park it in the timer queue
    bool awaited = false;         // RunSync waits for its result
    bool wake_requested = false;  // an execution it waits for ended while it was advancing
    TimePoint wake_at;
    std::optional<engine::ExecutionResult> result;
  };
  // The entry is named by its execution ARN, not pointed to: a timer outlives the wait it was
  // queued for when the entry is woken early (Stop, a .sync child ending) and may then be
  // finished and dropped (keep_finished off) before the timer comes due.
  struct Timer {
    TimePoint at;
    std::string execution_arn;
    bool operator>(const Timer& other) const { return at > other.at; }
  };

  // The accepted execution (or the error) for a request. A new execution is queued to run
  // (`awaited`: RunSync waits for its result) and `*accepted` points to its entry; it stays
  // null when the request names an execution that already exists. mu_ not held.
  Result<Started> Accept(const StartRequest& request, bool awaited, Entry** accepted);
  // Checks the store for an execution of that name (durable mode only); mu_ not held.
  Result<std::optional<Started>> FindStored(const std::string& state_machine_arn,
                                            const std::string& name, const json::Value& input,
                                            bool derived_name);
  void Enqueue(Entry* entry);  // mu_ held
  void WorkerLoop();
  void TimerLoop();
  void Advance(Entry* entry);
  // What an entry held while its execution ran, for the caller to free once mu_ is released.
  struct Retired {
    std::shared_ptr<const asl::StateMachine> machine;
    std::unique_ptr<engine::Execution> execution;
    json::Value input;
  };
  Retired Finished(Entry* entry);  // mu_ held
  // Advances the executions waiting for `execution_arn` to end (WakeWhenDone); mu_ held.
  void WakeWaiters(const std::string& execution_arn);
  // True when an execution that just suspended was woken while it was advancing
  // (WakeWaiters) and must be advanced again at once; mu_ held.
  bool WokenWhileAdvancing(Entry* entry);

  engine::Executor& executor_;
  AccountContext account_;
  HistoryRecorder* recorder_;
  ExecutionServiceOptions options_;

  mutable std::mutex mu_;
  std::condition_variable ready_cv_;  // workers wait for ready_
  std::condition_variable timer_cv_;  // the timer thread waits for timers_ or the earliest
  std::condition_variable done_cv_;   // WaitAll and RunSync wait for executions to end
  std::map<std::string, Machine, std::less<>> machines_;                // by ARN
  std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;  // by execution ARN
  std::deque<Entry*> ready_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::vector<std::string> started_order_;
  // Execution ARN -> executions waiting in a .sync task for it to end.
  std::multimap<std::string, std::string, std::less<>> waiters_;
  int64_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // started on demand, up to options_.workers
  int idle_workers_ = 0;              // workers waiting for ready_
  std::thread timer_thread_;          // started with the first waiting execution
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_EXECUTION_SERVICE_H_
