#include "autoretrain/aws/dynamodb_client.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/redact.h"
#include "aws/service_connection.h"

namespace autoretrain::aws {
namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";

bool IsOperationName(std::string_view operation) {
  if (operation.empty() || operation.size() > 64) return false;
  for (char c : operation) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// "DynamoDB PutItem at http://127.0.0.1:8000".
std::string Describe(std::string_view operation, const Endpoint& endpoint) {
  return "DynamoDB " + std::string(operation) + " at " + endpoint.url;
}

// The first `limit` bytes of `body`, for messages about answers that are not DynamoDB's.
std::string Excerpt(std::string_view body, size_t limit = 200) {
  if (body.empty()) return "an empty body";
  std::string text(body.substr(0, limit));
  if (body.size() > limit) text += "...";
  return "'" + RedactSecrets(text) + "'";
}

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> the part after '#'.
std::string ExceptionName(std::string_view type) {
  if (size_t hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  if (size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return std::string(type);
}

// The body's CRC32 matches x-amz-crc32 (true when the header is absent).
bool Crc32Matches(const HttpResponse& response, uint32_t* expected, uint32_t* actual) {
  std::string header = response.Header("x-amz-crc32");
  if (header.empty()) return true;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), value);
  if (ec != std::errc() || end != header.data() + header.size() || value > UINT32_MAX) {
    *expected = 0;
    *actual = Crc32(response.body);
    return false;
  }
  *expected = static_cast<uint32_t>(value);
  *actual = Crc32(response.body);
  return *expected == *actual;
}

// The Error for a non-2xx answer.
Error ResponseError(std::string_view operation, const Endpoint& endpoint,
                    const HttpResponse& response) {
  std::string where =
      Describe(operation, endpoint) + " answered HTTP " + std::to_string(response.status);
  std::string after =
      response.attempts > 1 ? " (after " + std::to_string(response.attempts) + " attempts)" : "";
  Result<json::Value> body = json::Parse(response.body);
  std::string type;
  std::string message;
  if (body.ok() && body->is_object()) {
    const json::Object& object = body->get_object();
    for (std::string_view key : {"__type", "code"}) {
      if (const json::Value* v = object.if_contains(key); v && v->is_string()) {
        type = ExceptionName(v->get_string());
        break;
      }
    }
    for (std::string_view key : {"message", "Message"}) {
      if (const json::Value* v = object.if_contains(key); v && v->is_string()) {
        message = std::string(v->get_string());
        break;
      }
    }
  }
  if (type.empty()) type = ExceptionName(response.Header("x-amzn-ErrorType"));
  if (type.empty()) {
    return Error{std::string(kDynamoDbMalformedResponse),
                 where + " without a DynamoDB error type (" + Excerpt(response.body) + ")" + after +
                     "; check that the endpoint is a DynamoDB endpoint (a proxy or " +
                     "load balancer may have answered)"};
  }
  if (message.empty()) message = where + " " + type + " without a message";
  return Error{std::move(type), message + after};
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) crc = kTable[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

DynamoDbClient::DynamoDbClient(Endpoint endpoint, CredentialsSource credentials,
                               HttpClientOptions http, std::function<TimePoint()> now)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      http_(http),
      max_attempts_(std::max(1, http.retry.max_attempts)),
      now_(now ? std::move(now) : std::function<TimePoint()>(SystemNow)) {}

Result<json::Value> DynamoDbClient::Call(std::string_view operation, const json::Value& request) {
  if (!IsOperationName(operation)) {
    return Error{"UnknownOperationException",
                 "'" + std::string(operation.substr(0, 64)) +
                     "' is not a DynamoDB operation name; use an API action such as PutItem, "
                     "GetItem, UpdateItem, DeleteItem, Query or Scan"};
  }
  if (!request.is_object()) {
    return Error{"SerializationException", Describe(operation, endpoint_) +
                                               ": the request must be a JSON object, not " +
                                               std::string(json::TypeName(request))};
  }
  Result<Credentials> credentials = credentials_();
  if (!credentials.ok()) {
    return Error{credentials.error().error,
                 Describe(operation, endpoint_) + " failed: " + credentials.error().cause};
  }
  HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = endpoint_.url + "/";
  http_request.headers = {{"Content-Type", std::string(kContentType)},
                          {"X-Amz-Target", std::string(kTargetPrefix) + std::string(operation)}};
  http_request.body = json::Serialize(request);
  // The SDKs retry every DynamoDB operation on throttling, 5xx and connection errors.
  http_request.idempotent = true;
  SigningOptions options = SigningOptionsFor("dynamodb", endpoint_.signing_region, now_());
  uint32_t expected = 0, actual = 0;
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> response = http_.SendSigned(http_request, *credentials, options, now_);
    if (!response.ok()) {
      return Error{response.error().error,
                   Describe(operation, endpoint_) + " failed: " + response.error().cause};
    }
    if (!Crc32Matches(*response, &expected, &actual)) {
      // A body damaged on the way: the SDKs send the request again.
      if (attempt < max_attempts_) continue;
      return Error{std::string(kDynamoDbMalformedResponse),
                   Describe(operation, endpoint_) + ": the response body's CRC32 (" +
                       std::to_string(actual) + ") differs from its x-amz-crc32 header (" +
                       response->Header("x-amz-crc32") + ") on all " + std::to_string(attempt) +
                       " attempts; something between here and the endpoint changes responses"};
    }
    if (response->status < 200 || response->status >= 300) {
      return ResponseError(operation, endpoint_, *response);
    }
    Result<json::Value> body = json::Parse(response->body.empty() ? "{}" : response->body);
    if (!body.ok() || !body->is_object()) {
      return Error{std::string(kDynamoDbMalformedResponse),
                   Describe(operation, endpoint_) + " answered HTTP " +
                       std::to_string(response->status) + " with a body that is not a JSON " +
                       "object (" + Excerpt(response->body) +
                       "); check that the endpoint is a DynamoDB endpoint"};
    }
    return std::move(body).value();
  }
}

Result<std::unique_ptr<integrations::DynamoDb>> MakeDynamoDbClient(
    const DynamoDbClientOptions& options, std::shared_ptr<const Environment> env) {
  EndpointOptions endpoint;
  endpoint.url = options.endpoint_url;
  Result<ServiceConnection> connection = ConnectService(
      DynamoDbService(), options.region, options.fallback_region, endpoint, std::move(env));
  if (!connection.ok()) return connection.take_error();
  return std::unique_ptr<integrations::DynamoDb>(std::make_unique<DynamoDbClient>(
      std::move(connection->endpoint), std::move(connection->credentials), options.http));
}

}  // namespace autoretrain::aws
