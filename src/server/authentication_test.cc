#include "autoretrain/server/authentication.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/clock.h"

namespace autoretrain::server {
namespace {

class AuthenticationTest : public ::testing::Test {
 protected:
  AuthenticationTest()
      : path_(std::filesystem::temp_directory_path() /
              ("auth-test-" + std::to_string(::getpid()) + ".ini")) {}
  ~AuthenticationTest() override { std::filesystem::remove(path_); }

  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_.string();
  }

  // A ListActivities request signed with `key`/`secret` at `when`, as an SDK sends it.
  static HttpRequest Signed(const std::string& key, const std::string& secret, TimePoint when,
                            const std::string& body = "{}") {
    aws::SignableRequest signable;
    signable.method = "POST";
    signable.path = "/";
    signable.headers = {{"Host", "127.0.0.1:8083"},
                        {"Content-Type", "application/x-amz-json-1.0"},
                        {"X-Amz-Target", "AWSStepFunctions.ListActivities"}};
    signable.body = body;
    aws::Credentials credentials;
    credentials.access_key_id = key;
    credentials.secret_access_key = secret;
    auto signed_request = aws::SignInPlace(&signable, credentials,
                                           aws::SigningOptionsFor("states", "eu-central-1", when));
    EXPECT_TRUE(signed_request.ok());
    HttpRequest request;
    request.method = "POST";
    request.target = request.path = "/";
    request.headers = signable.headers;
    request.body = body;
    return request;
  }

  std::filesystem::path path_;
};

TEST_F(AuthenticationTest, LoadsEverySectionWithAKey) {
  Result<std::vector<AccessKey>> keys = LoadAccessKeys(
      Write("# comment\n[default]\naws_access_key_id = AK1\naws_secret_access_key = s1\n\n"
            "[profile other]\n; another comment\naws_access_key_id=AK2\naws_secret_access_key=s2\n"
            "aws_session_token = tok\n[region-only]\nregion = eu-west-1\n"));
  ASSERT_TRUE(keys.ok()) << keys.error().cause;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].access_key_id, "AK1");
  EXPECT_EQ((*keys)[0].secret_access_key, "s1");
  EXPECT_EQ((*keys)[1].profile, "other");
  EXPECT_EQ((*keys)[1].session_token, "tok");
}

TEST_F(AuthenticationTest, RefusesBrokenFilesSayingWhere) {
  auto cause = [this](const std::string& text) {
    Result<std::vector<AccessKey>> keys = LoadAccessKeys(Write(text));
    EXPECT_FALSE(keys.ok());
    return keys.ok() ? std::string() : keys.error().cause;
  };
  EXPECT_NE(cause("[a]\naws_access_key_id = AK\n").find("line 1"), std::string::npos);
  EXPECT_NE(cause("[a]\naws_access_key_id = AK\n").find("no aws_secret_access_key"),
            std::string::npos);
  EXPECT_NE(cause("[a]\njunk\n").find("line 2: expected KEY = VALUE"), std::string::npos);
  EXPECT_NE(cause("x = y\n").find("before any [NAME] section"), std::string::npos);
  EXPECT_NE(cause("").find("no access key"), std::string::npos);
  const std::string dup = cause(
      "[a]\naws_access_key_id=K\naws_secret_access_key=secret-a\n"
      "[b]\naws_access_key_id=K\naws_secret_access_key=secret-b\n");
  EXPECT_NE(dup.find("is in both [a] and [b]"), std::string::npos);
  EXPECT_EQ(dup.find("secret-"), std::string::npos);  // never a secret in a message
  Result<std::vector<AccessKey>> missing = LoadAccessKeys("/nonexistent/credentials");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "InvalidCredentialsFile");
}

TEST_F(AuthenticationTest, ReadsTheMetricsTokenWithoutItsSurroundingWhitespace) {
  const std::string token = "3f9a0c1d5e7b2a4c6d8e0f1a2b3c4d5e";
  for (const std::string& text : {token, token + "\n", "  " + token + " \r\n"}) {
    Result<std::string> loaded = LoadMetricsToken(Write(text));
    ASSERT_TRUE(loaded.ok()) << loaded.error().cause;
    EXPECT_EQ(*loaded, token);
  }
}

TEST_F(AuthenticationTest, RefusesMetricsTokensThatAreShortOrNotOneWordWithoutShowingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "shorter than 16"},
      {"short-token", "shorter than 16"},
      {"two words are not a token", "has a space"},
      {"line-one-of-a-token\nline-two-of-a-token\n", "has a space"},
      {"t\xc3\xa9l\xc3\xa9phone-0123456789", "outside ASCII"},
      {std::string(1025, 'a'), "longer than 1024"}};
  for (const auto& [text, expected] : cases) {
    Result<std::string> loaded = LoadMetricsToken(Write(text));
    ASSERT_FALSE(loaded.ok()) << text;
    EXPECT_EQ(loaded.error().error, "InvalidMetricsTokenFile");
    EXPECT_NE(loaded.error().cause.find(expected), std::string::npos) << loaded.error().cause;
    EXPECT_NE(loaded.error().cause.find(path_.string()), std::string::npos);
    if (text.size() > 3) {
      EXPECT_EQ(loaded.error().cause.find(text), std::string::npos);
    }
  }
  std::filesystem::remove(path_);
  Result<std::string> missing = LoadMetricsToken(path_.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().cause.find("cannot be read"), std::string::npos);
}

TEST_F(AuthenticationTest, VerifiesSignatures) {
  SystemClock clock;
  Authenticator authenticate = SigV4Authenticator(
      {AccessKey{
          .access_key_id = "AK1", .secret_access_key = "s1", .session_token = "", .profile = "p"}},
      "states", "111122223333", clock);
  const TimePoint now = clock.Now();
  Result<Caller> caller = authenticate(Signed("AK1", "s1", now));
  ASSERT_TRUE(caller.ok()) << caller.error().cause;
  EXPECT_EQ(caller->access_key_id, "AK1");
  EXPECT_EQ(caller->account, "111122223333");

  EXPECT_EQ(authenticate(Signed("AK1", "wrong", now)).error().error, "InvalidSignatureException");
  EXPECT_EQ(authenticate(Signed("AK9", "s1", now)).error().error, "UnrecognizedClientException");
  EXPECT_EQ(authenticate(Signed("AK1", "s1", now - std::chrono::minutes(10))).error().error,
            "InvalidSignatureException");
  HttpRequest tampered = Signed("AK1", "s1", now);
  tampered.body = R"({"maxResults":1})";
  EXPECT_EQ(authenticate(tampered).error().error, "InvalidSignatureException");
  HttpRequest unsigned_request;
  unsigned_request.method = "POST";
  unsigned_request.path = "/";
  EXPECT_EQ(authenticate(unsigned_request).error().error, "MissingAuthenticationTokenException");
}

}  // namespace
}  // namespace autoretrain::server
