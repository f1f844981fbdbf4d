// ActivityPoller: GetActivityTask's long poll without a thread per poll. A poll that finds no
// task at once is parked here; one background thread looks in the store for tasks of every
// activity that has parked polls (every `interval`, oldest poll first), hands each task found
// to the oldest poll, and answers polls whose time is up with no task. A poll whose client
// left (HttpRequest::client_gone) is dropped without taking a task, so no task is handed to a
// worker that cannot receive it.
//
// Activity tasks are written to the store by the executions (of this process or another one
// sharing the project), so the store is polled: a task scheduled while polls wait reaches one
// within `interval`.
//
// Thread-safety: Wait may be called from any thread; answers are called on the poller's thread.
#ifndef AUTORETRAIN_SERVER_ACTIVITY_POLLER_H_
#define AUTORETRAIN_SERVER_ACTIVITY_POLLER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/store/store.h"

namespace autoretrain::server {

class ActivityPoller {
 public:
  // A task, no task (the poll's time is up), or the store's error.
  using Answer = std::function<void(Result<std::optional<store::ActivityTask>>)>;

  // At most this many polls may wait for one activity at once (more get
  // ActivityWorkerLimitExceeded).
  static constexpr size_t kMaxWaitingPerActivity = 1000;

  // `store` and `clock` must outlive the poller; the thread starts at once.
  ActivityPoller(store::Store& store, Clock& clock, std::chrono::milliseconds interval);
  // Answers every waiting poll with no task, then joins the thread.
  ~ActivityPoller();
  ActivityPoller(const ActivityPoller&) = delete;
  ActivityPoller& operator=(const ActivityPoller&) = delete;

  // Parks a poll of `activity_arn` for `worker_name` until `deadline`; `answer` is called
  // exactly once later. Fails (and does not call `answer`) with
  // Error{"ActivityWorkerLimitExceeded", ...} when kMaxWaitingPerActivity polls already wait.
  Status Wait(const std::string& activity_arn, const std::string& worker_name,
              std::chrono::steady_clock::time_point deadline,
              std::shared_ptr<const std::atomic<bool>> client_gone, Answer answer);

  // How many polls wait now (all activities).
  size_t waiting() const;

 private:
  struct Poll {
    std::string activity_arn;
    std::string worker_name;
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<const std::atomic<bool>> client_gone;
    Answer answer;
  };
  void Loop();
  // One pass over `polls`: answers the ones that are done, returns the others in order.
  std::deque<Poll> Pass(std::deque<Poll> polls);

  store::Store& store_;
  Clock& clock_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Poll> polls_;                // guarded by mu_, oldest first
  std::map<std::string, size_t> counts_;  // guarded by mu_: waiting polls per activity
  bool stopping_ = false;                 // guarded by mu_
  std::thread thread_;
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_ACTIVITY_POLLER_H_
