// The credentials chain: environment, shared files and profiles, the container endpoint and
// the instance metadata service (real local HTTP servers), chain order, and the refreshing
// cache. The environment is a map: nothing here reads the machine's real variables or files.
#include "autoretrain/aws/credentials.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/test_http_server.h"

namespace autoretrain::aws {
namespace {

using std::chrono::milliseconds;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

HttpClientOptions FastOptions() {
  HttpClientOptions options;
  options.connect_timeout = milliseconds(500);
  options.total_timeout = milliseconds(1000);
  options.sleep = [](milliseconds) {};
  return options;
}

MapEnvironment HomeEnv() {
  MapEnvironment env;
  env.vars["HOME"] = "/home/u";
  env.vars["AWS_EC2_METADATA_DISABLED"] = "true";
  return env;
}

Result<Credentials> Resolve(const Environment& env, HttpClient* http) {
  auto chain = DefaultCredentialsChain(env, http);
  if (!chain.ok()) return chain.take_error();
  return (*chain)->Resolve();
}

TEST(SharedConfigTest, ParsesProfilesServicesAndNestedSettings) {
  auto config = SharedConfig::Parse(
      "# keys\n[default]\naws_access_key_id = AKID1\naws_secret_access_key=S1\n\n[dev]\n"
      "aws_access_key_id=AKID2\n",
      "creds",
      "[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n  max_concurrent = 4\n"
      "output = json\n; comment\n[profile dev]\nregion=us-west-2\naws_access_key_id=FROMCONFIG\n"
      "services = local\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n"
      "[sso-session x]\nsso_region = us-east-1\n",
      "config", "dev");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  auto def = config->Profile("default");
  ASSERT_TRUE(def);
  EXPECT_EQ(def->Get("region"), "eu-west-1");
  EXPECT_EQ(def->Get("aws_access_key_id"), "AKID1");
  EXPECT_EQ(def->GetNested("s3", "addressing_style"), "path");
  EXPECT_EQ(def->GetNested("s3", "max_concurrent"), "4");
  EXPECT_EQ(def->Get("output"), "json");  // a setting after the nested block is top-level
  auto dev = config->Profile();
  ASSERT_TRUE(dev);
  EXPECT_EQ(config->profile_name(), "dev");
  EXPECT_EQ(dev->Get("aws_access_key_id"), "AKID2");  // the credentials file wins
  EXPECT_EQ(dev->Get("region"), "us-west-2");
  ASSERT_NE(config->Services("local"), nullptr);
  EXPECT_EQ(config->Services("local")->GetNested("s3", "endpoint_url"), "http://127.0.0.1:9000");
  EXPECT_FALSE(config->Profile("x"));  // sso-session sections are not profiles
}

TEST(SharedConfigTest, MalformedLineNamesFileAndLineButNotItsContent) {
  auto config = SharedConfig::Parse("[default]\naws_secret_access_key wJalrSECRET\n",
                                    "/home/u/.aws/credentials", "", "config", "default");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().error, "ConfigError");
  EXPECT_NE(config.error().cause.find("/home/u/.aws/credentials:2"), std::string::npos);
  EXPECT_EQ(config.error().cause.find("wJalrSECRET"), std::string::npos);
}

TEST(CredentialsTest, EnvironmentVariables) {
  MapEnvironment env = HomeEnv();
  env.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "secret";
  env.vars["AWS_SESSION_TOKEN"] = "token";
  // The environment wins over a profile with keys.
  env.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id=AKIDFILE\n"
      "aws_secret_access_key=s\n";
  auto creds = Resolve(env, nullptr);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->secret_access_key, "secret");
  EXPECT_EQ(creds->session_token, "token");
  EXPECT_EQ(creds->source, "environment variables");
  EXPECT_FALSE(creds->expires());
}

TEST(CredentialsTest, HalfAKeyPairInTheEnvironmentIsAnError) {
  MapEnvironment env = HomeEnv();
  env.vars["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id=A\n"
      "aws_secret_access_key=s\n";
  auto creds = Resolve(env, nullptr);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kCredentialsError);
  EXPECT_NE(creds.error().cause.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

TEST(CredentialsTest, DefaultProfileFromTheCredentialsFile) {
  MapEnvironment env = HomeEnv();
  env.files["/home/u/.aws/credentials"] =
      "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s3cr3t\n"
      "aws_session_token = tok\n";
  auto creds = Resolve(env, nullptr);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "AKIDFILE");
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->source, "profile 'default'");
}

