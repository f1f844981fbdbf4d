// The HTTP task (http:invoke) against a real HTTP server on 127.0.0.1: what is sent (method,
// URL and query, headers, connection authorization, body encodings), the result shape, and
// the named errors of non-2xx answers, timeouts, refused connections and malformed answers.
#include "autoretrain/aws/http_task.h"

#include <gtest/gtest.h>

#include "aws/http_task_auth.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::DecodeForm;
using testing::J;
using testing::kNeverInTime;
using testing::RunTask;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kInvoke[] = "arn:aws:states:::http:invoke";
constexpr char kApiKeyArn[] = "arn:aws:events:us-east-1:123456789012:connection/orchestrator/1a";
constexpr char kBasicArn[] = "arn:aws:events:us-east-1:123456789012:connection/basic/2b";
constexpr char kOAuthArn[] = "arn:aws:events:us-east-1:123456789012:connection/oauth/3c";

class HttpTaskTest : public ::testing::Test {
 protected:
  HttpTaskTest()
      : server_([this](const TestRequest& request) {
          if (request.target.rfind("/token", 0) == 0) {
            ++token_requests_;
            return TestResponse{200,
                                {{"Content-Type", "application/json"}},
                                R"({"access_token":"tok-)" + std::to_string(token_requests_) +
                                    R"(","token_type":"Bearer","expires_in":3600})"};
          }
          return handler_(request);
        }) {
    env_->vars["ORCH_API_KEY"] = "key-s3cr3t";
    env_->vars["BASIC_PASSWORD"] = "pa55";
    env_->vars["OAUTH_SECRET"] = "client-s3cr3t";
  }

  std::unique_ptr<integrations::ServiceIntegration> Make(int timeout_ms = 1000) {
    HttpTaskOptions options;
    options.env = env_;
    options.http.connect_timeout = milliseconds(500);
    options.http.total_timeout = milliseconds(timeout_ms);
    HttpConnection api_key;
    api_key.arn = kApiKeyArn;
    api_key.auth = ConnectionAuth::kApiKey;
    api_key.api_key_name = "x-api-key";
    api_key.api_key_value_env = "ORCH_API_KEY";
    api_key.query = {{.key = "tenant", .value = "ml", .value_env = ""}};
    api_key.body = {{.key = "source", .value = "autoretrain", .value_env = ""}};
    HttpConnection basic;
    basic.arn = kBasicArn;
    basic.auth = ConnectionAuth::kBasic;
    basic.username = "robot";
    basic.password_env = "BASIC_PASSWORD";
    HttpConnection oauth;
    oauth.arn = kOAuthArn;
    oauth.auth = ConnectionAuth::kOAuthClientCredentials;
    oauth.authorization_endpoint = server_.url("/token");
    oauth.client_id = "client-1";
    oauth.client_secret_env = "OAUTH_SECRET";
    oauth.oauth_body = {{.key = "scope", .value = "pipelines", .value_env = ""}};
    options.connections = {api_key, basic, oauth};
    auto made = MakeHttpTaskIntegration(std::move(options));
    EXPECT_TRUE(made.ok()) << made.error().cause;
    return std::move(made).value();
  }

  std::string Params(std::string_view arn, std::string_view rest) {
    return R"({"ApiEndpoint":")" + server_.url("/api/runs") +
           R"(","Authentication":{"ConnectionArn":")" + std::string(arn) + "\"}," +
           std::string(rest) + "}";
  }

  std::shared_ptr<MapEnvironment> env_ = std::make_shared<MapEnvironment>();
  std::function<TestResponse(const TestRequest&)> handler_ = [](const TestRequest&) {
    return TestResponse{200, {{"Content-Type", "application/json"}, {"X-Run", "7"}}, R"({"id":7})"};
  };
  std::atomic<int> token_requests_{0};
  TestHttpServer server_;
};

