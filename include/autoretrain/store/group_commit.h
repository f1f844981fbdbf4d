// GroupCommitter: one writer thread that commits the WriteBatches many threads submit, as many
// as are waiting in one transaction (Store::CommitGroup), so executions advancing at the same
// time share one fsync. Each batch stays all or nothing; its callback learns when it is durable.
//
// Batching policy: by default the writer commits as soon as it is free; batches submitted while
// a commit is in flight form the next group. At low load a batch waits for one commit, at high
// load groups grow by themselves up to `max_batches`. `max_delay` makes the writer wait a
// little longer after the first batch of a group, trading latency for larger groups.
//
// Cost per durable state transition (one step: 2 history events + a checkpoint), wall time,
// bench/store_bench.cc, Release, file database on ext4 in this project's 2-core VM (shared, so
// fsync latency varied between 0.15 and 4 ms from run to run):
//   committed alone, synchronous=FULL (BM_CommitEachStep/0):  0.2-3.9 ms  (fsync-bound)
//   committed alone, synchronous=NORMAL (BM_CommitEachStep/1): ~0.08-0.1 ms (not power-safe)
//   16 steps per transaction, FULL (BM_GroupCommit/16):        ~0.25 ms per step
//   256 steps per transaction, FULL (BM_GroupCommit/256):      ~0.08 ms per step (~12k/s)
// So batching makes a power-safe transition cost what a non-durable one does: the fsync is
// paid once per group, what remains is SQLite's CPU work (~35 us of it per step).
//
// Thread-safety: Submit, Write and Flush may be called from any thread, except from inside a
// callback (callbacks run on the writer thread; they must be short and must not block on this
// committer).
#ifndef AUTORETRAIN_STORE_GROUP_COMMIT_H_
#define AUTORETRAIN_STORE_GROUP_COMMIT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "autoretrain/store/store.h"
#include "autoretrain/store/write_batch.h"

namespace autoretrain::store {

class GroupCommitter {
 public:
  struct Options {
    size_t max_batches = 1024;               // most batches per transaction
    std::chrono::microseconds max_delay{0};  // extra wait for a group to fill (0: none)
  };
  // Runs with the batch's status and the batch itself: on failure nothing of it was written,
  // and the callback may move it out to submit it again later.
  using Callback = std::function<void(const Status&, WriteBatch& batch)>;

  // `store` must outlive the committer. Starts the writer thread.
  explicit GroupCommitter(Store& store, Options options);
  explicit GroupCommitter(Store& store) : GroupCommitter(store, Options{}) {}
  // Commits everything already submitted, then stops the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `batch`; `done` (may be empty) runs on the writer thread once the transaction holding
  // it committed (OK: durable) or with the batch's error (nothing of it was written).
  void Submit(WriteBatch batch, Callback done);
  // Submits and blocks until the batch is durable; returns its status. On failure the batch
  // is moved to `*unwritten` when given.
  Status Write(WriteBatch batch, WriteBatch* unwritten = nullptr);
  // Blocks until every batch submitted before the call has been committed or has failed.
  void Flush();

  // Transactions committed and batches handled, counted once their callbacks have run.
  struct Stats {
    int64_t transactions = 0;
    int64_t batches = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    WriteBatch batch;
    Callback done;
  };
  void Run();

  Store& store_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable work_;       // the writer waits for batches
  std::condition_variable committed_;  // Flush waits for the writer
  std::deque<Pending> queue_;
  int64_t submitted_ = 0;
  Stats stats_;
  bool stop_ = false;
  std::thread writer_;  // last: starts after everything above is initialized
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_GROUP_COMMIT_H_
