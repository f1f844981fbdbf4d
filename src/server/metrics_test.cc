#include "autoretrain/server/metrics.h"

#include <gtest/gtest.h>

#include "autoretrain/engine/execution.h"

#include <string>
#include <thread>
#include <vector>

namespace autoretrain::server {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, RendersCountersGaugeAndHistogram) {
  int64_t running = 4;
  Metrics metrics([&running] { return running; });
  metrics.ExecutionStarted("train");
  metrics.ExecutionStarted("train");
  metrics.ExecutionFinished("train", "SUCCEEDED");
  metrics.ExecutionFinished("train", "FAILED");
  metrics.ApiRequest("StartExecution", 200, std::chrono::microseconds(300));
  metrics.ApiRequest("StartExecution", 200, std::chrono::milliseconds(3));
  metrics.ApiRequest("", 400, std::chrono::seconds(2));
  metrics.ScheduleFired("nightly", "started");
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, R"(autoretrain_executions_started_total{state_machine="train"} 2)"));
  EXPECT_TRUE(Contains(
      text, R"(autoretrain_executions_finished_total{state_machine="train",status="FAILED"} 1)"));
  EXPECT_TRUE(Contains(text, "autoretrain_executions_running 4"));
  EXPECT_TRUE(Contains(
      text, R"(autoretrain_api_requests_total{operation="StartExecution",status="200"} 2)"));
  EXPECT_TRUE(
      Contains(text, R"(autoretrain_api_requests_total{operation="_none",status="400"} 1)"));
  // Cumulative buckets.
  EXPECT_TRUE(Contains(text, R"(autoretrain_api_request_duration_seconds_bucket{le="0.0005"} 1)"));
  EXPECT_TRUE(Contains(text, R"(autoretrain_api_request_duration_seconds_bucket{le="0.005"} 2)"));
  EXPECT_TRUE(Contains(text, R"(autoretrain_api_request_duration_seconds_bucket{le="1"} 2)"));
  EXPECT_TRUE(Contains(text, R"(autoretrain_api_request_duration_seconds_bucket{le="10"} 3)"));
  EXPECT_TRUE(Contains(text, R"(autoretrain_api_request_duration_seconds_bucket{le="+Inf"} 3)"));
  EXPECT_TRUE(Contains(text, "autoretrain_api_request_duration_seconds_count 3"));
  EXPECT_TRUE(Contains(text, "autoretrain_api_request_duration_seconds_sum 2.0033"));
  EXPECT_TRUE(
      Contains(text, R"(autoretrain_schedule_fires_total{schedule="nightly",result="started"} 1)"));
  EXPECT_TRUE(Contains(text, "# TYPE autoretrain_api_request_duration_seconds histogram"));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.ExecutionStarted("a\"b\\c\nd");
  EXPECT_TRUE(Contains(metrics.Render(),
                       R"(autoretrain_executions_started_total{state_machine="a\"b\\c\nd"} 1)"));
}

TEST(CounterTableTest, OverflowGoesToTheOtherSeries) {
  CounterTable table;
  for (size_t i = 0; i < CounterTable::kMaxSeries + 10; ++i) {
    table.Add({"op" + std::to_string(i), "200"});
  }
  auto snapshot = table.Snapshot();
  EXPECT_EQ(snapshot.size(), CounterTable::kMaxSeries + 1);
  uint64_t other = 0;
  for (const auto& [labels, count] : snapshot) {
    if (labels == std::vector<std::string>{"_other", "_other"}) other = count;
  }
  EXPECT_EQ(other, 10u);
}

TEST(CounterTableTest, ConcurrentAddsAreAllCounted) {
  CounterTable table;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&table] {
      for (int i = 0; i < 20000; ++i) table.Add({"op" + std::to_string(i % 50)});
    });
  }
  for (std::thread& thread : threads) thread.join();
  uint64_t total = 0;
  auto snapshot = table.Snapshot();
  for (const auto& [labels, count] : snapshot) total += count;
  EXPECT_EQ(snapshot.size(), 50u);
  EXPECT_EQ(total, 80000u);
}

class Forward final : public engine::Observer {
 public:
  void OnEvent(std::string_view, const engine::HistoryEvent& event) override {
    seen.push_back(event.type);
  }
  bool OnCheckpoint(std::string_view, const engine::ResumePoint&) override { return false; }
  std::vector<std::string> seen;
};

TEST(MetricsObserverTest, CountsByStateMachineAndForwards) {
  Metrics metrics;
  Forward next;
  MetricsObserver observer(metrics, &next);
  const std::string arn = "arn:aws:states:us-east-1:123456789012:execution:pipeline:run-1";
  for (const char* type : {"ExecutionStarted", "PassStateEntered", "ExecutionTimedOut"}) {
    engine::HistoryEvent event;
    event.type = type;
    observer.OnEvent(arn, event);
  }
  EXPECT_EQ(next.seen.size(), 3u);
  const std::string text = metrics.Render();
  EXPECT_TRUE(
      Contains(text, R"(autoretrain_executions_started_total{state_machine="pipeline"} 1)"));
  EXPECT_TRUE(Contains(
      text,
      R"(autoretrain_executions_finished_total{state_machine="pipeline",status="TIMED_OUT"} 1)"));
  // The checkpoint answer is the next observer's (a durable recorder may stop the execution).
  const engine::ResumePoint point;
  EXPECT_FALSE(observer.OnCheckpoint(arn, point));
}

}  // namespace
}  // namespace autoretrain::server
