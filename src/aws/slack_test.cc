// Slack incoming-webhook alerts against a real HTTP server on 127.0.0.1: the Block Kit JSON
// sent, retries on 429 (Retry-After, capped) and 5xx (backoff), and the named errors when it
// gives up, with the webhook's secret path never in a message.
#include "autoretrain/aws/slack.h"

#include <gtest/gtest.h>

#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::J;
using testing::kNeverInTime;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kHookPath[] = "/services/T000/B000/XXXXsecretXXXX";

AlertMessage Alert() {
  AlertMessage m;
  m.title = "Retraining fraud-model";
  m.fields = {{"Model", "fraud-model"}, {"Decision", "YES"}, {"Reason", "drift > 0.3 & <rising>"}};
  m.context = "policy: cooldown passed";
  m.link_text = "Open execution";
  m.link_url = "http://127.0.0.1:8080/executions/abc";
  m.severity = "HIGH";
  return m;
}

struct Recorder {
  std::vector<milliseconds> sleeps;
  SlackOptions Options() {
    SlackOptions options;
    options.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    return options;
  }
};

HttpClientOptions FastSlackHttp() {
  HttpClientOptions options = SlackHttpOptions();
  options.connect_timeout = milliseconds(300);
  options.total_timeout = milliseconds(400);
  return options;
}

TEST(SlackPayloadTest, HasHeaderFieldsContextAndButton) {
  json::Value payload = SlackPayload(Alert());
  EXPECT_EQ(payload.at("text"), json::Value("Retraining fraud-model [HIGH]"));
  const json::Array& blocks = payload.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0], J(R"({"type":"header","text":{"type":"plain_text",
                            "text":"Retraining fraud-model","emoji":true}})"));
  EXPECT_EQ(blocks[1].at("type"), json::Value("section"));
  ASSERT_EQ(blocks[1].at("fields").as_array().size(), 3u);
  EXPECT_EQ(blocks[1].at("fields").as_array()[2],
            J(R"({"type":"mrkdwn","text":"*Reason*\ndrift &gt; 0.3 &amp; &lt;rising&gt;"})"));
  EXPECT_EQ(blocks[2].at("type"), json::Value("context"));
  EXPECT_EQ(blocks[2].at("elements").as_array()[0].at("text"),
            json::Value(":red_circle: *Severity:* HIGH"));
  EXPECT_EQ(blocks[3], J(R"({"type":"actions","elements":[{"type":"button","text":{
      "type":"plain_text","text":"Open execution","emoji":true},
      "url":"http://127.0.0.1:8080/executions/abc","style":"danger"}]})"));
}

TEST(SlackPayloadTest, RespectsSlacksLimits) {
  AlertMessage m;
  m.title = std::string(200, 't');
  for (int i = 0; i < 13; ++i) m.fields.push_back({"f" + std::to_string(i), "v"});
  json::Value payload = SlackPayload(m);
  const json::Array& blocks = payload.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);  // header, 10 fields, 3 fields; no context, no button
  EXPECT_EQ(blocks[0].at("text").at("text").as_string().size(), 150u);
  EXPECT_EQ(blocks[1].at("fields").as_array().size(), 10u);
  EXPECT_EQ(blocks[2].at("fields").as_array().size(), 3u);
}

TEST(PostSlackTest, RetriesRateLimitsHonouringRetryAfterThenSucceeds) {
  int calls = 0;
  TestHttpServer slack([&calls](const TestRequest&) {
    ++calls;
    if (calls == 1) return TestResponse{429, {{"Retry-After", "2"}}, "rate_limited"};
    if (calls == 2) return TestResponse{429, {{"Retry-After", "120"}}, "rate_limited"};
    return TestResponse{200, {{"Content-Type", "text/html"}}, "ok"};
  });
  HttpClient http(FastSlackHttp());
  Recorder recorder;
  auto delivered = PostSlack(slack.url(kHookPath), Alert(), http, recorder.Options());
  ASSERT_TRUE(delivered.ok()) << delivered.error().cause;
  EXPECT_EQ(delivered->attempts, 3);
  EXPECT_EQ(recorder.sleeps, (std::vector<milliseconds>{milliseconds(2000), milliseconds(30000)}));
  auto requests = slack.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, kHookPath);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(J(requests[2].body), SlackPayload(Alert()));
}

