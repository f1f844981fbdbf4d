// ConsoleSessions: who is signed in to the web console (docs/console.md#authentication).
//
// With access keys (serve --credentials-file), SignIn checks an access key id and secret
// access key pair against them (the secret compared in constant time) and opens a session:
// a random 256-bit token the console keeps in an HttpOnly, SameSite=Strict cookie, and a
// second random token the page sends back in the X-Console-Csrf header of every call that
// changes something. Sessions live in memory (a restart signs everyone out) and expire
// kSessionLifetime after sign-in. Without access keys (a loopback-only server) nobody signs
// in: every request is let through, but state-changing calls still need the server's one CSRF
// token, so that another web site cannot make the browser post to the console.
//
// Secrets never leave this class: neither the secret keys nor session tokens are logged or
// put in error messages.
//
// Thread-safety: every method may be called from any thread at once.
#ifndef AUTORETRAIN_SERVER_CONSOLE_SESSIONS_H_
#define AUTORETRAIN_SERVER_CONSOLE_SESSIONS_H_

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/server/authentication.h"

namespace autoretrain::server {

inline constexpr std::chrono::hours kSessionLifetime{12};
// The cookie holding the session token.
inline constexpr std::string_view kSessionCookie = "autoretrain_console";
// At most this many open sessions; signing in beyond it ends the one expiring first.
inline constexpr size_t kMaxSessions = 1000;

struct ConsoleSession {
  std::string token;          // the cookie's value (64 hex digits)
  std::string csrf;           // the X-Console-Csrf value (64 hex digits)
  std::string access_key_id;  // "" without authentication
  TimePoint expires;
};

class ConsoleSessions {
 public:
  // `keys` nullopt: no authentication (see above). `clock` must outlive this.
  ConsoleSessions(std::optional<std::vector<AccessKey>> keys, Clock& clock);

  // Whether sign-in is needed (the server has access keys).
  bool auth_required() const { return keys_.has_value(); }

  // Opens a session for the pair. Fails with Error{"InvalidCredentials", ...} (the same
  // message for an unknown id and a wrong secret) or, without authentication,
  // Error{"SignInNotNeeded", ...}.
  Result<ConsoleSession> SignIn(std::string_view access_key_id, std::string_view secret);

  // The session whose token the request's Cookie header carries and which has not expired,
  // or nullopt. Without authentication: the server-wide session (never expires).
  std::optional<ConsoleSession> Find(std::string_view cookie_header);

  // Ends the session of `cookie_header` (nothing when it has none).
  void SignOut(std::string_view cookie_header);

  // The session token inside a Cookie header value, or "".
  static std::string CookieToken(std::string_view cookie_header);
  // The Set-Cookie value that stores `session` (or, with an empty token, deletes the cookie).
  static std::string SetCookie(const ConsoleSession& session, TimePoint now);

 private:
  std::optional<std::vector<AccessKey>> keys_;
  Clock& clock_;
  ConsoleSession open_session_;  // the server-wide session without authentication
  std::mutex mu_;
  std::map<std::string, ConsoleSession, std::less<>> sessions_;  // by token
};

// 32 random bytes from the OS's CSPRNG, as 64 lowercase hex digits.
std::string RandomToken();

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_CONSOLE_SESSIONS_H_
