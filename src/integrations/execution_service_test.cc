#include "autoretrain/integrations/execution_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "autoretrain/asl/parser.h"
#include "autoretrain/store/store.h"
#include "integrations/checkpoint_codec.h"
#include "integrations/test_util.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using json::testing::J;

std::shared_ptr<const asl::StateMachine> Compile(std::string_view definition) {
  asl::CompileResult compiled = asl::CompileText(definition);
  if (auto* diagnostics = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
    ADD_FAILURE() << diagnostics->front().ToString();
    return nullptr;
  }
  return std::get<std::shared_ptr<const asl::StateMachine>>(compiled);
}

using testing::kFail;
using testing::Starter;

constexpr std::string_view kSinglePass =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
constexpr std::string_view kWaitOneSecond =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}})";

class ExecutionServiceTest : public ::testing::Test {
 protected:
  ExecutionServiceTest()
      : router_(functions_, clock_),
        executor_(router_, clock_, nullptr),
        executions_(std::make_unique<ExecutionService>(executor_, AccountContext{}, nullptr)) {
    router_.set_launcher(executions_.get());
  }
  ~ExecutionServiceTest() override { executions_.reset(); }

  std::string Add(const std::string& name, std::string_view definition) {
    return executions_->AddStateMachine(name, Compile(definition));
  }

  FunctionRegistry functions_;
  SystemClock clock_;
  TaskRouter router_;
  engine::Executor executor_;
  std::unique_ptr<ExecutionService> executions_;
};

TEST_F(ExecutionServiceTest, AddStateMachineReturnsItsArn) {
  EXPECT_EQ(Add("training_pipeline", kSinglePass),
            "arn:aws:states:us-east-1:123456789012:stateMachine:training_pipeline");
}

TEST_F(ExecutionServiceTest, RunSyncReturnsTheFinishedResult) {
  std::string arn = Add("pass", kSinglePass);
  Result<engine::ExecutionResult> result = executions_->RunSync(arn, J(R"({"x":1})"), "sync-run");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(result->output, J(R"({"x":1})"));
  EXPECT_EQ(result->execution_arn, "arn:aws:states:us-east-1:123456789012:execution:pass:sync-run");
  EXPECT_TRUE(executions_->StartedExecutions().empty());  // only Start records there
  ASSERT_TRUE(executions_->Find(result->execution_arn).has_value());
  EXPECT_EQ(executions_->Find(result->execution_arn)->status, engine::ExecutionStatus::kSucceeded);
}

TEST_F(ExecutionServiceTest, WaitAllWaitsForExecutionsStartedByChildren) {
  std::string grandchild = Add("grandchild", kWaitOneSecond);
  std::string child = Add("child", Starter(grandchild));
  std::string parent = Add("parent", Starter(child));
  Result<engine::ExecutionResult> result = executions_->RunSync(parent, J(R"({"n":7})"), "");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  ASSERT_EQ(result->status, engine::ExecutionStatus::kSucceeded)
      << result->error.value_or("") << ": " << result->cause.value_or("");
  executions_->WaitAll();
  std::vector<std::string> started = executions_->StartedExecutions();
  ASSERT_EQ(started.size(), 2u);
  EXPECT_TRUE(started[0].starts_with("arn:aws:states:us-east-1:123456789012:execution:child:"));
  EXPECT_TRUE(
      started[1].starts_with("arn:aws:states:us-east-1:123456789012:execution:grandchild:"));
  for (const std::string& arn : started) {
    std::optional<engine::ExecutionResult> finished = executions_->Find(arn);
    ASSERT_TRUE(finished.has_value()) << arn;
    EXPECT_EQ(finished->status, engine::ExecutionStatus::kSucceeded) << arn;
  }
  EXPECT_EQ(executions_->Find(started[1])->output, J(R"({"n":7})"));
  // The parent's output is the startExecution result naming the child.
  EXPECT_EQ(result->output->at("ExecutionArn"), json::Value(started[0]));
}

TEST_F(ExecutionServiceTest, FailedExecutionIsRecorded) {
  std::string arn = Add("fails", kFail);
  Result<ExecutionLauncher::Started> started = executions_->Start({arn, J("{}"), "f1"});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  executions_->WaitAll();
  std::optional<engine::ExecutionResult> result = executions_->Find(started->execution_arn);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(result->error, "Boom");
  EXPECT_EQ(result->cause, "on purpose");
}

