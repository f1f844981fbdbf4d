// The cost of a durable state transition in the store: one step (two history events and the
// checkpoint to resume from) of a running execution, committed alone (a transaction and, with
// Durability::kFull, an fsync per step) or together with other steps (Store::CommitGroup, what
// GroupCommitter does under load). File databases live in a fresh folder under $TMPDIR (/tmp).
// Results and the commands that reproduce them: BENCHMARKS.md and group_commit.h.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "autoretrain/store/store.h"

namespace autoretrain::store {
namespace {

constexpr char kMachineArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:M";

// A TaskStateExited event with id `id`.
engine::HistoryEvent Event(int64_t id) {
  engine::HistoryEvent event;
  event.id = id;
  event.previous_event_id = id - 1;
  event.type = "TaskStateExited";
  event.details_key = "stateExitedEventDetails";
  event.details = json::Object{{"name", "CheckDecision"},
                               {"output", R"({"retraining_required":"YES"})"},
                               {"outputDetails", json::Object{{"truncated", false}}}};
  return event;
}

// A file store in a temporary folder (removed at destruction) with `executions` running.
class BenchStore {
 public:
  BenchStore(Durability durability, int executions) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "autoretrain_store_bench_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    StoreOptions options;
    options.durability = durability;
    store_ = std::move(Store::Open((dir_ / "data.db").string(), options)).value();
    (void)store_->CreateStateMachine({kMachineArn, "M", "{}", "", "STANDARD", TimePoint{}});
    WriteBatch batch;
    for (int i = 0; i < executions; ++i) {
      arns_.push_back(std::string("arn:aws:states:us-east-1:123456789012:execution:M:e") +
                      std::to_string(i));
      batch.StartExecution({arns_.back(), kMachineArn, 1, "e" + std::to_string(i), "{}", {}},
                           {Event(1)});
    }
    (void)store_->Commit(batch);
    last_ids_.assign(executions, 1);
  }
  ~BenchStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The next step of execution `i`: TaskSucceeded + TaskStateExited and a checkpoint.
  void AddStep(WriteBatch& batch, int i) {
    const int64_t first = last_ids_[i] + 1;
    last_ids_[i] += 2;
    batch.RecordStep(arns_[i], {Event(first), Event(first + 1)},
                     Checkpoint{"Next", R"({"decision":"YES"})", 0, "{}", 0});
  }
  Store& store() { return *store_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<std::string> arns_;
  std::vector<int64_t> last_ids_;
};

// One transaction per step. Arg: 0 = Durability::kFull, 1 = kNormal.
void BM_CommitEachStep(benchmark::State& state) {
  BenchStore db(state.range(0) == 0 ? Durability::kFull : Durability::kNormal, 1);
  for (auto _ : state) {
    WriteBatch batch;
    db.AddStep(batch, 0);
    if (!db.store().Commit(batch).ok()) state.SkipWithError("commit failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CommitEachStep)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

// One transaction for Arg(1) steps of as many executions (each its own WriteBatch, as the
// GroupCommitter submits them), Durability::kFull. Items: steps.
void BM_GroupCommit(benchmark::State& state) {
  const int group = static_cast<int>(state.range(0));
  BenchStore db(Durability::kFull, group);
  for (auto _ : state) {
    std::vector<WriteBatch> batches(group);
    std::vector<const WriteBatch*> pointers;
    for (int i = 0; i < group; ++i) {
      db.AddStep(batches[i], i);
      pointers.push_back(&batches[i]);
    }
    for (const Status& status : db.store().CommitGroup(pointers)) {
      if (!status.ok()) state.SkipWithError("commit failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * group);
}
BENCHMARK(BM_GroupCommit)->Arg(16)->Arg(256)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The whole record of executions in an in-memory store (`serve --in-memory`, `run`), as the
// seed trigger leaves it: the start (ExecutionStarted), two steps (two events and a checkpoint
// each) and the end (two events), for 16 executions at a time, each write a WriteBatch of one
// CommitGroup as the GroupCommitter forms them under load. Items: executions.
void BM_InMemoryExecutions(benchmark::State& state) {
  constexpr int kGroup = 16;
  auto store = std::move(Store::OpenInMemory()).value();
  (void)store->CreateStateMachine({kMachineArn, "M", "{}", "", "STANDARD", TimePoint{}});
  int64_t started = 0;
  auto commit = [&](std::vector<WriteBatch>& batches) {
    std::vector<const WriteBatch*> pointers;
    for (const WriteBatch& batch : batches) pointers.push_back(&batch);
    for (const Status& status : store->CommitGroup(pointers)) {
      if (!status.ok()) state.SkipWithError(status.error().cause.c_str());
    }
  };
  for (auto _ : state) {
    std::vector<std::string> arns;
    std::vector<WriteBatch> starts(kGroup), first(kGroup), second(kGroup), ends(kGroup);
    for (int i = 0; i < kGroup; ++i) {
      const std::string name = "e" + std::to_string(started++);
      arns.push_back(std::string("arn:aws:states:us-east-1:123456789012:execution:M:") + name);
      starts[i].StartExecution({arns[i], kMachineArn, 1, name, "{}", {}}, {Event(1)});
      first[i].RecordStep(arns[i], {Event(2), Event(3)}, Checkpoint{"Next", "{}", 0, "{}", 0});
      second[i].RecordStep(arns[i], {Event(4), Event(5)}, Checkpoint{"Last", "{}", 0, "{}", 0});
      ends[i].FinishExecution({arns[i], engine::ExecutionStatus::kSucceeded, TimePoint{}, "{}",
                               std::nullopt, std::nullopt},
                              {Event(6), Event(7)});
    }
    for (auto* writes : {&starts, &first, &second, &ends}) commit(*writes);
  }
  state.SetItemsProcessed(state.iterations() * kGroup);
}
BENCHMARK(BM_InMemoryExecutions)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace autoretrain::store

BENCHMARK_MAIN();
