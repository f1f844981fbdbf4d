#include "autoretrain/server/step_functions_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "autoretrain/store/store.h"
#include "server/json_protocol.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::kPass;
using testing::kRole;
constexpr char kArnPrefix[] = "arn:aws:states:us-east-1:123456789012:";

using testing::Parse;

// A runtime over an in-memory store, and the service over it.
class StepFunctionsServiceTest : public ::testing::Test {
 protected:
  StepFunctionsServiceTest() {
    dir_ =
        std::filesystem::temp_directory_path() / ("sfn-service-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    retrain::HistorySink sink;
    sink.store = store::Store::OpenInMemory().value();
    sink.database = ":memory:";
    store_ = sink.store.get();
    runtime_ = std::make_unique<retrain::LocalRuntime>(AccountContext{}, dir_.string(),
                                                       dir_.string(), nullptr, std::move(sink));
    service_ =
        std::make_unique<StepFunctionsService>(*runtime_, std::set<std::string>{"project"}, clock_);
  }
  ~StepFunctionsServiceTest() override {
    service_.reset();
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<json::Value> Call(const std::string& operation, std::string_view input) {
    return service_->Invoke(operation, Parse(input));
  }
  // The error type of a call expected to fail.
  std::string ErrorOf(const std::string& operation, std::string_view input) {
    Result<json::Value> result = Call(operation, input);
    return result.ok() ? "OK" : result.error().error;
  }
  json::Value Ok(const std::string& operation, std::string_view input) {
    Result<json::Value> result = Call(operation, input);
    EXPECT_TRUE(result.ok()) << operation << ": " << result.error().error << ": "
                             << result.error().cause;
    return result.ok() ? *result : json::Value();
  }
  // DescribeExecution once the store has the execution's end (the history is committed in
  // the background, a moment after the execution ends in memory).
  json::Value WaitForEnd(const std::string& execution_arn) {
    const std::string input = R"({"executionArn":")" + execution_arn + R"("})";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      json::Value described = Ok("DescribeExecution", input);
      if (!described.is_object() || described.at("status").as_string() != "RUNNING" ||
          std::chrono::steady_clock::now() > deadline) {
        return described;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::string Create(const std::string& name, const std::string& definition = kPass) {
    json::Object input{{"name", name}, {"definition", definition}, {"roleArn", kRole}};
    Result<json::Value> created = service_->Invoke("CreateStateMachine", input);
    EXPECT_TRUE(created.ok()) << created.error().cause;
    return created.ok() ? std::string(created->at("stateMachineArn").as_string()) : "";
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  store::Store* store_ = nullptr;
  std::unique_ptr<retrain::LocalRuntime> runtime_;
  std::unique_ptr<StepFunctionsService> service_;
};

TEST_F(StepFunctionsServiceTest, CreateDescribeAndList) {
  const std::string arn = Create("m");
  EXPECT_EQ(arn, std::string(kArnPrefix) + "stateMachine:m");
  json::Value described = Ok("DescribeStateMachine", R"({"stateMachineArn":")" + arn + R"("})");
  EXPECT_EQ(described.at("definition").as_string(), kPass);
  EXPECT_EQ(described.at("roleArn").as_string(), kRole);
  EXPECT_EQ(described.at("status").as_string(), "ACTIVE");
  EXPECT_TRUE(described.at("creationDate").is_number());
  // Creating it again identically returns it; differently is StateMachineAlreadyExists.
  EXPECT_EQ(Create("m"), arn);
  json::Object other{{"name", "m"},
                     {"definition", R"({"StartAt":"S","States":{"S":{"Type":"Succeed"}}})"},
                     {"roleArn", kRole}};
  EXPECT_EQ(service_->Invoke("CreateStateMachine", other).error().error,
            "StateMachineAlreadyExists");
  Create("a");
  json::Value listed = Ok("ListStateMachines", "{}");
  ASSERT_EQ(listed.at("stateMachines").as_array().size(), 2u);
  EXPECT_EQ(listed.at("stateMachines").as_array()[0].at("name").as_string(), "a");
}

TEST_F(StepFunctionsServiceTest, DefinitionsAndInputsOverAwsSizesAreValidationExceptions) {
  // AWS's quotas, checked before anything is parsed: a definition of 1 MiB, an execution input
  // and a callback's output of 256 KiB.
  std::string definition(kPass);
  definition.resize(1024 * 1024, ' ');
  json::Object create{{"name", "big"}, {"definition", definition}, {"roleArn", kRole}};
  ASSERT_TRUE(service_->Invoke("CreateStateMachine", create).ok());
  create["name"] = "bigger";
  create["definition"] = definition + ' ';
  Result<json::Value> refused = service_->Invoke("CreateStateMachine", create);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, kValidationException);
  EXPECT_NE(refused.error().cause.find("definition"), std::string::npos) << refused.error().cause;

  const std::string arn = std::string(kArnPrefix) + "stateMachine:big";
  std::string input = R"({"s":")" + std::string(256 * 1024 - 8, 'x') + R"("})";
  ASSERT_EQ(input.size(), 256u * 1024);
  json::Object start{{"stateMachineArn", arn}, {"input", input}};
  ASSERT_TRUE(service_->Invoke("StartExecution", start).ok());
  start["input"] = input + ' ';
  refused = service_->Invoke("StartExecution", start);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, kValidationException);
  EXPECT_NE(refused.error().cause.find("input"), std::string::npos) << refused.error().cause;

  json::Object answer{{"taskToken", "any"}, {"output", input + ' '}};
  refused = service_->Invoke("SendTaskSuccess", answer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, kValidationException);
  EXPECT_NE(refused.error().cause.find("output"), std::string::npos) << refused.error().cause;
}

TEST_F(StepFunctionsServiceTest, CreateValidatesLikeAws) {
  EXPECT_EQ(ErrorOf("CreateStateMachine", "{}"), kValidationException);
  auto create = [&](std::string name, std::string definition, std::string role,
                    std::string extra = "") {
    json::Object input{{"name", name}, {"definition", definition}, {"roleArn", role}};
    if (!extra.empty()) {
      for (auto& [k, v] : Parse(extra)) input[k] = v;
    }
    Result<json::Value> result = service_->Invoke("CreateStateMachine", input);
    return result.ok() ? std::string("OK") : result.error().error;
  };
  EXPECT_EQ(create("has space", kPass, kRole), "InvalidName");
  EXPECT_EQ(create("ok", kPass, "arn:aws:s3:::bucket"), "InvalidArn");
  EXPECT_EQ(create("ok", "{", kRole), "InvalidDefinition");
  EXPECT_EQ(create("ok", kPass, kRole, R"({"type":"EXPRESS"})"), "StateMachineTypeNotSupported");
  EXPECT_EQ(create("ok", kPass, kRole, R"({"type":"OTHER"})"), kValidationException);
  EXPECT_EQ(create("ok", kPass, kRole, R"({"tags":[{"key":"aws:k","value":"v"}]})"),
            kValidationException);
  // A versionDescription only goes with publish: true (versions: sfn_versions_test.cc).
  EXPECT_EQ(create("ok", kPass, kRole, R"({"versionDescription":"v"})"), kValidationException);
  EXPECT_EQ(create("ok", kPass, kRole, R"({"tags":[]})"), "OK");
  Result<json::Value> bad = service_->Invoke(
      "CreateStateMachine",
      json::Object{{"name", "x"},
                   {"definition", R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}})"},
                   {"roleArn", kRole}});
  ASSERT_FALSE(bad.ok());
  // Every diagnostic, in AWS's "Invalid State Machine Definition: '...'" form.
  EXPECT_TRUE(bad.error().cause.starts_with(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B "
      "at /States/A/Next, MISSING_END_STATE: "))
      << bad.error().cause;
  EXPECT_TRUE(bad.error().cause.ends_with("'"));
}

TEST_F(StepFunctionsServiceTest, StartDescribeListAndHistory) {
  const std::string arn = Create("m");
  json::Value started = Ok(
      "StartExecution", R"({"stateMachineArn":")" + arn + R"(","name":"e1","input":"{\"a\":1}"})");
  const std::string execution = std::string(kArnPrefix) + "execution:m:e1";
  EXPECT_EQ(started.at("executionArn").as_string(), execution);
  json::Value described = WaitForEnd(execution);
  EXPECT_EQ(described.at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(described.at("input").as_string(), R"({"a":1})");
  EXPECT_EQ(described.at("output").as_string(), "7");
  EXPECT_TRUE(described.at("startDate").is_number());
  EXPECT_TRUE(described.at("stopDate").is_number());
  json::Value listed =
      Ok("ListExecutions", R"({"stateMachineArn":")" + arn + R"(","statusFilter":"SUCCEEDED"})");
  ASSERT_EQ(listed.at("executions").as_array().size(), 1u);
  json::Value none =
      Ok("ListExecutions", R"({"stateMachineArn":")" + arn + R"(","statusFilter":"FAILED"})");
  EXPECT_TRUE(none.at("executions").as_array().empty());
  json::Value history = Ok("GetExecutionHistory", R"({"executionArn":")" + execution +
                                                      R"(","reverseOrder":true,"maxResults":1})");
  ASSERT_EQ(history.at("events").as_array().size(), 1u);
  EXPECT_EQ(history.at("events").as_array()[0].at("type").as_string(), "ExecutionSucceeded");
  EXPECT_TRUE(history.as_object().contains("nextToken"));
  json::Value for_execution =
      Ok("DescribeStateMachineForExecution", R"({"executionArn":")" + execution + R"("})");
  EXPECT_EQ(for_execution.at("definition").as_string(), kPass);
}