TEST_F(ExecutionServiceTest, SameNameIsIdempotentOnlyWhileRunningWithTheSameInput) {
  std::string arn = Add("slow", kWaitOneSecond);
  Result<ExecutionLauncher::Started> first = executions_->Start({arn, J(R"({"a":1})"), "nightly"});
  ASSERT_TRUE(first.ok()) << first.error().cause;
  EXPECT_FALSE(executions_->Find(first->execution_arn).has_value());  // still running

  Result<ExecutionLauncher::Started> again = executions_->Start({arn, J(R"({"a":1})"), "nightly"});
  ASSERT_TRUE(again.ok()) << again.error().cause;
  EXPECT_EQ(again->execution_arn, first->execution_arn);
  EXPECT_EQ(again->start_date, first->start_date);

  Result<ExecutionLauncher::Started> different =
      executions_->Start({arn, J(R"({"a":2})"), "nightly"});
  ASSERT_FALSE(different.ok());
  EXPECT_EQ(different.error().error, "ExecutionAlreadyExists");
  EXPECT_EQ(different.error().cause, "Execution Already Exists: '" + first->execution_arn + "'");

  executions_->WaitAll();
  Result<ExecutionLauncher::Started> after = executions_->Start({arn, J(R"({"a":1})"), "nightly"});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().error, "ExecutionAlreadyExists");
  EXPECT_EQ(executions_->StartedExecutions().size(), 1u);

  // The same name under another state machine is a different execution.
  std::string other = Add("other", kSinglePass);
  EXPECT_TRUE(executions_->Start({other, J(R"({"a":1})"), "nightly"}).ok());
}

TEST_F(ExecutionServiceTest, StartErrorsAreWordedAsAws) {
  std::string arn = Add("pass", kSinglePass);
  Result<ExecutionLauncher::Started> result = executions_->Start({arn, J("{}"), "bad name"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "InvalidName");
  EXPECT_TRUE(result.error().cause.starts_with("Invalid Name: 'bad name'")) << result.error().cause;
  EXPECT_EQ(executions_->Start({arn, J("{}"), std::string(81, 'n')}).error().error, "InvalidName");

  std::string missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";
  result = executions_->Start({missing, J("{}"), ""});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(),
            (Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + missing + "'"}));

  for (std::string_view bad : {"PASTE_YOUR_MAIN_PIPELINE_ARN_HERE", "",
                               "arn:aws:lambda:us-east-1:123456789012:function:pass",
                               "arn:aws:states:us-east-1:123456789012:execution:pass:x"}) {
    result = executions_->Start({bad, J("{}"), ""});
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error(), (Error{"InvalidArn", "Invalid Arn: '" + std::string(bad) + "'"}));
  }
  EXPECT_EQ(executions_->RunSync(missing, J("{}"), "").error().error, "StateMachineDoesNotExist");
  EXPECT_TRUE(executions_->StartedExecutions().empty());
  EXPECT_FALSE(executions_->Find("arn:aws:states:us-east-1:123456789012:execution:pass:none"));
}

TEST_F(ExecutionServiceTest, ConcurrentStartsFromManyThreads) {
  std::string arn = Add("pass", kSinglePass);
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        json::Value input = json::Object{{"t", t}, {"i", i}};
        if (!executions_->Start({arn, input, ""}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  executions_->WaitAll();
  EXPECT_EQ(failures, 0);
  std::vector<std::string> started = executions_->StartedExecutions();
  ASSERT_EQ(started.size(), 80u);
  for (const std::string& execution : started) {
    std::optional<engine::ExecutionResult> result = executions_->Find(execution);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, engine::ExecutionStatus::kSucceeded);
  }
}

TEST_F(ExecutionServiceTest, DestructorWaitsForRunningExecutions) {
  std::string arn = Add("slow", kWaitOneSecond);
  ASSERT_TRUE(executions_->Start({arn, J("{}"), ""}).ok());
  auto start = std::chrono::steady_clock::now();
  executions_.reset();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

// ---- Pool, stops, timeouts, durability and resumption ----

using Clock = std::chrono::steady_clock;

constexpr std::string_view kWaitOneSecondThenPass =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"P"},)"
    R"("P":{"Type":"Pass","End":true}}})";
constexpr std::string_view kWaitSixtySeconds =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})";
constexpr std::string_view kWaitTwoSecondsThenPass =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"Next":"P"},)"
    R"("P":{"Type":"Pass","End":true}}})";

constexpr char kFunctionArnPrefix[] = "arn:aws:lambda:us-east-1:123456789012:function:";

