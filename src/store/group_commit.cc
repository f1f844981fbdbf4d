#include "autoretrain/store/group_commit.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <vector>

namespace autoretrain::store {

GroupCommitter::GroupCommitter(Store& store, Options options)
    : store_(store), options_(options), writer_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  writer_.join();
}

void GroupCommitter::Submit(WriteBatch batch, Callback done) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Pending{std::move(batch), std::move(done)});
    ++submitted_;
  }
  work_.notify_one();
}

namespace {

// One thread waits until another says "done", with at most one system call on each side and
// none when the waiter arrives after the fact. std::promise costs more: set_value goes through
// std::call_once, whose glibc implementation always makes a futex system call, before waking the
// future with another; std::binary_semaphore spins with sched_yield calls before it sleeps. A
// start waits for several writes, and a system call costs microseconds on a paravirtualised
// machine (BENCHMARKS.md, "StartExecution over signed HTTP").
class DoneSignal {
 public:
  void Set() {
    // The waiter may return (and this object be gone) as soon as the state is kDone; a wake of
    // the address afterwards is harmless (futex waiters tolerate spurious wake-ups).
    if (state_.exchange(kDone, std::memory_order_release) == kSleeping) {
      Futex(FUTEX_WAKE_PRIVATE, 1);
    }
  }
  void Wait() {
    int expected = kPending;
    if (!state_.compare_exchange_strong(expected, kSleeping, std::memory_order_acquire)) return;
    while (state_.load(std::memory_order_acquire) != kDone) Futex(FUTEX_WAIT_PRIVATE, kSleeping);
  }

 private:
  static constexpr int kPending = 0, kSleeping = 1, kDone = 2;
  void Futex(int op, int value) {
    syscall(SYS_futex, reinterpret_cast<int*>(&state_), op, value, nullptr, nullptr, 0);
  }
  std::atomic<int> state_{kPending};
  static_assert(sizeof(std::atomic<int>) == sizeof(int));
};

}  // namespace

Status GroupCommitter::Write(WriteBatch batch, WriteBatch* unwritten) {
  DoneSignal committed;
  Status result = OkStatus();
  Submit(std::move(batch), [&](const Status& status, WriteBatch& written) {
    if (!status.ok() && unwritten != nullptr) *unwritten = std::move(written);
    result = status;
    committed.Set();
  });
  committed.Wait();
  return result;
}

void GroupCommitter::Flush() {
  std::unique_lock lock(mu_);
  const int64_t target = submitted_;
  committed_.wait(lock, [&] { return stats_.batches >= target; });
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is committed
    if (options_.max_delay.count() > 0 && !stop_) {
      work_.wait_for(lock, options_.max_delay,
                     [&] { return stop_ || queue_.size() >= options_.max_batches; });
    }
    std::vector<Pending> group;
    while (!queue_.empty() && group.size() < options_.max_batches) {
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<const WriteBatch*> batches;
    batches.reserve(group.size());
    for (const Pending& pending : group) batches.push_back(&pending.batch);
    std::vector<Status> statuses = store_.CommitGroup(batches);
    for (size_t i = 0; i < group.size(); ++i) {
      if (group[i].done) group[i].done(statuses[i], group[i].batch);
    }
    lock.lock();
    ++stats_.transactions;
    stats_.batches += static_cast<int64_t>(group.size());
    committed_.notify_all();
  }
}

}  // namespace autoretrain::store
