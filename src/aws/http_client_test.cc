// HttpClient against a real HTTP server on 127.0.0.1: success, retries on 503 and 429 with
// backoff, timeouts, refused connections, responses cut mid-body, connection reuse, signing per
// attempt, and redaction of secrets in errors.
#include "autoretrain/aws/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "autoretrain/aws/redact.h"
#include "autoretrain/aws/sigv4_verifier.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::kNeverInTime;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

// Options with recorded, instant backoff and a fixed jitter.
struct Recorded {
  std::vector<milliseconds> sleeps;
  HttpClientOptions options;
  Recorded(double jitter = 0.5) {
    options.connect_timeout = milliseconds(500);
    options.total_timeout = milliseconds(2000);
    options.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    options.random = [jitter] { return jitter; };
  }
};

TEST(HttpClientTest, Success) {
  TestHttpServer server([](const TestRequest& request) {
    return TestResponse{200, {{"Content-Type", "text/plain"}}, "hello " + request.body};
  });
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/path?x=1");
  request.headers = {{"X-Custom", "yes"}};
  request.body = "world";
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello world");
  EXPECT_EQ(response->Header("content-type"), "text/plain");
  EXPECT_EQ(response->attempts, 1);
  auto received = server.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/path?x=1");
  EXPECT_EQ(received[0].Header("X-Custom"), "yes");
  EXPECT_EQ(received[0].Header("Expect"), "");
  EXPECT_TRUE(rec.sleeps.empty());
}

TEST(HttpClientTest, MethodsWithoutBodies) {
  TestHttpServer server([](const TestRequest& request) {
    return TestResponse{200, {{"X-Method", request.method}}, "body"};
  });
  Recorded rec;
  HttpClient client(rec.options);
  for (std::string method : {"GET", "HEAD", "DELETE", "PUT"}) {
    HttpRequest request;
    request.method = method;
    request.url = server.url("/");
    auto response = client.Send(request);
    ASSERT_TRUE(response.ok()) << method << ": " << response.error().cause;
    EXPECT_EQ(response->Header("X-Method"), method);
    EXPECT_EQ(response->body, method == "HEAD" ? "" : "body");
  }
}

TEST(HttpClientTest, ReusesConnections) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{200, {}, "ok"}; });
  Recorded rec;
  HttpClient client(rec.options);
  for (int i = 0; i < 5; ++i) {
    HttpRequest request;
    request.url = server.url("/");
    ASSERT_TRUE(client.Send(request).ok());
  }
  EXPECT_EQ(server.request_count(), 5);
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClientTest, ConcurrentSendsShareOneClient) {
  TestHttpServer server([](const TestRequest& request) {
    return TestResponse{200, {}, "echo " + request.body};
  });
  Recorded rec;
  HttpClient client(rec.options);
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        HttpRequest request;
        request.method = "PUT";
        request.url = server.url("/");
        request.body = std::to_string(t) + "-" + std::to_string(i);
        auto response = client.Send(request);
        if (response.ok() && response->body == "echo " + request.body) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good, 40);
  EXPECT_LE(server.connections(), 4);  // at most one connection per concurrent sender
}

TEST(HttpClientTest, RetriesServiceUnavailableThenSucceeds) {
  std::atomic<int> calls{0};
  TestHttpServer server([&](const TestRequest&) {
    if (calls++ == 0) return TestResponse{503, {}, "<Error><Code>SlowDown</Code></Error>"};
    return TestResponse{200, {}, "ok"};
  });
  Recorded rec(0.5);
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->attempts, 2);
  ASSERT_EQ(rec.sleeps.size(), 1u);
  EXPECT_EQ(rec.sleeps[0], milliseconds(500));  // 0.5 * min(1000 * 2^0, 20000)
}

TEST(HttpClientTest, ThrottlingRetriesWithExponentialBackoffThenReturnsLastResponse) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse{
        400,
        {{"Content-Type", "application/x-amz-json-1.0"}},
        R"({"__type":"com.amazonaws.sfn#ThrottlingException","message":"Rate exceeded"})"};
  });
  Recorded rec(1.0 - 1e-9);
  rec.options.retry.max_attempts = 4;
  HttpClient client(rec.options);
  HttpRequest request;
  request.method = "POST";  // throttling is retried even for non-idempotent requests
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(AwsErrorCode(*response), "ThrottlingException");
  EXPECT_EQ(response->attempts, 4);
  EXPECT_EQ(server.request_count(), 4);
  ASSERT_EQ(rec.sleeps.size(), 3u);
  EXPECT_EQ(rec.sleeps[0], milliseconds(999));
  EXPECT_EQ(rec.sleeps[1], milliseconds(1999));
  EXPECT_EQ(rec.sleeps[2], milliseconds(3999));
}