TEST(PostSlackTest, ServerErrorsBackOffExponentially) {
  int calls = 0;
  TestHttpServer slack([&calls](const TestRequest&) {
    return ++calls < 3 ? TestResponse{calls == 1 ? 503 : 500, {}, "oops"}
                       : TestResponse{200, {}, "ok"};
  });
  HttpClient http(FastSlackHttp());
  Recorder recorder;
  auto delivered = PostSlack(slack.url(kHookPath), Alert(), http, recorder.Options());
  ASSERT_TRUE(delivered.ok()) << delivered.error().cause;
  EXPECT_EQ(delivered->attempts, 3);
  EXPECT_EQ(recorder.sleeps, (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST(PostSlackTest, GivesUpWithANamedErrorAndNoSecret) {
  TestHttpServer slack([](const TestRequest&) { return TestResponse{429, {}, "rate_limited"}; });
  HttpClient http(FastSlackHttp());
  Recorder recorder;
  SlackOptions options = recorder.Options();
  options.max_attempts = 3;
  auto delivered = PostSlack(slack.url(kHookPath), Alert(), http, options);
  ASSERT_FALSE(delivered.ok());
  EXPECT_EQ(delivered.error().error, kSlackRateLimited);
  EXPECT_NE(delivered.error().cause.find("all 3 attempts"), std::string::npos);
  EXPECT_EQ(delivered.error().cause.find("XXXXsecretXXXX"), std::string::npos)
      << delivered.error().cause;
  EXPECT_NE(delivered.error().cause.find("http://127.0.0.1:" + std::to_string(slack.port()) +
                                         "/REDACTED"),
            std::string::npos);
  EXPECT_EQ(slack.request_count(), 3);
}

TEST(PostSlackTest, RefusalsAreNotRetried) {
  TestHttpServer slack([](const TestRequest&) { return TestResponse{404, {}, "no_service"}; });
  HttpClient http(FastSlackHttp());
  Recorder recorder;
  auto delivered = PostSlack(slack.url(kHookPath), Alert(), http, recorder.Options());
  ASSERT_FALSE(delivered.ok());
  EXPECT_EQ(delivered.error().error, kSlackRejected);
  EXPECT_NE(delivered.error().cause.find("HTTP 404 no_service"), std::string::npos);
  EXPECT_NE(delivered.error().cause.find("create a new incoming webhook"), std::string::npos);
  EXPECT_EQ(delivered.error().cause.find("XXXXsecretXXXX"), std::string::npos);
  EXPECT_EQ(slack.request_count(), 1);
}

TEST(PostSlackTest, TransportFailures) {
  HttpClient http(FastSlackHttp());
  Recorder recorder;
  std::string refused_url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + kHookPath;
  auto refused = PostSlack(refused_url, Alert(), http, recorder.Options());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, kHttpConnectionRefused);
  EXPECT_EQ(refused.error().cause.find("XXXXsecretXXXX"), std::string::npos)
      << refused.error().cause;
  EXPECT_EQ(recorder.sleeps.size(), 4u);  // nothing reached Slack: retried up to 5 attempts

  TestHttpServer slow([](const TestRequest&) { return TestResponse{200, {}, "ok", kNeverInTime}; });
  recorder.sleeps.clear();
  auto timed_out = PostSlack(slow.url(kHookPath), Alert(), http, recorder.Options());
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().error, kHttpTimeout);
  EXPECT_TRUE(recorder.sleeps.empty());  // Slack may have posted it: not sent twice
  EXPECT_EQ(timed_out.error().cause.find("XXXXsecretXXXX"), std::string::npos)
      << timed_out.error().cause;

  EXPECT_EQ(PostSlack("hooks.slack.com/x", Alert(), http).error().error, kSlackInvalidWebhook);
}

}  // namespace
}  // namespace autoretrain::aws
