#include "server/console_sessions.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

namespace autoretrain::server {
namespace {

std::vector<AccessKey> Keys() {
  return {AccessKey{"AKIDONE", "secret-one", "", "default"},
          AccessKey{"AKIDTWO", "secret-two", "", "other"}};
}

TimePoint Start() {
  TimePoint t;
  EXPECT_TRUE(ParseIso8601("2026-11-27T00:00:00Z", &t));
  return t;
}

TEST(ConsoleSessionsTest, SignInWithAPairOfTheCredentialsFileOpensASession) {
  ManualClock clock(Start());
  ConsoleSessions sessions(Keys(), clock);
  EXPECT_TRUE(sessions.auth_required());
  Result<ConsoleSession> session = sessions.SignIn("AKIDTWO", "secret-two");
  ASSERT_TRUE(session.ok()) << session.error().cause;
  EXPECT_EQ(session->access_key_id, "AKIDTWO");
  EXPECT_EQ(session->token.size(), 64u);
  EXPECT_EQ(session->csrf.size(), 64u);
  EXPECT_NE(session->token, session->csrf);
  std::optional<ConsoleSession> found =
      sessions.Find("other=1; autoretrain_console=" + session->token + "; x=y");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->csrf, session->csrf);
  EXPECT_EQ(found->access_key_id, "AKIDTWO");
}

TEST(ConsoleSessionsTest, WrongSecretsAndUnknownIdsAreRefusedAlike) {
  ManualClock clock(Start());
  ConsoleSessions sessions(Keys(), clock);
  Result<ConsoleSession> wrong_secret = sessions.SignIn("AKIDONE", "secret-two");
  Result<ConsoleSession> unknown_id = sessions.SignIn("AKIDNOPE", "secret-one");
  Result<ConsoleSession> empty = sessions.SignIn("", "");
  ASSERT_FALSE(wrong_secret.ok());
  ASSERT_FALSE(unknown_id.ok());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(wrong_secret.error().error, "InvalidCredentials");
  EXPECT_EQ(wrong_secret.error(), unknown_id.error());
  // The message never carries the secret that was tried or the real one.
  EXPECT_EQ(wrong_secret.error().cause.find("secret-"), std::string::npos);
}

TEST(ConsoleSessionsTest, SessionsExpireAfterTwelveHoursAndOnSignOut) {
  ManualClock clock(Start());
  ConsoleSessions sessions(Keys(), clock);
  ConsoleSession session = sessions.SignIn("AKIDONE", "secret-one").value();
  const std::string cookie = "autoretrain_console=" + session.token;
  clock.Advance(std::chrono::hours(12) - std::chrono::milliseconds(1));
  EXPECT_TRUE(sessions.Find(cookie).has_value());
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(sessions.Find(cookie).has_value());

  ConsoleSession again = sessions.SignIn("AKIDONE", "secret-one").value();
  const std::string cookie2 = "autoretrain_console=" + again.token;
  EXPECT_TRUE(sessions.Find(cookie2).has_value());
  sessions.SignOut(cookie2);
  EXPECT_FALSE(sessions.Find(cookie2).has_value());
  EXPECT_FALSE(sessions.Find("").has_value());
  EXPECT_FALSE(sessions.Find("autoretrain_console=" + std::string(64, '0')).has_value());
}

TEST(ConsoleSessionsTest, SigningInBeyondTheCapEndsTheSessionExpiringFirst) {
  ManualClock clock(Start());
  ConsoleSessions sessions(Keys(), clock);
  std::vector<std::string> cookies;
  for (size_t i = 0; i < kMaxSessions; ++i) {
    cookies.push_back("autoretrain_console=" + sessions.SignIn("AKIDONE", "secret-one")->token);
    clock.Advance(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(sessions.Find(cookies.front()).has_value());  // all 1,000 are open
  const std::string newest =
      "autoretrain_console=" + sessions.SignIn("AKIDTWO", "secret-two")->token;
  EXPECT_TRUE(sessions.Find(newest).has_value());
  EXPECT_FALSE(sessions.Find(cookies[0]).has_value());  // the oldest made room
  for (size_t i = 1; i < kMaxSessions; ++i) {
    EXPECT_TRUE(sessions.Find(cookies[i]).has_value()) << i;
  }
}

TEST(ConsoleSessionsTest, WithoutKeysEveryRequestHasTheServerWideSession) {
  ManualClock clock(Start());
  ConsoleSessions sessions(std::nullopt, clock);
  EXPECT_FALSE(sessions.auth_required());
  std::optional<ConsoleSession> a = sessions.Find("");
  std::optional<ConsoleSession> b = sessions.Find("autoretrain_console=whatever");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->csrf, b->csrf);
  EXPECT_EQ(a->csrf.size(), 64u);
  Result<ConsoleSession> signed_in = sessions.SignIn("AKIDONE", "secret-one");
  ASSERT_FALSE(signed_in.ok());
  EXPECT_EQ(signed_in.error().error, "SignInNotNeeded");
}

TEST(ConsoleSessionsTest, TokensAreRandomHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string token = RandomToken();
    ASSERT_EQ(token.size(), 64u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(ConsoleSessionsTest, CookieHeaderParsingAndSetCookie) {
  EXPECT_EQ(ConsoleSessions::CookieToken("autoretrain_console=abc"), "abc");
  EXPECT_EQ(ConsoleSessions::CookieToken("a=b;autoretrain_console=abc ;c=d"), "abc");
  EXPECT_EQ(ConsoleSessions::CookieToken("xautoretrain_console=abc"), "");
  EXPECT_EQ(ConsoleSessions::CookieToken(""), "");
  ConsoleSession session{"tok", "csrf", "AKID", Start() + std::chrono::hours(12)};
  EXPECT_EQ(ConsoleSessions::SetCookie(session, Start()),
            "autoretrain_console=tok; Path=/console; HttpOnly; SameSite=Strict; Max-Age=43200");
  EXPECT_EQ(ConsoleSessions::SetCookie(ConsoleSession{}, Start()),
            "autoretrain_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
}

}  // namespace
}  // namespace autoretrain::server