// Lets a test hold a function inside its invocation until it releases it.
class Gate {
 public:
  void Enter() {
    std::unique_lock lock(mu_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
  }
  // True once a call is inside Enter (false after `timeout`).
  bool WaitEntered(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return entered_; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
};

class BlockingFunction final : public Function {
 public:
  explicit BlockingFunction(Gate& gate) : gate_(gate) {}
  Result<json::Value> Invoke(const json::Value& event) override {
    gate_.Enter();
    return event;
  }

 private:
  Gate& gate_;
};

class CountingFunction final : public Function {
 public:
  explicit CountingFunction(std::atomic<int>& calls) : calls_(calls) {}
  Result<json::Value> Invoke(const json::Value& event) override {
    ++calls_;
    return event;
  }

 private:
  std::atomic<int>& calls_;
};

// "Block" (a function that waits for `gate`) then "After" (a function counting its calls).
std::string BlockThenCount() {
  return std::string(R"({"StartAt":"Block","States":{)") +
         R"("Block":{"Type":"Task","Resource":")" + kFunctionArnPrefix +
         R"(block","Next":"After"},)" + R"("After":{"Type":"Task","Resource":")" +
         kFunctionArnPrefix + R"(count","End":true}}})";
}

// An execution service with its own executor and options, durable when given a store.
class Service {
 public:
  explicit Service(store::Store* store = nullptr, ExecutionServiceOptions options = {})
      : recorder_(store == nullptr
                      ? nullptr
                      : std::make_unique<HistoryRecorder>(*store, "test.db",
                                                          [this](const std::string& warning) {
                                                            std::lock_guard lock(mu_);
                                                            warnings_.push_back(warning);
                                                          })),
        router_(functions_, clock_),
        executor_(router_, clock_, recorder_.get()),
        executions_(std::make_unique<ExecutionService>(executor_, AccountContext{}, recorder_.get(),
                                                       options)) {
    router_.set_launcher(executions_.get());
  }
  ~Service() {
    executions_.reset();
    if (recorder_) recorder_->Flush();
  }

  std::string Add(const std::string& name, std::string_view definition) {
    std::string arn = executions_->AddStateMachine(name, Compile(definition));
    if (recorder_)
      recorder_->RegisterStateMachine(arn, name, std::string(definition), clock_.Now());
    return arn;
  }
  // Waits for every execution and for their histories to be committed.
  void Settle() {
    executions_->WaitAll();
    if (recorder_) recorder_->Flush();
  }
  std::vector<std::string> warnings() {
    std::lock_guard lock(mu_);
    return warnings_;
  }

  FunctionRegistry& functions() { return functions_; }
  ExecutionService& executions() { return *executions_; }

 private:
  std::mutex mu_;
  std::vector<std::string> warnings_;
  FunctionRegistry functions_;
  SystemClock clock_;
  std::unique_ptr<HistoryRecorder> recorder_;
  TaskRouter router_;
  engine::Executor executor_;
  std::unique_ptr<ExecutionService> executions_;
};

std::vector<engine::HistoryEvent> History(store::Store& store, const std::string& arn) {
  std::vector<engine::HistoryEvent> events;
  store::HistoryQuery query;
  query.max_results = 1000;
  for (;;) {
    Result<store::Page<engine::HistoryEvent>> page = store.GetExecutionHistory(arn, query);
    EXPECT_TRUE(page.ok()) << page.error().cause;
    if (!page.ok()) return events;
    events.insert(events.end(), page->items.begin(), page->items.end());
    if (page->next_token.empty()) return events;
    query.next_token = page->next_token;
  }
}

std::vector<std::string> Types(const std::vector<engine::HistoryEvent>& events) {
  std::vector<std::string> types;
  for (const engine::HistoryEvent& event : events) types.push_back(event.type);
  return types;
}

// Ids 1, 2, 3... each naming the one before.
void ExpectContiguous(const std::vector<engine::HistoryEvent>& events, const std::string& arn) {
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, static_cast<int64_t>(i + 1)) << arn << " event " << i;
    EXPECT_EQ(events[i].previous_event_id, static_cast<int64_t>(i)) << arn << " event " << i;
  }
}

