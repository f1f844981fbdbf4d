// RemoteLambda against an in-process server that emulates Lambda's Invoke API and checks every
// request's SigV4 signature with SigV4Verifier, so a request signed wrongly cannot succeed.
#include "autoretrain/aws/remote_lambda.h"

#include <gtest/gtest.h>

#include <atomic>

#include "autoretrain/asl/parser.h"
#include "autoretrain/aws/sigv4_verifier.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/task_router.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using testing::kNeverInTime;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;
using testing::TokenLauncher;

constexpr char kKey[] = "AKIDLAMBDATEST";
constexpr char kLambdaSecret[] = "lambda-test-secret";
constexpr char kInvokePrefix[] = "/2015-03-31/functions/";

Credentials KeyPair(std::string secret) {
  Credentials credentials;
  credentials.access_key_id = kKey;
  credentials.secret_access_key = std::move(secret);
  return credentials;
}

TimePoint Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

TestResponse JsonAnswer(int status, std::string body, Headers extra = {}) {
  TestResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"},
                      {"x-amzn-RequestId", "req-" + std::to_string(status)}};
  for (auto& header : extra) response.headers.push_back(std::move(header));
  response.body = std::move(body);
  return response;
}

TestResponse LambdaError(int status, std::string type, std::string message) {
  return JsonAnswer(
      status, json::Serialize(json::Value(json::Object{{"Type", "User"}, {"Message", message}})),
      {{"x-amzn-ErrorType", type}});
}

// An emulation of Lambda's Invoke for a few functions, behind SigV4 verification.
class FakeLambda {
 public:
  FakeLambda()
      : verifier_(
            [](std::string_view key) -> std::optional<Credentials> {
              if (key != kKey) return std::nullopt;
              return KeyPair(kLambdaSecret);
            },
            VerifierOptions{.region = "us-east-1", .service = "lambda"}),
        server_([this](const TestRequest& request) { return Answer(request); }) {}

  std::string url() const { return server_.url(""); }
  int requests() const { return server_.request_count(); }
  std::vector<TestRequest> received() const { return server_.requests(); }
  std::atomic<int> flaky_calls{0};

