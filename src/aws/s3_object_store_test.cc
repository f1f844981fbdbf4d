// S3ObjectStore against a real HTTP server on 127.0.0.1 (test_http_server.h) that checks every
// request's SigV4 signature with the server-side verifier: the requests each call builds
// (method, path-style and virtual-hosted URLs, Range, query), the parsing of S3's answers, and
// the mapping of S3's error responses and of transport failures to named errors.
#include "autoretrain/aws/s3_object_store.h"

#include <gtest/gtest.h>

#include "autoretrain/aws/sigv4_verifier.h"
#include "aws/notify_test_util.h"
#include "aws/s3_errors.h"
#include "aws/s3_xml.h"
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

std::string S3ErrorXml(std::string_view code, std::string_view message) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
         "</Code><Message>" + std::string(message) +
         "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
}

// A server that verifies the signature of each request before `handler` answers it; a bad
// signature is answered 403 SignatureDoesNotMatch, which the tests would see.
class SigningS3Server {
 public:
  explicit SigningS3Server(std::function<TestResponse(const TestRequest&)> handler)
      : verifier_(
            [](std::string_view id) -> std::optional<Credentials> {
              if (id != kKeyId) return std::nullopt;
              return TestCredentials();
            },
            VerifierOptions{.region = "us-east-1", .service = "s3"}),
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
            return TestResponse{403, {}, S3ErrorXml("SignatureDoesNotMatch", caller.error().cause)};
          }
          return handler(request);
        }) {}

  std::string url() const { return server_.url(""); }
  std::vector<TestRequest> requests() const { return server_.requests(); }
  int bad_signatures() const { return bad_signatures_; }

  S3ObjectStore Store(bool path_style = true) const {
    Endpoint endpoint;
    endpoint.url = url();
    endpoint.signing_region = "us-east-1";
    endpoint.signing_name = "s3";
    endpoint.custom = true;
    endpoint.path_style = path_style;
    return S3ObjectStore(
        endpoint, [] { return Result<Credentials>(TestCredentials()); }, FastHttp());
  }

 private:
  SigV4Verifier verifier_;
  std::atomic<int> bad_signatures_{0};
  TestHttpServer server_;
};

TEST(S3ObjectStoreTest, GetObjectSignsAPathStyleRangedRequest) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{206,
                        {{"Content-Type", "text/csv"},
                         {"ETag", "\"0f343b0931126a20f133d67c2b018a3b\""},
                         {"Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT"},
                         {"Content-Range", "bytes 0-23/24"}},
                        "retraining_required\nYES\n"};
  });
  S3ObjectStore store = server.Store();
  auto object = store.GetObjectWithInfo("mlops-creditcard", "monitoring outputs/decision.csv", 100);
  ASSERT_TRUE(object.ok()) << object.error().cause;
  EXPECT_EQ(object->body, "retraining_required\nYES\n");
  EXPECT_EQ(object->info.size, 24u);
  EXPECT_EQ(object->info.content_type, "text/csv");
  EXPECT_EQ(object->info.etag, "\"0f343b0931126a20f133d67c2b018a3b\"");
  EXPECT_EQ(FormatIso8601(object->info.last_modified), "2009-10-12T17:50:00.000Z");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/mlops-creditcard/monitoring%20outputs/decision.csv");
  EXPECT_EQ(requests[0].Header("Range"), "bytes=0-100");
  EXPECT_EQ(requests[0].Header("x-amz-content-sha256"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_NE(requests[0].Header("Authorization").find("/us-east-1/s3/aws4_request"),
            std::string::npos);
  EXPECT_EQ(server.bad_signatures(), 0);
}

TEST(S3ObjectStoreTest, ObjectLargerThanAllowedIsEntityTooLarge) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{206, {{"Content-Range", "bytes 0-10/5000000"}}, "01234567890"};
  });
  S3ObjectStore store = server.Store();
  auto body = store.GetObject("b", "big.csv", 10);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "EntityTooLarge");
  EXPECT_NE(body.error().cause.find("5000000 bytes"), std::string::npos) << body.error().cause;
}

TEST(S3ObjectStoreTest, ServerIgnoringRangeStillLimited) {
  SigningS3Server server([](const TestRequest&) { return TestResponse{200, {}, "0123456789"}; });
  S3ObjectStore store = server.Store();
  EXPECT_EQ(store.GetObject("b", "k", 9).error().error, "EntityTooLarge");
  EXPECT_EQ(store.GetObject("b", "k", 10).value(), "0123456789");
}

