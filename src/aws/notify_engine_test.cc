// SNS publish and the HTTP task inside real executions: the TaskRouter asks the registered
// integrations first, and a definition's Retry and Catch handle the HTTP task's named errors
// (a malformed answer and a timeout retried, then success; a 503 caught; a refused
// connection failing the execution once its retries are spent).
#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"
#include "autoretrain/aws/http_task.h"
#include "autoretrain/aws/sns.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/task_router.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::J;
using testing::kNeverInTime;
using testing::ReadJsonLines;
using testing::ScratchDir;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kConnection[] = "arn:aws:events:us-east-1:123456789012:connection/pipelines/1";

std::string Definition(const std::string& api) {
  return R"({
    "StartAt": "Alert",
    "States": {
      "Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts",
                               "Subject": "Retraining", "Message.$": "$"},
                "ResultSelector": {"id.$": "$.MessageId"}, "ResultPath": "$.alert",
                "Next": "StartPipeline"},
      "StartPipeline": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": ")" +
         api + R"(", "Method": "POST",
                               "Authentication": {"ConnectionArn": ")" +
         kConnection + R"("},
                               "RequestBody": {"model.$": "$.model"}},
                "Retry": [{"ErrorEquals": ["States.Http.Socket"], "IntervalSeconds": 2,
                           "MaxAttempts": 2, "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.Http.StatusCode.503"], "Next": "Unavailable",
                           "ResultPath": "$.error"}],
                "ResultSelector": {"status.$": "$.StatusCode", "run.$": "$.ResponseBody.id"},
                "ResultPath": "$.pipeline", "End": true},
      "Unavailable": {"Type": "Pass", "End": true}
    }
  })";
}

class NotifyEngineTest : public ::testing::Test {
 protected:
  NotifyEngineTest()
      : clock_(TimePoint{}), router_(functions_, clock_), executor_(router_, clock_, nullptr) {
    LocalSnsOptions sns;
    sns.messages_path = dir_ / "sns-messages.jsonl";
    sns.topics = {LocalSnsTopic{}};
    sns.topics[0].name = "alerts";
    sns_ = MakeLocalSnsIntegration(std::move(sns)).value();
    auto env = std::make_shared<MapEnvironment>();
    env->vars["PIPELINE_TOKEN"] = "t0ken";
    HttpTaskOptions http;
    http.env = env;
    http.http.connect_timeout = milliseconds(500);
    http.http.total_timeout = milliseconds(800);
    HttpConnection connection;
    connection.arn = kConnection;
    connection.api_key_name = "Authorization";
    connection.api_key_value_env = "PIPELINE_TOKEN";
    http.connections = {connection};
    http_ = MakeHttpTaskIntegration(std::move(http)).value();
    router_.add_integration(sns_.get());
    router_.add_integration(http_.get());
  }

  engine::ExecutionResult Run(const std::string& api) {
    auto compiled = asl::CompileText(Definition(api));
    EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const asl::StateMachine>>(compiled));
    engine::ExecutionSpec spec;
    spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:trigger";
    spec.state_machine_name = "trigger";
    spec.input = J(R"({"model":"fraud","decision":"YES"})");
    return executor_.Run(*std::get<std::shared_ptr<const asl::StateMachine>>(compiled), spec);
  }

  ScratchDir dir_;
  integrations::FunctionRegistry functions_;
  ManualClock clock_;
  integrations::TaskRouter router_;
  engine::Executor executor_;
  std::unique_ptr<integrations::ServiceIntegration> sns_, http_;
};

TEST_F(NotifyEngineTest, RetryHandlesMalformedAndSlowAnswersThenTheTaskSucceeds) {
  int calls = 0;
  TestHttpServer pipeline([&calls](const TestRequest&) {
    ++calls;
    if (calls == 1) {
      TestResponse cut{200, {}, R"({"id":"run-0"})"};
      cut.close_mid_body = true;
      return cut;
    }
    if (calls == 2) return TestResponse{200, {}, "late", kNeverInTime};
    return TestResponse{201, {{"Content-Type", "application/json"}}, R"({"id":"run-42"})"};
  });
  engine::ExecutionResult result = Run(pipeline.url("/runs"));
  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded)
      << result.error.value_or("") << ": " << result.cause.value_or("");
  EXPECT_EQ(result.output->at("pipeline"), J(R"({"status":201,"run":"run-42"})"));
  EXPECT_EQ(calls, 3);
  auto requests = pipeline.requests();
  EXPECT_EQ(J(requests[2].body), J(R"({"model":"fraud"})"));
  EXPECT_EQ(requests[2].Header("Authorization"), "t0ken");
  // The alert went out first, with the execution's input as its message.
  auto lines = ReadJsonLines(dir_ / "sns-messages.jsonl");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(J(std::string(lines[0].at("Message").as_string())),
            J(R"({"model":"fraud","decision":"YES"})"));
  EXPECT_EQ(result.output->at("alert").at("id"), lines[0].at("MessageId"));
}

TEST_F(NotifyEngineTest, CatchHandlesAStatusError) {
  TestHttpServer pipeline([](const TestRequest&) { return TestResponse{503, {}, "maintenance"}; });
  engine::ExecutionResult result = Run(pipeline.url("/runs"));
  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded) << result.cause.value_or("");
  EXPECT_EQ(result.output->at("error").at("Error"), json::Value("States.Http.StatusCode.503"));
  EXPECT_EQ(J(std::string(result.output->at("error").at("Cause").as_string())).at("ResponseBody"),
            json::Value("maintenance"));
  EXPECT_EQ(pipeline.request_count(), 1);  // a status error is not retried by this Retry
}

TEST_F(NotifyEngineTest, ARefusedConnectionFailsTheExecutionAfterItsRetries) {
  TimePoint start = clock_.Now();
  engine::ExecutionResult result =
      Run("http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/runs");
  ASSERT_EQ(result.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(result.error, "States.Http.Socket");
  EXPECT_EQ(result.cause->rfind("HttpConnectionRefused: ", 0), 0u) << *result.cause;
  EXPECT_EQ(clock_.Now() - start, std::chrono::seconds(2 + 4));  // two retries, backoff 2
}

}  // namespace
}  // namespace autoretrain::aws