TEST_F(StepFunctionsServiceTest, ExecutionErrors) {
  const std::string arn = Create("m");
  EXPECT_EQ(ErrorOf("StartExecution", R"({"stateMachineArn":")" + arn + R"(","input":"{"})"),
            "InvalidExecutionInput");
  EXPECT_EQ(ErrorOf("StartExecution", R"({"stateMachineArn":"arn:aws:states:us-east-1:)"
                                      R"(123456789012:stateMachine:none"})"),
            "StateMachineDoesNotExist");
  EXPECT_EQ(ErrorOf("StartExecution", R"({"stateMachineArn":"nope"})"), "InvalidArn");
  EXPECT_EQ(ErrorOf("StartExecution", R"({"stateMachineArn":")" + arn + R"(","name":"a b"})"),
            "InvalidName");
  EXPECT_EQ(ErrorOf("StartSyncExecution", R"({"stateMachineArn":")" + arn + R"("})"),
            "StateMachineTypeNotSupported");
  EXPECT_EQ(ErrorOf("DescribeExecution",
                    R"({"executionArn":")" + std::string(kArnPrefix) + R"(execution:m:none"})"),
            "ExecutionDoesNotExist");
  EXPECT_EQ(ErrorOf("DescribeExecution", R"({"executionArn":")" + arn + R"("})"), "InvalidArn");
  EXPECT_EQ(ErrorOf("ListExecutions", "{}"), kValidationException);
  EXPECT_EQ(ErrorOf("ListExecutions", R"({"stateMachineArn":")" + arn + R"(","nextToken":"x"})"),
            "InvalidToken");
  EXPECT_EQ(ErrorOf("NoSuchOperation", "{}"), kUnknownOperationException);
}