TEST(S3ObjectStoreTest, EmptyObjectIsReadWithoutRangeAfter416) {
  SigningS3Server server([](const TestRequest& request) {
    if (!request.Header("Range").empty()) {
      return TestResponse{
          416, {}, S3ErrorXml("InvalidRange", "The requested range is not satisfiable")};
    }
    return TestResponse{200, {{"ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""}}, ""};
  });
  S3ObjectStore store = server.Store();
  auto object = store.GetObjectWithInfo("b", "empty", 100);
  ASSERT_TRUE(object.ok()) << object.error().cause;
  EXPECT_EQ(object->body, "");
  EXPECT_EQ(object->info.size, 0u);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(S3ObjectStoreTest, MissingKeyIsNoSuchKey) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{404, {}, S3ErrorXml("NoSuchKey", "The specified key does not exist.")};
  });
  S3ObjectStore store = server.Store();
  auto body = store.GetObject("mlops-creditcard", "missing.csv", 100);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "NoSuchKey");
  const std::string& cause = body.error().cause;
  EXPECT_NE(cause.find("GetObject s3://mlops-creditcard/missing.csv at " + server.url()),
            std::string::npos)
      << cause;
  EXPECT_NE(cause.find("HTTP 404 NoSuchKey: The specified key does not exist."), std::string::npos)
      << cause;
  EXPECT_NE(cause.find("request id 4442587FB7D0A2F9"), std::string::npos) << cause;
  EXPECT_NE(cause.find("check the key"), std::string::npos) << cause;
}

TEST(S3ObjectStoreTest, MissingBucketIsNoSuchBucket) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{404, {}, S3ErrorXml("NoSuchBucket", "The specified bucket does not exist")};
  });
  S3ObjectStore store = server.Store();
  EXPECT_EQ(store.GetObject("nope", "k", 10).error().error, "NoSuchBucket");
  EXPECT_EQ(store.PutObject("nope", "k", "x").error().error, "NoSuchBucket");
}

TEST(S3ObjectStoreTest, ForbiddenIsAccessDeniedNamingKeyAndAction) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{403, {}, S3ErrorXml("AccessDenied", "Access Denied")};
  });
  S3ObjectStore store = server.Store();
  auto body = store.GetObject("mlops-creditcard", "d.csv", 100);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "AccessDenied");
  const std::string& cause = body.error().cause;
  EXPECT_NE(cause.find("HTTP 403 AccessDenied: Access Denied"), std::string::npos) << cause;
  EXPECT_NE(cause.find("access key AKIDEXAMPLE from test may not s3:GetObject on "
                       "arn:aws:s3:::mlops-creditcard/d.csv"),
            std::string::npos)
      << cause;
  EXPECT_EQ(cause.find(kSecret), std::string::npos);
}

