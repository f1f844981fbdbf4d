// Metrics (metrics.h): the lock-free counter table and the Prometheus rendering.
#include "autoretrain/server/metrics.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

#include "autoretrain/common/arn.h"

namespace autoretrain::server {
namespace {

constexpr char kSeparator = '\x1f';  // joins label values into a table key
constexpr char kOther[] = "_other";

std::string Join(const std::vector<std::string_view>& labels) {
  std::string key;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) key += kSeparator;
    key += labels[i];
  }
  return key;
}

// A label value escaped as the text format wants it (backslash, double quote, newline).
std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

// Appends the series of `table` as `name{label_names...} count` lines.
void RenderCounters(std::string& out, std::string_view name, std::string_view help,
                    std::string_view type, const std::vector<std::string_view>& label_names,
                    const CounterTable& table) {
  out += "# HELP " + std::string(name) + " " + std::string(help) + "\n";
  out += "# TYPE " + std::string(name) + " " + std::string(type) + "\n";
  for (const auto& [values, count] : table.Snapshot()) {
    out += name;
    out += '{';
    for (size_t i = 0; i < label_names.size() && i < values.size(); ++i) {
      if (i > 0) out += ',';
      out += std::string(label_names[i]) + "=\"" + Escape(values[i]) + "\"";
    }
    out += "} " + std::to_string(count) + "\n";
  }
}

}  // namespace

CounterTable::CounterTable() : slots_(new Slot[kSlots]) {}

CounterTable::~CounterTable() {
  for (size_t i = 0; i < kSlots; ++i) delete slots_[i].key.load();
}

std::atomic<uint64_t>* CounterTable::Find(const std::string& key) {
  const size_t start = std::hash<std::string>{}(key) % kSlots;
  for (size_t probe = 0; probe < kSlots; ++probe) {
    Slot& slot = slots_[(start + probe) % kSlots];
    const std::string* current = slot.key.load(std::memory_order_acquire);
    if (current == nullptr) {
      if (size_.load(std::memory_order_relaxed) >= kMaxSeries) return nullptr;
      auto* mine = new std::string(key);
      if (slot.key.compare_exchange_strong(current, mine, std::memory_order_acq_rel)) {
        size_.fetch_add(1, std::memory_order_relaxed);
        return &slot.value;
      }
      delete mine;  // another thread took the slot: `current` is its key
    }
    if (*current == key) return &slot.value;
  }
  return nullptr;
}

void CounterTable::Add(const std::vector<std::string_view>& labels, uint64_t n) {
  std::atomic<uint64_t>* counter = Find(Join(labels));
  if (counter == nullptr) {
    // Full: the overflow series (its slot may still be free, since the limit is on size_
    // and the table has twice as many slots).
    std::vector<std::string_view> other(labels.size(), kOther);
    const std::string key = Join(other);
    const size_t start = std::hash<std::string>{}(key) % kSlots;
    for (size_t probe = 0; probe < kSlots && counter == nullptr; ++probe) {
      Slot& slot = slots_[(start + probe) % kSlots];
      const std::string* current = slot.key.load(std::memory_order_acquire);
      if (current == nullptr) {
        auto* mine = new std::string(key);
        if (slot.key.compare_exchange_strong(current, mine, std::memory_order_acq_rel)) {
          counter = &slot.value;
          break;
        }
        delete mine;
      }
      if (*current == key) counter = &slot.value;
    }
    if (counter == nullptr) return;  // every slot taken: cannot happen with kSlots > kMaxSeries
  }
  counter->fetch_add(n, std::memory_order_relaxed);
}

std::vector<std::pair<std::vector<std::string>, uint64_t>> CounterTable::Snapshot() const {
  std::vector<std::pair<std::vector<std::string>, uint64_t>> out;
  for (size_t i = 0; i < kSlots; ++i) {
    const std::string* key = slots_[i].key.load(std::memory_order_acquire);
    if (key == nullptr) continue;
    std::vector<std::string> values;
    size_t begin = 0;
    for (;;) {
      const size_t end = key->find(kSeparator, begin);
      values.push_back(key->substr(begin, end - begin));
      if (end == std::string::npos) break;
      begin = end + 1;
    }
    out.emplace_back(std::move(values), slots_[i].value.load(std::memory_order_relaxed));
  }
  return out;
}