 private:
  TestResponse Answer(const TestRequest& request) {
    std::string_view target = request.target;
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view query =
        target.find('?') == std::string_view::npos ? "" : target.substr(target.find('?') + 1);
    ReceivedRequest received;
    received.method = request.method;
    received.path = path;
    received.query = query;
    received.body = request.body;
    for (const auto& [name, value] : request.headers) received.headers.emplace_back(name, value);
    if (Result<VerifiedCaller> caller = verifier_.Verify(received, Now()); !caller.ok()) {
      return LambdaError(AuthErrorHttpStatus(caller.error().error), caller.error().error,
                         caller.error().cause);
    }
    if (request.method != "POST" || !path.starts_with(kInvokePrefix) ||
        !path.ends_with("/invocations")) {
      return LambdaError(400, "InvalidRequestContentException", "not an Invoke request");
    }
    std::string name =
        UriDecode(path.substr(sizeof(kInvokePrefix) - 1, path.size() - (sizeof(kInvokePrefix) - 1) -
                                                             std::strlen("/invocations")));
    if (size_t at = name.find("function:"); at != std::string::npos) name = name.substr(at + 9);
    name = name.substr(0, name.find(':'));
    Headers version = {{"X-Amz-Executed-Version", query.empty() ? "$LATEST" : "7"}};
    if (name == "echo") {
      return JsonAnswer(200, R"({"echo":)" + request.body + "}", version);
    }
    if (name == "fails") {
      return JsonAnswer(
          200, R"({"errorMessage":"bad input","errorType":"ValueError","stackTrace":["x"]})",
          {{"X-Amz-Function-Error", "Unhandled"}});
    }
    if (name == "crashes") {
      return JsonAnswer(200, R"({"errorMessage":"Process exited before completing request"})",
                        {{"X-Amz-Function-Error", "Unhandled"}});
    }
    if (name == "busy") return LambdaError(429, "TooManyRequestsException", "Rate Exceeded.");
    if (name == "broken") return JsonAnswer(500, "", {});
    if (name == "slow") {
      TestResponse response = JsonAnswer(200, "{}");
      response.delay = kNeverInTime;
      return response;
    }
    if (name == "cut") {
      TestResponse response = JsonAnswer(200, R"({"a":"0123456789012345678901234567890"})");
      response.close_mid_body = true;
      return response;
    }
    if (name == "html") return JsonAnswer(200, "<html>oops</html>");
    if (name == "flaky") {
      // 429, then a connection cut mid-answer, then success.
      int call = ++flaky_calls;
      if (call == 1) return LambdaError(429, "TooManyRequestsException", "Rate Exceeded.");
      if (call == 2) {
        TestResponse response = JsonAnswer(200, R"({"partial":"0123456789012345678901"})");
        response.close_mid_body = true;
        return response;
      }
      return JsonAnswer(200, R"({"attempt":)" + std::to_string(call) + "}");
    }
    return LambdaError(
        404, "ResourceNotFoundException",
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:" + name);
  }

  SigV4Verifier verifier_;
  TestHttpServer server_;
};

HttpClientOptions OneAttemptHttp() {
  HttpClientOptions options;
  options.total_timeout = std::chrono::milliseconds(700);
  options.connect_timeout = std::chrono::milliseconds(500);
  options.retry.max_attempts = 1;  // failures reach the task; Retry in the definition decides
  return options;
}

Endpoint EndpointAt(const std::string& url) {
  Endpoint endpoint;
  endpoint.url = url;
  endpoint.signing_region = "us-east-1";
  endpoint.signing_name = "lambda";
  endpoint.custom = true;
  return endpoint;
}

CredentialsSource Keys(std::string secret = kLambdaSecret) {
  return [secret] { return Result<Credentials>(KeyPair(secret)); };
}

RemoteSelection Remote(std::vector<std::string> patterns) {
  RemoteSelection selection;
  selection.patterns = std::move(patterns);
  return selection;
}

RemoteSelection All() {
  RemoteSelection selection;
  selection.all = true;
  return selection;
}

struct Task {
  std::string resource;
  json::Value parameters;
  std::optional<int64_t> timeout;
  engine::TaskRequest Request() const {
    return engine::TaskRequest{.resource = resource,
                               .parameters = &parameters,
                               .context = nullptr,
                               .state_name = "Invoke",
                               .execution_arn = "arn:aws:states:us-east-1:1:execution:m:e",
                               .timeout_seconds = timeout};
  }
};

Task LambdaInvoke(std::string function, json::Value payload = json::Object{{"k", 1}}) {
  return Task{"arn:aws:states:::lambda:invoke",
              json::Object{{"FunctionName", function}, {"Payload", std::move(payload)}},
              std::nullopt};
}

TEST(RemoteLambdaTest, HandlesOnlySelectedFunctions) {
  RemoteLambda lambda(Remote({"echo", "arn:aws:lambda:us-east-1:123456789012:function:team-*"}),
                      EndpointAt("http://127.0.0.1:1"), Keys());
  EXPECT_TRUE(lambda.Handles(LambdaInvoke("echo").Request()));
  EXPECT_TRUE(lambda.Handles(LambdaInvoke("echo:prod").Request()));
  EXPECT_TRUE(lambda.Handles(
      LambdaInvoke("arn:aws:lambda:us-east-1:123456789012:function:echo").Request()));
  EXPECT_TRUE(lambda.Handles(
      LambdaInvoke("arn:aws:lambda:us-east-1:123456789012:function:team-a").Request()));
  EXPECT_FALSE(lambda.Handles(LambdaInvoke("other").Request()));
  EXPECT_FALSE(lambda.Handles(LambdaInvoke("team-a").Request()));  // the prefix is an ARN's
  Task arn{"arn:aws:lambda:us-east-1:123456789012:function:echo", json::Object{}, std::nullopt};
  EXPECT_TRUE(lambda.Handles(arn.Request()));
  Task sync{"arn:aws:states:::lambda:invoke.sync", json::Object{{"FunctionName", "echo"}},
            std::nullopt};
  EXPECT_FALSE(lambda.Handles(sync.Request()));  // no such pattern: the router says so
  Task s3{"arn:aws:states:::aws-sdk:s3:getObject", json::Object{{"FunctionName", "echo"}},
          std::nullopt};
  EXPECT_FALSE(lambda.Handles(s3.Request()));
  RemoteLambda all(All(), EndpointAt("http://127.0.0.1:1"), Keys());
  EXPECT_TRUE(all.Handles(LambdaInvoke("anything").Request()));
}

TEST(RemoteLambdaTest, InvokeReturnsTheLocalEnvelopeWithTheRealMetadata) {
  FakeLambda fake;
  RemoteLambda lambda(Remote({"echo"}), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Result<json::Value> result = lambda.Invoke(LambdaInvoke("echo").Request());
  ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
  const json::Object& envelope = result->get_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : envelope) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ExecutedVersion", "Payload", "SdkHttpMetadata",
                                            "SdkResponseMetadata", "StatusCode"}));
  EXPECT_EQ(envelope.at("ExecutedVersion"), "$LATEST");
  EXPECT_EQ(json::Serialize(envelope.at("Payload")), R"({"echo":{"k":1}})");
  EXPECT_EQ(envelope.at("StatusCode"), 200);
  EXPECT_EQ(envelope.at("SdkResponseMetadata").at("RequestId"), "req-200");
  const json::Object& metadata = envelope.at("SdkHttpMetadata").get_object();
  EXPECT_EQ(metadata.at("HttpStatusCode"), 200);
  EXPECT_EQ(metadata.at("HttpHeaders").at("X-Amz-Executed-Version"), "$LATEST");
  ASSERT_EQ(fake.received().size(), 1u);
  const TestRequest sent = fake.received()[0];
  EXPECT_EQ(sent.target, "/2015-03-31/functions/echo/invocations");
  EXPECT_EQ(sent.body, R"({"k":1})");
  EXPECT_NE(sent.Header("Authorization").find("/us-east-1/lambda/aws4_request"), std::string::npos);
}

