// In-process execution throughput of the engine, on the same workloads as the reference peer
// (bench/peer/bench.mjs): the seed's retraining trigger with its real decision function reading
// a CSV from a local bucket (and that file read alone), a 3-state Pass/Choice machine, a chain of
// 100 Pass states, and a Map over 10,000 items. The startExecution of the pipeline returns at once
// without running a child, as the peer's override does.
//
// Run: make bench && build/release/bench/engine_bench
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "autoretrain/asl/parser.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/object_store.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/decision.h"
#include "bench_util.h"

namespace {

namespace fs = std::filesystem;
using namespace autoretrain;

using bench::CompileOrDie;
using bench::ReadFile;

// Accepts every start and runs nothing, like the peer's startExecution override.
class NullLauncher final : public integrations::ExecutionLauncher {
 public:
  explicit NullLauncher(Clock& clock) : clock_(clock) {}
  Result<Started> Start(const StartRequest&) override {
    return Started{"arn:aws:states:us-east-1:123456789012:execution:creditcard-training-pipeline:x",
                   clock_.Now()};
  }

 private:
  Clock& clock_;
};

// A local bucket with the decision CSV saying `decision`.
std::string MakeBucket(const std::string& decision) {
  fs::path root = fs::temp_directory_path() / ("autoretrain-bench-" + decision);
  fs::path dir = root / "mlops-creditcard/monitoring_outputs/retraining_decision";
  fs::create_directories(dir);
  std::ofstream(dir / "retraining_decision.csv") << "retraining_decision\n" << decision << "\n";
  return root.string();
}

// The measured loop: one execution per iteration; any failure stops the benchmark.
void RunExecutions(benchmark::State& state, engine::Executor& executor,
                   const asl::StateMachine& machine, const engine::ExecutionSpec& spec) {
  for (auto _ : state) {
    auto result = executor.Run(machine, spec);
    if (result.status != engine::ExecutionStatus::kSucceeded) {
      state.SkipWithError("execution did not succeed");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["executions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void RunSeedTrigger(benchmark::State& state, const std::string& decision) {
  std::string definition = ReadFile(std::string(AUTORETRAIN_SOURCE_DIR) +
                                    "/templates/project/state_machines/"
                                    "retraining_trigger.asl.json");
  const std::string placeholder = "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE";
  definition.replace(definition.find(placeholder), placeholder.size(),
                     "arn:aws:states:us-east-1:123456789012:stateMachine:"
                     "creditcard-training-pipeline");
  auto machine = CompileOrDie(definition);
  auto store = integrations::MakeLocalObjectStore(MakeBucket(decision));
  integrations::FunctionRegistry functions;
  functions.Register("check_retraining_decision",
                     retrain::MakeDecisionFunction(*store, retrain::DecisionConfig{}));
  SystemClock clock;
  integrations::TaskRouter router(functions, clock);
  NullLauncher launcher(clock);
  router.set_launcher(&launcher);
  engine::Executor executor(router, clock, nullptr);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:trigger";
  spec.state_machine_name = "trigger";
  spec.execution_name = "bench";
  RunExecutions(state, executor, *machine, spec);
}

void BM_SeedTriggerYes(benchmark::State& state) { RunSeedTrigger(state, "YES"); }
void BM_SeedTriggerNo(benchmark::State& state) { RunSeedTrigger(state, "NO"); }

// The part of a seed trigger execution no engine work can remove: reading the decision CSV
// from the local bucket (open, fstat, read, close), which the peer's handler does too.
void BM_DecisionFileRead(benchmark::State& state) {
  auto store = integrations::MakeLocalObjectStore(MakeBucket("YES"));
  const retrain::DecisionConfig config;
  for (auto _ : state) {
    Result<std::string> body = store->GetObject(config.bucket, config.key, config.max_bytes);
    if (!body.ok()) {
      state.SkipWithError("the decision file could not be read");
      break;
    }
    benchmark::DoNotOptimize(body);
  }
}

// No task work at all: the engine's own cost per execution.
class NoTasks final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest&) override {
    return Error{"States.Runtime", "no tasks in this benchmark"};
  }
};

// Executions of bench/machines/<file> on `input`, with no task work.
void RunTasklessMachine(benchmark::State& state, const std::string& file, json::Value input) {
  auto machine =
      CompileOrDie(ReadFile(std::string(AUTORETRAIN_SOURCE_DIR) + "/bench/machines/" + file));
  NoTasks tasks;
  SystemClock clock;
  engine::Executor executor(tasks, clock, nullptr);
  // The peer has no history limit; map_10k's ~40,000 events exceed AWS's 25,000, at which an
  // execution fails (BENCHMARKS.md says so).
  executor.set_max_history_events(0);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";
  spec.state_machine_name = "bench";
  spec.execution_name = "bench";
  spec.input = std::move(input);
  RunExecutions(state, executor, *machine, spec);
}

void BM_PassChoice(benchmark::State& state) {
  RunTasklessMachine(state, "pass_choice.asl.json", json::Object{{"x", 1}});
}

// 100 Pass states in a row.
void BM_Chain100(benchmark::State& state) {
  RunTasklessMachine(state, "chain_100.asl.json", json::Object{{"x", 1}});
}

// A Map over 10,000 items, one Pass state per item.
void BM_Map10k(benchmark::State& state) {
  json::Array items;
  for (int i = 0; i < 10000; ++i) items.emplace_back(json::Object{{"n", i}});
  RunTasklessMachine(state, "map_items.asl.json", json::Object{{"items", std::move(items)}});
  state.counters["items/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * 10000,
                                                 benchmark::Counter::kIsRate);
}

BENCHMARK(BM_SeedTriggerYes);
BENCHMARK(BM_SeedTriggerNo);
BENCHMARK(BM_DecisionFileRead);
BENCHMARK(BM_PassChoice);
BENCHMARK(BM_Chain100);
BENCHMARK(BM_Map10k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
