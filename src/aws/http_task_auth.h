// The authorization of HTTP task connections: the headers, query and body parameters a
// connection adds to a request, with secrets read from the environment at each call and
// OAuth client-credentials tokens fetched and cached.
//
// Thread-safety: Authorize may be called concurrently (the token cache is locked).
#ifndef AUTORETRAIN_AWS_HTTP_TASK_AUTH_H_
#define AUTORETRAIN_AWS_HTTP_TASK_AUTH_H_

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "autoretrain/aws/http_task.h"

namespace autoretrain::aws {

// What a connection adds to one request; values may be secret (never print them).
struct ConnectionAdditions {
  Headers headers;
  std::vector<std::pair<std::string, std::string>> query, body;
};

// `text` with `url` (as the HttpClient writes it into errors) replaced by the URL without its
// query ("...?REDACTED"): a connection's query parameters may be secrets.
std::string ScrubQuery(std::string text, const std::string& url);

// Standard base64 (RFC 4648, with padding).
std::string Base64(std::string_view data);

class ConnectionAuthorizer {
 public:
  ConnectionAuthorizer(std::shared_ptr<const Environment> env, HttpClient* http)
      : env_(std::move(env)), http_(http) {}

  // The additions for `connection`; `refresh` drops a cached OAuth token first. Fails with
  // States.Runtime naming the connection and the unset environment variable, or the OAuth
  // token request's failure (status or transport error, without secrets).
  Result<ConnectionAdditions> Authorize(const HttpConnection& connection, bool refresh);

 private:
  Result<std::string> Secret(const HttpConnection& connection, std::string_view what,
                             const std::string& env_name) const;
  Result<std::vector<std::pair<std::string, std::string>>> Resolve(
      const HttpConnection& connection, const std::vector<ConnectionParameter>& parameters) const;
  Result<std::string> OAuthToken(const HttpConnection& connection, bool refresh);

  std::shared_ptr<const Environment> env_;
  HttpClient* http_;
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mutex_;
  std::map<std::string, Token> tokens_;  // by connection ARN
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_HTTP_TASK_AUTH_H_
