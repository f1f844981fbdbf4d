#include "autoretrain/integrations/history_recorder.h"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "autoretrain/asl/parser.h"
#include "autoretrain/integrations/execution_service.h"
#include "integrations/history_recorder.h"
#include "integrations/test_util.h"

namespace autoretrain::integrations {
namespace {

constexpr std::string_view kPass =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"done":true},"Next":"S"},)"
    R"("S":{"Type":"Succeed"}}})";
using testing::kFail;
using testing::Starter;

// An executor whose observer is a HistoryRecorder over `store`, and the executions service.
class Harness {
 public:
  explicit Harness(store::Store& store, FailurePolicy policy = FailurePolicy::kStopRecording)
      : recorder_(
            store, "test.db",
            [this](const std::string& w) {
              std::lock_guard lock(mu_);
              warnings_.push_back(w);
            },
            policy),
        router_(functions_, clock_),
        executor_(router_, clock_, &recorder_),
        executions_(executor_, AccountContext{}, &recorder_) {
    router_.set_launcher(&executions_);
  }

  std::string Add(const std::string& name, std::string_view definition) {
    asl::CompileResult compiled = asl::CompileText(definition);
    auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled);
    EXPECT_NE(machine, nullptr);
    std::string arn = executions_.AddStateMachine(name, *machine);
    recorder_.RegisterStateMachine(arn, name, std::string(definition), clock_.Now());
    return arn;
  }

  // Starts without waiting for the execution to end.
  std::string Start(const std::string& arn, std::string_view name) {
    Result<ExecutionLauncher::Started> started =
        executions_.Start({.state_machine_arn = arn, .input = json::Object{}, .name = name});
    EXPECT_TRUE(started.ok()) << started.error().cause;
    return started.ok() ? started->execution_arn : "";
  }
  void WaitAll() { executions_.WaitAll(); }

  Result<engine::ExecutionResult> TryRun(const std::string& arn, std::string_view input,
                                         std::string_view name = "") {
    Result<engine::ExecutionResult> result =
        executions_.RunSync(arn, json::Parse(input).value(), name);
    executions_.WaitAll();
    recorder_.Flush();
    return result;
  }
  engine::ExecutionResult Run(const std::string& arn, std::string_view input,
                              std::string_view name = "") {
    Result<engine::ExecutionResult> result = TryRun(arn, input, name);
    EXPECT_TRUE(result.ok());
    return result.ok() ? *result : engine::ExecutionResult{};
  }

  std::vector<std::string> warnings() {
    std::lock_guard lock(mu_);
    return warnings_;
  }
  HistoryRecorder& recorder() { return recorder_; }

 private:
  std::mutex mu_;
  std::vector<std::string> warnings_;
  HistoryRecorder recorder_;
  FunctionRegistry functions_;
  SystemClock clock_;
  TaskRouter router_;
  engine::Executor executor_;
  ExecutionService executions_;
};

class HistoryRecorderTest : public ::testing::Test {
 protected:
  HistoryRecorderTest() : store_(store::Store::OpenInMemory().value()), h_(*store_) {}

  std::vector<engine::HistoryEvent> History(const std::string& arn) {
    auto page = store_->GetExecutionHistory(arn, {});
    EXPECT_TRUE(page.ok()) << page.error().cause;
    return page.ok() ? page->items : std::vector<engine::HistoryEvent>{};
  }

  std::unique_ptr<store::Store> store_;
  Harness h_;
};

TEST_F(HistoryRecorderTest, RecordsASucceededExecutionWithEveryEventInOrder) {
  std::string machine = h_.Add("pass", kPass);
  engine::ExecutionResult result = h_.Run(machine, R"({"x":1})", "run-1");
  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded);

  auto record = store_->DescribeExecution(result.execution_arn);
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->state_machine_arn, machine);
  EXPECT_EQ(record->name, "run-1");
  EXPECT_EQ(record->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(record->input, R"({"x":1})");
  EXPECT_EQ(record->output, R"({"done":true})");
  EXPECT_FALSE(record->error.has_value());
  ASSERT_TRUE(record->stop_date.has_value());
  EXPECT_GE(*record->stop_date, record->start_date);

  std::vector<engine::HistoryEvent> events = History(result.execution_arn);
  std::vector<std::string> types;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(events[i].previous_event_id, static_cast<int64_t>(i));
    types.push_back(events[i].type);
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                             "PassStateExited", "SucceedStateEntered",
                                             "SucceedStateExited", "ExecutionSucceeded"}));
  EXPECT_EQ(events[1].details.as_object().at("name"), "P");
  EXPECT_EQ(record->last_event_id, 6);
  EXPECT_TRUE(h_.warnings().empty());
}