TEST(HttpClientTest, Status429IsThrottling) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{429, {}, "slow down"}; });
  Recorded rec(0.0);
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(response->attempts, 3);  // the default maximum
  EXPECT_EQ(rec.sleeps, (std::vector<milliseconds>{milliseconds(0), milliseconds(0)}));
}

TEST(HttpClientTest, BackoffIsCappedAt20Seconds) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{500, {}, ""}; });
  Recorded rec(1.0 - 1e-9);
  rec.options.retry.max_attempts = 8;
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  ASSERT_TRUE(client.Send(request).ok());
  ASSERT_EQ(rec.sleeps.size(), 7u);
  EXPECT_EQ(rec.sleeps[5], milliseconds(19999));  // 32 s capped
  EXPECT_EQ(rec.sleeps[6], milliseconds(19999));
}

TEST(HttpClientTest, ServerErrorsAreNotRetriedForNonIdempotentRequests) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{500, {}, "oops"}; });
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->attempts, 1);
  request.idempotent = true;  // the caller knows this POST is safe to repeat
  response = client.Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->attempts, 3);
}

TEST(HttpClientTest, ClientErrorsAreNotRetried) {
  TestHttpServer server([](const TestRequest&) {
    return TestResponse{400, {}, R"({"__type":"ValidationException","message":"bad"})"};
  });
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->attempts, 1);
  EXPECT_EQ(AwsErrorCode(*response), "ValidationException");
}

TEST(HttpClientTest, Timeout) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response{200, {}, "late"};
    response.delay = kNeverInTime;
    return response;
  });
  Recorded rec;
  rec.options.total_timeout = milliseconds(200);
  rec.options.retry.max_attempts = 1;
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/slow");
  auto response = client.Send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, kHttpTimeout);
  EXPECT_NE(response.error().cause.find("GET http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(response.error().cause.find("timed out"), std::string::npos) << response.error().cause;
}

TEST(HttpClientTest, ConnectionRefusedIsRetriedThenNamed) {
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.method = "POST";  // never reached the server: safe to retry even for POST
  request.url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/";
  auto response = client.Send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, kHttpConnectionRefused) << response.error().cause;
  EXPECT_NE(response.error().cause.find("connection refused"), std::string::npos);
  EXPECT_NE(response.error().cause.find("after 3 attempts"), std::string::npos);
  EXPECT_EQ(rec.sleeps.size(), 2u);
}

TEST(HttpClientTest, ResponseClosedMidBody) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse response{200, {}, std::string(1000, 'x')};
    response.close_mid_body = true;
    return response;
  });
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  auto response = client.Send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().error, kHttpMalformedResponse) << response.error().cause;
  EXPECT_EQ(server.request_count(), 3);  // a GET is retried
  request.method = "POST";
  response = client.Send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(server.request_count(), 4);  // a POST is not: it may have been processed
}

TEST(HttpClientTest, RetryQuotaRunsOut) {
  TestHttpServer server([](const TestRequest&) { return TestResponse{503, {}, ""}; });
  Recorded rec;
  rec.options.retry.quota_capacity = 10;  // two retries' worth
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = server.url("/");
  EXPECT_EQ(client.Send(request)->attempts, 3);
  EXPECT_EQ(client.Send(request)->attempts, 1);  // no tokens left
}

TEST(HttpClientTest, ErrorsNeverContainSecrets) {
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) +
                "/k?X-Amz-Credential=AKID%2F20150830&X-Amz-Security-Token=SECRETTOKEN"
                "&X-Amz-Signature=abcdef0123";
  request.headers = {{"Authorization", "AWS4-HMAC-SHA256 Signature=abcdef0123"}};
  auto response = client.Send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().cause.find("SECRETTOKEN"), std::string::npos)
      << response.error().cause;
  EXPECT_EQ(response.error().cause.find("abcdef0123"), std::string::npos);
  EXPECT_NE(response.error().cause.find("X-Amz-Signature=REDACTED"), std::string::npos);
}