TEST(CredentialsTest, NamedProfileInTheConfigFileAtCustomPaths) {
  MapEnvironment env = HomeEnv();
  env.vars["AWS_PROFILE"] = "ci";
  env.vars["AWS_CONFIG_FILE"] = "~/cfg/aws-config";
  env.vars["AWS_SHARED_CREDENTIALS_FILE"] = "/etc/aws-creds";
  env.files["/home/u/cfg/aws-config"] =
      "[profile ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=fromconfig\n";
  env.files["/etc/aws-creds"] = "[ci]\naws_secret_access_key=fromcredentials\n";
  auto creds = Resolve(env, nullptr);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "AKIDCI");
  EXPECT_EQ(creds->secret_access_key, "fromcredentials");
}

TEST(CredentialsTest, MissingNamedProfileIsAnError) {
  MapEnvironment env = HomeEnv();
  env.vars["AWS_PROFILE"] = "nope";
  auto creds = Resolve(env, nullptr);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kCredentialsError);
  EXPECT_NE(creds.error().cause.find("'nope' named by AWS_PROFILE"), std::string::npos);
}

TEST(CredentialsTest, UnsupportedProfileSourceIsAnError) {
  MapEnvironment env = HomeEnv();
  env.files["/home/u/.aws/config"] =
      "[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n";
  auto creds = Resolve(env, nullptr);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().cause.find("'role_arn'"), std::string::npos) << creds.error().cause;
}

TEST(CredentialsTest, NothingConfiguredListsWhereItLooked) {
  MapEnvironment env = HomeEnv();
  auto creds = Resolve(env, nullptr);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kNoCredentials);
  for (const char* part :
       {"environment variables", "/home/u/.aws/credentials", "/home/u/.aws/config",
        "container endpoint", "disabled by AWS_EC2_METADATA_DISABLED", "AWS_PROFILE"}) {
    EXPECT_NE(creds.error().cause.find(part), std::string::npos) << part;
  }
}

TEST(CredentialsTest, ContainerEndpointWithTokenFile) {
  TestHttpServer server([](const TestRequest& request) {
    if (request.target != "/creds" || request.Header("Authorization") != "Bearer abc") {
      return TestResponse{403, {}, "forbidden"};
    }
    return TestResponse{200,
                        {{"Content-Type", "application/json"}},
                        R"({"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"cs",)"
                        R"("Token":"ctok","Expiration":"2030-01-01T00:00:00Z"})"};
  });
  MapEnvironment env = HomeEnv();
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url("/creds");
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Bearer wrong";
  env.vars["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = "/var/run/token";
  env.files["/var/run/token"] = "Bearer abc\n";
  HttpClient http(FastOptions());
  auto creds = Resolve(env, &http);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "ASIACONTAINER");
  EXPECT_EQ(creds->session_token, "ctok");
  ASSERT_TRUE(creds->expires());
  EXPECT_EQ(FormatIso8601(creds->expiration), "2030-01-01T00:00:00.000Z");
}

TEST(CredentialsTest, ContainerEndpointErrors) {
  HttpClient http(FastOptions());
  MapEnvironment env = HomeEnv();
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.1.2.3/creds";
  auto creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().cause.find("only loopback"), std::string::npos) << creds.error().cause;

  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] =
      "http://127.0.0.1:" + std::to_string(testing::UnusedPort()) + "/creds";
  creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kCredentialsError);
  EXPECT_NE(creds.error().cause.find("connection refused"), std::string::npos);

  TestHttpServer server([](const TestRequest&) { return TestResponse{200, {}, "not json"}; });
  env.vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url("/creds");
  creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().cause.find("did not return a JSON object"), std::string::npos);
}

// An instance metadata service: IMDSv2 tokens, one role, counted credential fetches.
struct FakeImds {
  std::atomic<int> credential_fetches{0};
  std::atomic<bool> v2{true};
  std::atomic<bool> failing{false};
  std::string expiration = "2015-08-30T13:36:00Z";
  TestHttpServer server{[this](const TestRequest& request) { return Answer(request); }};

  TestResponse Answer(const TestRequest& request) {
    if (failing) return TestResponse{500, {}, "down"};
    if (request.method == "PUT" && request.target == "/latest/api/token") {
      if (!v2) return TestResponse{403, {}, ""};
      if (request.Header("X-aws-ec2-metadata-token-ttl-seconds") != "21600") {
        return TestResponse{400, {}, ""};
      }
      return TestResponse{200, {}, "TOKEN123"};
    }
    if (v2 && request.Header("X-aws-ec2-metadata-token") != "TOKEN123") {
      return TestResponse{401, {}, ""};
    }
    if (request.target == "/latest/meta-data/iam/security-credentials/") {
      return TestResponse{200, {}, "my-role\n"};
    }
    if (request.target == "/latest/meta-data/iam/security-credentials/my-role") {
      int n = ++credential_fetches;
      return TestResponse{200,
                          {},
                          R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS)" +
                              std::to_string(n) + R"(","SecretAccessKey":"is","Token":"itok",)" +
                              R"("Expiration":")" + expiration + R"("})"};
    }
    return TestResponse{404, {}, ""};
  }
};