TEST(ExecutionServicePoolTest, ThousandsOfWaitingExecutionsDoNotHoldTheWorkers) {
  Service service(nullptr, ExecutionServiceOptions{.workers = 4});
  std::string arn = service.Add("waits", kWaitOneSecondThenPass);
  constexpr int kExecutions = 3000;
  const auto begin = Clock::now();
  std::vector<std::string> started;
  for (int i = 0; i < kExecutions; ++i) {
    Result<ExecutionLauncher::Started> result =
        service.executions().Start({arn, json::Object{{"i", i}}, ""});
    ASSERT_TRUE(result.ok()) << result.error().cause;
    started.push_back(result->execution_arn);
  }
  service.executions().WaitAll();
  const auto elapsed = Clock::now() - begin;
  // Holding a worker through each 1 s wait would take 3000 s / 4 workers = 750 s.
  EXPECT_LT(elapsed, std::chrono::seconds(30));
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));  // the waits did happen
  EXPECT_EQ(service.executions().running(), 0);
  EXPECT_EQ(service.executions().StartedExecutions(), started);
  for (int i = 0; i < kExecutions; ++i) {
    std::optional<engine::ExecutionResult> result = service.executions().Find(started[i]);
    ASSERT_TRUE(result.has_value()) << started[i];
    ASSERT_EQ(result->status, engine::ExecutionStatus::kSucceeded) << started[i];
    EXPECT_EQ(result->output, json::Value(json::Object{{"i", i}}));
  }
}

TEST(ExecutionServicePoolTest, StopEndsAWaitingExecutionAtOnce) {
  Service service;
  std::string arn = service.Add("sleeper", kWaitSixtySeconds);
  Result<ExecutionLauncher::Started> started =
      service.executions().Start({arn, J(R"({"a":1})"), "sleeps"});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  // Lets the worker reach the Wait and park the execution in the timer queue.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(service.executions().running(), 1);

  const auto begin = Clock::now();
  ASSERT_TRUE(service.executions().Stop(started->execution_arn, "MyError", "my cause").ok());
  service.executions().WaitAll();
  EXPECT_LT(Clock::now() - begin, std::chrono::seconds(10));  // not the 60 s of the Wait
  std::optional<engine::ExecutionResult> result = service.executions().Find(started->execution_arn);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, engine::ExecutionStatus::kAborted);
  EXPECT_EQ(result->error, "MyError");
  EXPECT_EQ(result->cause, "my cause");
  EXPECT_FALSE(result->output.has_value());

  // Stopping it again: OK, and it stays as it ended.
  EXPECT_TRUE(service.executions().Stop(started->execution_arn, "Other", "other").ok());
  std::optional<engine::ExecutionResult> again = service.executions().Find(started->execution_arn);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->status, engine::ExecutionStatus::kAborted);
  EXPECT_EQ(again->error, "MyError");
  EXPECT_EQ(again->cause, "my cause");
  EXPECT_EQ(again->stop_date, result->stop_date);

  // An unknown ARN.
  const std::string unknown = "arn:aws:states:us-east-1:123456789012:execution:sleeper:nope";
  Status stopped = service.executions().Stop(unknown, std::nullopt, std::nullopt);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error(),
            (Error{"ExecutionDoesNotExist", "Execution Does Not Exist: '" + unknown + "'"}));
}

