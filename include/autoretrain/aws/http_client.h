// An HTTP client on libcurl for talking to AWS and S3-compatible services: reused connections,
// connect and per-attempt timeouts, and the AWS SDKs' "standard" retry mode (up to 3 attempts,
// exponential backoff with full jitter capped at 20 s, a retry quota) on throttling, 5xx and
// connection errors. Failures are named data (HttpTimeout, HttpConnectionRefused, ...), and no
// secret (Authorization, X-Amz-Security-Token, X-Amz-Signature) appears in any error text.
//
// Thread-safety: one HttpClient may be used by many threads at once; each Send borrows a curl
// handle from a pool, and the handles share DNS and connection caches under locks.
#ifndef AUTORETRAIN_AWS_HTTP_CLIENT_H_
#define AUTORETRAIN_AWS_HTTP_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// Error names (Error::error) of failed Sends, for task integrations to map to task errors.
inline constexpr std::string_view kHttpTimeout = "HttpTimeout";  // connect or total timeout
inline constexpr std::string_view kHttpConnectionRefused = "HttpConnectionRefused";
// DNS failure, unreachable network, reset before a response, TLS handshake failure.
inline constexpr std::string_view kHttpConnectionFailed = "HttpConnectionFailed";
// The server closed mid-response, sent nothing, or sent something that is not HTTP.
inline constexpr std::string_view kHttpMalformedResponse = "HttpMalformedResponse";
inline constexpr std::string_view kHttpInvalidRequest = "HttpInvalidRequest";  // bad URL, ...

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // "https://states.us-east-1.amazonaws.com/" (scheme, host, port, path, query)
  Headers headers;
  std::string body;
  // Whether sending the request twice has the effect of sending it once. Empty: true for GET,
  // HEAD, PUT, DELETE and OPTIONS, false for POST and PATCH. A request that is not idempotent is
  // retried only when it cannot have reached the server's logic: a refused or failed
  // connection, or a throttling answer (429, 503, or an AWS throttling error code).
  std::optional<bool> idempotent;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // in the order received (of the final response, after 1xx)
  std::string body;
  int attempts = 0;  // how many times the request was sent

  // The first value of header `name` (case-insensitive), or "".
  std::string Header(std::string_view name) const;
};

// The SDKs' standard retry mode.
struct RetryOptions {
  int max_attempts = 3;  // total attempts, first included (AWS_MAX_ATTEMPTS)
  // Backoff before retry i (1-based) is random(0,1) * min(base_delay * 2^(i-1), max_backoff).
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_backoff{20000};
  // Retry quota: a client starts with 500 tokens; a retry costs 5 (10 after a timeout) and
  // each success returns 1. With the bucket empty, failures are returned without retrying.
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds total_timeout{30000};  // per attempt, connect included
  RetryOptions retry;
  // Injectable for tests: how to wait between attempts, and the jitter source in [0, 1).
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random;
  // Largest response body accepted (bigger answers fail as HttpMalformedResponse).
  size_t max_response_bytes = 64 * 1024 * 1024;
};

// What a retry decision looks at; public so the rules can be tested and documented exactly.
// `status` is 0 when no response came; `error_code` is the AWS error code from the response
// (x-amzn-ErrorType, a JSON "__type"/"code", or an XML <Code>), "" if none.
bool IsThrottlingError(int status, std::string_view error_code);
bool IsTransientStatus(int status, std::string_view error_code);
// The AWS error code of a response, as above ("ThrottlingException" from
// "com.amazonaws.x#ThrottlingException" or "ThrottlingException:http://...").
std::string AwsErrorCode(const HttpResponse& response);

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request`, retrying per the options. On success returns the final response,
  // whatever its status: a 4xx, or a 5xx/429 still failing after the last attempt, is a
  // response, not an Error (the caller maps AWS's error body). Fails with one of the kHttp*
  // errors when no complete response arrived on the last attempt; the cause says what,
  // where (method and URL with signatures and tokens redacted), after how many attempts, and
  // what to check.
  Result<HttpResponse> Send(const HttpRequest& request);

  // Like Send, but the request is signed (SigV4, header placement) before every attempt with
  // fresh time from `now`, so a retry after a long backoff is not rejected as expired. The
  // Host header is added from the URL when missing. Fails as Send, or with "SigningError".
  Result<HttpResponse> SendSigned(HttpRequest request, const Credentials& credentials,
                                  SigningOptions options, const std::function<TimePoint()>& now);

 private:
  struct Pool;
  using Signer = std::function<Status(HttpRequest*)>;
  Result<HttpResponse> SendWithRetries(HttpRequest request, const Signer& sign);
  Result<HttpResponse> SendOnce(const HttpRequest& request);

  HttpClientOptions options_;
  std::unique_ptr<Pool> pool_;
  std::mutex quota_mutex_;
  int quota_;
};

// The parts of a URL the signer needs: "https://h:8443/a/b?x=1" -> host header "h:8443", path
// "/a/b", query "x=1". Default ports (80 for http, 443 for https) are left out of the host.
// Returns nullopt for a URL without "scheme://host".
struct UrlParts {
  std::string scheme, host_header, path, query;
};
std::optional<UrlParts> SplitUrl(std::string_view url);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_HTTP_CLIENT_H_