TEST_F(HistoryRecorderTest, RecordsAFailedExecutionsErrorAndCause) {
  engine::ExecutionResult result = h_.Run(h_.Add("fail", kFail), "{}");
  auto record = store_->DescribeExecution(result.execution_arn);
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(record->error, "Boom");
  EXPECT_EQ(record->cause, "on purpose");
  EXPECT_FALSE(record->output.has_value());
  EXPECT_EQ(History(result.execution_arn).back().type, "ExecutionFailed");
}

TEST_F(HistoryRecorderTest, RecordsChildExecutionsStartedByATask) {
  std::string child = h_.Add("child", kPass);
  std::string parent = h_.Add("parent", Starter(child));
  engine::ExecutionResult result = h_.Run(parent, R"({"n":7})");
  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded);
  auto children = store_->ListExecutions(child, std::nullopt, {});
  ASSERT_TRUE(children.ok()) << children.error().cause;
  ASSERT_EQ(children->items.size(), 1u);
  EXPECT_EQ(children->items[0].status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(children->items[0].input, R"({"n":7})");
  EXPECT_EQ(History(children->items[0].arn).front().type, "ExecutionStarted");
}

TEST_F(HistoryRecorderTest, ExecutionsRecordTheCurrentDefinitionVersion) {
  std::string machine = h_.Add("pass", kPass);
  h_.Add("pass", kPass);  // unchanged: no new version
  EXPECT_EQ(store_->GetStateMachine(machine)->version, 1);
  h_.Add("pass", kFail);
  EXPECT_EQ(store_->GetStateMachine(machine)->version, 2);
  engine::ExecutionResult result = h_.Run(machine, "{}");
  EXPECT_EQ(store_->DescribeExecution(result.execution_arn)->state_machine_version, 2);
}

TEST(HistoryRecorderFailureTest, AReadOnlyStoreWarnsOnceAndTheRunStillSucceeds) {
  testing::TempDir dir;
  const std::string path = dir / "autoretrain.db";
  ASSERT_TRUE(store::Store::Open(path).ok());  // creates the file, then closes it
  store::StoreOptions options;
  options.read_only = true;
  std::unique_ptr<store::Store> store = store::Store::Open(path, options).value();
  Harness h(*store);
  std::string machine = h.Add("pass", kPass);
  engine::ExecutionResult first = h.Run(machine, R"({"x":1})");
  engine::ExecutionResult second = h.Run(machine, "{}");
  EXPECT_EQ(first.status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(first.output, json::Parse(R"({"done":true})").value());
  EXPECT_EQ(second.status, engine::ExecutionStatus::kSucceeded);
  std::vector<std::string> warnings = h.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("test.db"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("StoreReadOnly"), std::string::npos) << warnings[0];
  EXPECT_TRUE(h.recorder().failed());
}

TEST(HistoryRecorderFailureTest, AFullStoreWarnsOnceAndTheRunStillSucceeds) {
  testing::TempDir dir;
  store::StoreOptions options;
  options.max_size_bytes = 160 * 1024;  // the empty schema fits; the 100 KiB input does not
  std::unique_ptr<store::Store> store = store::Store::Open(dir / "full.db", options).value();
  Harness h(*store);
  std::string machine = h.Add("pass", kPass);
  std::string big = R"({"blob":")" + std::string(100 * 1024, 'x') + R"("})";
  engine::ExecutionResult result = h.Run(machine, big);
  EXPECT_EQ(result.status, engine::ExecutionStatus::kSucceeded);
  std::vector<std::string> warnings = h.warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("StoreFull"), std::string::npos) << warnings[0];
}

