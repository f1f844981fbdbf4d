// ActivityPoller (activity_poller.h).
#include "server/activity_poller.h"

#include <set>
#include <utility>
#include <vector>

namespace autoretrain::server {

ActivityPoller::ActivityPoller(store::Store& store, Clock& clock,
                               std::chrono::milliseconds interval)
    : store_(store), clock_(clock), interval_(interval), thread_([this] { Loop(); }) {}

ActivityPoller::~ActivityPoller() {
  std::deque<Poll> left;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  {
    std::lock_guard lock(mu_);
    left.swap(polls_);
    counts_.clear();
  }
  for (Poll& poll : left) poll.answer(std::optional<store::ActivityTask>());
}

Status ActivityPoller::Wait(const std::string& activity_arn, const std::string& worker_name,
                            std::chrono::steady_clock::time_point deadline,
                            std::shared_ptr<const std::atomic<bool>> client_gone, Answer answer) {
  {
    std::lock_guard lock(mu_);
    size_t& count = counts_[activity_arn];
    if (count >= kMaxWaitingPerActivity) {
      return Error{"ActivityWorkerLimitExceeded",
                   "The maximum number of workers concurrently polling for activity tasks has "
                   "been reached: " +
                       std::to_string(kMaxWaitingPerActivity) +
                       " GetActivityTask calls already "
                       "wait for '" +
                       activity_arn + "'; retry later or run fewer workers"};
    }
    ++count;
    polls_.push_back(
        Poll{activity_arn, worker_name, deadline, std::move(client_gone), std::move(answer)});
  }
  wake_.notify_all();
  return OkStatus();
}

size_t ActivityPoller::waiting() const {
  std::lock_guard lock(mu_);
  return polls_.size();
}

void ActivityPoller::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (polls_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !polls_.empty(); });
      continue;
    }
    std::deque<Poll> polls;
    polls.swap(polls_);
    lock.unlock();
    std::deque<Poll> kept = Pass(std::move(polls));
    lock.lock();
    // Polls parked during the pass come after the older ones.
    for (auto it = polls_.begin(); it != polls_.end(); ++it) kept.push_back(std::move(*it));
    polls_.swap(kept);
    if (stopping_) break;
    // New polls are looked at on the next pass too: they already tried once when they came.
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

std::deque<ActivityPoller::Poll> ActivityPoller::Pass(std::deque<Poll> polls) {
  std::deque<Poll> kept;
  std::set<std::string> empty;  // activities found without tasks in this pass
  std::vector<Poll> done;
  std::vector<Result<std::optional<store::ActivityTask>>> answers;
  const auto now = std::chrono::steady_clock::now();
  for (Poll& poll : polls) {
    if (poll.client_gone && poll.client_gone->load()) {
      answers.emplace_back(std::optional<store::ActivityTask>());
      done.push_back(std::move(poll));
      continue;
    }
    if (!empty.contains(poll.activity_arn)) {
      Result<std::optional<store::ActivityTask>> task =
          store_.GetActivityTask(poll.activity_arn, poll.worker_name, clock_.Now());
      if (!task.ok() || task->has_value()) {
        answers.push_back(std::move(task));
        done.push_back(std::move(poll));
        continue;
      }
      empty.insert(poll.activity_arn);
    }
    if (now >= poll.deadline) {
      answers.emplace_back(std::optional<store::ActivityTask>());
      done.push_back(std::move(poll));
      continue;
    }
    kept.push_back(std::move(poll));
  }
  {
    std::lock_guard lock(mu_);
    for (const Poll& poll : done) {
      auto it = counts_.find(poll.activity_arn);
      if (it != counts_.end() && --it->second == 0) counts_.erase(it);
    }
  }
  for (size_t i = 0; i < done.size(); ++i) done[i].answer(std::move(answers[i]));
  return kept;
}

}  // namespace autoretrain::server
