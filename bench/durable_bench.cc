// Durable executions through the real ExecutionService: the seed's retraining trigger (decision
// YES, so every execution starts a child) with its child a trivial Pass machine run by the same
// service, with full durable history in a file store (HistoryRecorder + GroupCommitter), and the
// memory of a long run with keep_finished = false. Prints one JSON line per measurement.
//
//   durable_bench throughput --durability full|normal|memory --workers 8 --executions 20000
//                            [--starters 64]
//   durable_bench memory --durability memory|full|normal --executions 1000000
//                        [--in-flight 10000] [--workers 8] [--machine pass_choice|seed]
//
// Figures and the commands that reproduce them: BENCHMARKS.md ("Durable executions").
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "autoretrain/asl/parser.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/execution_service.h"
#include "autoretrain/integrations/history_recorder.h"
#include "autoretrain/integrations/object_store.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/store/store.h"
#include "bench_util.h"

namespace {

namespace fs = std::filesystem;
using namespace autoretrain;
using Clock_ = std::chrono::steady_clock;

using bench::CompileOrDie;
using bench::CurrentRssMb;
using bench::PeakRssMb;
using bench::ReadFile;

// Counts what the engine reports (history events, state exits, checkpoints) and forwards to
// the recorder when there is one.
class CountingObserver final : public engine::Observer {
 public:
  explicit CountingObserver(engine::Observer* next) : next_(next) {}
  void OnEvent(std::string_view arn, const engine::HistoryEvent& event) override {
    events_.fetch_add(1, std::memory_order_relaxed);
    if (event.type.ends_with("StateExited")) exits_.fetch_add(1, std::memory_order_relaxed);
    if (next_) next_->OnEvent(arn, event);
  }
  bool OnCheckpoint(std::string_view arn, const engine::ResumePoint& point) override {
    checkpoints_.fetch_add(1, std::memory_order_relaxed);
    return next_ ? next_->OnCheckpoint(arn, point) : true;
  }
  int64_t events() const { return events_.load(); }
  int64_t exits() const { return exits_.load(); }
  int64_t checkpoints() const { return checkpoints_.load(); }

