// SNS publish, both backends, against a real HTTP server on 127.0.0.1: the remote backend's
// Query-protocol request (form fields, SigV4 signature checked with SigV4Verifier) and the
// mapping of SNS's XML answers and errors; the local backend's message log, its HTTP
// notifications to subscriptions, SNS's validation errors and FIFO deduplication.
#include "autoretrain/aws/sns.h"

#include <gtest/gtest.h>

#include "autoretrain/aws/sigv4_verifier.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::DecodeForm;
using testing::FastHttp;
using testing::J;
using testing::kKeyId;
using testing::kSecret;
using testing::ReadJsonLines;
using testing::RunTask;
using testing::ScratchDir;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kPublish[] = "arn:aws:states:::sns:publish";
constexpr char kSdkPublish[] = "arn:aws:states:::aws-sdk:sns:publish";
constexpr char kTopic[] = "arn:aws:sns:us-east-1:123456789012:alerts";
Credentials Creds(std::string secret = kSecret) {
  Credentials c;
  c.access_key_id = kKeyId;
  c.secret_access_key = std::move(secret);
  c.source = "test";
  return c;
}

std::string PublishXml(std::string_view message_id) {
  return "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
         "<MessageId>" +
         std::string(message_id) +
         "</MessageId></PublishResult><ResponseMetadata><RequestId>req-1</RequestId>"
         "</ResponseMetadata></PublishResponse>";
}

std::string SnsErrorXml(std::string_view code, std::string_view message) {
  return "<ErrorResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender"
         "</Type><Code>" +
         std::string(code) + "</Code><Message>" + std::string(message) +
         "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>";
}

// An SNS endpoint that verifies each request's signature (service "sns") before `handler`.
class FakeSns {
 public:
  explicit FakeSns(std::function<TestResponse(const TestRequest&)> handler)
      : verifier_(
            [](std::string_view id) -> std::optional<Credentials> {
              if (id != kKeyId) return std::nullopt;
              return Creds();
            },
            VerifierOptions{.region = "us-east-1", .service = "sns"}),
        server_([this, handler](const TestRequest& request) {
          ReceivedRequest received;
          received.method = request.method;
          std::string_view target = request.target;
          size_t q = target.find('?');
          received.path = target.substr(0, q);
          received.query = q == std::string_view::npos ? "" : target.substr(q + 1);
          for (const auto& [n, v] : request.headers) received.headers.emplace_back(n, v);
          received.body = request.body;
          auto now = std::chrono::time_point_cast<milliseconds>(std::chrono::system_clock::now());
          if (auto caller = verifier_.Verify(received, now); !caller.ok()) {
            ++bad_signatures_;
            return TestResponse{
                403, {}, SnsErrorXml("SignatureDoesNotMatch", caller.error().cause)};
          }
          return handler(request);
        }) {}

  std::unique_ptr<integrations::ServiceIntegration> Integration(std::string secret = kSecret) {
    Endpoint endpoint;
    endpoint.url = server_.url("");
    endpoint.signing_region = "us-east-1";
    endpoint.signing_name = "sns";
    endpoint.custom = true;
    return MakeRemoteSnsIntegration(
        endpoint, [secret] { return Result<Credentials>(Creds(secret)); }, FastHttp());
  }
  std::vector<TestRequest> requests() const { return server_.requests(); }
  int bad_signatures() const { return bad_signatures_; }

 private:
  SigV4Verifier verifier_;
  std::atomic<int> bad_signatures_{0};
  TestHttpServer server_;
};

