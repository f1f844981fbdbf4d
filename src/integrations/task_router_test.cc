#include "autoretrain/integrations/task_router.h"

#include <regex>

#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"
#include "autoretrain/integrations/execution_service.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using json::testing::J;

// Returns its event, so tests can see what the router passed.
class EchoFunction final : public Function {
 public:
  Result<json::Value> Invoke(const json::Value& event) override { return event; }
};

// Fails like a Python Lambda raising an exception.
class FailingFunction final : public Function {
 public:
  Result<json::Value> Invoke(const json::Value&) override {
    return FunctionError("IndexError", "list index out of range");
  }
};

TimePoint At(const std::string& iso) {
  TimePoint t;
  EXPECT_TRUE(ParseIso8601(iso, &t)) << iso;
  return t;
}

class TaskRouterTest : public ::testing::Test {
 protected:
  TaskRouterTest() : clock_(At("2026-11-26T03:00:00.123Z")), router_(functions_, clock_) {
    functions_.Register("echo", std::make_unique<EchoFunction>());
    functions_.Register("fails", std::make_unique<FailingFunction>());
  }

  Result<json::Value> Invoke(std::string_view resource, const json::Value& parameters,
                             std::optional<int64_t> timeout_seconds = std::nullopt) {
    json::Value context = json::Object{};
    engine::TaskRequest request{.resource = resource,
                                .parameters = &parameters,
                                .context = &context,
                                .state_name = "Step",
                                .execution_arn =
                                    "arn:aws:states:us-east-1:123456789012:"
                                    "execution:m:e",
                                .timeout_seconds = timeout_seconds};
    return router_.Invoke(request);
  }

  FunctionRegistry functions_;
  ManualClock clock_;
  TaskRouter router_;
};

constexpr std::string_view kLambdaInvoke = "arn:aws:states:::lambda:invoke";

// Takes the resources starting with `prefix` and answers with the resource it was given.
class PrefixIntegration final : public ServiceIntegration {
 public:
  explicit PrefixIntegration(std::string prefix) : prefix_(std::move(prefix)) {}
  bool Handles(const engine::TaskRequest& request) const override {
    return request.resource.starts_with(prefix_);
  }
  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    return json::Value(prefix_ + " ran " + std::string(request.resource));
  }

 private:
  std::string prefix_;
};

TEST_F(TaskRouterTest, AddedIntegrationsComeFirstInOrder) {
  PrefixIntegration lambda("arn:aws:states:::lambda:");
  PrefixIntegration any("arn:aws:states:::");
  router_.add_integration(&lambda);
  router_.add_integration(&any);

  // The built-in lambda:invoke is not asked: the first integration that handles it runs it.
  Result<json::Value> result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"echo"})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, json::Value("arn:aws:states:::lambda: ran arn:aws:states:::lambda:invoke"));
  result = Invoke("arn:aws:states:::sns:publish", J("{}"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, json::Value("arn:aws:states::: ran arn:aws:states:::sns:publish"));
  // What no integration handles still reaches the built-in resources.
  result = Invoke("arn:aws:lambda:us-east-1:123456789012:function:echo", J(R"({"a":1})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, J(R"({"a":1})"));
}
const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST_F(TaskRouterTest, LambdaInvokeReturnsAwsEnvelope) {
  Result<json::Value> result =
      Invoke(kLambdaInvoke, J(R"({"FunctionName":"echo","Payload":{"run":"all","n":1}})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  const json::Object& envelope = result->as_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : envelope) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ExecutedVersion", "Payload", "SdkHttpMetadata",
                                            "SdkResponseMetadata", "StatusCode"}));
  EXPECT_EQ(envelope.at("ExecutedVersion"), json::Value("$LATEST"));
  EXPECT_EQ(envelope.at("Payload"), J(R"({"run":"all","n":1})"));
  EXPECT_EQ(envelope.at("StatusCode"), json::Value(200));

  const json::Object& http = envelope.at("SdkHttpMetadata").as_object();
  EXPECT_EQ(http.at("HttpStatusCode"), json::Value(200));
  std::string request_id(envelope.at("SdkResponseMetadata").at("RequestId").as_string());
  EXPECT_TRUE(std::regex_match(request_id, kUuid)) << request_id;

  const json::Object& headers = http.at("HttpHeaders").as_object();
  std::vector<std::string> header_names;
  for (const auto& [key, value] : headers) header_names.emplace_back(key);
  EXPECT_EQ(header_names,
            (std::vector<std::string>{"Connection", "Content-Length", "Content-Type", "Date",
                                      "X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length",
                                      "x-amzn-RequestId", "X-Amzn-Trace-Id"}));
  EXPECT_EQ(headers.at("Connection"), json::Value("keep-alive"));
  EXPECT_EQ(headers.at("Content-Length"), json::Value("19"));  // {"run":"all","n":1}
  EXPECT_EQ(headers.at("Content-Type"), json::Value("application/json"));
  EXPECT_EQ(headers.at("Date"), json::Value("Thu, 26 Nov 2026 03:00:00 GMT"));
  EXPECT_EQ(headers.at("X-Amz-Executed-Version"), json::Value("$LATEST"));
  EXPECT_EQ(headers.at("x-amzn-Remapped-Content-Length"), json::Value("0"));
  EXPECT_EQ(headers.at("x-amzn-RequestId"), json::Value(request_id));
  std::string trace(headers.at("X-Amzn-Trace-Id").as_string());
  EXPECT_TRUE(std::regex_match(
      trace, std::regex("root=1-[0-9a-f]{8}-[0-9a-f]{24};parent=[0-9a-f]{16};sampled=0")))
      << trace;

  // AllHttpHeaders: the same headers as one-element arrays, in the order Lambda sends them.
  const json::Object& all = http.at("AllHttpHeaders").as_object();
  std::vector<std::string> wire_order;
  for (const auto& [key, value] : all) {
    wire_order.emplace_back(key);
    EXPECT_EQ(value, json::Value(json::Array{headers.at(key)})) << key;
  }
  EXPECT_EQ(wire_order,
            (std::vector<std::string>{"X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length",
                                      "Connection", "x-amzn-RequestId", "Content-Length", "Date",
                                      "X-Amzn-Trace-Id", "Content-Type"}));
}

TEST_F(TaskRouterTest, LambdaInvokeWithoutPayloadSendsAnEmptyObject) {
  Result<json::Value> result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"echo"})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->at("Payload"), J("{}"));
  result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"echo","Payload":"text"})"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->at("Payload"), json::Value("text"));
}