TEST(RemoteLambdaTest, QualifierAndInvocationTypeGoOnTheWire) {
  FakeLambda fake;
  RemoteLambda lambda(Remote({"echo"}), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Task task{"arn:aws:states:::lambda:invoke",
            json::Object{{"FunctionName", "arn:aws:lambda:us-east-1:123456789012:function:echo"},
                         {"Qualifier", "prod"},
                         {"InvocationType", "RequestResponse"},
                         {"LogType", "None"}},
            std::nullopt};
  Result<json::Value> result = lambda.Invoke(task.Request());
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->at("ExecutedVersion"), "7");
  EXPECT_EQ(json::Serialize(result->at("Payload")), R"({"echo":{}})");  // no Payload: {}
  const TestRequest sent = fake.received().at(0);
  EXPECT_EQ(sent.target,
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho"
            "/invocations?Qualifier=prod");
  EXPECT_EQ(sent.Header("X-Amz-Invocation-Type"), "RequestResponse");
  EXPECT_EQ(sent.Header("X-Amz-Log-Type"), "None");
}

TEST(RemoteLambdaTest, FunctionArnResourceReturnsTheResultItself) {
  FakeLambda fake;
  RemoteLambda lambda(Remote({"echo"}), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Task task{"arn:aws:lambda:us-east-1:123456789012:function:echo", json::Object{{"x", "y"}},
            std::nullopt};
  Result<json::Value> result = lambda.Invoke(task.Request());
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result), R"({"echo":{"x":"y"}})");
}

TEST(RemoteLambdaTest, FunctionErrorsFailTheTaskAsStepFunctionsReportsThem) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Result<json::Value> failed = lambda.Invoke(LambdaInvoke("fails").Request());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().error, "ValueError");
  EXPECT_EQ(failed.error().cause,
            R"({"errorMessage":"bad input","errorType":"ValueError","stackTrace":["x"]})");
  Result<json::Value> crashed = lambda.Invoke(LambdaInvoke("crashes").Request());
  ASSERT_FALSE(crashed.ok());
  EXPECT_EQ(crashed.error().error, "Lambda.Unknown");
  EXPECT_NE(crashed.error().cause.find("Process exited"), std::string::npos);
}

