// DynamoDbClient: the DynamoDb interface (integrations/dynamodb.h) over the real service, or any
// DynamoDB-compatible endpoint (DynamoDB Local, dynalite), with AWS's JSON 1.0 protocol: every
// operation is `POST /` with `X-Amz-Target: DynamoDB_20120810.<Operation>`,
// `Content-Type: application/x-amz-json-1.0` and the request body as JSON, signed with SigV4
// for service "dynamodb" and sent through the aws layer's HttpClient (connection reuse,
// timeouts, the SDKs' standard retries on throttling, 5xx and connection errors). The response
// body is checked against DynamoDB's `x-amz-crc32` header when present. DynamoDB's errors
// become Error{exception name without namespace, DynamoDB's message}; docs/aws.md "DynamoDB".
//
// Thread-safety: Call may be used from many threads at once (the HttpClient and the
// credentials cache are thread-safe).
#ifndef AUTORETRAIN_AWS_DYNAMODB_CLIENT_H_
#define AUTORETRAIN_AWS_DYNAMODB_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/endpoints.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/integrations/dynamodb.h"

namespace autoretrain::aws {

// The error name of a response that is not DynamoDB's (not JSON, no `__type`, a failed CRC32).
inline constexpr std::string_view kDynamoDbMalformedResponse = "HttpMalformedResponse";

class DynamoDbClient final : public integrations::DynamoDb {
 public:
  // Talks to `endpoint` (its signing region is used; the signing name is always "dynamodb")
  // with credentials from `credentials`; `now` gives the signing time (empty: the system
  // clock).
  DynamoDbClient(Endpoint endpoint, CredentialsSource credentials, HttpClientOptions http = {},
                 std::function<TimePoint()> now = {});

  // Sends `operation` (any DynamoDB API action name: "PutItem", "Query", "CreateTable", ...)
  // with `request` as the body. On a 2xx answer returns the parsed response body. Fails with:
  //  - DynamoDB's exception name ("ConditionalCheckFailedException", "ValidationException",
  //    "ResourceNotFoundException", ...) and its message as the cause, exactly, for an error
  //    answer (" (after N attempts)" is appended when retries happened: throttling, 5xx);
  //  - "UnknownOperationException" / "SerializationException" before sending, for an
  //    operation name that is not a word or a request that is not a JSON object;
  //  - the HttpClient's names (HttpTimeout, HttpConnectionRefused, HttpConnectionFailed,
  //    HttpMalformedResponse) and the credentials' (NoCredentials, CredentialsError), the
  //    operation and endpoint put in front of the cause;
  //  - HttpMalformedResponse for a body that is not JSON, an error without `__type`, or a body
  //    whose CRC32 differs from `x-amz-crc32` on every attempt.
  Result<json::Value> Call(std::string_view operation, const json::Value& request) override;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  CredentialsSource credentials_;
  HttpClient http_;
  int max_attempts_;
  std::function<TimePoint()> now_;
};

// Where the DynamoDB client connects (the project configuration's DynamoDB settings).
struct DynamoDbClientOptions {
  std::string region;                       // empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string fallback_region;              // used when none of those is set (the project's)
  std::optional<std::string> endpoint_url;  // empty: AWS_ENDPOINT_URL_DYNAMODB, ... AWS's own
  HttpClientOptions http;
};

// A DynamoDbClient with the region and endpoint resolved as the SDKs do (endpoints.h:
// explicit endpoint_url, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, the profile, else
// https://dynamodb.<region>.amazonaws.com) and credentials from the default chain
// (credentials.h; fetched at the first request, then cached and refreshed before they
// expire). `env` is kept for the chain. Fails with NoRegion, EndpointError or ConfigError (a
// malformed shared config file).
Result<std::unique_ptr<integrations::DynamoDb>> MakeDynamoDbClient(
    const DynamoDbClientOptions& options, std::shared_ptr<const Environment> env);

// The CRC-32 (IEEE 802.3, as zlib and DynamoDB's x-amz-crc32 compute it) of `data`.
uint32_t Crc32(std::string_view data);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_DYNAMODB_CLIENT_H_
