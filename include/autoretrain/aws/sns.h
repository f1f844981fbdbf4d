// SNS publishing for Task states: the optimized integration arn:aws:states:::sns:publish and
// the AWS SDK integration arn:aws:states:::aws-sdk:sns:publish, as a ServiceIntegration the
// TaskRouter asks first. Two backends take the same parameters and give the same result
// shapes and errors:
// - local (the embedded default): topics declared by the project; a publish appends the
//   message as one JSON line to a file in the project's data folder and POSTs SNS's HTTP
//   notification JSON to the topic's http/https subscriptions (unsigned; see docs/aws.md);
// - remote: Amazon SNS or an SNS-compatible endpoint over SNS's Query protocol (form POST,
//   Action=Publish, Version=2010-03-31), SigV4-signed for service "sns", through HttpClient.
// Errors are Step Functions' names for SNS's: "SNS.<Code>Exception" (SNS.NotFoundException,
// SNS.InvalidParameterException, ...) with the Java SDK's "(Service: AmazonSNS; Status Code:
// ...)" suffix in the cause; failures to reach SNS keep the HttpClient's names (HttpTimeout,
// HttpConnectionRefused, ...), and missing or mistyped Parameters fail with States.Runtime.
//
// Thread-safety: the integrations allow concurrent Invoke calls (the local backend serializes
// appends to its file under a lock; deliveries run on the calling thread).
#ifndef AUTORETRAIN_AWS_SNS_H_
#define AUTORETRAIN_AWS_SNS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/integrations/service_integration.h"

namespace autoretrain::aws {

// One local subscription of a topic ("integrations.sns.topics[].subscriptions[]").
struct LocalSnsSubscription {
  std::string protocol;  // "http" or "https"
  std::string endpoint;  // the URL notifications are POSTed to (may hold a secret: never logged)
  // Deliver the message itself as the body instead of the notification JSON (SNS's
  // RawMessageDelivery subscription attribute).
  bool raw_message_delivery = false;
};

// One topic the project declares ("integrations.sns.topics[]").
struct LocalSnsTopic {
  std::string name;  // "alerts"; a name ending in ".fifo" is a FIFO topic
  std::vector<LocalSnsSubscription> subscriptions;
  // FIFO topics: a publish without MessageDeduplicationId uses the SHA-256 of the message.
  bool content_based_deduplication = false;
};

struct LocalSnsOptions {
  // Topic ARNs are arn:<partition>:sns:<region>:<account>:<name> in this account context.
  AccountContext account;
  std::vector<LocalSnsTopic> topics;
  // The file every publish appends one JSON line to (the project's data/sns-messages.jsonl).
  std::string messages_path;
  // For deliveries to subscriptions (short timeouts by default: a slow subscriber must not
  // hold the task long; SNS itself delivers asynchronously).
  HttpClientOptions http = [] {
    HttpClientOptions o;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.total_timeout = std::chrono::milliseconds(5000);
    return o;
  }();
  std::function<TimePoint()> now;  // empty: the system clock
};

// Where the remote backend connects ("integrations.sns": {"backend": "remote", ...}).
struct RemoteSnsOptions {
  std::string region;                       // empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string fallback_region;              // used when none of those is set (the project's)
  std::optional<std::string> endpoint_url;  // empty: AWS_ENDPOINT_URL_SNS, ..., AWS's own
  HttpClientOptions http;
};

// The local backend. Fails with ConfigError for a topic name SNS would refuse (1-256 of
// A-Z a-z 0-9 - _, plus ".fifo"), a duplicate topic, a subscription whose protocol is not
// http/https or whose endpoint is not a URL of that scheme, or an empty messages_path.
Result<std::unique_ptr<integrations::ServiceIntegration>> MakeLocalSnsIntegration(
    LocalSnsOptions options);

// The remote backend with the region, endpoint (AWS_ENDPOINT_URL_SNS ...) and credentials
// chain resolved as for S3 (s3_object_store.h). Fails with NoRegion, EndpointError or
// ConfigError.
Result<std::unique_ptr<integrations::ServiceIntegration>> MakeRemoteSnsIntegration(
    const RemoteSnsOptions& options, std::shared_ptr<const Environment> env);

// The remote backend against a fixed endpoint and credentials (tests, or callers that
// resolved them already); `now` gives the signing time (empty: the system clock).
std::unique_ptr<integrations::ServiceIntegration> MakeRemoteSnsIntegration(
    Endpoint endpoint, CredentialsSource credentials, HttpClientOptions http = {},
    std::function<TimePoint()> now = {});

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SNS_H_