Metrics::Metrics(std::function<int64_t()> running) : running_(std::move(running)) {}

void Metrics::ExecutionStarted(std::string_view state_machine) { started_.Add({state_machine}); }

void Metrics::ExecutionFinished(std::string_view state_machine, std::string_view status) {
  finished_.Add({state_machine, status});
}

void Metrics::ApiRequest(std::string_view operation, int http_status,
                         std::chrono::nanoseconds latency) {
  const std::string status = std::to_string(http_status);
  requests_.Add({operation.empty() ? std::string_view("_none") : operation, status});
  const double seconds = std::chrono::duration<double>(latency).count();
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) {
      latency_buckets_[i].fetch_add(1, std::memory_order_relaxed);
      break;  // cumulated when rendering
    }
  }
  latency_count_.fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, latency.count())),
                            std::memory_order_relaxed);
}

void Metrics::ScheduleFired(std::string_view schedule, std::string_view result) {
  fires_.Add({schedule, result});
}

std::string Metrics::Render() const {
  std::string out;
  RenderCounters(out, "autoretrain_executions_started_total",
                 "Executions started, by state machine.", "counter", {"state_machine"}, started_);
  RenderCounters(out, "autoretrain_executions_finished_total",
                 "Executions ended, by state machine and final status.", "counter",
                 {"state_machine", "status"}, finished_);
  out +=
      "# HELP autoretrain_executions_running Executions accepted and not yet ended.\n"
      "# TYPE autoretrain_executions_running gauge\n"
      "autoretrain_executions_running " +
      std::to_string(running_ ? running_() : 0) + "\n";
  RenderCounters(out, "autoretrain_api_requests_total",
                 "API requests, by operation and HTTP status.", "counter", {"operation", "status"},
                 requests_);
  out +=
      "# HELP autoretrain_api_request_duration_seconds Time from a request's arrival to its "
      "answer.\n"
      "# TYPE autoretrain_api_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += latency_buckets_[i].load(std::memory_order_relaxed);
    out += "autoretrain_api_request_duration_seconds_bucket{le=\"" +
           FormatDouble(kLatencyBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  const uint64_t count = latency_count_.load(std::memory_order_relaxed);
  out += "autoretrain_api_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(count) +
         "\n";
  out += "autoretrain_api_request_duration_seconds_sum " +
         FormatDouble(static_cast<double>(latency_sum_ns_.load(std::memory_order_relaxed)) / 1e9) +
         "\n";
  out += "autoretrain_api_request_duration_seconds_count " + std::to_string(count) + "\n";
  RenderCounters(out, "autoretrain_schedule_fires_total",
                 "Schedule fires, by schedule and result (started, failed, skipped).", "counter",
                 {"schedule", "result"}, fires_);
  return out;
}

void MetricsObserver::OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) {
  static constexpr std::pair<std::string_view, std::string_view> kEnds[] = {
      {"ExecutionSucceeded", "SUCCEEDED"},
      {"ExecutionFailed", "FAILED"},
      {"ExecutionAborted", "ABORTED"},
      {"ExecutionTimedOut", "TIMED_OUT"}};
  const bool started = event.type == "ExecutionStarted";
  std::string_view status;
  for (const auto& [type, name] : kEnds) {
    if (event.type == type) status = name;
  }
  if (started || !status.empty()) {
    // arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:NAME
    std::string machine = "_unknown";
    std::optional<ParsedArn> parsed = ParseArn(execution_arn);
    if (parsed && parsed->resource.starts_with("execution:")) {
      std::string_view rest = std::string_view(parsed->resource).substr(10);
      machine = std::string(rest.substr(0, rest.find(':')));
    }
    if (started) {
      metrics_.ExecutionStarted(machine);
    } else {
      metrics_.ExecutionFinished(machine, status);
    }
  }
  if (next_ != nullptr) next_->OnEvent(execution_arn, event);
}

bool MetricsObserver::OnCheckpoint(std::string_view execution_arn,
                                   const engine::ResumePoint& point) {
  return next_ == nullptr || next_->OnCheckpoint(execution_arn, point);
}

}  // namespace autoretrain::server
