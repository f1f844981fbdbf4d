// URL splitting and the retry rules' classification of AWS error responses.
#include <algorithm>
#include <string>

#include "autoretrain/aws/http_client.h"
#include "aws/canonical.h"

namespace autoretrain::aws {

using internal::Lower;

std::optional<UrlParts> SplitUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = Lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  size_t path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.empty()) return std::nullopt;
  std::string host(authority);
  if ((parts.scheme == "http" && host.ends_with(":80")) ||
      (parts.scheme == "https" && host.ends_with(":443"))) {
    host.erase(host.rfind(':'));
  }
  parts.host_header = Lower(host);
  std::string_view tail =
      path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  if (size_t hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);
  size_t question = tail.find('?');
  parts.path = std::string(tail.substr(0, question));
  if (parts.path.empty()) parts.path = "/";
  if (question != std::string_view::npos) parts.query = std::string(tail.substr(question + 1));
  return parts;
}

bool IsThrottlingError(int status, std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  if (status == 429) return true;
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

bool IsTransientStatus(int status, std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "RequestTimeout",  "RequestTimeoutException", "InternalError",
      "InternalFailure", "ServiceUnavailable",      "ServiceUnavailableException",
  };
  if (status == 500 || status == 502 || status == 503 || status == 504) return true;
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

std::string AwsErrorCode(const HttpResponse& response) {
  auto strip = [](std::string code) {
    if (size_t colon = code.find(':'); colon != std::string::npos) code.erase(colon);
    if (size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
    return code;
  };
  std::string header = response.Header("x-amzn-ErrorType");
  if (!header.empty()) return strip(header);
  const std::string& body = response.body;
  for (std::string_view key : {"\"__type\"", "\"code\"", "\"Code\""}) {
    size_t pos = body.find(key);
    if (pos == std::string::npos) continue;
    size_t open = body.find('"', body.find(':', pos + key.size()));
    if (open == std::string::npos) continue;
    size_t close = body.find('"', open + 1);
    if (close == std::string::npos) continue;
    return strip(body.substr(open + 1, close - open - 1));
  }
  size_t open = body.find("<Code>");
  if (open != std::string::npos) {
    size_t close = body.find("</Code>", open);
    if (close != std::string::npos) return body.substr(open + 6, close - open - 6);
  }
  return "";
}

}  // namespace autoretrain::aws