TEST_F(StepFunctionsServiceTest, StopAWaitingExecution) {
  const std::string arn =
      Create("w", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}})");
  Ok("StartExecution", R"({"stateMachineArn":")" + arn + R"(","name":"e"})");
  const std::string execution = std::string(kArnPrefix) + "execution:w:e";
  json::Value stopped =
      Ok("StopExecution", R"({"executionArn":")" + execution + R"(","error":"E","cause":"C"})");
  EXPECT_TRUE(stopped.at("stopDate").is_number());
  json::Value described = WaitForEnd(execution);  // ABORTED in the store at once
  EXPECT_EQ(described.at("status").as_string(), "ABORTED");
  EXPECT_EQ(described.at("error").as_string(), "E");
  EXPECT_EQ(described.at("cause").as_string(), "C");
  EXPECT_EQ(ErrorOf("StopExecution",
                    R"({"executionArn":")" + std::string(kArnPrefix) + R"(execution:w:none"})"),
            "ExecutionDoesNotExist");
}

TEST_F(StepFunctionsServiceTest, UpdateAndDelete) {
  const std::string arn = Create("m");
  EXPECT_EQ(ErrorOf("UpdateStateMachine", R"({"stateMachineArn":")" + arn + R"("})"),
            "MissingRequiredParameter");
  json::Object update{
      {"stateMachineArn", arn},
      {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"}};
  ASSERT_TRUE(service_->Invoke("UpdateStateMachine", update).ok());
  Ok("StartExecution", R"({"stateMachineArn":")" + arn + R"(","name":"e","input":"{\"v\":2}"})");
  json::Value described = WaitForEnd(std::string(kArnPrefix) + "execution:m:e");
  EXPECT_EQ(described.at("output").as_string(), R"({"v":2})");  // the new definition ran
  Ok("DeleteStateMachine", R"({"stateMachineArn":")" + arn + R"("})");
  EXPECT_NE(ErrorOf("StartExecution", R"({"stateMachineArn":")" + arn + R"("})"), "OK");
  // The project's own machines cannot be changed through the API.
  EXPECT_EQ(ErrorOf("DeleteStateMachine", R"({"stateMachineArn":")" + std::string(kArnPrefix) +
                                              R"(stateMachine:project"})"),
            kValidationException);
}

