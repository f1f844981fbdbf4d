// The scheduler with many schedules in one daemon (issue [scheduler]): memory per schedule,
// start-up time, and how late slots fire. Prints one JSON line per measurement.
//
//   schedule_bench startup --schedules 100000
//     Adds that many enabled schedules of a realistic mix to one ScheduleRunner: a quarter each
//     of daily cron (random minute and hour), weekly cron (random day), rate(N minutes) and
//     cron with a time zone (four zones, daylight saving included); reports the time to add
//     them, the resident memory they take, and the time to find the next due one.
//   schedule_bench fire --schedules 100000 --spread 60
//     Adds that many at() schedules whose slots fall in the next `spread` seconds (whole
//     seconds, from 2 s ahead) and lets the runner fire them on the system clock into a real
//     in-memory ExecutionService running a one-state Pass machine. Lateness of a fire = when
//     its StartExecution returned minus its slot; reports p50/p99/max.
//
// Figures and the commands that reproduce them: BENCHMARKS.md ("Schedules").
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/execution_service.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "bench_util.h"

namespace {

using namespace autoretrain;
using Steady = std::chrono::steady_clock;

struct Args {
  std::string mode;
  int schedules = 100000;
  int spread_seconds = 60;
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  if (argc < 2) {
    std::fprintf(stderr, "usage: schedule_bench startup|fire [--schedules N] [--spread S]\n");
    std::exit(2);
  }
  a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--schedules")) {
      a.schedules = std::atoi(argv[i + 1]);
    } else if (!std::strcmp(argv[i], "--spread")) {
      a.spread_seconds = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      std::exit(2);
    }
  }
  if ((a.mode != "startup" && a.mode != "fire") || a.schedules <= 0 || a.spread_seconds <= 0) {
    std::fprintf(stderr, "usage: schedule_bench startup|fire [--schedules N] [--spread S]\n");
    std::exit(2);
  }
  return a;
}

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Starts nothing: the startup measurement is about the runner alone.
class NoLauncher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest&) override {
    return Error{"NotUsed", "the startup benchmark fires nothing"};
  }
};

int Startup(const Args& args) {
  static const char* kZones[] = {"America/New_York", "Europe/Berlin", "Asia/Kolkata",
                                 "Australia/Sydney"};
  static const char* kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  std::mt19937 rng(42);
  std::vector<std::pair<std::string, retrain::ScheduleConfig>> configs;
  configs.reserve(args.schedules);
  for (int i = 0; i < args.schedules; ++i) {
    retrain::ScheduleConfig config;
    const int minute = static_cast<int>(rng() % 60), hour = static_cast<int>(rng() % 24);
    switch (i % 4) {
      case 0:
        config.expression =
            "cron(" + std::to_string(minute) + " " + std::to_string(hour) + " * * ? *)";
        break;
      case 1:
        config.expression = "cron(" + std::to_string(minute) + " " + std::to_string(hour) +
                            " ? * " + kDays[rng() % 7] + " *)";
        break;
      case 2:
        config.expression = "rate(" + std::to_string(5 + rng() % 120) + " minutes)";
        break;
      default:
        config.expression = "cron(0 3 ? * MON *)";
        config.timezone = kZones[rng() % 4];
    }
    config.state_machine = "sm";
    configs.emplace_back("schedule-" + std::to_string(i), std::move(config));
  }
  SystemClock clock;
  NoLauncher launcher;
  const double rss_before = bench::CurrentRssMb();
  const auto start = Steady::now();
  retrain::ScheduleRunner runner(clock, launcher);
  const std::string arn = StateMachineArn(AccountContext{}, "sm");
  for (const auto& [name, config] : configs) {
    if (Status added = runner.Add(name, config, arn); !added.ok()) {
      std::fprintf(stderr, "%s: %s\n", name.c_str(), added.error().cause.c_str());
      return 1;
    }
  }
  const double add_ms = Ms(Steady::now() - start);
  const double rss_after = bench::CurrentRssMb();
  const auto due_start = Steady::now();
  constexpr int kDueCalls = 1000;
  for (int i = 0; i < kDueCalls; ++i) (void)runner.FireDue();  // nothing due: peeks the heap
  const double due_us = Ms(Steady::now() - due_start) * 1000.0 / kDueCalls;
  std::printf(
      "{\"mode\":\"startup\",\"schedules\":%d,\"add_ms\":%.0f,\"us_per_add\":%.2f,"
      "\"rss_mb\":%.1f,\"bytes_per_schedule\":%.0f,\"next_due_us\":%.3f,\"peak_rss_mb\":%.1f}\n",
      args.schedules, add_ms, add_ms * 1000.0 / args.schedules, rss_after - rss_before,
      (rss_after - rss_before) * 1048576.0 / args.schedules, due_us, bench::PeakRssMb());
  return 0;
}