TEST(ExecutionServicePoolTest, OpenExecutionsBeyondTheQuotaAreRefusedUntilOneEnds) {
  ExecutionServiceOptions options;
  options.max_open_executions = 3;
  Service service(nullptr, options);
  ExecutionService& executions = service.executions();
  const std::string arn = service.Add("sleeper", kWaitSixtySeconds);
  std::vector<std::string> open;
  auto start = [&](const char* name) {
    Result<ExecutionLauncher::Started> started = executions.Start({arn, J("{}"), name});
    if (started.ok()) open.push_back(started->execution_arn);
    return started.ok() ? std::string("OK") : started.error().error;
  };
  ASSERT_EQ(start("one"), "OK");
  ASSERT_EQ(start("two"), "OK");
  // The third open execution is accepted; the child it starts would be the fourth, and its
  // Task state fails with the service's error, as a startExecution task does on AWS.
  Result<engine::ExecutionResult> starter =
      executions.RunSync(service.Add("starter", Starter(arn)), J("{}"), "starter");
  ASSERT_TRUE(starter.ok()) << starter.error().cause;
  EXPECT_EQ(starter->error, "StepFunctions.ExecutionLimitExceededException");
  // It ended: room for one more, not two.
  ASSERT_EQ(start("three"), "OK");
  Result<ExecutionLauncher::Started> fourth = executions.Start({arn, J("{}"), "four"});
  ASSERT_FALSE(fourth.ok());
  EXPECT_EQ(fourth.error().error, "ExecutionLimitExceeded");
  EXPECT_NE(fourth.error().cause.find("maximum number of open executions (3)"), std::string::npos)
      << fourth.error().cause;
  // Starting a running one again (same name and input) is no new execution: it answers.
  EXPECT_EQ(start("one"), "OK");
  open.pop_back();
  // Once one ends, the next start is accepted.
  ASSERT_TRUE(executions.Stop(open.front(), std::nullopt, std::nullopt).ok());
  for (int i = 0; i < 1000 && executions.running() == 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(start("four"), "OK");
  for (const std::string& execution_arn : open) {
    EXPECT_TRUE(executions.Stop(execution_arn, std::nullopt, std::nullopt).ok()) << execution_arn;
  }
}

// A timer outlives the wait it was queued for when the execution is woken early; the
// execution may finish and (keep_finished off, as in the daemon) be dropped before the timer
// comes due. The timer must then find nothing, not the freed entry (AddressSanitizer reported
// a heap-use-after-free in the timer thread here).
TEST(ExecutionServicePoolTest, AStaleTimerOfADroppedExecutionIsIgnored) {
  Service service(nullptr, ExecutionServiceOptions{.workers = 2, .keep_finished = false});
  std::string arn = service.Add("waits", kWaitOneSecondThenPass);
  Result<ExecutionLauncher::Started> first = service.executions().Start({arn, J("{}"), "first"});
  ASSERT_TRUE(first.ok()) << first.error().cause;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // parked in the timer queue
  ASSERT_TRUE(service.executions().Stop(first->execution_arn, std::nullopt, std::nullopt).ok());
  service.executions().WaitAll();
  // Past the first one's timer: the timer thread pops it while this one waits.
  Result<ExecutionLauncher::Started> second = service.executions().Start({arn, J("{}"), "second"});
  ASSERT_TRUE(second.ok()) << second.error().cause;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  service.executions().WaitAll();
  EXPECT_EQ(service.executions().running(), 0);
}

// Stop right after Start, while the worker may still be advancing the execution into its Wait
// (with a file store the suspension's checkpoint commit takes an fsync, which widens that
// window): every execution must still end promptly, not after its 60 s Wait. (A regression
// test: WorkerLoop once parked such an execution in the timer queue without looking at the
// stop.)
TEST(ExecutionServicePoolTest, StopRightAfterStartEndsPromptly) {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::Open(dir / "history.db").value();
  Service service(store.get(), ExecutionServiceOptions{.workers = 4});
  std::string arn = service.Add("sleeper", kWaitSixtySeconds);
  std::vector<std::string> started;
  for (int i = 0; i < 20; ++i) {
    Result<ExecutionLauncher::Started> result = service.executions().Start({arn, J("{}"), ""});
    ASSERT_TRUE(result.ok()) << result.error().cause;
    ASSERT_TRUE(service.executions().Stop(result->execution_arn, "MyError", "my cause").ok());
    started.push_back(result->execution_arn);
  }
  const auto begin = Clock::now();
  service.Settle();
  EXPECT_LT(Clock::now() - begin, std::chrono::seconds(30));  // not the 60 s of the Wait
  for (const std::string& execution : started) {
    std::optional<engine::ExecutionResult> result = service.executions().Find(execution);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, engine::ExecutionStatus::kAborted) << execution;
    EXPECT_EQ(result->error, "MyError");
  }
}

TEST(ExecutionServicePoolTest, StopAfterSuccessLeavesTheExecutionAsItEnded) {
  Service service;
  std::string arn = service.Add("pass", kSinglePass);
  Result<ExecutionLauncher::Started> started =
      service.executions().Start({arn, J(R"({"a":1})"), "done"});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  service.executions().WaitAll();
  EXPECT_TRUE(service.executions().Stop(started->execution_arn, "MyError", "my cause").ok());
  std::optional<engine::ExecutionResult> result = service.executions().Find(started->execution_arn);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(result->output, J(R"({"a":1})"));
  EXPECT_FALSE(result->error.has_value());
  EXPECT_FALSE(result->cause.has_value());
}

TEST(ExecutionServicePoolTest, StopWithoutErrorOrCause) {
  Service service;
  std::string arn = service.Add("sleeper", kWaitSixtySeconds);
  Result<ExecutionLauncher::Started> started = service.executions().Start({arn, J("{}"), ""});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(service.executions().Stop(started->execution_arn, std::nullopt, std::nullopt).ok());
  service.executions().WaitAll();
  std::optional<engine::ExecutionResult> result = service.executions().Find(started->execution_arn);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, engine::ExecutionStatus::kAborted);
}