TEST(RemoteSnsTest, PublishSendsASignedQueryRequestAndShapesTheResult) {
  FakeSns sns([](const TestRequest&) {
    return TestResponse{
        200, {{"x-amzn-RequestId", "req-1"}, {"Content-Type", "text/xml"}}, PublishXml("5f1c-msg")};
  });
  auto integration = sns.Integration();
  auto result = RunTask(*integration, kPublish,
                        R"({"TopicArn":")" + std::string(kTopic) +
                            R"(","Message":{"model":"fraud","decision":"YES"},"Subject":"Retrain",
                            "MessageAttributes":{"severity":{"DataType":"String",
                            "StringValue":"HIGH"}}})");
  ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
  EXPECT_EQ(result->at("MessageId"), json::Value("5f1c-msg"));
  EXPECT_EQ(result->at("SdkHttpMetadata").at("HttpStatusCode"), json::Value(200));
  EXPECT_EQ(result->at("SdkHttpMetadata").at("HttpHeaders").at("x-amzn-RequestId"),
            json::Value("req-1"));
  EXPECT_EQ(result->at("SdkResponseMetadata").at("RequestId"), json::Value("req-1"));

  auto requests = sns.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(sns.bad_signatures(), 0);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/");
  EXPECT_NE(requests[0].Header("Authorization").find("/us-east-1/sns/aws4_request"),
            std::string::npos);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  auto form = DecodeForm(requests[0].body);
  EXPECT_EQ(form["Action"], "Publish");
  EXPECT_EQ(form["Version"], "2010-03-31");
  EXPECT_EQ(form["TopicArn"], kTopic);
  EXPECT_EQ(form["Message"], R"({"model":"fraud","decision":"YES"})");
  EXPECT_EQ(form["Subject"], "Retrain");
  EXPECT_EQ(form["MessageAttributes.entry.1.Name"], "severity");
  EXPECT_EQ(form["MessageAttributes.entry.1.Value.DataType"], "String");
  EXPECT_EQ(form["MessageAttributes.entry.1.Value.StringValue"], "HIGH");
}

TEST(RemoteSnsTest, SdkIntegrationReturnsTheResponseWithoutMetadata) {
  FakeSns sns([](const TestRequest&) { return TestResponse{200, {}, PublishXml("m-2")}; });
  auto integration = sns.Integration();
  auto result = RunTask(*integration, kSdkPublish,
                        R"({"TopicArn":")" + std::string(kTopic) + R"(","Message":"hi"})");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result), R"({"MessageId":"m-2"})");
}