TEST(S3ObjectStoreTest, EveryForbiddenCodeIsAccessDeniedWithItsHint) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{
        403,
        {},
        S3ErrorXml("InvalidAccessKeyId",
                   "The AWS Access Key Id you provided does not exist in our records.")};
  });
  S3ObjectStore store = server.Store();
  auto body = store.GetObject("b", "k", 100);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "AccessDenied");
  EXPECT_NE(body.error().cause.find("InvalidAccessKeyId"), std::string::npos);
  EXPECT_NE(body.error().cause.find("set AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST(S3ObjectStoreTest, WrongSecretIsCaughtByTheVerifyingServer) {
  SigningS3Server server([](const TestRequest&) { return TestResponse{200, {}, "x"}; });
  Endpoint endpoint;
  endpoint.url = server.url();
  endpoint.signing_region = "us-east-1";
  endpoint.signing_name = "s3";
  endpoint.path_style = true;
  S3ObjectStore store(
      endpoint,
      [] {
        Credentials c = TestCredentials();
        c.secret_access_key = "not-the-secret";
        return Result<Credentials>(c);
      },
      FastHttp());
  auto body = store.GetObject("b", "k", 100);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "AccessDenied");
  EXPECT_NE(body.error().cause.find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_EQ(server.bad_signatures(), 1);
}

TEST(S3ObjectStoreTest, HeadObjectWithoutBodyMapsStatus) {
  SigningS3Server server([](const TestRequest& request) {
    if (request.target == "/b/there") {
      return TestResponse{200,
                          {{"Content-Length", "1234"},
                           {"ETag", "\"abc\""},
                           {"Content-Type", "application/json"},
                           {"Last-Modified", "Thu, 26 Nov 2026 03:00:00 GMT"}},
                          ""};
    }
    if (request.target == "/b/secret") return TestResponse{403, {}, ""};
    return TestResponse{404, {}, ""};
  });
  S3ObjectStore store = server.Store();
  auto info = store.HeadObject("b", "there");
  ASSERT_TRUE(info.ok()) << info.error().cause;
  EXPECT_EQ(info->size, 1234u);
  EXPECT_EQ(info->etag, "\"abc\"");
  EXPECT_EQ(info->content_type, "application/json");
  EXPECT_EQ(FormatIso8601(info->last_modified), "2026-11-26T03:00:00.000Z");
  EXPECT_EQ(store.HeadObject("b", "gone").error().error, "NoSuchKey");
  EXPECT_EQ(store.HeadObject("b", "secret").error().error, "AccessDenied");
  EXPECT_EQ(server.requests()[0].method, "HEAD");
}

TEST(S3ObjectStoreTest, PutObjectSendsSignedBodyAndReturnsETag) {
  SigningS3Server server([](const TestRequest& request) {
    return TestResponse{200, {{"ETag", "\"etag-of-" + request.body + "\""}}, ""};
  });
  S3ObjectStore store = server.Store();
  auto put = store.PutObject("b", "models/latest.json", "{\"v\":1}");
  ASSERT_TRUE(put.ok()) << put.error().cause;
  EXPECT_EQ(put->etag, "\"etag-of-{\"v\":1}\"");
  EXPECT_EQ(put->size, 7u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/b/models/latest.json");
  EXPECT_EQ(requests[0].body, "{\"v\":1}");
  EXPECT_EQ(server.bad_signatures(), 0);
}

TEST(S3ObjectStoreTest, ListObjectsV2BuildsQueryAndParsesPage) {
  SigningS3Server server([](const TestRequest&) {
    return TestResponse{
        200,
        {},
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name>"
        "<Prefix>runs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
        "<IsTruncated>true</IsTruncated>"
        "<Contents><Key>runs/a&amp;b.json</Key><LastModified>2026-11-26T03:00:00.000Z"
        "</LastModified><ETag>&quot;e1&quot;</ETag><Size>10</Size>"
        "<StorageClass>STANDARD</StorageClass></Contents>"
        "<Contents><Key>runs/c.json</Key><LastModified>2026-11-26T04:00:00.000Z</LastModified>"
        "<ETag>&quot;e2&quot;</ETag><Size>20</Size></Contents>"
        "<NextContinuationToken>tok/en=</NextContinuationToken></ListBucketResult>"};
  });
  S3ObjectStore store = server.Store();
  integrations::ListObjectsRequest request;
  request.prefix = "runs/";
  request.max_keys = 2;
  request.continuation_token = "a b";
  auto listing = store.ListObjectsV2("b", request);
  ASSERT_TRUE(listing.ok()) << listing.error().cause;
  ASSERT_EQ(listing->objects.size(), 2u);
  EXPECT_EQ(listing->objects[0].key, "runs/a&b.json");
  EXPECT_EQ(listing->objects[0].info.etag, "\"e1\"");
  EXPECT_EQ(listing->objects[0].info.size, 10u);
  EXPECT_EQ(FormatIso8601(listing->objects[1].info.last_modified), "2026-11-26T04:00:00.000Z");
  EXPECT_TRUE(listing->is_truncated);
  EXPECT_EQ(listing->next_continuation_token, "tok/en=");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target,
            "/b/?list-type=2&max-keys=2&prefix=runs%2F&continuation-token=a%20b");
  EXPECT_EQ(server.bad_signatures(), 0);
  request.max_keys = 0;
  EXPECT_EQ(store.ListObjectsV2("b", request).error().error, "InvalidArgument");
}

TEST(S3ObjectStoreTest, VirtualHostedAddressingPutsBucketInHost) {
  // 127.0.0.1 cannot carry a bucket subdomain, so only the URL is checked here.
  Endpoint endpoint;
  endpoint.url = "https://s3.eu-west-1.amazonaws.com";
  endpoint.path_style = false;
  EXPECT_EQ(S3ObjectUrl(endpoint, "my-bucket", "a b/c"),
            "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c");
}

TEST(S3ObjectStoreTest, TransportFailuresKeepTheirNames) {
  int port;
  {
    TestHttpServer closed([](const TestRequest&) { return TestResponse{}; });
    port = closed.port();
  }
  Endpoint endpoint;
  endpoint.url = "http://127.0.0.1:" + std::to_string(port);
  endpoint.signing_region = "us-east-1";
  endpoint.path_style = true;
  S3ObjectStore store(
      endpoint, [] { return Result<Credentials>(TestCredentials()); }, FastHttp());
  auto body = store.GetObject("b", "k", 10);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "HttpConnectionRefused");
  EXPECT_TRUE(body.error().cause.starts_with("GetObject s3://b/k at " + endpoint.url + " failed: "))
      << body.error().cause;

  TestHttpServer slow([](const TestRequest&) {
    return TestResponse{200, {}, "late", kNeverInTime};
  });
  endpoint.url = slow.url("");
  HttpClientOptions once = FastHttp();
  once.retry.max_attempts = 1;
  S3ObjectStore slow_store(
      endpoint, [] { return Result<Credentials>(TestCredentials()); }, once);
  EXPECT_EQ(slow_store.GetObject("b", "k", 10).error().error, "HttpTimeout");
}