// Stop while the execution's task runs: it ends when the task returns, before the next state.
// Durable, so the history shows exactly where it stopped.
TEST(ExecutionServicePoolTest, StopWhileATaskRunsEndsItWhenTheTaskReturns) {
  std::unique_ptr<store::Store> store = store::Store::OpenInMemory().value();
  Gate gate;
  std::atomic<int> after_calls = 0;
  std::string execution_arn;
  {
    Service service(store.get());
    service.functions().Register("block", std::make_unique<BlockingFunction>(gate));
    service.functions().Register("count", std::make_unique<CountingFunction>(after_calls));
    std::string arn = service.Add("blocks", BlockThenCount());
    Result<ExecutionLauncher::Started> started =
        service.executions().Start({arn, J(R"({"a":1})"), "blocked"});
    ASSERT_TRUE(started.ok()) << started.error().cause;
    execution_arn = started->execution_arn;
    if (!gate.WaitEntered(std::chrono::seconds(30))) {
      gate.Release();
      FAIL() << "the task never started";
    }
    ASSERT_TRUE(service.executions().Stop(execution_arn, "MyError", "my cause").ok());
    // Still running: the task has not returned.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(service.executions().running(), 1);
    EXPECT_FALSE(service.executions().Find(execution_arn).has_value());
    gate.Release();
    service.Settle();

    std::optional<engine::ExecutionResult> result = service.executions().Find(execution_arn);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, engine::ExecutionStatus::kAborted);
    EXPECT_EQ(result->error, "MyError");
    EXPECT_EQ(result->cause, "my cause");
    EXPECT_TRUE(service.warnings().empty());
  }
  EXPECT_EQ(after_calls, 0);  // the next state never ran

  Result<store::ExecutionRecord> record = store->DescribeExecution(execution_arn);
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->status, engine::ExecutionStatus::kAborted);
  EXPECT_EQ(record->error, "MyError");
  EXPECT_EQ(record->cause, "my cause");
  std::vector<engine::HistoryEvent> events = History(*store, execution_arn);
  ExpectContiguous(events, execution_arn);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "ExecutionAborted");
  for (const engine::HistoryEvent& event : events) {
    if (event.type == "TaskStateEntered") {
      EXPECT_EQ(event.details.as_object().at("name"), "Block");  // never "After"
    }
  }
  EXPECT_EQ(record->last_event_id, static_cast<int64_t>(events.size()));
}

TEST(ExecutionServicePoolTest, TimeoutSecondsEndsAWaitingExecutionOnTime) {
  Service service(nullptr, ExecutionServiceOptions{.workers = 2});
  std::string arn = service.Add(
      "times_out",
      R"({"TimeoutSeconds":1,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}})");
  const auto begin = Clock::now();
  Result<ExecutionLauncher::Started> started = service.executions().Start({arn, J("{}"), "slow"});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  service.executions().WaitAll();
  const auto elapsed = Clock::now() - begin;
  EXPECT_LT(elapsed, std::chrono::seconds(10));  // the deadline, not the 30 s Wait
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  std::optional<engine::ExecutionResult> result = service.executions().Find(started->execution_arn);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, engine::ExecutionStatus::kTimedOut);
  EXPECT_EQ(result->error, "States.Timeout");
}