TEST(CredentialsTest, InstanceMetadataV2) {
  FakeImds imds;
  MapEnvironment env = HomeEnv();
  env.vars.erase("AWS_EC2_METADATA_DISABLED");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.server.url("/");
  HttpClient http(FastOptions());
  auto creds = Resolve(env, &http);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS1");
  EXPECT_EQ(creds->session_token, "itok");
  EXPECT_NE(creds->source.find("role my-role"), std::string::npos);
  auto requests = imds.server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
}

TEST(CredentialsTest, InstanceMetadataFallsBackToV1) {
  FakeImds imds;
  imds.v2 = false;
  MapEnvironment env = HomeEnv();
  env.vars.erase("AWS_EC2_METADATA_DISABLED");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.server.url();
  HttpClient http(FastOptions());
  auto creds = Resolve(env, &http);
  ASSERT_TRUE(creds.ok()) << creds.error().cause;
  EXPECT_EQ(creds->access_key_id, "ASIAIMDS1");
  env.vars["AWS_EC2_METADATA_V1_DISABLED"] = "true";
  creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_NE(creds.error().cause.find("IMDSv1 is disabled"), std::string::npos);
}

TEST(CredentialsTest, InstanceMetadataDisabledIsNotAsked) {
  FakeImds imds;
  MapEnvironment env = HomeEnv();  // AWS_EC2_METADATA_DISABLED=true
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.server.url();
  HttpClient http(FastOptions());
  auto creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kNoCredentials);
  EXPECT_EQ(imds.server.request_count(), 0);
}

TEST(CredentialsTest, ExplicitMetadataEndpointThatDoesNotAnswerIsAnError) {
  MapEnvironment env = HomeEnv();
  env.vars.erase("AWS_EC2_METADATA_DISABLED");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] =
      "http://127.0.0.1:" + std::to_string(testing::UnusedPort());
  HttpClient http(FastOptions());
  auto creds = Resolve(env, &http);
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().error, kCredentialsError);
  EXPECT_NE(creds.error().cause.find("AWS_EC2_METADATA_DISABLED=true"), std::string::npos);
}

TEST(CredentialsTest, CacheRefreshesBeforeExpiry) {
  FakeImds imds;  // credentials expire at 13:36:00
  MapEnvironment env = HomeEnv();
  env.vars.erase("AWS_EC2_METADATA_DISABLED");
  env.vars["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.server.url();
  HttpClient http(FastOptions());
  auto chain = DefaultCredentialsChain(env, &http);
  ASSERT_TRUE(chain.ok());
  TimePoint start;
  ASSERT_TRUE(ParseIso8601("2015-08-30T12:36:00Z", &start));
  ManualClock clock(start);
  CachingCredentialsProvider cache(std::move(chain).value(), &clock);

  EXPECT_EQ(cache.Get()->access_key_id, "ASIAIMDS1");
  clock.Advance(std::chrono::minutes(54));  // 13:30, 6 minutes left: still cached
  EXPECT_EQ(cache.Get()->access_key_id, "ASIAIMDS1");
  EXPECT_EQ(imds.credential_fetches, 1);

  imds.expiration = "2015-08-30T14:36:00Z";
  clock.Advance(std::chrono::minutes(2));  // 13:32, within 5 minutes of expiry: refresh
  EXPECT_EQ(cache.Get()->access_key_id, "ASIAIMDS2");
  EXPECT_EQ(imds.credential_fetches, 2);

  imds.failing = true;
  clock.Advance(std::chrono::minutes(58));  // 14:30: refresh fails, old ones still valid
  auto kept = cache.Get();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->access_key_id, "ASIAIMDS2");
  clock.Advance(std::chrono::minutes(7));  // 14:37: expired and no refresh
  auto expired = cache.Get();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().error, kCredentialsError);
}

TEST(CredentialsTest, StaticCredentialsAreFetchedOnce) {
  MapEnvironment env = HomeEnv();
  env.vars["AWS_ACCESS_KEY_ID"] = "AKID";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "s";
  auto chain = DefaultCredentialsChain(env, nullptr);
  ASSERT_TRUE(chain.ok());
  ManualClock clock(TimePoint{});
  CachingCredentialsProvider cache(std::move(chain).value(), &clock);
  ASSERT_TRUE(cache.Get().ok());
  env.vars.erase("AWS_ACCESS_KEY_ID");  // static credentials never expire: not read again
  clock.Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(cache.Get()->access_key_id, "AKID");
}

}  // namespace
}  // namespace autoretrain::aws