// The Pass machine has no Task state.
class NoTasks final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest&) override {
    return Error{"States.TaskFailed", "no tasks in this benchmark"};
  }
};

int Fire(const Args& args) {
  auto machine =
      bench::CompileOrDie(R"({"StartAt":"Train","States":{"Train":{"Type":"Pass","End":true}}})");
  SystemClock clock;
  NoTasks tasks;
  engine::Executor executor(tasks, clock, nullptr);
  integrations::ExecutionService service(
      executor, AccountContext{}, nullptr,
      integrations::ExecutionServiceOptions{.workers = 8, .keep_finished = false});
  const std::string arn = service.AddStateMachine("train", machine);

  std::mutex mu;
  std::condition_variable all_fired;
  std::vector<double> lateness_ms;
  lateness_ms.reserve(args.schedules);
  int errors = 0;
  retrain::ScheduleRunner runner(clock, service, [&](const retrain::FiredSlot& fired) {
    const double late = std::chrono::duration<double, std::milli>(clock.Now() - fired.slot).count();
    std::lock_guard lock(mu);
    lateness_ms.push_back(late);
    if (fired.error) ++errors;
    if (static_cast<int>(lateness_ms.size()) == args.schedules) all_fired.notify_all();
  });
  const TimePoint first =
      std::chrono::ceil<std::chrono::seconds>(clock.Now()) + std::chrono::seconds(2);
  for (int i = 0; i < args.schedules; ++i) {
    const TimePoint slot = first + std::chrono::seconds(i % args.spread_seconds);
    retrain::ScheduleConfig config;
    config.expression = "at(" + FormatIso8601(slot).substr(0, 19) + ")";
    config.state_machine = "train";
    if (Status added = runner.Add("s" + std::to_string(i), config, arn); !added.ok()) {
      std::fprintf(stderr, "%s\n", added.error().cause.c_str());
      return 1;
    }
  }
  if (clock.Now() >= first) {
    std::fprintf(stderr, "adding the schedules took longer than 2 s: lower --schedules\n");
    return 1;
  }
  std::thread firing([&runner] { runner.Run(); });
  {
    std::unique_lock lock(mu);
    all_fired.wait(lock, [&] { return static_cast<int>(lateness_ms.size()) == args.schedules; });
  }
  runner.Stop();
  firing.join();
  service.WaitAll();
  std::sort(lateness_ms.begin(), lateness_ms.end());
  auto at = [&](double q) {
    return lateness_ms[static_cast<size_t>(q * (lateness_ms.size() - 1))];
  };
  std::printf(
      "{\"mode\":\"fire\",\"schedules\":%d,\"spread_s\":%d,\"fires_per_s\":%.0f,"
      "\"late_p50_ms\":%.2f,\"late_p99_ms\":%.2f,\"late_max_ms\":%.2f,\"errors\":%d,"
      "\"peak_rss_mb\":%.1f}\n",
      args.schedules, args.spread_seconds, double(args.schedules) / args.spread_seconds, at(0.5),
      at(0.99), lateness_ms.back(), errors, bench::PeakRssMb());
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  return args.mode == "startup" ? Startup(args) : Fire(args);
}