TEST(RemoteLambdaTest, ServiceErrorsAreNamedLikeAws) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Result<json::Value> missing = lambda.Invoke(LambdaInvoke("nope").Request());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "Lambda.ResourceNotFoundException");
  EXPECT_EQ(missing.error().cause,
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: "
            "AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
            "req-404; Proxy: null)");
  Result<json::Value> busy = lambda.Invoke(LambdaInvoke("busy").Request());
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().error, "Lambda.TooManyRequestsException");
  Result<json::Value> broken = lambda.Invoke(LambdaInvoke("broken").Request());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().error, "Lambda.ServiceException");
  EXPECT_NE(broken.error().cause.find("Status Code: 500"), std::string::npos);
}

TEST(RemoteLambdaTest, AWrongSecretIsRejectedByTheVerifier) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys("wrong"), OneAttemptHttp());
  Result<json::Value> result = lambda.Invoke(LambdaInvoke("echo").Request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Lambda.InvalidSignatureException");
  EXPECT_NE(result.error().cause.find("signature"), std::string::npos) << result.error().cause;
}

TEST(RemoteLambdaTest, TransportFailuresAreSdkClientExceptions) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Result<json::Value> cut = lambda.Invoke(LambdaInvoke("cut").Request());
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().error, "Lambda.SdkClientException");
  EXPECT_NE(cut.error().cause.find("HttpMalformedResponse"), std::string::npos)
      << cut.error().cause;
  Result<json::Value> html = lambda.Invoke(LambdaInvoke("html").Request());
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().error, "Lambda.SdkClientException");
  EXPECT_NE(html.error().cause.find("not JSON"), std::string::npos) << html.error().cause;

  // Last on this server: it stays busy with the slow answer after the client gave up.
  Result<json::Value> slow = lambda.Invoke(LambdaInvoke("slow").Request());
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().error, "Lambda.SdkClientException");
  EXPECT_NE(slow.error().cause.find("HttpTimeout"), std::string::npos) << slow.error().cause;

  RemoteLambda refused(All(),
                       EndpointAt("http://127.0.0.1:" + std::to_string(testing::UnusedPort())),
                       Keys(), OneAttemptHttp());
  Result<json::Value> nobody = refused.Invoke(LambdaInvoke("echo").Request());
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().error, "Lambda.SdkClientException");
  EXPECT_NE(nobody.error().cause.find("HttpConnectionRefused"), std::string::npos)
      << nobody.error().cause;

  RemoteLambda no_keys(
      All(), EndpointAt(fake.url()),
      [] {
        return Result<Credentials>(Error{"NoCredentials", "none set"});
      },
      OneAttemptHttp());
  Result<json::Value> unsigned_call = no_keys.Invoke(LambdaInvoke("echo").Request());
  ASSERT_FALSE(unsigned_call.ok());
  EXPECT_EQ(unsigned_call.error().error, "Lambda.SdkClientException");
  EXPECT_NE(unsigned_call.error().cause.find("Unable to load AWS credentials"), std::string::npos);
}

TEST(RemoteLambdaTest, TheTasksTimeoutSecondsGivesStatesTimeout) {
  FakeLambda fake;
  HttpClientOptions http = OneAttemptHttp();
  http.total_timeout = std::chrono::seconds(30);  // the task's limit is the shorter one
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), http);
  Task task = LambdaInvoke("slow");
  task.timeout = 1;
  Result<json::Value> result = lambda.Invoke(task.Request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Timeout");
  EXPECT_NE(result.error().cause.find("TimeoutSeconds (1)"), std::string::npos);
}