TEST(HttpClientTest, SignedRequestsVerifyAndAreResignedPerAttempt) {
  Credentials creds;
  creds.access_key_id = "AKIDEXAMPLE";
  creds.secret_access_key = "secret";
  SigV4Verifier verifier(
      [&](std::string_view id) -> std::optional<Credentials> {
        if (id == creds.access_key_id) return creds;
        return std::nullopt;
      },
      VerifierOptions{"us-east-1", "states"});
  std::atomic<int> calls{0};
  std::vector<std::string> dates;
  std::vector<std::string> verdicts;
  TestHttpServer server([&](const TestRequest& request) {
    ReceivedRequest received;
    received.method = request.method;
    received.path = std::string_view(request.target).substr(0, request.target.find('?'));
    for (const auto& [n, v] : request.headers) received.headers.emplace_back(n, v);
    received.body = request.body;
    TimePoint when;
    ParseAmzDate(request.Header("X-Amz-Date"), &when);
    auto verdict = verifier.Verify(received, when);
    verdicts.push_back(verdict.ok() ? "ok" : verdict.error().error + ": " + verdict.error().cause);
    dates.push_back(request.Header("X-Amz-Date"));
    if (calls++ == 0) return TestResponse{503, {}, ""};
    return TestResponse{200, {}, "{}"};
  });
  Recorded rec;
  HttpClient client(rec.options);
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/");
  request.headers = {{"X-Amz-Target", "AWSStepFunctions.ListStateMachines"},
                     {"Content-Type", "application/x-amz-json-1.0"}};
  request.body = "{}";
  TimePoint clock = TimePoint(std::chrono::seconds(1440938160));
  auto response = client.SendSigned(request, creds, SigningOptionsFor("states", "us-east-1", {}),
                                    [&] { return clock += std::chrono::seconds(7); });
  ASSERT_TRUE(response.ok()) << response.error().cause;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(verdicts, (std::vector<std::string>{"ok", "ok"}));
  EXPECT_EQ(dates, (std::vector<std::string>{"20150830T123607Z", "20150830T123614Z"}));
}

TEST(HttpClientTest, RetryClassification) {
  EXPECT_TRUE(IsThrottlingError(429, ""));
  EXPECT_TRUE(IsThrottlingError(400, "ThrottlingException"));
  EXPECT_TRUE(IsThrottlingError(503, "SlowDown"));
  EXPECT_TRUE(IsThrottlingError(400, "ProvisionedThroughputExceededException"));
  EXPECT_FALSE(IsThrottlingError(400, "ValidationException"));
  EXPECT_TRUE(IsTransientStatus(502, ""));
  EXPECT_TRUE(IsTransientStatus(504, ""));
  EXPECT_TRUE(IsTransientStatus(400, "RequestTimeout"));
  EXPECT_FALSE(IsTransientStatus(404, "NoSuchKey"));
  HttpResponse typed;
  typed.headers = {{"x-amzn-ErrorType", "UnrecognizedClientException:http://internal"}};
  EXPECT_EQ(AwsErrorCode(typed), "UnrecognizedClientException");
}

TEST(HttpClientTest, SplitUrl) {
  auto parts = SplitUrl("https://S3.example.com:443/bucket/a%20key?list-type=2#frag");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->scheme, "https");
  EXPECT_EQ(parts->host_header, "s3.example.com");
  EXPECT_EQ(parts->path, "/bucket/a%20key");
  EXPECT_EQ(parts->query, "list-type=2");
  parts = SplitUrl("http://127.0.0.1:9000");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->host_header, "127.0.0.1:9000");
  EXPECT_EQ(parts->path, "/");
  EXPECT_FALSE(SplitUrl("no-scheme/path"));
}

TEST(RedactTest, HeadersAndText) {
  Headers headers = RedactHeaders(
      {{"Authorization", "AWS4-HMAC-SHA256 ..."}, {"x-amz-security-token", "tok"}, {"Host", "h"}});
  EXPECT_EQ(headers[0].second, "REDACTED");
  EXPECT_EQ(headers[1].second, "REDACTED");
  EXPECT_EQ(headers[2].second, "h");
  EXPECT_EQ(RedactSecrets("GET /?a=1&X-Amz-Signature=abc&x-amz-security-token=t%2F1&b=2"),
            "GET /?a=1&X-Amz-Signature=REDACTED&x-amz-security-token=REDACTED&b=2");
  EXPECT_EQ(RedactSecrets("Authorization: AWS4-HMAC-SHA256 Credential=A/x, Signature=ff\nHost: h"),
            "Authorization: REDACTED\nHost: h");
  EXPECT_EQ(RedactSecrets("Credential=AKID/20150830, SignedHeaders=host, Signature=00ff"),
            "Credential=AKID/20150830, SignedHeaders=host, Signature=REDACTED");
  EXPECT_EQ(RedactSecrets("aws_secret_access_key = wJalr\naws_access_key_id = AKID"),
            "aws_secret_access_key = REDACTED\naws_access_key_id = AKID");
}

}  // namespace
}  // namespace autoretrain::aws