 private:
  engine::Observer* next_;
  std::atomic<int64_t> events_{0}, exits_{0}, checkpoints_{0};
};

struct Args {
  std::string command = "throughput";
  std::string durability = "full";  // full | normal | memory
  std::string machine = "pass_choice";
  int workers = 8;
  int starters = 64;
  int64_t executions = 20000;
  int64_t in_flight = 10000;
  bool keep_finished = false;
};

Args Parse(int argc, char** argv) {
  Args a;
  if (argc > 1) a.command = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--durability")
      a.durability = v;
    else if (k == "--workers")
      a.workers = std::stoi(v);
    else if (k == "--starters")
      a.starters = std::stoi(v);
    else if (k == "--executions")
      a.executions = std::stoll(v);
    else if (k == "--in-flight")
      a.in_flight = std::stoll(v);
    else if (k == "--machine")
      a.machine = v;
    else if (k == "--keep-finished")
      a.keep_finished = v == "1";
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return a;
}

// Everything one run needs: the decision function over a local bucket, the router, the executor
// (observed by a counter and, when durable, a HistoryRecorder over a file store) and the service.
class Bench {
 public:
  Bench(const Args& args, bool keep_finished) : args_(args) {
    std::string pattern = (fs::temp_directory_path() / "autoretrain_durable_bench_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    fs::path bucket = dir_ / "buckets/mlops-creditcard/monitoring_outputs/retraining_decision";
    fs::create_directories(bucket);
    std::ofstream(bucket / "retraining_decision.csv") << "retraining_decision\nYES\n";
    objects_ = integrations::MakeLocalObjectStore((dir_ / "buckets").string());
    functions_.Register("check_retraining_decision",
                        retrain::MakeDecisionFunction(*objects_, retrain::DecisionConfig{}));
    if (args.durability != "memory") {
      store::StoreOptions options;
      options.durability =
          args.durability == "normal" ? store::Durability::kNormal : store::Durability::kFull;
      db_path_ = (dir_ / "history.db").string();
      auto opened = store::Store::Open(db_path_, options);
      if (!opened.ok()) {
        std::fprintf(stderr, "cannot open store: %s\n", opened.error().cause.c_str());
        std::exit(1);
      }
      store_ = std::move(opened).value();
      recorder_ = std::make_unique<integrations::HistoryRecorder>(
          *store_, db_path_, [](const std::string& w) { std::fprintf(stderr, "%s\n", w.c_str()); });
    }
    counter_ = std::make_unique<CountingObserver>(recorder_.get());
    router_ = std::make_unique<integrations::TaskRouter>(functions_, clock_, account_);
    executor_ = std::make_unique<engine::Executor>(*router_, clock_, counter_.get(), account_);
    service_ = std::make_unique<integrations::ExecutionService>(
        *executor_, account_, recorder_.get(),
        integrations::ExecutionServiceOptions{.workers = args.workers,
                                              .keep_finished = keep_finished});
    router_->set_launcher(service_.get());

    const std::string child_name = "creditcard-training-pipeline";
    const std::string child_def =
        R"({"StartAt":"Train","States":{"Train":{"Type":"Pass","End":true}}})";
    child_arn_ = Add(child_name, child_def);
    std::string seed = ReadFile(std::string(AUTORETRAIN_SOURCE_DIR) +
                                "/templates/project/state_machines/retraining_trigger.asl.json");
    const std::string placeholder = "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE";
    seed.replace(seed.find(placeholder), placeholder.size(), child_arn_);
    seed_arn_ = Add("retraining-trigger", seed);
    pass_choice_arn_ = Add("pass-choice", ReadFile(std::string(AUTORETRAIN_SOURCE_DIR) +
                                                   "/bench/machines/pass_choice.asl.json"));
  }
  ~Bench() {
    service_.reset();
    executor_.reset();
    recorder_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Add(const std::string& name, const std::string& definition) {
    std::string arn = service_->AddStateMachine(name, CompileOrDie(definition));
    if (recorder_) recorder_->RegisterStateMachine(arn, name, definition, clock_.Now());
    return arn;
  }
  void StartOrDie(const std::string& machine_arn) {
    auto started =
        service_->Start({.state_machine_arn = machine_arn, .input = json::Object{}, .name = {}});
    if (!started.ok()) {
      std::fprintf(stderr, "start failed: %s: %s\n", started.error().error.c_str(),
                   started.error().cause.c_str());
      std::abort();
    }
  }
  int64_t DiskBytes() const {
    int64_t total = 0;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      auto size = fs::file_size(db_path_ + suffix, ec);
      if (!ec) total += static_cast<int64_t>(size);
    }
    return total;
  }

  const Args& args_;
  fs::path dir_;
  std::string db_path_;
  SystemClock clock_;
  AccountContext account_;
  std::unique_ptr<integrations::ObjectStore> objects_;
  integrations::FunctionRegistry functions_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<integrations::HistoryRecorder> recorder_;
  std::unique_ptr<CountingObserver> counter_;
  std::unique_ptr<integrations::TaskRouter> router_;
  std::unique_ptr<engine::Executor> executor_;
  std::unique_ptr<integrations::ExecutionService> service_;
  std::string child_arn_, seed_arn_, pass_choice_arn_;
};

// Seed trigger executions (each starting one Pass child), started from `starters` threads
// (StartExecution blocks until the start is durable, so one thread would pay an fsync per start).
int Throughput(const Args& args) {
  Bench bench(args, args.keep_finished);
  const int starters = args.durability == "memory" ? 1 : args.starters;
  std::atomic<int64_t> next{0};
  auto t0 = Clock_::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < starters; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < args.executions) bench.StartOrDie(bench.seed_arn_);
    });
  }
  for (auto& t : threads) t.join();
  bench.service_->WaitAll();
  if (bench.recorder_) bench.recorder_->Flush();  // the terminal events are asynchronous
  const double seconds = std::chrono::duration<double>(Clock_::now() - t0).count();
  if (bench.recorder_ && bench.recorder_->failed()) {
    std::fprintf(stderr, "recording failed\n");
    return 1;
  }
  const auto& c = *bench.counter_;
  std::printf(
      "{\"bench\":\"seed_trigger_service\",\"durability\":\"%s\",\"workers\":%d,\"starters\":%d,"
      "\"parent_executions\":%lld,\"child_executions\":%lld,\"seconds\":%.3f,"
      "\"parent_executions_per_s\":%.0f,\"us_per_parent_execution\":%.2f,"
      "\"history_events\":%lld,\"state_transitions\":%lld,\"checkpoints\":%lld,"
      "\"us_per_state_transition\":%.2f,\"us_per_history_event\":%.2f,\"disk_mb\":%.1f,"
      "\"peak_rss_mb\":%.1f}\n",
      args.durability.c_str(), args.workers, starters, (long long)args.executions,
      (long long)args.executions, seconds, args.executions / seconds,
      seconds * 1e6 / args.executions, (long long)c.events(), (long long)c.exits(),
      (long long)c.checkpoints(), seconds * 1e6 / c.exits(), seconds * 1e6 / c.events(),
      bench.DiskBytes() / 1048576.0, PeakRssMb());
  return 0;
}