TEST(HistoryRecorderFailureTest, ADaemonRefusesStartsItCannotRecordAndRecoversAfterwards) {
  testing::TempDir dir;
  store::StoreOptions options;
  options.max_size_bytes = 160 * 1024;  // the schema fits; a start with a 200 KiB input does not
  std::unique_ptr<store::Store> store = store::Store::Open(dir / "full.db", options).value();
  Harness h(*store, FailurePolicy::kRefuseStarts);
  std::string machine = h.Add("pass", kPass);
  std::string big = R"({"blob":")" + std::string(200 * 1024, 'x') + R"("})";
  Result<engine::ExecutionResult> refused = h.TryRun(machine, big, "too-big");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, "StoreFull");
  // Nothing of it is stored, and it did not run; the next start that fits runs and is stored.
  EXPECT_EQ(
      store->DescribeExecution(ExecutionArn(AccountContext{}, "pass", "too-big")).error().error,
      "ExecutionDoesNotExist");
  engine::ExecutionResult fits = h.Run(machine, R"({"x":1})", "fits");
  EXPECT_EQ(fits.status, engine::ExecutionStatus::kSucceeded);
  Result<store::ExecutionRecord> stored = store->DescribeExecution(fits.execution_arn);
  ASSERT_TRUE(stored.ok()) << stored.error().cause;
  EXPECT_EQ(stored->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_FALSE(h.recorder().failed());
  std::vector<std::string> warnings = h.warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("cannot be saved"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("StoreFull"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("saved in 'test.db' again"), std::string::npos) << warnings[1];
}

// Holds SQLite's write lock on the database at `path` through a second connection while alive.
class SqliteWriteLock {
 public:
  explicit SqliteWriteLock(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  ~SqliteWriteLock() {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

// What writes an end held after the store refused it, once the store recovers: the next write
// of any kind, or, when nothing else happens, the daemon's periodic RetryHeldEnds.
enum class Resubmit { kByTheNextWrite, kByAnIdleRetry };

class HistoryRecorderHeldEndTest : public ::testing::TestWithParam<Resubmit> {};

TEST_P(HistoryRecorderHeldEndTest, ADaemonWritesAnEndItCouldNotOnceTheStoreRecovers) {
  testing::TempDir dir;
  const std::string path = dir / "locked.db";
  store::StoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(100);
  std::unique_ptr<store::Store> store = store::Store::Open(path, options).value();
  Harness h(*store, FailurePolicy::kRefuseStarts);
  std::string waits =
      h.Add("waits", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"Next":"P"},)"
                     R"("P":{"Type":"Pass","Result":{"done":true},"End":true}}})");
  std::string pass = h.Add("pass", kPass);
  std::string arn = h.Start(waits, "held");
  // Its start and the checkpoint of its Wait are stored once WaitStateEntered is.
  auto suspended = [&] {
    auto page = store->GetExecutionHistory(arn, {});
    return page.ok() && !page->items.empty() && page->items.back().type == "WaitStateEntered";
  };
  for (int i = 0; i < 500 && !suspended(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(suspended());
  {
    SqliteWriteLock lock(path);
    h.WaitAll();           // the Wait ends and the execution succeeds in memory,
    h.recorder().Flush();  // but its end cannot be written while the lock is held
    EXPECT_EQ(store->DescribeExecution(arn)->status, engine::ExecutionStatus::kRunning);
  }
  if (GetParam() == Resubmit::kByTheNextWrite) {  // another execution's start
    engine::ExecutionResult after = h.Run(pass, "{}", "after");
    EXPECT_EQ(after.status, engine::ExecutionStatus::kSucceeded);
  } else {
    h.recorder().RetryHeldEnds();
    h.recorder().Flush();
  }
  Result<store::ExecutionRecord> held = store->DescribeExecution(arn);
  ASSERT_TRUE(held.ok()) << held.error().cause;
  EXPECT_EQ(held->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(held->output, R"({"done":true})");
  auto history = store->GetExecutionHistory(arn, {}).value().items;
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().type, "ExecutionSucceeded");
  for (size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i].id, int64_t(i + 1));
  std::vector<std::string> warnings = h.warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("StoreLocked"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("again"), std::string::npos) << warnings[1];
}

INSTANTIATE_TEST_SUITE_P(HistoryRecorderFailureTest, HistoryRecorderHeldEndTest,
                         ::testing::Values(Resubmit::kByTheNextWrite, Resubmit::kByAnIdleRetry));

TEST(SplitExecutionArnTest, DerivesTheStateMachineArnAndName) {
  auto names = SplitExecutionArn("arn:aws:states:eu-west-1:111122223333:execution:sm:run-1");
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(names->state_machine_arn, "arn:aws:states:eu-west-1:111122223333:stateMachine:sm");
  EXPECT_EQ(names->name, "run-1");
  EXPECT_FALSE(SplitExecutionArn("arn:aws:states:r:a:stateMachine:sm").has_value());
  EXPECT_FALSE(SplitExecutionArn("arn:aws:states:r:a:execution:sm").has_value());
  EXPECT_FALSE(SplitExecutionArn("not an arn").has_value());
}

}  // namespace
}  // namespace autoretrain::integrations