TEST_F(HttpTaskTest, PostsJsonWithTheConnectionsApiKeyAndParameters) {
  auto task = Make();
  auto result =
      RunTask(*task, kInvoke, Params(kApiKeyArn, R"("Method":"POST","Headers":{"X-Model":"fraud"},
                        "QueryParameters":{"dry run":"no","tenant":"other"},
                        "RequestBody":{"model":"fraud","features":["a","b"]})"));
  ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
  EXPECT_EQ(result->at("StatusCode"), json::Value(200));
  EXPECT_EQ(result->at("StatusText"), json::Value("OK"));
  EXPECT_EQ(result->at("ResponseBody"), J(R"({"id":7})"));
  EXPECT_EQ(result->at("Headers").at("x-run"), J(R"(["7"])"));

  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  // The connection's query parameter wins over the task's of the same name.
  EXPECT_EQ(requests[0].target, "/api/runs?dry%20run=no&tenant=ml");
  EXPECT_EQ(requests[0].Header("x-api-key"), "key-s3cr3t");
  EXPECT_EQ(requests[0].Header("X-Model"), "fraud");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].Header("User-Agent"), "Amazon|StepFunctions|HttpInvoke|us-east-1");
  EXPECT_EQ(J(requests[0].body),
            J(R"({"model":"fraud","features":["a","b"],"source":"autoretrain"})"));
}

