// HttpClient: libcurl easy handles pooled per client, sharing DNS and connection caches.
#include "autoretrain/aws/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "autoretrain/aws/redact.h"
#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using internal::Lower;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool DefaultIdempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

struct Transfer {
  HttpResponse* response;
  size_t limit;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->response->body.size() + bytes > transfer->limit) {
    transfer->too_large = true;
    return 0;  // aborts the transfer
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    transfer->response->headers.clear();  // a new (final or 1xx) status line
    return bytes;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  transfer->response->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return bytes;
}

}  // namespace

// Easy handles are reused (each keeps its connections alive), and all of a client's handles
// share one DNS and connection cache.
struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];

  Pool() {
    share = curl_share_init();
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  }
  ~Pool() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
    curl_share_cleanup(share);
  }
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Pool*>(user)->locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Pool*>(user)->locks[data].unlock();
  }
  CURL* Borrow() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }
  void Return(CURL* handle) {
    curl_easy_reset(handle);
    std::lock_guard lock(mutex);
    idle.push_back(handle);
  }
};

std::string HttpResponse::Header(std::string_view name) const {
  std::string lower = Lower(name);
  for (const auto& [n, v] : headers) {
    if (Lower(n) == lower) return v;
  }
  return "";
}

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), quota_(options_.retry.quota_capacity) {
  GlobalInit();
  pool_ = std::make_unique<Pool>();
  if (!options_.sleep) {
    options_.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  }
  if (!options_.random) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mutex = std::make_shared<std::mutex>();
    options_.random = [engine, mutex] {
      std::lock_guard lock(*mutex);
      return std::uniform_real_distribution<double>(0.0, 1.0)(*engine);
    };
  }
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::SendOnce(const HttpRequest& request) {
  CURL* curl = pool_->Borrow();
  if (curl == nullptr) return Error{std::string(kHttpInvalidRequest), "curl_easy_init failed"};
  HttpResponse response;
  Transfer transfer{&response, options_.max_response_bytes};
  curl_slist* header_list = nullptr;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (Lower(name) == "content-type") has_content_type = true;
    std::string line = name + (value.empty() ? ";" : ": " + value);
    header_list = curl_slist_append(header_list, line.c_str());
  }
  header_list = curl_slist_append(header_list, "Expect:");  // no 100-continue round trip
  if (!has_content_type) header_list = curl_slist_append(header_list, "Content-Type:");

  curl_easy_setopt(curl, CURLOPT_SHARE, pool_->share);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, nullptr);
  // AWS_CA_BUNDLE, as the AWS SDKs read it: the CA certificates where libcurl's built-in path
  // does not exist (a Debian-built binary on Amazon Linux, docs/deploy.md).
  if (const char* ca_bundle = std::getenv("AWS_CA_BUNDLE"); ca_bundle != nullptr && *ca_bundle) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca_bundle);
  }
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "GET" || !request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  long os_errno = 0;
  curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
  curl_slist_free_all(header_list);
  pool_->Return(curl);

  if (code == CURLE_OK) {
    response.status = static_cast<int>(status);
    return response;
  }
  std::string where = request.method + " " + RedactSecrets(request.url);
  std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  detail = RedactSecrets(detail);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Error{std::string(kHttpTimeout),
                   where + " timed out (" + detail + "; connect timeout " +
                       std::to_string(options_.connect_timeout.count()) + " ms, total " +
                       std::to_string(options_.total_timeout.count()) +
                       " ms): check that the endpoint is reachable and answering, or raise the "
                       "timeout"};
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ECONNREFUSED) {
        return Error{std::string(kHttpConnectionRefused),
                     where + ": connection refused (" + detail +
                         "): is the service running and listening on that host and port?"};
      }
      return Error{
          std::string(kHttpConnectionFailed),
          where + ": could not connect (" + detail + "): check the endpoint URL and the network"};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SEND_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return Error{std::string(kHttpConnectionFailed),
                   where + ": " + detail + ": check the endpoint URL, DNS, TLS and the network"};
    case CURLE_WRITE_ERROR:
      if (transfer.too_large) {
        return Error{std::string(kHttpMalformedResponse),
                     where + ": the response body exceeds the " +
                         std::to_string(options_.max_response_bytes) + "-byte limit"};
      }
      break;
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return Error{std::string(kHttpMalformedResponse),
                   where + ": incomplete or malformed response (" + detail +
                       "): the server closed the connection or did not speak HTTP"};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{std::string(kHttpInvalidRequest),
                   where + ": " + detail + ": the URL must look like http(s)://host[:port]/path"};
    default:
      break;
  }
  return Error{std::string(kHttpConnectionFailed), where + ": " + detail};
}

