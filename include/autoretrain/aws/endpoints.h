// Region and endpoint resolution as the AWS SDKs do it: the region from AWS_REGION,
// AWS_DEFAULT_REGION or the profile; a service's endpoint from an explicit setting (the project
// configuration), AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services`
// section, the profile's endpoint_url, or else AWS's own https://<prefix>.<region>.<domain of
// the region's partition>; and S3 addressing (path-style for S3-compatible stores).
//
// Thread-safety: plain functions and values.
#ifndef AUTORETRAIN_AWS_ENDPOINTS_H_
#define AUTORETRAIN_AWS_ENDPOINTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/shared_config.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// The region: AWS_REGION, else AWS_DEFAULT_REGION, else the active profile's `region`. Fails
// with Error{"NoRegion", cause saying where it looked and how to set one} when none is set.
Result<std::string> ResolveRegion(const Environment& env, const SharedConfig& config);

// A service as the endpoint rules name it.
struct ServiceId {
  std::string id;               // the SDK service id: "S3", "SFN", "SNS", "DynamoDB", "Lambda"
  std::string endpoint_prefix;  // the host prefix: "s3", "states", "sns", "dynamodb", "lambda"
  std::string signing_name;     // SigV4 service name (usually the prefix)
};

// The services autoretrain talks to.
ServiceId S3Service();
ServiceId StepFunctionsService();
ServiceId SnsService();
ServiceId DynamoDbService();
ServiceId LambdaService();
ServiceId SchedulerService();

// "AWS_ENDPOINT_URL_" + the service id upper-cased with spaces as underscores
// ("SFN" -> AWS_ENDPOINT_URL_SFN, "DynamoDB" -> AWS_ENDPOINT_URL_DYNAMODB).
std::string EndpointEnvVar(std::string_view service_id);
// The key of the service in a `[services name]` section: the id lower-cased with spaces as
// underscores ("DynamoDB" -> "dynamodb").
std::string ServicesSectionKey(std::string_view service_id);

struct Endpoint {
  std::string url;             // "https://states.us-east-1.amazonaws.com" (no trailing slash)
  std::string signing_region;  // the region to sign with
  std::string signing_name;
  bool custom = false;      // not AWS's default endpoint
  bool path_style = false;  // S3: bucket in the path rather than in the host name
  std::string source;       // where it came from, for messages ("AWS_ENDPOINT_URL_S3", ...)
};

struct EndpointOptions {
  std::optional<std::string> url;        // explicit (project configuration): wins over all
  std::optional<bool> force_path_style;  // S3 only; explicit setting
};

// Resolves `service`'s endpoint in `region`. Environment and profile endpoints are ignored
// when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true or the profile sets
// ignore_configured_endpoint_urls = true. For S3, path-style addressing is the explicit
// setting, else the profile's `s3 = \n addressing_style = path|virtual`, else on for custom
// endpoints (S3-compatible stores such as MinIO want it) and off for AWS. Fails with
// Error{"EndpointError", ...} for a configured URL that is not http(s)://host[:port][/path].
Result<Endpoint> ResolveEndpoint(const Environment& env, const SharedConfig& config,
                                 const ServiceId& service, std::string_view region,
                                 const EndpointOptions& options = {});

// The DNS suffix of `region`'s partition: amazonaws.com, amazonaws.com.cn (cn-*), c2s.ic.gov
// (us-iso-*), sc2s.sgov.gov (us-isob-*), cloud.adc-e.uk (eu-isoe-*), csp.hci.ic.gov (us-isof-*).
std::string PartitionDnsSuffix(std::string_view region);

// The URL of object `key` in `bucket` at an S3 endpoint: path-style
// "<endpoint>/<bucket>/<key>" or virtual-hosted "<scheme>://<bucket>.<host>/<key>", the key
// URI-encoded once with '/' kept (as S3 signs it). Buckets whose names are not DNS-compatible
// (dots with https, upper case, underscores) always use path-style.
std::string S3ObjectUrl(const Endpoint& endpoint, std::string_view bucket, std::string_view key);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_ENDPOINTS_H_
