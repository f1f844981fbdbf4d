// Helpers shared by the store tests: temporary folders, events, and executions to store.
#ifndef AUTORETRAIN_STORE_STORE_TEST_UTIL_H_
#define AUTORETRAIN_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "autoretrain/store/store.h"

namespace autoretrain::store::testing {

inline TimePoint At(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// A fresh folder under the system temp dir, removed with its contents at destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "autoretrain_store_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline engine::HistoryEvent Event(int64_t id, std::string type = "PassStateEntered") {
  engine::HistoryEvent event;
  event.id = id;
  event.previous_event_id = id - 1;
  event.timestamp = At(1000 + id);
  event.type = std::move(type);
  event.details_key = "stateEnteredEventDetails";
  event.details = json::Object{{"name", "S" + std::to_string(id)}, {"input", "{}"}};
  return event;
}

// Events first..last, in order.
inline std::vector<engine::HistoryEvent> Events(int64_t first, int64_t last) {
  std::vector<engine::HistoryEvent> events;
  for (int64_t id = first; id <= last; ++id) events.push_back(Event(id));
  return events;
}

// The ids of `events`, in order.
inline std::vector<int64_t> Ids(const std::vector<engine::HistoryEvent>& events) {
  std::vector<int64_t> ids;
  for (const auto& e : events) ids.push_back(e.id);
  return ids;
}

inline const char kMachineArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:M";

inline NewExecution Execution(const std::string& name, int64_t start_ms = 1000,
                              const std::string& machine_arn = kMachineArn) {
  return NewExecution{"arn:aws:states:us-east-1:123456789012:execution:M:" + name,
                      machine_arn,
                      1,
                      name,
                      R"({"n":")" + name + R"("})",
                      At(start_ms)};
}

inline NewStateMachine Machine(const std::string& name) {
  return NewStateMachine{"arn:aws:states:us-east-1:123456789012:stateMachine:" + name,
                         name,
                         R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})",
                         "arn:aws:iam::123456789012:role/R",
                         "STANDARD",
                         At(500)};
}

// An in-memory store with machine "M"; fails the test if it cannot be opened.
inline std::unique_ptr<Store> MemoryStoreWithMachine() {
  auto store = Store::OpenInMemory();
  EXPECT_TRUE(store.ok()) << store.error().cause;
  auto machine = (*store)->CreateStateMachine(Machine("M"));
  EXPECT_TRUE(machine.ok()) << machine.error().cause;
  return std::move(store).value();
}

}  // namespace autoretrain::store::testing

#endif  // AUTORETRAIN_STORE_STORE_TEST_UTIL_H_