// `executions` short executions with keep_finished = false, at most `in_flight` at a time;
// RSS at 100k, 250k, 500k, 1M (and every further checkpoint of the sequence).
int Memory(const Args& args) {
  Bench bench(args, args.keep_finished);
  const std::string& arn = args.machine == "seed" ? bench.seed_arn_ : bench.pass_choice_arn_;
  const int starters = args.durability == "memory" ? 1 : args.starters;
  std::vector<int64_t> marks;
  for (int64_t m : {10000LL, 100000LL, 250000LL, 500000LL, 750000LL, 1000000LL}) {
    if (m <= args.executions) marks.push_back(m);
  }
  if (marks.empty() || marks.back() != args.executions) marks.push_back(args.executions);
  std::printf(
      "{\"bench\":\"memory\",\"durability\":\"%s\",\"machine\":\"%s\",\"at\":0,"
      "\"peak_rss_mb\":%.1f,\"rss_mb\":%.1f}\n",
      args.durability.c_str(), args.machine.c_str(), PeakRssMb(), CurrentRssMb());
  std::fflush(stdout);
  auto t0 = Clock_::now();
  int64_t done = 0;
  for (int64_t mark : marks) {
    std::atomic<int64_t> next{done};
    std::vector<std::thread> threads;
    for (int t = 0; t < starters; ++t) {
      threads.emplace_back([&] {
        while (next.fetch_add(1) < mark) {
          while (bench.service_->running() >= args.in_flight) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
          }
          bench.StartOrDie(arn);
        }
      });
    }
    for (auto& t : threads) t.join();
    bench.service_->WaitAll();
    if (bench.recorder_) bench.recorder_->Flush();
    done = mark;
    const double seconds = std::chrono::duration<double>(Clock_::now() - t0).count();
    std::printf(
        "{\"bench\":\"memory\",\"durability\":\"%s\",\"machine\":\"%s\",\"at\":%lld,"
        "\"seconds\":%.1f,\"executions_per_s\":%.0f,\"peak_rss_mb\":%.1f,"
        "\"rss_mb\":%.1f,\"disk_mb\":%.1f}\n",
        args.durability.c_str(), args.machine.c_str(), (long long)mark, seconds, mark / seconds,
        PeakRssMb(), CurrentRssMb(), bench.DiskBytes() / 1048576.0);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = Parse(argc, argv);
  if (args.command == "throughput") return Throughput(args);
  if (args.command == "memory") return Memory(args);
  std::fprintf(stderr, "usage: durable_bench throughput|memory [options] (see the source)\n");
  return 2;
}
