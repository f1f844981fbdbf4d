// Metrics: the counters `autoretrain serve` exposes at GET /metrics in Prometheus's text format
// (version 0.0.4):
//
//   autoretrain_executions_started_total{state_machine}         counter
//   autoretrain_executions_finished_total{state_machine,status}  counter (SUCCEEDED, FAILED,
//                                                                ABORTED, TIMED_OUT)
//   autoretrain_executions_running                               gauge (from a callback)
//   autoretrain_api_requests_total{operation,status}             counter (HTTP status)
//   autoretrain_api_request_duration_seconds                     histogram (all operations)
//   autoretrain_schedule_fires_total{schedule,result}            counter (started, failed,
//                                                                skipped)
//
// Counting is cheap and takes no lock: each labeled series is an atomic counter in an
// insert-only open-addressing table whose keys are published with compare-and-swap, so the
// hot paths (every request, every execution end) do one hash, a few atomic loads and one
// atomic add. The table holds kMaxSeries series per metric; label sets beyond that are counted
// under the label value "_other" (so a client sending random operation names cannot grow
// memory without bound).
//
// Thread-safety: every method may be called from any thread at once.
#ifndef AUTORETRAIN_SERVER_METRICS_H_
#define AUTORETRAIN_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/engine/observer.h"

namespace autoretrain::server {

// A counter per label set (the label values joined), lock-free; see the file comment.
class CounterTable {
 public:
  static constexpr size_t kMaxSeries = 1024;

  CounterTable();
  ~CounterTable();
  CounterTable(const CounterTable&) = delete;
  CounterTable& operator=(const CounterTable&) = delete;

  // Adds `n` to the series of `labels` (label values, in the metric's label order), creating
  // it at zero first; when the table is full, to the series whose values are all "_other".
  void Add(const std::vector<std::string_view>& labels, uint64_t n = 1);
  // Every series: its label values and count, in no particular order.
  std::vector<std::pair<std::vector<std::string>, uint64_t>> Snapshot() const;

 private:
  struct Slot {
    std::atomic<const std::string*> key{nullptr};
    std::atomic<uint64_t> value{0};
  };
  static constexpr size_t kSlots = kMaxSeries * 2;  // load factor at most 1/2
  std::atomic<uint64_t>* Find(const std::string& key);
  std::unique_ptr<Slot[]> slots_;
  std::atomic<size_t> size_{0};
};

class Metrics {
 public:
  // The histogram's upper bounds, in seconds.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 10, 60};

  // `running` (may be empty) gives autoretrain_executions_running when rendering.
  explicit Metrics(std::function<int64_t()> running = {});

  void ExecutionStarted(std::string_view state_machine);
  // `status`: SUCCEEDED, FAILED, ABORTED or TIMED_OUT.
  void ExecutionFinished(std::string_view state_machine, std::string_view status);
  // One API request: the operation ("" when the request named none: counted as "_none"), the
  // HTTP status sent and the time from the request's arrival to its answer.
  void ApiRequest(std::string_view operation, int http_status, std::chrono::nanoseconds latency);
  // A schedule fired. `result`: "started" (its execution started), "failed" (starting it
  // failed), "skipped" (already fired, or skipped by its overlap policy).
  void ScheduleFired(std::string_view schedule, std::string_view result);

  // Every metric in Prometheus's text exposition format.
  std::string Render() const;

 private:
  std::function<int64_t()> running_;
  CounterTable started_;
  CounterTable finished_;
  CounterTable requests_;
  CounterTable fires_;
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size()> latency_buckets_{};
  std::atomic<uint64_t> latency_count_{0};
  std::atomic<uint64_t> latency_sum_ns_{0};
};

// An engine::Observer that counts executions starting and ending (by the state machine named
// in the execution ARN) in `metrics`, then passes every event and checkpoint to `next` (may be
// null).
// Thread-safety: as thread-safe as `next`.
class MetricsObserver final : public engine::Observer {
 public:
  MetricsObserver(Metrics& metrics, engine::Observer* next) : metrics_(metrics), next_(next) {}
  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override;
  // `next`'s answer (true without one).
  bool OnCheckpoint(std::string_view execution_arn, const engine::ResumePoint& point) override;

 private:
  Metrics& metrics_;
  engine::Observer* next_;
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_METRICS_H_