TEST(RemoteSnsTest, SnsErrorsBecomeNamedTaskErrors) {
  FakeSns sns([](const TestRequest&) {
    return TestResponse{404, {}, SnsErrorXml("NotFound", "Topic does not exist")};
  });
  auto integration = sns.Integration();
  auto result = RunTask(*integration, kPublish,
                        R"({"TopicArn":")" + std::string(kTopic) + R"(","Message":"hi"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "SNS.NotFoundException");
  EXPECT_EQ(result.error().cause,
            "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; "
            "Request ID: req-err; Proxy: null)");
}

TEST(RemoteSnsTest, AWrongSecretIsCaughtByTheServersSignatureCheck) {
  FakeSns sns([](const TestRequest&) { return TestResponse{200, {}, PublishXml("never")}; });
  auto integration = sns.Integration("not-the-secret");
  auto result = RunTask(*integration, kPublish,
                        R"({"TopicArn":")" + std::string(kTopic) + R"(","Message":"hi"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(sns.bad_signatures(), 1);
  EXPECT_EQ(result.error().error, "SNS.AmazonSNSException");
  EXPECT_NE(result.error().cause.find("Error Code: SignatureDoesNotMatch"), std::string::npos);
  EXPECT_EQ(result.error().cause.find("not-the-secret"), std::string::npos);
}

TEST(RemoteSnsTest, TransportFailuresKeepTheirNames) {
  Endpoint endpoint;
  endpoint.url = "http://127.0.0.1:" + std::to_string(testing::UnusedPort());
  endpoint.signing_region = "us-east-1";
  endpoint.signing_name = "sns";
  auto refused = MakeRemoteSnsIntegration(
      endpoint, [] { return Result<Credentials>(Creds()); }, FastHttp());
  auto result =
      RunTask(*refused, kPublish, R"({"TopicArn":"arn:aws:sns:us-east-1:1:t","Message":"x"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "HttpConnectionRefused");
  EXPECT_NE(result.error().cause.find("SNS Publish to arn:aws:sns:us-east-1:1:t"),
            std::string::npos);

  FakeSns garbled([](const TestRequest&) { return TestResponse{200, {}, "<html>proxy</html>"}; });
  auto integration = garbled.Integration();
  result =
      RunTask(*integration, kPublish, R"({"TopicArn":"arn:aws:sns:us-east-1:1:t","Message":"x"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "HttpMalformedResponse");
}

TEST(RemoteSnsTest, MistypedParametersAreRuntimeErrors) {
  FakeSns sns([](const TestRequest&) { return TestResponse{200, {}, PublishXml("m")}; });
  auto integration = sns.Integration();
  EXPECT_EQ(RunTask(*integration, kPublish, R"({"TopicArn":1,"Message":"x"})").error().error,
            "States.Runtime");
  EXPECT_EQ(RunTask(*integration, kPublish, R"({"Topic":"x","Message":"x"})").error().error,
            "States.Runtime");
  EXPECT_EQ(RunTask(*integration, "arn:aws:states:::sns:publish.waitForTaskToken",
                    R"({"TopicArn":"t","Message":"x"})")
                .error()
                .error,
            "States.Runtime");
  EXPECT_TRUE(sns.requests().empty());
}

class LocalSnsTest : public ::testing::Test {
 protected:
  LocalSnsTest()
      : receiver_([this](const TestRequest&) {
          return TestResponse{status_, {}, "ok"};
        }) {}

  std::unique_ptr<integrations::ServiceIntegration> Make(bool raw = false) {
    LocalSnsOptions options;
    options.messages_path = dir_ / "sns-messages.jsonl";
    options.http = FastHttp();
    options.topics = {
        LocalSnsTopic{.name = "alerts",
                      .subscriptions = {{.protocol = "http",
                                         .endpoint = receiver_.url("/hook/secret-token"),
                                         .raw_message_delivery = raw}}},
        LocalSnsTopic{
            .name = "events.fifo", .subscriptions = {}, .content_based_deduplication = true}};
    auto made = MakeLocalSnsIntegration(std::move(options));
    EXPECT_TRUE(made.ok()) << made.error().cause;
    return std::move(made).value();
  }

  ScratchDir dir_;
  int status_ = 200;
  TestHttpServer receiver_;
};

TEST_F(LocalSnsTest, PublishLogsTheMessageAndNotifiesHttpSubscribers) {
  auto sns = Make();
  auto result = RunTask(*sns, kPublish,
                        R"({"TopicArn":")" + std::string(kTopic) +
                            R"(","Message":{"decision":"YES"},"Subject":"Retraining fraud",
                            "MessageAttributes":{"score":{"DataType":"Number","StringValue":"0.42"}}})");
  ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
  std::string id(result->at("MessageId").as_string());
  EXPECT_EQ(id.size(), 36u);
  const json::Value& metadata = result->at("SdkHttpMetadata");
  EXPECT_EQ(metadata.at("HttpStatusCode"), json::Value(200));
  EXPECT_EQ(metadata.at("HttpHeaders").at("Content-Type"), json::Value("text/xml"));
  EXPECT_EQ(result->at("SdkResponseMetadata").at("RequestId"),
            metadata.at("HttpHeaders").at("x-amzn-RequestId"));

  auto lines = ReadJsonLines(dir_ / "sns-messages.jsonl");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at("Type"), json::Value("Publish"));
  EXPECT_EQ(lines[0].at("TopicArn"), json::Value(kTopic));
  EXPECT_EQ(lines[0].at("MessageId"), json::Value(id));
  EXPECT_EQ(lines[0].at("Message"), json::Value(R"({"decision":"YES"})"));

  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/hook/secret-token");
  EXPECT_EQ(requests[0].Header("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(requests[0].Header("x-amz-sns-message-id"), id);
  EXPECT_EQ(requests[0].Header("x-amz-sns-topic-arn"), kTopic);
  EXPECT_EQ(requests[0].Header("x-amz-sns-subscription-arn").rfind(std::string(kTopic) + ":", 0),
            0u);
  json::Value notification = J(requests[0].body);
  EXPECT_EQ(notification.at("Type"), json::Value("Notification"));
  EXPECT_EQ(notification.at("MessageId"), json::Value(id));
  EXPECT_EQ(notification.at("Subject"), json::Value("Retraining fraud"));
  EXPECT_EQ(notification.at("Message"), json::Value(R"({"decision":"YES"})"));
  EXPECT_EQ(notification.at("Timestamp"), lines[0].at("Timestamp"));
  EXPECT_EQ(notification.at("MessageAttributes").at("score"),
            J(R"({"Type":"Number","Value":"0.42"})"));
  EXPECT_FALSE(notification.as_object().contains("Signature"));  // unsigned locally
}

TEST_F(LocalSnsTest, RawDeliveryAndPerProtocolMessages) {
  auto sns = Make(/*raw=*/true);
  auto result = RunTask(*sns, kPublish,
                        R"({"TopicArn":")" + std::string(kTopic) +
                            R"(","MessageStructure":"json",
                            "Message":"{\"default\":\"plain\",\"http\":\"for http\"}"})");
  ASSERT_TRUE(result.ok()) << result.error().cause;
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, "for http");
  EXPECT_EQ(requests[0].Header("x-amz-sns-rawdelivery"), "true");
  EXPECT_EQ(RunTask(*sns, kPublish,
                    R"({"TopicArn":")" + std::string(kTopic) +
                        R"(","MessageStructure":"json","Message":"{\"http\":\"x\"}"})")
                .error()
                .cause.find("No default entry"),
            std::string("Invalid parameter: Message Structure - ").size());
}

