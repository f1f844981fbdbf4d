// In-process execution throughput of the engine, on the same workloads as the reference peer
// (bench/peer/bench.mjs): the seed's retraining trigger with its real decision function reading
// a CSV from a local bucket, and a 3-state Pass/Choice machine. The startExecution of the
// pipeline returns at once without running a child, as the peer's override does.
//
// Run: make bench && build/bench/bench/engine_bench
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

// No task work at all: the engine's own cost per execution.
class NoTasks final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest&) override {
    return Error{"States.Runtime", "no tasks in this benchmark"};
  }
};

void BM_PassChoice(benchmark::State& state) {
  auto machine = CompileOrDie(
      ReadFile(std::string(AUTORETRAIN_SOURCE_DIR) + "/bench/machines/pass_choice.asl.json"));
  NoTasks tasks;
  SystemClock clock;
  engine::Executor executor(tasks, clock, nullptr);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:pass-choice";
  spec.state_machine_name = "pass-choice";
  spec.execution_name = "bench";
  RunExecutions(state, executor, *machine, spec);
}

BENCHMARK(BM_SeedTriggerYes);
BENCHMARK(BM_SeedTriggerNo);
BENCHMARK(BM_PassChoice);

}  // namespace

BENCHMARK_MAIN();