TEST(ExecutionServicePoolTest, DurableExecutionsAreStoredWithFullHistories) {
  std::unique_ptr<store::Store> store = store::Store::OpenInMemory().value();
  constexpr int kExecutions = 20;
  std::string machine;
  std::vector<ExecutionLauncher::Started> started;
  {
    // Finished executions are not kept in memory: name checks after they end go to the store.
    Service service(store.get(), ExecutionServiceOptions{.workers = 3, .keep_finished = false});
    machine = service.Add("durable", kWaitOneSecondThenPass);
    for (int i = 0; i < kExecutions; ++i) {
      Result<ExecutionLauncher::Started> result =
          service.executions().Start({machine, json::Object{{"i", i}}, "run-" + std::to_string(i)});
      ASSERT_TRUE(result.ok()) << result.error().cause;
      // Accepted means committed: the store has it before it ran.
      Result<store::ExecutionRecord> record = store->DescribeExecution(result->execution_arn);
      ASSERT_TRUE(record.ok()) << record.error().cause;
      started.push_back(*result);
    }
    service.Settle();
    EXPECT_TRUE(service.warnings().empty());

    // Same name and input, after it finished: the store says it exists.
    Result<ExecutionLauncher::Started> again =
        service.executions().Start({machine, json::Object{{"i", 0}}, "run-0"});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error(), (Error{"ExecutionAlreadyExists", "Execution Already Exists: '" +
                                                                  started[0].execution_arn + "'"}));
  }

  Result<store::Page<store::ExecutionRecord>> listed =
      store->ListExecutions(machine, engine::ExecutionStatus::kSucceeded,
                            store::PageRequest{.max_results = 1000, .next_token = ""});
  ASSERT_TRUE(listed.ok()) << listed.error().cause;
  EXPECT_EQ(listed->items.size(), static_cast<size_t>(kExecutions));
  for (int i = 0; i < kExecutions; ++i) {
    const std::string& arn = started[i].execution_arn;
    Result<store::ExecutionRecord> record = store->DescribeExecution(arn);
    ASSERT_TRUE(record.ok()) << record.error().cause;
    EXPECT_EQ(record->status, engine::ExecutionStatus::kSucceeded) << arn;
    EXPECT_EQ(record->name, "run-" + std::to_string(i));
    EXPECT_EQ(record->output, json::Serialize(json::Object{{"i", i}}));
    EXPECT_EQ(record->start_date, started[i].start_date);
    std::vector<engine::HistoryEvent> events = History(*store, arn);
    ExpectContiguous(events, arn);
    EXPECT_EQ(Types(events), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                       "WaitStateExited", "PassStateEntered",
                                                       "PassStateExited", "ExecutionSucceeded"}))
        << arn;
    EXPECT_EQ(record->last_event_id, static_cast<int64_t>(events.size()));
    Result<std::optional<store::Checkpoint>> checkpoint = store->GetCheckpoint(arn);
    ASSERT_TRUE(checkpoint.ok());
    EXPECT_FALSE(checkpoint->has_value());  // dropped when it finished
  }

  // A new service over the same store: the executions an earlier process recorded count.
  Service later(store.get());
  EXPECT_EQ(later.Add("durable", kWaitOneSecondThenPass), machine);
  Result<ExecutionLauncher::Started> again =
      later.executions().Start({machine, json::Object{{"i", 1}}, "run-1"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), (Error{"ExecutionAlreadyExists",
                                  "Execution Already Exists: '" + started[1].execution_arn + "'"}));
  // A different input under the name: the same error.
  again = later.executions().Start({machine, json::Object{{"i", 99}}, "run-1"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "ExecutionAlreadyExists");

  // A derived name is "already started": the existing execution, nothing run.
  Result<ExecutionLauncher::Started> derived = later.executions().Start(
      {.state_machine_arn = machine, .input = J("{}"), .name = "run-2", .derived_name = true});
  ASSERT_TRUE(derived.ok()) << derived.error().cause;
  EXPECT_EQ(derived->execution_arn, started[2].execution_arn);
  EXPECT_EQ(derived->start_date, started[2].start_date);
  EXPECT_EQ(later.executions().running(), 0);
  EXPECT_TRUE(later.executions().StartedExecutions().empty());
  later.Settle();
  Result<store::ExecutionRecord> record = store->DescribeExecution(started[2].execution_arn);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(record->last_event_id, 6);  // nothing appended

  // A new name still starts.
  Result<ExecutionLauncher::Started> fresh =
      later.executions().Start({machine, J(R"({"i":-1})"), "run-new"});
  ASSERT_TRUE(fresh.ok()) << fresh.error().cause;
  later.Settle();
  record = store->DescribeExecution(fresh->execution_arn);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_TRUE(later.warnings().empty());
}

// Writes, through the store API, what a process killed while `execution_name` waited in state
// `state_name` (entered at event 2) would have left: the machine, the RUNNING execution, its
// first two events and its checkpoint.
struct Crashed {
  std::string arn;
  TimePoint start;
};
Crashed WriteInterruptedExecution(store::Store& store, const std::string& machine_arn,
                                  const std::string& execution_name, const std::string& state_name,
                                  TimePoint start, TimePoint wake_at) {
  const std::string arn =
      "arn:aws:states:us-east-1:123456789012:execution:resumable:" + execution_name;
  const json::Value input = J(R"({"k":1})");
  engine::HistoryEvent started{
      .id = 1,
      .previous_event_id = 0,
      .timestamp = start,
      .type = "ExecutionStarted",
      .details = json::Object{{"input", json::Serialize(input)},
                              {"inputDetails", json::Object{{"truncated", false}}},
                              {"roleArn", ""}},
      .details_key = "executionStartedEventDetails"};
  Status status = store.StartExecution(store::NewExecution{.arn = arn,
                                                           .state_machine_arn = machine_arn,
                                                           .state_machine_version = 1,
                                                           .name = execution_name,
                                                           .input = json::Serialize(input),
                                                           .start_date = start},
                                       {started});
  EXPECT_TRUE(status.ok()) << status.error().cause;
  engine::HistoryEvent entered{
      .id = 2,
      .previous_event_id = 1,
      .timestamp = start,
      .type = "WaitStateEntered",
      .details = json::Object{{"name", state_name},
                              {"input", json::Serialize(input)},
                              {"inputDetails", json::Object{{"truncated", false}}}},
      .details_key = "stateEnteredEventDetails"};
  engine::ResumePoint point{.state_index = 0,
                            .state_name = state_name,
                            .input = &input,
                            .entered_time = start,
                            .entered_event_id = 2,
                            .wake_at = wake_at,
                            .last_event_id = 2};
  status = store.RecordStep(arn, {entered}, EncodeCheckpoint(point));
  EXPECT_TRUE(status.ok()) << status.error().cause;
  return Crashed{arn, start};
}