TEST_F(LocalSnsTest, UnknownTopicFailsAsSnsDoes) {
  auto sns = Make();
  auto result = RunTask(*sns, kPublish,
                        R"({"TopicArn":"arn:aws:sns:us-east-1:123456789012:nope","Message":"x"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "SNS.NotFoundException");
  EXPECT_EQ(
      result.error().cause.rfind("Topic does not exist (Service: AmazonSNS; Status Code: 404; "
                                 "Error Code: NotFound;",
                                 0),
      0u);
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_TRUE(ReadJsonLines(dir_ / "sns-messages.jsonl").empty());
}

TEST_F(LocalSnsTest, ValidationErrorsAreSnsErrors) {
  auto sns = Make();
  std::string topic = R"("TopicArn":")" + std::string(kTopic) + "\"";
  auto error_of = [&](const std::string& params) {
    auto result = RunTask(*sns, kPublish, params);
    return result.ok() ? Error{"ok", ""} : result.error();
  };
  EXPECT_EQ(error_of("{" + topic + "}").error, "SNS.ValidationException");
  EXPECT_EQ(error_of("{" + topic + R"(,"Message":""})").error, "SNS.InvalidParameterException");
  EXPECT_EQ(error_of("{" + topic + R"(,"Message":"x","Subject":"two\nlines"})").error,
            "SNS.InvalidParameterException");
  EXPECT_EQ(error_of(R"({"Message":"x"})").error, "SNS.InvalidParameterException");
  EXPECT_EQ(error_of("{" + topic + R"(,"PhoneNumber":"+15555550100","Message":"x"})").error,
            "SNS.InvalidParameterException");
  Error sms = error_of(R"({"PhoneNumber":"+15555550100","Message":"x"})");
  EXPECT_EQ(sms.error, "SNS.InvalidParameterException");
  EXPECT_NE(sms.cause.find("cannot send SMS"), std::string::npos);
  EXPECT_EQ(
      error_of(
          "{" + topic +
          R"(,"Message":"x","MessageAttributes":{"n":{"DataType":"Number","StringValue":"abc"}}})")
          .error,
      "SNS.InvalidParameterValueException");
  EXPECT_EQ(
      error_of("{" + topic + R"(,"Message":")" + std::string(256 * 1024 + 1, 'a') + "\"}").error,
      "SNS.InvalidParameterException");
  EXPECT_EQ(error_of("{" + topic + R"(,"Message":"x","MessageDeduplicationId":"d"})").error,
            "SNS.InvalidParameterException");
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(LocalSnsTest, FifoTopicsNeedAGroupAndDeduplicate) {
  auto sns = Make();
  std::string fifo = R"("TopicArn":"arn:aws:sns:us-east-1:123456789012:events.fifo")";
  auto missing_group = RunTask(*sns, kPublish, "{" + fifo + R"(,"Message":"x"})");
  EXPECT_EQ(missing_group.error().error, "SNS.InvalidParameterException");
  auto first = RunTask(*sns, kPublish, "{" + fifo + R"(,"Message":"x","MessageGroupId":"g"})");
  auto again = RunTask(*sns, kPublish, "{" + fifo + R"(,"Message":"x","MessageGroupId":"g"})");
  auto other = RunTask(*sns, kPublish, "{" + fifo + R"(,"Message":"y","MessageGroupId":"g"})");
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->at("MessageId"), again->at("MessageId"));
  EXPECT_EQ(first->at("SequenceNumber"), again->at("SequenceNumber"));
  EXPECT_NE(first->at("MessageId"), other->at("MessageId"));
  EXPECT_LT(first->at("SequenceNumber").as_string(), other->at("SequenceNumber").as_string());
  EXPECT_EQ(ReadJsonLines(dir_ / "sns-messages.jsonl").size(), 2u);  // the duplicate is not
}

