// ConsoleSessions (console_sessions.h): sign-in, session cookies and CSRF tokens.
#include "server/console_sessions.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::server {

std::string RandomToken() {
  unsigned char bytes[32];
  size_t filled = 0;
  while (filled < sizeof bytes) {
    const ssize_t n = getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    // getrandom only fails on kernels without it (before 3.17) or with bad arguments; a
    // session must never get a guessable token, so there is no fallback.
    if (n < 0) std::abort();
    filled += static_cast<size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(64);
  for (unsigned char byte : bytes) {
    token.push_back(kHex[byte >> 4]);
    token.push_back(kHex[byte & 15]);
  }
  return token;
}

ConsoleSessions::ConsoleSessions(std::optional<std::vector<AccessKey>> keys, Clock& clock)
    : keys_(std::move(keys)), clock_(clock) {
  open_session_.token = "";
  open_session_.csrf = RandomToken();
  open_session_.expires = TimePoint::max();
}

Result<ConsoleSession> ConsoleSessions::SignIn(std::string_view access_key_id,
                                               std::string_view secret) {
  if (!keys_) {
    return Error{"SignInNotNeeded",
                 "this server has no --credentials-file: the console needs no sign-in"};
  }
  // Look at every key, so that the time taken does not tell which ids exist.
  const AccessKey* match = nullptr;
  for (const AccessKey& key : *keys_) {
    const bool id_equal = aws::ConstantTimeEquals(access_key_id, key.access_key_id);
    const bool secret_equal = aws::ConstantTimeEquals(secret, key.secret_access_key);
    if (id_equal && secret_equal) match = &key;
  }
  if (match == nullptr) {
    return Error{"InvalidCredentials",
                 "the access key id and secret access key do not match any key of the server's "
                 "--credentials-file: give a pair from that file"};
  }
  const TimePoint now = clock_.Now();
  ConsoleSession session{
      RandomToken(), RandomToken(), match->access_key_id,
      now + std::chrono::duration_cast<std::chrono::milliseconds>(kSessionLifetime)};
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires <= now; });
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.expires < b.second.expires;
    });
    sessions_.erase(oldest);
  }
  sessions_[session.token] = session;
  return session;
}

std::optional<ConsoleSession> ConsoleSessions::Find(std::string_view cookie_header) {
  if (!keys_) return open_session_;
  const std::string token = CookieToken(cookie_header);
  if (token.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= clock_.Now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void ConsoleSessions::SignOut(std::string_view cookie_header) {
  const std::string token = CookieToken(cookie_header);
  if (token.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(token);
}

std::string ConsoleSessions::CookieToken(std::string_view cookie_header) {
  // "a=1; autoretrain_console=TOKEN; b=2"
  while (!cookie_header.empty()) {
    const size_t semicolon = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, semicolon);
    cookie_header = semicolon == std::string_view::npos ? std::string_view()
                                                        : cookie_header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos || pair.substr(0, equals) != kSessionCookie) continue;
    std::string_view value = pair.substr(equals + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return std::string(value);
  }
  return "";
}

std::string ConsoleSessions::SetCookie(const ConsoleSession& session, TimePoint now) {
  const int64_t max_age =
      session.token.empty()
          ? 0
          // Rounded up: a session created a few milliseconds before this keeps its whole
          // lifetime (the server checks the expiry itself).
          : std::max<int64_t>(
                0, std::chrono::ceil<std::chrono::seconds>(session.expires - now).count());
  return std::string(kSessionCookie) + "=" + session.token +
         "; Path=/console; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
}

}  // namespace autoretrain::server