TEST_F(TaskRouterTest, LambdaInvokeAcceptsArnsAndQualifiers) {
  for (std::string_view name : {"arn:aws:lambda:us-east-1:123456789012:function:echo",
                                "arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST",
                                "123456789012:function:echo", "echo:prod"}) {
    json::Object params{{"FunctionName", name}};
    EXPECT_TRUE(Invoke(kLambdaInvoke, params).ok()) << name;
  }
}

// The Task state's TimeoutSeconds reaches the function: a command still running is stopped.
TEST_F(TaskRouterTest, TaskTimeoutStopsACommandFunction) {
  CommandSpec slow;
  slow.argv = {"/bin/sh", "-c", "sleep 60"};
  functions_.Register("slow", MakeCommandFunction(std::move(slow)));
  auto start = std::chrono::steady_clock::now();
  Result<json::Value> result =
      Invoke(kLambdaInvoke, json::Object{{"FunctionName", "slow"}}, /*timeout_seconds=*/1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(TaskRouterTest, FunctionFailureBecomesTheTaskError) {
  Result<json::Value> result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"fails"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), FunctionError("IndexError", "list index out of range"));
}

TEST_F(TaskRouterTest, UnknownFunctionIsResourceNotFoundWorded) {
  Result<json::Value> result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"nope"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Lambda.ResourceNotFoundException");
  EXPECT_TRUE(std::regex_match(
      result.error().cause,
      std::regex("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope "
                 "\\(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
                 "Request ID: [0-9a-f-]{36}; Proxy: null\\)")))
      << result.error().cause;
  result = Invoke(kLambdaInvoke, J(R"({"FunctionName":"111122223333:function:nope:3"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().cause.starts_with(
      "Function not found: arn:aws:lambda:us-east-1:111122223333:function:nope:3 ("))
      << result.error().cause;
}

TEST_F(TaskRouterTest, BadLambdaParametersAreRuntimeErrors) {
  for (std::string_view params : {R"({})", R"({"FunctionName":42})", R"("echo")", "null"}) {
    Result<json::Value> result = Invoke(kLambdaInvoke, J(params));
    ASSERT_FALSE(result.ok()) << params;
    EXPECT_EQ(result.error().error, "States.Runtime") << params;
    EXPECT_TRUE(
        result.error().cause.starts_with("An error occurred while executing the state 'Step'."))
        << result.error().cause;
  }
  EXPECT_NE(Invoke(kLambdaInvoke, J("{}")).error().cause.find("'FunctionName' is required"),
            std::string::npos);
}