TEST_F(LocalSnsTest, AFailedDeliveryIsLoggedWithoutTheEndpoint) {
  status_ = 500;
  auto sns = Make();
  auto result =
      RunTask(*sns, kPublish, R"({"TopicArn":")" + std::string(kTopic) + R"(","Message":"x"})");
  ASSERT_TRUE(result.ok()) << result.error().cause;  // SNS accepted the message
  auto lines = ReadJsonLines(dir_ / "sns-messages.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].at("Type"), json::Value("DeliveryFailure"));
  EXPECT_EQ(lines[1].at("Error"), json::Value("HTTP 500"));
  EXPECT_EQ(lines[1].at("MessageId"), result->at("MessageId"));
  std::ifstream in(dir_ / "sns-messages.jsonl");
  std::string all((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(all.find("secret-token"), std::string::npos);
}

LocalSnsTopic NamedTopic(std::string name) {
  LocalSnsTopic topic;
  topic.name = std::move(name);
  return topic;
}

TEST(LocalSnsConfigTest, BadConfigurationIsRefusedWithoutEchoingEndpoints) {
  LocalSnsOptions options;
  options.messages_path = "/tmp/x.jsonl";
  options.topics = {NamedTopic("bad name")};
  EXPECT_EQ(MakeLocalSnsIntegration(options).error().error, "ConfigError");
  options.topics = {NamedTopic("a"), NamedTopic("a")};
  EXPECT_NE(MakeLocalSnsIntegration(options).error().cause.find("declared twice"),
            std::string::npos);
  options.topics = {LocalSnsTopic{
      .name = "a", .subscriptions = {{.protocol = "https", .endpoint = "http://x/secret-hook"}}}};
  Error error = MakeLocalSnsIntegration(options).error();
  EXPECT_EQ(error.error, "ConfigError");
  EXPECT_EQ(error.cause.find("secret-hook"), std::string::npos);
  options.topics = {
      LocalSnsTopic{.name = "a", .subscriptions = {{.protocol = "email", .endpoint = "a@b"}}}};
  EXPECT_EQ(MakeLocalSnsIntegration(options).error().error, "ConfigError");
  options.topics = {};
  options.messages_path = "";
  EXPECT_EQ(MakeLocalSnsIntegration(options).error().error, "ConfigError");
}

}  // namespace
}  // namespace autoretrain::aws