Result<HttpResponse> HttpClient::SendWithRetries(HttpRequest request, const Signer& sign) {
  const RetryOptions& retry = options_.retry;
  const bool idempotent = request.idempotent.value_or(DefaultIdempotent(request.method));
  const int max_attempts = std::max(1, retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    if (sign) {
      Status signed_ok = sign(&request);
      if (!signed_ok.ok()) return signed_ok.take_error();
    }
    Result<HttpResponse> result = SendOnce(request);
    bool retryable = false;
    int cost = retry.retry_cost;
    if (result.ok()) {
      result->attempts = attempt;
      std::string code = result->status >= 400 ? AwsErrorCode(*result) : "";
      bool throttled = result->status >= 400 && IsThrottlingError(result->status, code);
      bool transient = result->status >= 400 && IsTransientStatus(result->status, code);
      retryable = throttled || result->status == 503 || (transient && idempotent);
      if (!retryable) {
        if (result->status < 400) {
          std::lock_guard lock(quota_mutex_);
          quota_ = std::min(retry.quota_capacity, quota_ + 1);
        }
        return result;
      }
    } else {
      const std::string& name = result.error().error;
      bool not_sent = name == kHttpConnectionRefused ||
                      (name == kHttpConnectionFailed &&
                       result.error().cause.find("could not connect") != std::string::npos);
      retryable = name != kHttpInvalidRequest && (idempotent || not_sent);
      if (name == kHttpTimeout) cost = retry.timeout_retry_cost;
    }
    if (!retryable || attempt >= max_attempts) {
      if (!result.ok() && attempt > 1) {
        Error error = result.take_error();
        error.cause += " (after " + std::to_string(attempt) + " attempts)";
        return error;
      }
      return result;
    }
    {
      std::lock_guard lock(quota_mutex_);
      if (quota_ < cost) return result;  // retry quota exhausted: fail fast
      quota_ -= cost;
    }
    double ceiling = std::min<double>(
        static_cast<double>(retry.max_backoff.count()),
        static_cast<double>(retry.base_delay.count()) * std::pow(2.0, attempt - 1));
    auto delay =
        std::chrono::milliseconds(static_cast<int64_t>(std::floor(options_.random() * ceiling)));
    options_.sleep(delay);
  }
}

Result<HttpResponse> HttpClient::Send(const HttpRequest& request) {
  return SendWithRetries(request, nullptr);
}

Result<HttpResponse> HttpClient::SendSigned(HttpRequest request, const Credentials& credentials,
                                            SigningOptions options,
                                            const std::function<TimePoint()>& now) {
  std::optional<UrlParts> parts = SplitUrl(request.url);
  if (!parts) {
    return Error{std::string(kHttpInvalidRequest),
                 "cannot sign a request to '" + RedactSecrets(request.url) +
                     "': the URL must look like http(s)://host[:port]/path"};
  }
  bool has_host = std::any_of(request.headers.begin(), request.headers.end(),
                              [](const auto& h) { return Lower(h.first) == "host"; });
  if (!has_host) request.headers.emplace_back("Host", parts->host_header);
  options.placement = SignaturePlacement::kHeader;
  Signer sign = [&](HttpRequest* attempt) -> Status {
    SignableRequest signable;
    signable.method = attempt->method;
    signable.path = parts->path;
    signable.query = parts->query;
    signable.headers = std::move(attempt->headers);
    signable.body = std::move(attempt->body);
    options.time = now();
    Result<SignedRequest> signed_request = SignInPlace(&signable, credentials, options);
    attempt->headers = std::move(signable.headers);
    attempt->body = std::move(signable.body);
    if (!signed_request.ok()) return signed_request.take_error();
    return OkStatus();
  };
  return SendWithRetries(std::move(request), sign);
}

}  // namespace autoretrain::aws