TEST_F(StepFunctionsServiceTest, LoadsStoredMachinesAfterARestart) {
  const std::string arn = Create("kept");
  // A second service over a fresh runtime sharing nothing but the store's content: simulate a
  // restart by registering what the store holds in a new runtime.
  retrain::HistorySink sink;
  sink.store = store::Store::OpenInMemory().value();
  store::Store* fresh = sink.store.get();
  ASSERT_TRUE(fresh
                  ->CreateStateMachine({.arn = arn,
                                        .name = "kept",
                                        .definition = kPass,
                                        .role_arn = kRole,
                                        .creation_date = clock_.Now()})
                  .ok());
  ASSERT_TRUE(fresh
                  ->CreateStateMachine({.arn = std::string(kArnPrefix) + "stateMachine:broken",
                                        .name = "broken",
                                        .definition = "{}",
                                        .role_arn = kRole,
                                        .creation_date = clock_.Now()})
                  .ok());
  retrain::LocalRuntime runtime(AccountContext{}, dir_.string(), dir_.string(), nullptr,
                                std::move(sink));
  StepFunctionsService service(runtime, {}, clock_);
  Result<std::vector<std::string>> problems = service.LoadStoredStateMachines();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE((*problems)[0].find("broken"), std::string::npos);
  Result<json::Value> started =
      service.Invoke("StartExecution", json::Object{{"stateMachineArn", arn}});
  ASSERT_TRUE(started.ok()) << started.error().cause;
  runtime.WaitAll();
}

TEST_F(StepFunctionsServiceTest, ValidateStateMachineDefinition) {
  json::Value ok =
      Ok("ValidateStateMachineDefinition",
         R"({"definition":")" +
             std::string(R"({\"StartAt\":\"S\",\"States\":{\"S\":{\"Type\":\"Succeed\"}}})") +
             R"("})");
  EXPECT_EQ(ok.at("result").as_string(), "OK");
  const std::string broken =
      R"({\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}})";
  json::Value all = Ok("ValidateStateMachineDefinition", R"({"definition":")" + broken + R"("})");
  EXPECT_EQ(all.at("result").as_string(), "FAIL");
  ASSERT_EQ(all.at("diagnostics").as_array().size(), 2u);
  EXPECT_EQ(all.at("truncated").as_bool(), false);
  json::Value fail =
      Ok("ValidateStateMachineDefinition", R"({"definition":")" + broken + R"(","maxResults":1})");
  EXPECT_EQ(fail.at("result").as_string(), "FAIL");
  ASSERT_EQ(fail.at("diagnostics").as_array().size(), 1u);
  const json::Object& first = fail.at("diagnostics").as_array()[0].as_object();
  EXPECT_EQ(first.at("severity").as_string(), "ERROR");
  EXPECT_EQ(first.at("code").as_string(), "MISSING_TRANSITION_TARGET");
  EXPECT_EQ(first.at("location").as_string(), "/States/A/Next");
  EXPECT_EQ(fail.at("truncated").as_bool(), true);
}

TEST_F(StepFunctionsServiceTest, TaskAnswersCheckTheirInput) {
  EXPECT_EQ(ErrorOf("SendTaskSuccess", R"({"taskToken":"t","output":"not json"})"),
            "InvalidOutput");
  EXPECT_EQ(ErrorOf("SendTaskSuccess", R"({"taskToken":"t","output":"{}"})"), "TaskDoesNotExist");
  EXPECT_EQ(ErrorOf("SendTaskFailure", R"({"taskToken":"t"})"), "TaskDoesNotExist");
  EXPECT_EQ(ErrorOf("SendTaskHeartbeat", R"({"taskToken":""})"), kValidationException);
  EXPECT_EQ(ErrorOf("SendTaskHeartbeat", "{}"), kValidationException);
}

}  // namespace
}  // namespace autoretrain::server
