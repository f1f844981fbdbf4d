#include "autoretrain/integrations/execution_service.h"

#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"

namespace autoretrain::integrations {
namespace {

json::Value J(std::string_view text) { return json::Parse(text).value(); }

std::shared_ptr<const asl::StateMachine> Compile(std::string_view definition) {
  asl::CompileResult compiled = asl::CompileText(definition);
  if (auto* diagnostics = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
    ADD_FAILURE() << diagnostics->front().ToString();
    return nullptr;
  }
  return std::get<std::shared_ptr<const asl::StateMachine>>(compiled);
}

// A machine whose only state starts `target` with the machine's input.
std::string Starter(const std::string& target_arn) {
  return R"({"StartAt":"Start","States":{"Start":{"Type":"Task",)"
         R"("Resource":"arn:aws:states:::states:startExecution",)"
         R"("Parameters":{"StateMachineArn":")" +
         target_arn + R"(","Input.$":"$"},"End":true}}})";
}

constexpr std::string_view kPass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
constexpr std::string_view kWaitOneSecond =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}})";
constexpr std::string_view kFail =
    R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"on purpose"}}})";

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
  EXPECT_EQ(Add("training_pipeline", kPass),
            "arn:aws:states:us-east-1:123456789012:stateMachine:training_pipeline");
}

TEST_F(ExecutionServiceTest, RunSyncReturnsTheFinishedResult) {
  std::string arn = Add("pass", kPass);
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
  std::string other = Add("other", kPass);
  EXPECT_TRUE(executions_->Start({other, J(R"({"a":1})"), "nightly"}).ok());
}

TEST_F(ExecutionServiceTest, StartErrorsAreWordedAsAws) {
  std::string arn = Add("pass", kPass);
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
  std::string arn = Add("pass", kPass);
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

}  // namespace
}  // namespace autoretrain::integrations
