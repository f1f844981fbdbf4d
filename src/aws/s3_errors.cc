#include "aws/s3_errors.h"

#include <ctime>

#include "aws/s3_xml.h"

namespace autoretrain::aws {
namespace {

std::string Resource(const S3Call& call) {
  return call.key.empty() ? "arn:aws:s3:::" + call.bucket
                          : "arn:aws:s3:::" + call.bucket + "/" + call.key;
}

std::string Action(const S3Call& call) {
  if (call.operation == "ListObjectsV2") return "s3:ListBucket";
  if (call.operation == "PutObject") return "s3:PutObject";
  return "s3:GetObject";
}

// "access key ID from SOURCE": which credentials a request was signed with.
std::string CredentialsNamed(const S3Call& call) {
  std::string text = "access key " + call.access_key_id;
  if (!call.credentials_source.empty()) text += " from " + call.credentials_source;
  return text;
}

// What to check for S3 error `code`.
std::string Hint(const S3Call& call, std::string_view code, int status) {
  if (code == "NoSuchKey" || (status == 404 && code.empty())) {
    return "check the key (and, for a decision file, that the monitoring job has written it)";
  }
  if (code == "NoSuchBucket") {
    return "check the bucket name and that the endpoint (" + call.endpoint +
           ") and region are the ones holding it";
  }
  if (code == "InvalidAccessKeyId") {
    return "the store does not know " + CredentialsNamed(call) +
           "; set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile's keys to valid ones";
  }
  if (code == "SignatureDoesNotMatch") {
    return "the secret access key does not belong to " + CredentialsNamed(call) +
           " (or a proxy changed the request); check AWS_SECRET_ACCESS_KEY or the profile";
  }
  if (code == "RequestTimeTooSkewed") {
    return "this machine's clock is too far from the store's; synchronize it (NTP)";
  }
  if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired") {
    return "the session token of " + CredentialsNamed(call) + " is invalid or expired; refresh it";
  }
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException") {
    return "the bucket is in another region; set object_store.region (or AWS_REGION) to it";
  }
  if (status == 403) {
    return CredentialsNamed(call) + " may not " + Action(call) + " on " + Resource(call) +
           "; grant it in the bucket policy or the IAM policy";
  }
  if (status >= 500) return "the store failed; try again later (it was retried already)";
  return "see the message above";
}

}  // namespace

std::string S3Call::Describe() const {
  std::string text = operation + " s3://" + bucket;
  if (!key.empty() || operation != "ListObjectsV2") text += "/" + key;
  return text + " at " + endpoint;
}

Error S3ResponseError(const S3Call& call, const HttpResponse& response) {
  std::string code = XmlText(response.body, "Code").value_or("");
  std::string message = XmlText(response.body, "Message").value_or("");
  std::string request_id = XmlText(response.body, "RequestId").value_or("");
  if (request_id.empty()) request_id = response.Header("x-amz-request-id");
  std::string name = code;
  if (response.status == 403) {
    name = "AccessDenied";
  } else if (code.empty()) {
    switch (response.status) {
      case 404:
        name = "NoSuchKey";  // HEAD answers carry no body; a missing bucket looks the same
        break;
      case 400:
        name = "BadRequest";
        break;
      case 301:
      case 307:
        name = "PermanentRedirect";
        break;
      case 503:
        name = "ServiceUnavailable";
        break;
      default:
        name = response.status >= 500 ? "InternalError" : "S3Error";
    }
  }
  std::string cause = call.Describe() + " failed with HTTP " + std::to_string(response.status);
  if (!code.empty()) cause += " " + code;
  if (!message.empty()) cause += ": " + message;
  if (code.empty() && response.status == 404 && call.operation == "HeadObject") {
    cause += ": the key does not exist (or the bucket does not)";
  }
  if (!request_id.empty()) cause += " (request id " + request_id + ")";
  if (response.attempts > 1) cause += " after " + std::to_string(response.attempts) + " attempts";
  cause += "; " + Hint(call, code, response.status);
  return Error{std::move(name), std::move(cause)};
}

Error S3CallFailed(const S3Call& call, const Error& error) {
  return Error{error.error, call.Describe() + " failed: " + error.cause};
}

std::optional<TimePoint> ParseHttpDate(std::string_view text) {
  // "Wed, 12 Oct 2009 17:50:00 GMT"
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto number = [&](size_t at, size_t len, int* out) {
    int value = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return true;
  };
  std::tm tm{};
  int month = -1;
  for (int i = 0; i < 12; ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i;
  }
  if (month < 0 || !number(5, 2, &tm.tm_mday) || !number(12, 4, &tm.tm_year) ||
      !number(17, 2, &tm.tm_hour) || !number(20, 2, &tm.tm_min) || !number(23, 2, &tm.tm_sec) ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return std::nullopt;
  }
  tm.tm_mon = month;
  tm.tm_year -= 1900;
  time_t seconds = timegm(&tm);
  return TimePoint(std::chrono::seconds(seconds));
}

}  // namespace autoretrain::aws
