// DynamoDbClient against a real HTTP server on 127.0.0.1 (test_http_server.h) that checks every
// request's SigV4 signature with the server-side verifier (service "dynamodb"): the JSON 1.0
// request each call sends, DynamoDB's error mapping, retries on throttling and 5xx, the
// x-amz-crc32 check, and the named errors of a timeout, a refused connection and malformed
// answers. The shared case files run against dynalite in dynamodb_cases_test.cc.
#include "autoretrain/aws/dynamodb_client.h"

#include <gtest/gtest.h>

#include <atomic>

#include "autoretrain/aws/sigv4_verifier.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::FastHttp;
using testing::kKeyId;
using testing::kNeverInTime;
using testing::kSecret;
using testing::TestCredentials;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kPrefix[] = "com.amazonaws.dynamodb.v20120810#";

// A DynamoDB JSON answer with its x-amz-crc32, as DynamoDB sends it.
TestResponse Json(int status, const std::string& body) {
  return TestResponse{status,
                      {{"Content-Type", "application/x-amz-json-1.0"},
                       {"x-amz-crc32", std::to_string(Crc32(body))}},
                      body};
}

TestResponse DynamoError(int status, const std::string& type, const std::string& message) {
  return Json(status, "{\"__type\":\"" + std::string(kPrefix) + type + "\",\"message\":\"" +
                          message + "\"}");
}

json::Value Parse(std::string_view text) { return json::Parse(text).value(); }

// A server that verifies each request's signature before `handler` answers; a bad signature is
// answered as DynamoDB does (400 with the verifier's exception).
class SigningDynamoServer {
 public:
  explicit SigningDynamoServer(std::function<TestResponse(const TestRequest&)> handler)
      : verifier_(
            [](std::string_view id) -> std::optional<Credentials> {
              if (id != kKeyId) return std::nullopt;
              Credentials c = TestCredentials();
              c.session_token = session_token;
              return c;
            },
            VerifierOptions{.region = "eu-west-1", .service = "dynamodb"}),
        server_([this, handler](const TestRequest& request) {
          std::string_view target = request.target;
          size_t q = target.find('?');
          ReceivedRequest received;
          received.method = request.method;
          received.path = target.substr(0, q);
          received.query = q == std::string_view::npos ? "" : target.substr(q + 1);
          for (const auto& [n, v] : request.headers) received.headers.emplace_back(n, v);
          received.body = request.body;
          auto now = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
          Result<VerifiedCaller> caller = verifier_.Verify(received, now);
          if (!caller.ok()) {
            ++bad_signatures_;
            return DynamoError(400, caller.error().error, caller.error().cause);
          }
          return handler(request);
        }) {}

  std::string url() const { return server_.url(""); }
  std::vector<TestRequest> requests() const { return server_.requests(); }
  int bad_signatures() const { return bad_signatures_; }

  DynamoDbClient Client(HttpClientOptions http = FastHttp(), std::string token = "") const {
    Endpoint endpoint;
    endpoint.url = url();
    endpoint.signing_region = "eu-west-1";
    endpoint.signing_name = "dynamodb";
    endpoint.custom = true;
    return DynamoDbClient(
        endpoint,
        [token] {
          Credentials c = TestCredentials();
          c.session_token = token;
          return Result<Credentials>(c);
        },
        http);
  }

  static inline std::string session_token;

 private:
  SigV4Verifier verifier_;
  std::atomic<int> bad_signatures_{0};
  TestHttpServer server_;
};

