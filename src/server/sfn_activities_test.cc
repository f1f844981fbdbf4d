// The Step Functions service's activity operations (GetActivityTask's long poll included) and
// TestState, over a runtime with an in-memory store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "autoretrain/server/step_functions_service.h"
#include "autoretrain/store/store.h"
#include "server/json_protocol.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::kRole;
constexpr char kActivityPrefix[] = "arn:aws:states:us-east-1:123456789012:activity:";

using testing::Parse;

// Answers tasks whose resource is "ok" with {"done": true}, others with Boom.
class FakeTasks final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    ++calls;
    if (request.resource.ends_with(":ok")) return json::Value(json::Object{{"done", true}});
    return Error{"Boom", "task " + std::string(request.resource) + " failed"};
  }
  std::atomic<int> calls{0};
};

class ActivitiesServiceTest : public ::testing::Test {
 protected:
  ActivitiesServiceTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("sfn-activities-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    retrain::HistorySink sink;
    sink.store = store::Store::OpenInMemory().value();
    sink.database = ":memory:";
    runtime_ = std::make_unique<retrain::LocalRuntime>(AccountContext{}, dir_.string(),
                                                       dir_.string(), nullptr, std::move(sink));
    service_ = std::make_unique<StepFunctionsService>(*runtime_, std::set<std::string>{}, clock_);
    service_->set_activity_poll(std::chrono::milliseconds(600), std::chrono::milliseconds(20));
    service_->set_task_handler(&tasks_);
  }
  ~ActivitiesServiceTest() override {
    service_.reset();
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string ErrorOf(const std::string& operation, std::string_view input) {
    Result<json::Value> result = service_->Invoke(operation, Parse(input));
    return result.ok() ? "OK" : result.error().error;
  }
  json::Value Ok(const std::string& operation, std::string_view input) {
    Result<json::Value> result = service_->Invoke(operation, Parse(input));
    EXPECT_TRUE(result.ok()) << operation << ": " << result.error().cause;
    return result.ok() ? *result : json::Value();
  }
  // Calls GetActivityTask through Call (asynchronous); the future gets its answer.
  std::future<Result<json::Value>> Poll(const std::string& activity_arn,
                                        std::shared_ptr<std::atomic<bool>> gone = nullptr) {
    auto promise = std::make_shared<std::promise<Result<json::Value>>>();
    Caller caller;
    caller.client_gone = gone;
    service_->Call(
        caller, "GetActivityTask",
        json::Object{{"activityArn", activity_arn}, {"workerName", "w1"}},
        [promise](Result<json::Value> answer) { promise->set_value(std::move(answer)); });
    return promise->get_future();
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  FakeTasks tasks_;
  std::unique_ptr<retrain::LocalRuntime> runtime_;
  std::unique_ptr<StepFunctionsService> service_;
};

TEST_F(ActivitiesServiceTest, CreateDescribeListDelete) {
  json::Value created = Ok("CreateActivity", R"({"name":"a"})");
  const std::string arn(created.at("activityArn").as_string());
  EXPECT_EQ(arn, std::string(kActivityPrefix) + "a");
  EXPECT_TRUE(created.at("creationDate").is_number());
  Ok("CreateActivity", R"({"name":"b"})");
  EXPECT_EQ(Ok("DescribeActivity", R"({"activityArn":")" + arn + R"("})").at("name").as_string(),
            "a");
  json::Value page = Ok("ListActivities", R"({"maxResults":1})");
  ASSERT_EQ(page.at("activities").as_array().size(), 1u);
  const std::string token(page.at("nextToken").as_string());
  json::Value rest = Ok("ListActivities", R"({"nextToken":")" + token + R"("})");
  EXPECT_EQ(rest.at("activities").as_array()[0].at("name").as_string(), "b");
  EXPECT_FALSE(rest.as_object().contains("nextToken"));
  Ok("DeleteActivity", R"({"activityArn":")" + arn + R"("})");
  EXPECT_EQ(ErrorOf("DescribeActivity", R"({"activityArn":")" + arn + R"("})"),
            "ActivityDoesNotExist");
  // AWS's validation.
  EXPECT_EQ(ErrorOf("CreateActivity", "{}"), kValidationException);
  EXPECT_EQ(ErrorOf("CreateActivity", R"({"name":"a b"})"), "InvalidName");
  EXPECT_EQ(ErrorOf("CreateActivity", R"({"name":"t","tags":[{"key":"aws:k","value":"v"}]})"),
            kValidationException);
  EXPECT_EQ(ErrorOf("DescribeActivity", R"({"activityArn":"arn:aws:states:x"})"), "InvalidArn");
  EXPECT_EQ(
      ErrorOf("DeleteActivity", R"({"activityArn":"arn:aws:states:us-east-1:1:stateMachine:m"})"),
      "InvalidArn");
  Ok("ListActivities", R"({"maxResults":1000})");
  EXPECT_EQ(ErrorOf("ListActivities", R"({"maxResults":1001})"), kValidationException);
  EXPECT_EQ(
      ErrorOf(
          "ListExecutions",
          R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m","maxResults":1001})"),
      kValidationException);
  EXPECT_EQ(ErrorOf("ListStateMachines", R"({"maxResults":1001})"), kValidationException);
  EXPECT_EQ(ErrorOf("ListActivities", R"({"nextToken":"junk"})"), "InvalidToken");
}

TEST_F(ActivitiesServiceTest, AnEmptyPollAnswersNothingAfterItsTime) {
  Ok("CreateActivity", R"({"name":"idle"})");
  const auto start = std::chrono::steady_clock::now();
  auto answer = Poll(std::string(kActivityPrefix) + "idle");
  // Call returned at once: the poll is parked, not run on the caller's thread.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  Result<json::Value> got = answer.get();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->as_object().empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(550));
  Result<json::Value> unknown = Poll(std::string(kActivityPrefix) + "nope").get();
  EXPECT_EQ(unknown.error().error, "ActivityDoesNotExist");
}

TEST_F(ActivitiesServiceTest, AParkedPollGetsATaskScheduledLater) {
  Ok("CreateActivity", R"({"name":"work"})");
  const std::string activity = std::string(kActivityPrefix) + "work";
  service_->set_activity_poll(std::chrono::seconds(10), std::chrono::milliseconds(20));
  // A poll whose client left is dropped and takes no task.
  auto gone = std::make_shared<std::atomic<bool>>(false);
  auto departed = Poll(activity, gone);
  auto waiting = Poll(activity);
  gone->store(true);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(departed.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  EXPECT_TRUE(departed.get()->as_object().empty());

  json::Object machine{
      {"name", "with-activity"},
      {"definition", R"({"StartAt":"W","States":{"W":{"Type":"Task","Resource":")" + activity +
                         R"(","End":true}}})"},
      {"roleArn", kRole}};
  ASSERT_TRUE(service_->Invoke("CreateStateMachine", machine).ok());
  json::Value started =
      Ok("StartExecution", R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:)"
                           R"(stateMachine:with-activity","input":"{\"n\":3}"})");
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  Result<json::Value> task = waiting.get();
  ASSERT_TRUE(task.ok()) << task.error().cause;
  EXPECT_EQ(json::Parse(task->at("input").as_string()).value(), Parse(R"({"n":3})"));
  const std::string token(task->at("taskToken").as_string());
  Ok("SendTaskSuccess", R"({"taskToken":")" + token + R"(","output":"{\"r\":1}"})");
  const std::string execution(started.at("executionArn").as_string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  json::Value described;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    described = Ok("DescribeExecution", R"({"executionArn":")" + execution + R"("})");
  } while (described.at("status").as_string() == "RUNNING" &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(described.at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(described.at("output").as_string(), R"({"r":1})");
}

TEST_F(ActivitiesServiceTest, TheThousandAndFirstWaitingPollIsRefused) {
  Ok("CreateActivity", R"({"name":"busy"})");
  Ok("CreateActivity", R"({"name":"other"})");
  const std::string busy = std::string(kActivityPrefix) + "busy";
  service_->set_activity_poll(std::chrono::seconds(30), std::chrono::milliseconds(20));
  std::vector<std::future<Result<json::Value>>> parked;
  for (int i = 0; i < 1000; ++i) parked.push_back(Poll(busy));
  Result<json::Value> refused = Poll(busy).get();  // answered at once
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, "ActivityWorkerLimitExceeded");
  EXPECT_NE(refused.error().cause.find("1000"), std::string::npos) << refused.error().cause;
  // The limit is per activity: another one's poll still waits.
  auto elsewhere = Poll(std::string(kActivityPrefix) + "other");
  EXPECT_EQ(elsewhere.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  // Stopping the service answers every waiting poll with no task.
  service_.reset();
  for (auto& poll : parked) {
    Result<json::Value> answer = poll.get();
    ASSERT_TRUE(answer.ok());
    EXPECT_TRUE(answer->as_object().empty());
  }
  EXPECT_TRUE(elsewhere.get()->as_object().empty());
}

TEST_F(ActivitiesServiceTest, TestStateRunsOneState) {
  auto test = [this](std::string_view state, std::string_view input = "{}",
                     std::string_view level = "INFO") {
    json::Object request{{"definition", state}, {"input", input}, {"inspectionLevel", level}};
    Result<json::Value> result = service_->Invoke("TestState", request);
    EXPECT_TRUE(result.ok()) << result.error().cause;
    return result.ok() ? result->as_object() : json::Object{};
  };
  json::Object pass = test(R"({"Type":"Pass","InputPath":"$.a","Result":1,"ResultPath":"$.r",)"
                           R"("Next":"N"})",
                           R"({"a":{"x":0}})", "DEBUG");
  EXPECT_EQ(pass.at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(pass.at("nextState").as_string(), "N");
  EXPECT_EQ(json::Parse(pass.at("output").as_string()).value(), Parse(R"({"a":{"x":0},"r":1})"));
  const json::Object& data = pass.at("inspectionData").as_object();
  EXPECT_EQ(data.at("afterInputPath").as_string(), R"({"x":0})");
  EXPECT_EQ(data.at("result").as_string(), "1");

  json::Object choice =
      test(R"({"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"One"}],)"
           R"("Default":"Other"})",
           R"({"n":2})");
  EXPECT_EQ(choice.at("nextState").as_string(), "Other");
  EXPECT_FALSE(choice.contains("inspectionData"));

  json::Object task = test(
      R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:ok","End":true})");
  EXPECT_EQ(task.at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(task.at("output").as_string(), R"({"done":true})");
  EXPECT_FALSE(task.contains("nextState"));

  const int before = tasks_.calls.load();
  json::Object retriable = test(
      R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bad","Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":5}],)"
      R"("End":true})");
  EXPECT_EQ(retriable.at("status").as_string(), "RETRIABLE");
  EXPECT_EQ(retriable.at("error").as_string(), "Boom");
  EXPECT_EQ(tasks_.calls.load(), before + 1);  // reported, not retried

  json::Object caught = test(
      R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bad","Retry":[{"ErrorEquals":["Other"]}],)"
      R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"Fix"}],"End":true})");
  EXPECT_EQ(caught.at("status").as_string(), "CAUGHT_ERROR");
  EXPECT_EQ(caught.at("nextState").as_string(), "Fix");
  EXPECT_EQ(caught.at("cause").as_string(),
            "task arn:aws:lambda:us-east-1:123456789012:function:bad failed");

  json::Object failed = test(
      R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:bad","End":true})");
  EXPECT_EQ(failed.at("status").as_string(), "FAILED");
  EXPECT_FALSE(failed.contains("output"));

  auto error_of = [this](std::string_view state, std::string_view extra = "{}") {
    json::Object request = Parse(extra);
    request["definition"] = state;
    Result<json::Value> result = service_->Invoke("TestState", request);
    return result.ok() ? std::string("OK") : result.error().error;
  };
  EXPECT_EQ(error_of(R"({"Type":"Parallel","Branches":[],"End":true})"), "InvalidDefinition");
  EXPECT_EQ(
      error_of(
          R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true})"),
      "InvalidDefinition");
  EXPECT_EQ(error_of(R"({"Type":"Pass"})"), "InvalidDefinition");  // neither Next nor End
  EXPECT_EQ(error_of("not json"), "InvalidDefinition");
  EXPECT_EQ(error_of(R"({"Type":"Pass","End":true})", R"({"inspectionLevel":"ALL"})"),
            kValidationException);
  EXPECT_EQ(error_of(R"({"Type":"Pass","End":true})", R"({"roleArn":"role"})"), "InvalidArn");
  EXPECT_EQ(error_of(R"({"Type":"Pass","End":true})", R"({"variables":"[]"})"),
            kValidationException);
}

}  // namespace
}  // namespace autoretrain::server