TEST(RemoteLambdaTest, CallbackTasksWithoutAStoreFailSayingSo) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  Task task{"arn:aws:states:::lambda:invoke.waitForTaskToken",
            json::Object{{"FunctionName", "echo"}}, std::nullopt};
  EXPECT_TRUE(lambda.Handles(task.Request()));
  Result<json::Value> result = lambda.Invoke(task.Request());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Runtime");
  EXPECT_EQ(fake.requests(), 0);  // nothing invoked without a place for the answer
}

TEST(RemoteLambdaTest, CallbackTasksRegisterTheTokenThenInvoke) {
  FakeLambda fake;
  RemoteLambda lambda(All(), EndpointAt(fake.url()), Keys(), OneAttemptHttp());
  TokenLauncher launcher;
  lambda.set_launcher(&launcher);
  Task task{"arn:aws:states:::lambda:invoke.waitForTaskToken",
            json::Object{{"FunctionName", "echo"}, {"Payload", json::Object{{"t", "tok-9"}}}},
            std::nullopt};
  json::Value context = json::Object{{"Task", json::Object{{"Token", "tok-9"}}}};
  std::optional<TimePoint> check_again_at;
  engine::TaskRequest request = task.Request();
  request.context = &context;
  request.check_again_at = &check_again_at;
  Result<json::Value> result = lambda.Invoke(request);
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(launcher.tokens,
            (std::vector<std::string>{"tok-9|arn:aws:states:us-east-1:1:execution:m:e|Invoke"}));
  EXPECT_TRUE(check_again_at.has_value());
  EXPECT_EQ(json::Serialize(result->at("Payload")), R"({"echo":{"t":"tok-9"}})");
  // The checks after submission are the TaskRouter's (it reads the token's answer).
  json::Value submitted = *result;
  request.submitted = &submitted;
  EXPECT_FALSE(lambda.Handles(request));
}

// One engine-level run: the definition's Retry absorbs a throttled call and a connection cut
// mid-answer, and the third attempt's result is the task's.
TEST(RemoteLambdaTest, RetryInTheDefinitionHandlesTheNamedErrors) {
  FakeLambda fake;
  ManualClock clock(Now());  // Retry intervals pass at once; signing time stays current
  RemoteLambda lambda(Remote({"flaky"}), EndpointAt(fake.url()), Keys(), OneAttemptHttp(), &clock);
  integrations::FunctionRegistry functions;
  integrations::TaskRouter router(functions, clock);
  router.add_integration(&lambda);
  engine::Executor executor(router, clock, nullptr);
  Result<json::Value> definition = json::Parse(R"({
    "StartAt": "Call",
    "States": {"Call": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "flaky", "Payload.$": "$"},
      "ResultSelector": {"result.$": "$.Payload", "status.$": "$.StatusCode"},
      "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException", "Lambda.SdkClientException"],
                 "IntervalSeconds": 1, "MaxAttempts": 3}],
      "End": true}}})");
  ASSERT_TRUE(definition.ok());
  asl::CompileResult compiled = asl::Compile(*definition);
  ASSERT_EQ(compiled.index(), 0u);
  engine::ExecutionSpec spec;
  spec.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:flaky";
  spec.state_machine_name = "flaky";
  spec.input = json::Object{{"n", 1}};
  engine::ExecutionResult result = executor.Run(*std::get<0>(compiled), spec);
  ASSERT_EQ(result.status, engine::ExecutionStatus::kSucceeded)
      << result.error.value_or("") << ": " << result.cause.value_or("");
  EXPECT_EQ(json::Serialize(*result.output), R"({"result":{"attempt":3},"status":200})");
  EXPECT_EQ(fake.flaky_calls.load(), 3);

  // Without the Retry the first error ends the execution with its name.
  fake.flaky_calls = 0;
  Result<json::Value> no_retry = json::Parse(R"({
    "StartAt": "Call",
    "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "flaky"}, "End": true}}})");
  asl::CompileResult plain = asl::Compile(*no_retry);
  ASSERT_EQ(plain.index(), 0u);
  engine::ExecutionResult failed = executor.Run(*std::get<0>(plain), spec);
  EXPECT_EQ(failed.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(failed.error.value_or(""), "Lambda.TooManyRequestsException");
}

}  // namespace
}  // namespace autoretrain::aws