TEST(DynamoDbClientTest, SendsASignedJson10Request) {
  SigningDynamoServer server([](const TestRequest&) {
    return Json(200, R"({"Item":{"model":{"S":"creditcard"},"version":{"N":"3"}}})");
  });
  DynamoDbClient client = server.Client();
  auto response = client.Call(
      "GetItem", Parse(R"({"TableName":"history","Key":{"model":{"S":"creditcard"}}})"));
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(*response, Parse(R"({"Item":{"model":{"S":"creditcard"},"version":{"N":"3"}}})"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/");
  EXPECT_EQ(requests[0].Header("X-Amz-Target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(Parse(requests[0].body),
            Parse(R"({"TableName":"history","Key":{"model":{"S":"creditcard"}}})"));
  EXPECT_NE(requests[0].Header("Authorization").find("/eu-west-1/dynamodb/aws4_request"),
            std::string::npos);
  EXPECT_EQ(server.bad_signatures(), 0);
}

TEST(DynamoDbClientTest, SessionTokenIsSentAndSigned) {
  SigningDynamoServer::session_token = "FwoGZXIvYXdzEXAMPLETOKEN";
  SigningDynamoServer server([](const TestRequest&) { return Json(200, "{}"); });
  DynamoDbClient client = server.Client(FastHttp(), "FwoGZXIvYXdzEXAMPLETOKEN");
  auto response = client.Call("PutItem", Parse(R"({"TableName":"t","Item":{}})"));
  SigningDynamoServer::session_token.clear();
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(server.requests()[0].Header("X-Amz-Security-Token"), "FwoGZXIvYXdzEXAMPLETOKEN");
  EXPECT_EQ(server.bad_signatures(), 0);
}

TEST(DynamoDbClientTest, WrongSecretIsDynamoDbsSignatureError) {
  SigningDynamoServer server([](const TestRequest&) { return Json(200, "{}"); });
  Endpoint endpoint;
  endpoint.url = server.url();
  endpoint.signing_region = "eu-west-1";
  DynamoDbClient client(
      endpoint,
      [] {
        Credentials c = TestCredentials();
        c.secret_access_key = "not-the-secret";
        return Result<Credentials>(c);
      },
      FastHttp());
  auto response = client.Call("Scan", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, "InvalidSignatureException");
  EXPECT_NE(response.error().cause.find("does not match"), std::string::npos);
  EXPECT_EQ(response.error().cause.find(kSecret), std::string::npos);
  EXPECT_EQ(server.bad_signatures(), 1);
}

TEST(DynamoDbClientTest, ErrorTypeLosesItsNamespaceAndMessageIsTheCause) {
  SigningDynamoServer server([](const TestRequest& request) {
    if (request.Header("X-Amz-Target").ends_with("PutItem")) {
      return DynamoError(400, "ConditionalCheckFailedException", "The conditional request failed");
    }
    // Some DynamoDB-compatible servers spell the field "Message".
    return Json(400, "{\"__type\":\"" + std::string(kPrefix) +
                         "ResourceNotFoundException\",\"Message\":\"Requested resource not "
                         "found\"}");
  });
  DynamoDbClient client = server.Client();
  auto put = client.Call("PutItem", Parse(R"({"TableName":"t","Item":{}})"));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error(),
            (Error{"ConditionalCheckFailedException", "The conditional request failed"}));
  auto get = client.Call("GetItem", Parse(R"({"TableName":"missing","Key":{}})"));
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error(), (Error{"ResourceNotFoundException", "Requested resource not found"}));
  EXPECT_EQ(server.requests().size(), 2u);  // client errors are not retried
}

TEST(DynamoDbClientTest, ThrottlingIsRetriedThenSucceeds) {
  std::atomic<int> calls{0};
  SigningDynamoServer server([&](const TestRequest&) {
    if (++calls < 3) {
      return DynamoError(400, "ProvisionedThroughputExceededException",
                         "The level of configured provisioned throughput for the table was "
                         "exceeded.");
    }
    return Json(200, R"({"Count":0,"ScannedCount":0,"Items":[]})");
  });
  DynamoDbClient client = server.Client();
  auto response = client.Call("Query", Parse(R"({"TableName":"t"})"));
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(server.bad_signatures(), 0);  // every attempt signed afresh
}

TEST(DynamoDbClientTest, ThrottlingOnEveryAttemptIsReturnedWithTheCount) {
  SigningDynamoServer server([](const TestRequest&) {
    return DynamoError(400, "ThrottlingException", "Rate of requests exceeds the allowed rate");
  });
  DynamoDbClient client = server.Client();
  auto response = client.Call("UpdateItem", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, "ThrottlingException");
  EXPECT_EQ(response.error().cause, "Rate of requests exceeds the allowed rate (after 3 attempts)");
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(DynamoDbClientTest, ServerErrorsAreRetriedEvenForWrites) {
  std::atomic<int> calls{0};
  SigningDynamoServer server([&](const TestRequest&) {
    if (++calls == 1) return DynamoError(500, "InternalServerError", "Internal server error");
    return Json(200, "{}");
  });
  DynamoDbClient client = server.Client();
  auto response = client.Call("PutItem", Parse(R"({"TableName":"t","Item":{}})"));
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(calls, 2);

  SigningDynamoServer failing(
      [](const TestRequest&) { return DynamoError(500, "InternalServerError", "boom"); });
  auto failed = failing.Client().Call("DeleteItem", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error(), (Error{"InternalServerError", "boom (after 3 attempts)"}));
}

TEST(DynamoDbClientTest, TimeoutIsHttpTimeoutNamingTheCall) {
  TestHttpServer slow([](const TestRequest&) { return TestResponse{200, {}, "{}", kNeverInTime}; });
  Endpoint endpoint;
  endpoint.url = slow.url("");
  endpoint.signing_region = "us-east-1";
  HttpClientOptions once = FastHttp();
  once.total_timeout = milliseconds(300);
  once.retry.max_attempts = 1;
  DynamoDbClient client(
      endpoint, [] { return Result<Credentials>(TestCredentials()); }, once);
  auto response = client.Call("GetItem", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, "HttpTimeout");
  EXPECT_TRUE(
      response.error().cause.starts_with("DynamoDB GetItem at " + endpoint.url + " failed: "))
      << response.error().cause;
}

TEST(DynamoDbClientTest, RefusedConnectionIsHttpConnectionRefused) {
  Endpoint endpoint;
  endpoint.url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort());
  endpoint.signing_region = "us-east-1";
  DynamoDbClient client(
      endpoint, [] { return Result<Credentials>(TestCredentials()); }, FastHttp());
  auto response = client.Call("PutItem", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, "HttpConnectionRefused");
  EXPECT_NE(response.error().cause.find("DynamoDB PutItem at " + endpoint.url), std::string::npos);
}

TEST(DynamoDbClientTest, MalformedAnswersAreHttpMalformedResponse) {
  SigningDynamoServer server([](const TestRequest& request) {
    std::string target = request.Header("X-Amz-Target");
    if (target.ends_with("GetItem")) return TestResponse{200, {}, "<html>not json</html>"};
    if (target.ends_with("Query")) {
      return TestResponse{502, {{"Content-Type", "text/html"}}, "<html>Bad Gateway</html>"};
    }
    if (target.ends_with("Scan")) return TestResponse{200, {}, "[1,2]"};
    TestResponse cut = Json(200, R"({"Items":[{"a":{"S":"0123456789"}}]})");
    cut.close_mid_body = true;
    return cut;
  });
  HttpClientOptions once = FastHttp();
  once.retry.max_attempts = 1;
  DynamoDbClient client = server.Client(once);
  for (std::string_view operation : {"GetItem", "Query", "Scan", "BatchGetItem"}) {
    auto response = client.Call(operation, Parse(R"({"TableName":"t"})"));
    ASSERT_FALSE(response.ok()) << operation;
    EXPECT_EQ(response.error().error, "HttpMalformedResponse") << operation;
    EXPECT_NE(response.error().cause.find(std::string(operation)), std::string::npos)
        << response.error().cause;
  }
  auto query = client.Call("Query", Parse(R"({"TableName":"t"})"));
  EXPECT_NE(query.error().cause.find("HTTP 502 without a DynamoDB error type"), std::string::npos)
      << query.error().cause;
}

TEST(DynamoDbClientTest, Crc32MismatchIsRetriedThenReported) {
  std::atomic<int> calls{0};
  SigningDynamoServer server([&](const TestRequest&) {
    TestResponse response = Json(200, R"({"Item":{"k":{"S":"v"}}})");
    if (++calls == 1) response.headers[1].second = "12345";  // damaged on the way
    return response;
  });
  DynamoDbClient client = server.Client();
  auto response = client.Call("GetItem", Parse(R"({"TableName":"t"})"));
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(calls, 2);

  SigningDynamoServer always_bad([](const TestRequest&) {
    return TestResponse{200, {{"x-amz-crc32", "1"}}, "{}"};
  });
  auto bad = always_bad.Client().Call("GetItem", Parse(R"({"TableName":"t"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "HttpMalformedResponse");
  EXPECT_NE(bad.error().cause.find("x-amz-crc32"), std::string::npos) << bad.error().cause;
  EXPECT_EQ(always_bad.requests().size(), 3u);
}

TEST(DynamoDbClientTest, Crc32IsZlibs) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(Crc32(""), 0u);
}

TEST(DynamoDbClientTest, BadOperationOrRequestFailsBeforeSending) {
  SigningDynamoServer server([](const TestRequest&) { return Json(200, "{}"); });
  DynamoDbClient client = server.Client();
  EXPECT_EQ(client.Call("", Parse("{}")).error().error, "UnknownOperationException");
  EXPECT_EQ(client.Call("Get Item\r\nX-Evil: 1", Parse("{}")).error().error,
            "UnknownOperationException");
  EXPECT_EQ(client.Call("GetItem", Parse("[1]")).error().error, "SerializationException");
  EXPECT_TRUE(server.requests().empty());
}

TEST(DynamoDbClientTest, CredentialErrorsKeepTheirNames) {
  Endpoint endpoint;
  endpoint.url = "http://127.0.0.1:1";
  DynamoDbClient client(
      endpoint,
      [] {
        return Result<Credentials>(Error{"NoCredentials", "no credentials anywhere"});
      },
      FastHttp());
  auto response = client.Call("GetItem", Parse("{}"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, "NoCredentials");
  EXPECT_EQ(response.error().cause,
            "DynamoDB GetItem at http://127.0.0.1:1 failed: no credentials anywhere");
}

TEST(DynamoDbClientTest, MakeDynamoDbClientResolvesRegionAndEndpoint) {
  auto env = std::make_shared<MapEnvironment>();
  env->vars["AWS_ACCESS_KEY_ID"] = kKeyId;
  env->vars["AWS_SECRET_ACCESS_KEY"] = kSecret;
  env->vars["HOME"] = "/nonexistent";
  DynamoDbClientOptions options;
  EXPECT_EQ(MakeDynamoDbClient(options, env).error().error, "NoRegion");

  options.fallback_region = "eu-central-1";
  auto made = MakeDynamoDbClient(options, env);
  ASSERT_TRUE(made.ok()) << made.error().cause;
  auto* client = dynamic_cast<DynamoDbClient*>(made->get());
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->endpoint().url, "https://dynamodb.eu-central-1.amazonaws.com");
  EXPECT_EQ(client->endpoint().signing_region, "eu-central-1");

  env->vars["AWS_REGION"] = "ap-south-1";
  env->vars["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999";
  env->vars["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000";
  made = MakeDynamoDbClient(options, env);
  ASSERT_TRUE(made.ok()) << made.error().cause;
  client = dynamic_cast<DynamoDbClient*>(made->get());
  EXPECT_EQ(client->endpoint().url, "http://127.0.0.1:8000");
  EXPECT_EQ(client->endpoint().signing_region, "ap-south-1");

  options.endpoint_url = "http://localhost:4567";
  options.region = "us-west-2";
  made = MakeDynamoDbClient(options, env);
  ASSERT_TRUE(made.ok()) << made.error().cause;
  client = dynamic_cast<DynamoDbClient*>(made->get());
  EXPECT_EQ(client->endpoint().url, "http://localhost:4567");
  EXPECT_EQ(client->endpoint().signing_region, "us-west-2");

  options.endpoint_url = "ftp://nowhere";
  EXPECT_EQ(MakeDynamoDbClient(options, env).error().error, "EndpointError");
}

TEST(DynamoDbClientTest, MadeClientTalksToTheEndpointWithEnvironmentCredentials) {
  SigningDynamoServer server([](const TestRequest&) { return Json(200, R"({"TableNames":[]})"); });
  auto env = std::make_shared<MapEnvironment>();
  env->vars["AWS_ACCESS_KEY_ID"] = kKeyId;
  env->vars["AWS_SECRET_ACCESS_KEY"] = kSecret;
  env->vars["AWS_REGION"] = "eu-west-1";
  env->vars["AWS_ENDPOINT_URL_DYNAMODB"] = server.url();
  env->vars["HOME"] = "/nonexistent";
  DynamoDbClientOptions options;
  options.http = FastHttp();
  auto made = MakeDynamoDbClient(options, env);
  ASSERT_TRUE(made.ok()) << made.error().cause;
  auto response = (*made)->Call("ListTables", Parse("{}"));
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(*response, Parse(R"({"TableNames":[]})"));
  EXPECT_EQ(server.bad_signatures(), 0);
}

}  // namespace
}  // namespace autoretrain::aws
