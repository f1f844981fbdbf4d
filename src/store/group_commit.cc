#include "autoretrain/store/group_commit.h"

#include <future>
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

Status GroupCommitter::Write(WriteBatch batch, WriteBatch* unwritten) {
  std::promise<Status> promise;
  std::future<Status> result = promise.get_future();
  Submit(std::move(batch), [&](const Status& status, WriteBatch& written) {
    if (!status.ok() && unwritten != nullptr) *unwritten = std::move(written);
    promise.set_value(status);
  });
  return result.get();
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