TEST_F(HttpTaskTest, UrlEncodedBodiesFollowTheArrayFormat) {
  auto task = Make();
  auto result = RunTask(*task, kInvoke,
                        Params(kBasicArn, R"("Method":"PUT","RequestBody":{"ids":[1,2],"q":"a b"},
                        "Transform":{"RequestBodyEncoding":"URL_ENCODED",
                                     "RequestEncodingOptions":{"ArrayFormat":"BRACKETS"}})"));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].body, "ids%5B%5D=1&ids%5B%5D=2&q=a%20b");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].Header("Authorization"), "Basic " + Base64("robot:pa55"));
  EXPECT_EQ(Base64("robot:pa55"), "cm9ib3Q6cGE1NQ==");
}

TEST(UrlEncodeBodyTest, EachArrayFormat) {
  json::Object body = J(R"({"a":["x","y z"],"n":{"k":true},"e":null})").as_object();
  EXPECT_EQ(UrlEncodeBody(body, ArrayFormat::kIndices),
            "a%5B0%5D=x&a%5B1%5D=y%20z&n%5Bk%5D=true&e=");
  EXPECT_EQ(UrlEncodeBody(body, ArrayFormat::kRepeat), "a=x&a=y%20z&n%5Bk%5D=true&e=");
  EXPECT_EQ(UrlEncodeBody(body, ArrayFormat::kCommas), "a=x,y%20z&n%5Bk%5D=true&e=");
  EXPECT_EQ(UrlEncodeBody(body, ArrayFormat::kBrackets),
            "a%5B%5D=x&a%5B%5D=y%20z&n%5Bk%5D=true&e=");
  auto decoded = DecodeForm(UrlEncodeBody(body, ArrayFormat::kIndices));
  EXPECT_EQ(decoded["a[1]"], "y z");
}

TEST_F(HttpTaskTest, OAuthTokensAreFetchedCachedAndRefreshedAfter401) {
  int calls = 0;
  handler_ = [&calls](const TestRequest& request) {
    ++calls;
    if (calls == 2) return TestResponse{401, {}, "expired"};
    return TestResponse{
        200, {{"Content-Type", "text/plain"}}, "auth=" + request.Header("Authorization")};
  };
  auto task = Make();
  auto first = RunTask(*task, kInvoke, Params(kOAuthArn, R"("Method":"GET")"));
  ASSERT_TRUE(first.ok()) << first.error().cause;
  EXPECT_EQ(first->at("ResponseBody"), json::Value("auth=Bearer tok-1"));
  auto second = RunTask(*task, kInvoke, Params(kOAuthArn, R"("Method":"GET")"));
  ASSERT_TRUE(second.ok()) << second.error().cause;
  EXPECT_EQ(second->at("ResponseBody"), json::Value("auth=Bearer tok-2"));
  EXPECT_EQ(token_requests_, 2);  // once at first, once after the 401
  auto requests = server_.requests();
  ASSERT_GE(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/token");
  EXPECT_EQ(requests[0].Header("Authorization"), "Basic " + Base64("client-1:client-s3cr3t"));
  auto form = DecodeForm(requests[0].body);
  EXPECT_EQ(form["grant_type"], "client_credentials");
  EXPECT_EQ(form["scope"], "pipelines");
}

TEST_F(HttpTaskTest, NonSuccessStatusesFailWithTheStatusCode) {
  handler_ = [](const TestRequest&) {
    return TestResponse{404, {{"Content-Type", "application/json"}}, R"({"message":"no run"})"};
  };
  auto task = Make();
  auto result = RunTask(*task, kInvoke, Params(kApiKeyArn, R"("Method":"GET")"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Http.StatusCode.404");
  json::Value cause = J(result.error().cause);
  EXPECT_EQ(cause.at("StatusCode"), json::Value(404));
  EXPECT_EQ(cause.at("StatusText"), json::Value("Not Found"));
  EXPECT_EQ(cause.at("ResponseBody"), J(R"({"message":"no run"})"));
  EXPECT_EQ(result.error().cause.find("key-s3cr3t"), std::string::npos);
}

TEST_F(HttpTaskTest, TransportFailuresAreSocketErrors) {
  handler_ = [](const TestRequest& request) {
    if (request.target.find("slow") != std::string::npos) {
      return TestResponse{200, {}, "late", kNeverInTime};
    }
    TestResponse cut{200, {}, "0123456789abcdef"};
    cut.close_mid_body = true;
    return cut;
  };
  auto task = Make(/*timeout_ms=*/400);
  auto cut = RunTask(*task, kInvoke, Params(kApiKeyArn, R"("Method":"GET")"));
  ASSERT_FALSE(cut.ok());
  // The connection's query parameters may be secrets: an error shows the URL without them.
  EXPECT_EQ(cut.error().cause.find("tenant=ml"), std::string::npos) << cut.error().cause;
  EXPECT_NE(cut.error().cause.find("/api/runs?REDACTED"), std::string::npos) << cut.error().cause;
  EXPECT_EQ(cut.error().error, "States.Http.Socket");
  EXPECT_EQ(cut.error().cause.rfind("HttpMalformedResponse: ", 0), 0u) << cut.error().cause << "\n"
                                                                       << cut.error().error;

  auto refused = RunTask(
      *task, kInvoke,
      R"({"ApiEndpoint":"http://127.0.0.1:)" + std::to_string(testing::UnusedPort()) +
          R"(/x","Method":"GET","Authentication":{"ConnectionArn":")" + kApiKeyArn + "\"}}");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, "States.Http.Socket");
  EXPECT_EQ(refused.error().cause.rfind("HttpConnectionRefused: ", 0), 0u);

  // A state TimeoutSeconds shorter than the client's limit is the state's timeout.
  HttpTaskOptions bounded_options;
  bounded_options.env = env_;
  HttpConnection open;
  open.arn = kApiKeyArn;
  open.api_key_name = "x-api-key";
  open.api_key_value_env = "ORCH_API_KEY";
  bounded_options.connections = {open};
  auto bounded = MakeHttpTaskIntegration(bounded_options).value();  // 60 s by default
  auto state_timeout =
      RunTask(*bounded, kInvoke,
              R"({"ApiEndpoint":")" + server_.url("/slow") +
                  R"(","Method":"GET","Authentication":{"ConnectionArn":")" + kApiKeyArn + "\"}}",
              /*timeout_seconds=*/1);
  ASSERT_FALSE(state_timeout.ok());
  EXPECT_EQ(state_timeout.error().error, "States.Timeout") << state_timeout.error().cause;

  // Last: the test server answers one request at a time, and this one holds it.
  auto slow =
      RunTask(*task, kInvoke,
              R"({"ApiEndpoint":")" + server_.url("/slow") +
                  R"(","Method":"GET","Authentication":{"ConnectionArn":")" + kApiKeyArn + "\"}}");
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().error, "States.Http.Socket");
  EXPECT_EQ(slow.error().cause.rfind("HttpTimeout: ", 0), 0u) << slow.error().cause;
}

TEST_F(HttpTaskTest, InvalidParametersAreRuntimeErrorsAndSendNothing) {
  auto task = Make();
  auto error_of = [&](const std::string& params) {
    auto result = RunTask(*task, kInvoke, params);
    return result.ok() ? Error{"ok", ""} : result.error();
  };
  EXPECT_EQ(error_of(R"({"Method":"GET","Authentication":{"ConnectionArn":"x"}})").error,
            "States.Runtime");
  EXPECT_EQ(error_of(Params(kApiKeyArn, R"("Method":"FETCH")")).error, "States.Runtime");
  EXPECT_EQ(error_of(Params(kApiKeyArn, R"("Method":"GET","Headers":{"Host":"evil"})")).error,
            "States.Runtime");
  EXPECT_EQ(error_of(Params(kApiKeyArn, R"("Method":"GET","Headers":{"X-Amz-Date":"x"})")).error,
            "States.Runtime");
  EXPECT_EQ(error_of(Params(kApiKeyArn, R"("Method":"POST","RequestBody":[1],
            "Transform":{"RequestBodyEncoding":"URL_ENCODED"})"))
                .error,
            "States.Runtime");
  EXPECT_EQ(
      error_of(Params(kApiKeyArn, R"("Method":"GET","Transform":{"RequestBodyEncoding":"GZIP"})"))
          .error,
      "States.Runtime");
  Error unknown = error_of(
      Params("arn:aws:events:us-east-1:123456789012:connection/none/9", R"("Method":"GET")"));
  EXPECT_EQ(unknown.error, "States.Runtime");
  EXPECT_NE(unknown.cause.find(kApiKeyArn), std::string::npos);  // lists the declared ones
  env_->vars.erase("ORCH_API_KEY");
  Error unset = error_of(Params(kApiKeyArn, R"("Method":"GET")"));
  EXPECT_EQ(unset.error, "States.Runtime");
  EXPECT_NE(unset.cause.find("'ORCH_API_KEY', which is not set"), std::string::npos);
  EXPECT_TRUE(server_.requests().empty());
}

TEST(HttpTaskConfigTest, ConnectionsAreCheckedWhenConfigured) {
  HttpTaskOptions options;
  options.env = std::make_shared<MapEnvironment>();
  HttpConnection bad;
  bad.arn = "arn:aws:sns:us-east-1:123456789012:topic";
  options.connections = {bad};
  EXPECT_EQ(MakeHttpTaskIntegration(options).error().error, "ConfigError");
  HttpConnection incomplete;
  incomplete.arn = kBasicArn;
  incomplete.auth = ConnectionAuth::kBasic;
  incomplete.username = "robot";
  options.connections = {incomplete};
  EXPECT_NE(MakeHttpTaskIntegration(options).error().cause.find("'password_env' is required"),
            std::string::npos);
  incomplete.password_env = "P";
  options.connections = {incomplete, incomplete};
  EXPECT_NE(MakeHttpTaskIntegration(options).error().cause.find("declared twice"),
            std::string::npos);
  options.connections = {incomplete};
  options.env = nullptr;
  EXPECT_EQ(MakeHttpTaskIntegration(options).error().error, "ConfigError");
}

}  // namespace
}  // namespace autoretrain::aws