TEST(S3ObjectStoreTest, CredentialErrorsKeepTheirNames) {
  Endpoint endpoint;
  endpoint.url = "http://127.0.0.1:1";
  endpoint.path_style = true;
  S3ObjectStore store(
      endpoint,
      [] {
        return Result<Credentials>(Error{"NoCredentials", "no credentials anywhere"});
      },
      FastHttp());
  auto body = store.GetObject("b", "k", 10);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().error, "NoCredentials");
  EXPECT_NE(body.error().cause.find("no credentials anywhere"), std::string::npos);
}

TEST(S3ObjectStoreTest, InvalidNamesFailBeforeAnyRequest) {
  SigningS3Server server([](const TestRequest&) { return TestResponse{200, {}, ""}; });
  S3ObjectStore store = server.Store();
  EXPECT_EQ(store.GetObject("", "k", 1).error().error, "InvalidBucketName");
  EXPECT_EQ(store.GetObject("b", "", 1).error().error, "InvalidObjectName");
  EXPECT_EQ(store.PutObject("b", std::string(1025, 'k'), "").error().error, "KeyTooLongError");
  EXPECT_TRUE(server.requests().empty());
}

TEST(S3ObjectStoreTest, MakeS3ObjectStoreResolvesEndpointFromEnvironment) {
  auto env = std::make_shared<MapEnvironment>();
  env->vars["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000";
  env->vars["AWS_ACCESS_KEY_ID"] = kKeyId;
  env->vars["AWS_SECRET_ACCESS_KEY"] = kSecret;
  env->vars["HOME"] = "/nonexistent";
  S3StoreOptions options;
  options.fallback_region = "eu-west-1";
  auto store = MakeS3ObjectStore(options, env);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto* s3 = dynamic_cast<S3ObjectStore*>(store->get());
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->endpoint().url, "http://127.0.0.1:9000");
  EXPECT_EQ(s3->endpoint().signing_region, "eu-west-1");
  EXPECT_TRUE(s3->endpoint().path_style);

  env->vars["AWS_REGION"] = "ap-south-1";
  options.endpoint_url = "http://localhost:4568";
  options.path_style = false;
  store = MakeS3ObjectStore(options, env);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  s3 = dynamic_cast<S3ObjectStore*>(store->get());
  EXPECT_EQ(s3->endpoint().url, "http://localhost:4568");
  EXPECT_EQ(s3->endpoint().signing_region, "ap-south-1");
  EXPECT_FALSE(s3->endpoint().path_style);

  options.endpoint_url = "ftp://nowhere";
  EXPECT_EQ(MakeS3ObjectStore(options, env).error().error, "EndpointError");
}

TEST(S3XmlTest, FindsElementsAndDecodesEntities) {
  std::string xml = "<A><Keys>no</Keys><Key>a&lt;b&#x41;&#66;&apos;</Key><Empty/></A>";
  EXPECT_EQ(XmlText(xml, "Key").value(), "a<bAB'");
  EXPECT_EQ(XmlText(xml, "Empty").value(), "");
  EXPECT_FALSE(XmlText(xml, "Missing").has_value());
  EXPECT_EQ(XmlElements("<C>1</C><C>2</C>", "C").size(), 2u);
  EXPECT_EQ(XmlDecode("&unknown; & x"), "&unknown; & x");
}

TEST(S3ErrorsTest, HttpDates) {
  EXPECT_EQ(FormatIso8601(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT").value()),
            "1994-11-06T08:49:37.000Z");
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Xyz 1994 08:49:37 GMT").has_value());
}

}  // namespace
}  // namespace autoretrain::aws