TEST_F(TaskRouterTest, FunctionArnResourceReturnsTheResultDirectly) {
  Result<json::Value> result =
      Invoke("arn:aws:lambda:us-east-1:123456789012:function:echo", J(R"({"a":[1,2]})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, J(R"({"a":[1,2]})"));
  result = Invoke("arn:aws:lambda:us-east-1:123456789012:function:fails", J("{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "IndexError");
  result = Invoke("arn:aws:lambda:us-east-1:123456789012:function:missing", J("{}"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Lambda.ResourceNotFoundException");
}

TEST_F(TaskRouterTest, UnsupportedResourcesAndPatternsAreRuntimeErrors) {
  for (std::string_view resource :
       {"arn:aws:states:::lambda:invoke.sync", "arn:aws:states:::states:startExecution.sync:3"}) {
    Result<json::Value> result = Invoke(resource, J(R"({"FunctionName":"echo"})"));
    ASSERT_FALSE(result.ok()) << resource;
    EXPECT_EQ(result.error().error, "States.Runtime");
    EXPECT_NE(result.error().cause.find("does not support yet"), std::string::npos)
        << result.error().cause;
  }
  // .sync needs a caller that can wait (the engine always can).
  for (std::string_view resource : {"arn:aws:states:::states:startExecution.sync",
                                    "arn:aws:states:::states:startExecution.sync:2"}) {
    Result<json::Value> result = Invoke(resource, J(R"({"StateMachineArn":"x"})"));
    ASSERT_FALSE(result.ok()) << resource;
    EXPECT_NE(result.error().cause.find("must wait for the execution it starts"), std::string::npos)
        << result.error().cause;
  }
  for (std::string_view resource : {"arn:aws:states:::sns:publish", "not-an-arn", ""}) {
    Result<json::Value> result = Invoke(resource, J("{}"));
    ASSERT_FALSE(result.ok()) << resource;
    EXPECT_EQ(result.error().error, "States.Runtime");
    EXPECT_NE(result.error().cause.find("is not supported"), std::string::npos);
  }
  // An activity task must wait for a worker, which needs a caller that can wait.
  Result<json::Value> activity =
      Invoke("arn:aws:states:us-east-1:123456789012:activity:a", J("{}"));
  ASSERT_FALSE(activity.ok());
  EXPECT_NE(activity.error().cause.find("must wait for a worker"), std::string::npos)
      << activity.error().cause;
}

TEST_F(TaskRouterTest, StartExecutionWithoutStateMachinesIsARuntimeError) {
  Result<json::Value> result =
      Invoke("arn:aws:states:::states:startExecution",
             J(R"({"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:x"})"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Runtime");
}

// startExecution against the real engine: the router starts executions through ExecutionService,
// whose Executor uses the same router for its tasks.
class StartExecutionTest : public ::testing::Test {
 protected:
  StartExecutionTest()
      : router_(functions_, clock_),
        executor_(router_, clock_, nullptr),
        executions_(executor_, AccountContext{}, nullptr) {
    router_.set_launcher(&executions_);
    auto compiled =
        asl::CompileText(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
    child_arn_ = executions_.AddStateMachine(
        "child", std::get<std::shared_ptr<const asl::StateMachine>>(compiled));
  }

  Result<json::Value> Start(const json::Value& parameters, int64_t entered_event_id = 2,
                            int64_t retry_count = 0) {
    json::Value context = json::Object{};
    engine::TaskRequest request{
        .resource = "arn:aws:states:::states:startExecution",
        .parameters = &parameters,
        .context = &context,
        .state_name = "Trigger",
        .execution_arn = "arn:aws:states:us-east-1:123456789012:execution:parent:p1",
        .timeout_seconds = std::nullopt,
        .state_entered_event_id = entered_event_id,
        .retry_count = retry_count};
    return router_.Invoke(request);
  }

  FunctionRegistry functions_;
  SystemClock clock_;
  TaskRouter router_;
  engine::Executor executor_;
  ExecutionService executions_;
  std::string child_arn_;
};

TEST_F(StartExecutionTest, StartsTheMachineAndReturnsArnAndDate) {
  TimePoint before = clock_.Now();
  Result<json::Value> result = Start(json::Object{
      {"StateMachineArn", child_arn_}, {"Input", J(R"({"run":"all"})")}, {"Name", "first"}});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->at("ExecutionArn"),
            json::Value("arn:aws:states:us-east-1:123456789012:execution:child:first"));
  ASSERT_TRUE(result->at("StartDate").is_int64());
  EXPECT_GE(result->at("StartDate").as_int64(), before.time_since_epoch().count());
  EXPECT_EQ(result->at("SdkHttpMetadata").at("HttpStatusCode"), json::Value(200));
  EXPECT_EQ(result->at("SdkResponseMetadata").at("RequestId"),
            result->at("SdkHttpMetadata").at("HttpHeaders").at("x-amzn-RequestId"));

  executions_.WaitAll();
  std::optional<engine::ExecutionResult> child =
      executions_.Find("arn:aws:states:us-east-1:123456789012:execution:child:first");
  ASSERT_TRUE(child.has_value());
  EXPECT_EQ(child->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(child->output, J(R"({"run":"all"})"));
}

TEST_F(StartExecutionTest, InputMayBeAJsonStringOrAbsent) {
  Result<json::Value> result = Start(json::Object{
      {"StateMachineArn", child_arn_}, {"Input", R"({"from":"string"})"}, {"Name", "s"}});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  result = Start(json::Object{{"StateMachineArn", child_arn_}});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  executions_.WaitAll();
  std::vector<std::string> started = executions_.StartedExecutions();
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(executions_.Find(started[0])->output, J(R"({"from":"string"})"));
  EXPECT_EQ(executions_.Find(started[1])->output, J("{}"));
  // Unnamed: a name derived from the parent run (UUID format, version nibble 8).
  EXPECT_TRUE(std::regex_match(
      started[1].substr(started[1].rfind(':') + 1),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

// The same run of the same task (same parent, state entry and attempt) names the same child, so
// running it again cannot start a second execution; another entry or attempt is a new child.
TEST_F(StartExecutionTest, UnnamedChildrenHaveDeterministicNames) {
  const json::Value params = json::Object{{"StateMachineArn", child_arn_}};
  Result<json::Value> first = Start(params);
  ASSERT_TRUE(first.ok()) << first.error().cause;
  executions_.WaitAll();
  // The same run of the task again (as after a crash) names the same child, which counts as
  // started: nothing new runs, even though the child has finished.
  Result<json::Value> again = Start(params);
  ASSERT_TRUE(again.ok()) << again.error().cause;
  EXPECT_EQ(again->at("ExecutionArn"), first->at("ExecutionArn"));
  EXPECT_EQ(executions_.StartedExecutions().size(), 1u);
  Result<json::Value> retried = Start(params, /*entered_event_id=*/2, /*retry_count=*/1);
  Result<json::Value> reentered = Start(params, /*entered_event_id=*/9, /*retry_count=*/0);
  ASSERT_TRUE(retried.ok()) << retried.error().cause;
  ASSERT_TRUE(reentered.ok()) << reentered.error().cause;
  EXPECT_NE(retried->at("ExecutionArn"), first->at("ExecutionArn"));
  EXPECT_NE(reentered->at("ExecutionArn"), first->at("ExecutionArn"));
  EXPECT_NE(reentered->at("ExecutionArn"), retried->at("ExecutionArn"));
  executions_.WaitAll();
}

TEST_F(StartExecutionTest, ErrorsAreStepFunctionsExceptions) {
  Result<json::Value> result =
      Start(json::Object{{"StateMachineArn", child_arn_}, {"Input", "{not json"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "StepFunctions.InvalidExecutionInputException");

  std::string missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";
  result = Start(json::Object{{"StateMachineArn", missing}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "StepFunctions.StateMachineDoesNotExistException");
  EXPECT_TRUE(std::regex_match(
      result.error().cause,
      std::regex("State Machine Does Not Exist: '" + missing +
                 "' \\(Service: AWSStepFunctions; Status Code: 400; Error Code: "
                 "StateMachineDoesNotExist; Request ID: [0-9a-f-]{36}; Proxy: null\\)")))
      << result.error().cause;

  result = Start(json::Object{{"StateMachineArn", "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "StepFunctions.InvalidArnException");

  result = Start(json::Object{{"StateMachineArn", child_arn_}, {"Name", "has space"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "StepFunctions.InvalidNameException");

  for (json::Value params :
       {J("{}"), J(R"({"StateMachineArn":1})"),
        json::Value(json::Object{{"StateMachineArn", child_arn_}, {"Name", 5}})}) {
    result = Start(params);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().error, "States.Runtime") << json::Serialize(params);
  }
  EXPECT_TRUE(executions_.StartedExecutions().empty());
}

}  // namespace
}  // namespace autoretrain::integrations