TEST(ExecutionServicePoolTest, ResumeInterruptedContinuesFromTheCheckpoint) {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::Store::Open(dir / "history.db").value();
  const std::string machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:resumable";
  SystemClock clock;
  const TimePoint start = clock.Now();
  Result<store::StateMachineRecord> created = store->CreateStateMachine(
      store::NewStateMachine{.arn = machine_arn,
                             .name = "resumable",
                             .definition = std::string(kWaitTwoSecondsThenPass),
                             .role_arn = "",
                             .creation_date = start});
  ASSERT_TRUE(created.ok()) << created.error().cause;
  Crashed good = WriteInterruptedExecution(*store, machine_arn, "good", "W", start,
                                           start + std::chrono::seconds(2));
  // The checkpoint names a state the stored definition lacks.
  Crashed bad = WriteInterruptedExecution(*store, machine_arn, "bad", "Gone",
                                          start + std::chrono::milliseconds(1),
                                          start + std::chrono::seconds(2));
  // An execution that already finished is not resumed.
  ASSERT_TRUE(store
                  ->StopExecution(WriteInterruptedExecution(*store, machine_arn, "stopped", "W",
                                                            start + std::chrono::milliseconds(2),
                                                            start + std::chrono::seconds(2))
                                      .arn,
                                  "E", "c", start)
                  .ok());
  ASSERT_TRUE(store->GetCheckpoint(good.arn).value().has_value());

  {
    Service service(store.get());
    Result<std::vector<std::string>> resumed = service.executions().ResumeInterrupted(*store);
    ASSERT_TRUE(resumed.ok()) << resumed.error().cause;
    EXPECT_EQ(*resumed, (std::vector<std::string>{good.arn, bad.arn}));
    service.Settle();
    EXPECT_TRUE(service.warnings().empty());
    std::optional<engine::ExecutionResult> result = service.executions().Find(good.arn);
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(result->status, engine::ExecutionStatus::kSucceeded);
    // Resuming nothing more: both are no longer RUNNING.
    Result<std::vector<std::string>> none = service.executions().ResumeInterrupted(*store);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
  }

  Result<store::ExecutionRecord> record = store->DescribeExecution(good.arn);
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(record->output, R"({"k":1})");
  EXPECT_EQ(record->start_date, good.start);
  ASSERT_TRUE(record->stop_date.has_value());
  EXPECT_GE(*record->stop_date, start + std::chrono::seconds(2));  // the Wait was kept
  std::vector<engine::HistoryEvent> events = History(*store, good.arn);
  ExpectContiguous(events, good.arn);
  EXPECT_EQ(Types(events), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                     "WaitStateExited", "PassStateEntered",
                                                     "PassStateExited", "ExecutionSucceeded"}));
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[2].id, 3);
  EXPECT_EQ(events[2].details.as_object().at("name"), "W");
  EXPECT_FALSE(store->GetCheckpoint(good.arn).value().has_value());

  record = store->DescribeExecution(bad.arn);
  ASSERT_TRUE(record.ok()) << record.error().cause;
  EXPECT_EQ(record->status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(record->error, "States.Runtime");
  ASSERT_TRUE(record->cause.has_value());
  EXPECT_NE(record->cause->find("cannot be resumed"), std::string::npos) << *record->cause;
  EXPECT_NE(record->cause->find("Gone"), std::string::npos) << *record->cause;
  events = History(*store, bad.arn);
  ExpectContiguous(events, bad.arn);
  EXPECT_EQ(Types(events),
            (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "ExecutionFailed"}));
}

}  // namespace
}  // namespace autoretrain::integrations
