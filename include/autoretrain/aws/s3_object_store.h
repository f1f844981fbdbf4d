// S3ObjectStore: the ObjectStore (integrations/object_store.h) over S3's REST API, for AWS and
// S3-compatible stores (MinIO, Ceph, s3rver). Requests are signed with SigV4 (service "s3",
// the payload's SHA-256 in x-amz-content-sha256) and sent with the aws layer's HttpClient
// (retries, timeouts); addresses are path-style or virtual-hosted as the endpoint says
// (endpoints.h). GetObject reads at most max_bytes + 1 bytes (a Range request), so a large
// object is never loaded. S3's errors become the interface's named errors (s3_errors.h,
// docs/aws.md "S3 backend").
//
// Thread-safety: all methods may be called concurrently (the HttpClient and the credentials
// cache are thread-safe).
#ifndef AUTORETRAIN_AWS_S3_OBJECT_STORE_H_
#define AUTORETRAIN_AWS_S3_OBJECT_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/endpoints.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/integrations/object_store.h"

namespace autoretrain::aws {

class S3ObjectStore final : public integrations::ObjectStore {
 public:
  // Talks to `endpoint` (signing region and name included) with credentials from
  // `credentials`; `now` gives the signing time (empty: the system clock).
  S3ObjectStore(Endpoint endpoint, CredentialsSource credentials, HttpClientOptions http = {},
                std::function<TimePoint()> now = {});

  Result<std::string> GetObject(std::string_view bucket, std::string_view key,
                                size_t max_bytes) override;
  Result<integrations::ObjectData> GetObjectWithInfo(std::string_view bucket, std::string_view key,
                                                     size_t max_bytes) override;
  Result<integrations::ObjectInfo> HeadObject(std::string_view bucket,
                                              std::string_view key) override;
  Result<integrations::ObjectInfo> PutObject(std::string_view bucket, std::string_view key,
                                             std::string_view data) override;
  Result<integrations::ObjectListing> ListObjectsV2(
      std::string_view bucket, const integrations::ListObjectsRequest& request) override;

  const Endpoint& endpoint() const { return endpoint_; }

 private:
  struct Prepared;
  // Credentials and the call's description; fails with the credentials' error.
  Result<Prepared> Prepare(std::string_view operation, std::string_view bucket,
                           std::string_view key);
  Result<HttpResponse> Send(const Prepared& prepared, HttpRequest request);

  Endpoint endpoint_;
  CredentialsSource credentials_;
  HttpClient http_;
  std::function<TimePoint()> now_;
};

// Where the S3 backend connects (the project configuration's "object_store").
struct S3StoreOptions {
  std::string region;                       // empty: AWS_REGION, AWS_DEFAULT_REGION, profile
  std::string fallback_region;              // used when none of those is set (the project's)
  std::optional<std::string> endpoint_url;  // empty: AWS_ENDPOINT_URL_S3, ... AWS's own
  std::optional<bool> path_style;           // empty: path-style for custom endpoints
  HttpClientOptions http;
};

// An S3ObjectStore with the region and endpoint resolved as the SDKs do (endpoints.h) and
// credentials from the default chain (credentials.h; fetched at the first request, then
// cached and refreshed before they expire). `env` is kept for the chain. Fails with
// NoRegion, EndpointError or ConfigError (a malformed shared config file).
Result<std::unique_ptr<integrations::ObjectStore>> MakeS3ObjectStore(
    const S3StoreOptions& options, std::shared_ptr<const Environment> env);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_S3_OBJECT_STORE_H_
