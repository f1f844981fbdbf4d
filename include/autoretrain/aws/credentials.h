// Where AWS credentials come from: the providers of the AWS SDKs' default chain, in the SDKs'
// order: environment variables, the shared credentials and config files (the active profile),
// the container credentials endpoint (ECS/EKS), and the EC2 instance metadata service (IMDSv2,
// falling back to IMDSv1), plus a cache that refreshes temporary credentials before they
// expire. The Credentials value type is in sigv4.h.
//
// Thread-safety: providers may be called from many threads; CachingCredentialsProvider
// serializes refreshes under a lock. The Environment and HttpClient given to a provider must
// outlive it.
#ifndef AUTORETRAIN_AWS_CREDENTIALS_H_
#define AUTORETRAIN_AWS_CREDENTIALS_H_

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/shared_config.h"
#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// Credentials for one request (a CachingCredentialsProvider's Get, or fixed ones in tests).
using CredentialsSource = std::function<Result<Credentials>()>;

// Error names of credential failures.
inline constexpr std::string_view kNoCredentials = "NoCredentials";        // nothing configured
inline constexpr std::string_view kCredentialsError = "CredentialsError";  // configured, broken

// A kCredentialsError saying `cause`.
inline Error CredentialsBroken(std::string cause) {
  return Error{std::string(kCredentialsError), std::move(cause)};
}

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // On success returns credentials, or nullopt when this source is not configured at all (the
  // chain then asks the next one). Fails with Error{"CredentialsError", cause} when the source
  // is configured but broken (half a key pair, an unreachable container endpoint, a malformed
  // answer), naming the source and what to fix; the chain stops there, as the SDKs do.
  virtual Result<std::optional<Credentials>> Fetch() = 0;
  // A short description for messages: "environment variables", "profile 'dev' in ...".
  virtual std::string Describe() const = 0;
};

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
std::unique_ptr<CredentialsProvider> EnvironmentCredentials(const Environment& env);

// The active profile's aws_access_key_id, aws_secret_access_key and aws_session_token from the
// shared files (credentials file first). A profile that is named by AWS_PROFILE but missing,
// or that uses a source this build does not support (role_arn, sso_*, credential_process,
// web_identity_token_file) without static keys, is a CredentialsError.
std::unique_ptr<CredentialsProvider> ProfileCredentials(const Environment& env,
                                                        SharedConfig config);

// The container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI, with the Authorization header from
// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (preferred) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
// A FULL_URI over plain http must point at a loopback address or the ECS/EKS link-local
// addresses (169.254.170.2, 169.254.170.23, [fd00:ec2::23]), as the SDKs require.
std::unique_ptr<CredentialsProvider> ContainerCredentials(const Environment& env, HttpClient* http);

// The EC2 instance metadata service: PUT /latest/api/token (IMDSv2; on 403/404/405 falls back
// to IMDSv1 unless AWS_EC2_METADATA_V1_DISABLED=true), then the role name from
// /latest/meta-data/iam/security-credentials/ and its credentials. Disabled by
// AWS_EC2_METADATA_DISABLED=true; endpoint from AWS_EC2_METADATA_SERVICE_ENDPOINT (default
// http://169.254.169.254, or http://[fd00:ec2::254] with
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6). An endpoint that does not answer (not on EC2)
// means "not configured".
std::unique_ptr<CredentialsProvider> InstanceMetadataCredentials(const Environment& env,
                                                                 HttpClient* http);

// The providers in order; the first that yields credentials wins. With none configured, fails
// with Error{"NoCredentials", cause listing every place looked and how to configure one}.
class CredentialsChain final : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> providers);
  Result<std::optional<Credentials>> Fetch() override;
  std::string Describe() const override;
  // Fetch, with "nothing configured anywhere" turned into the NoCredentials error.
  Result<Credentials> Resolve();

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

// The SDKs' default chain over `env` (files read now; a malformed file is a ConfigError).
// `http` is used for the container and instance metadata endpoints.
Result<std::unique_ptr<CredentialsChain>> DefaultCredentialsChain(const Environment& env,
                                                                  HttpClient* http);

// Caches what `source` returns, and fetches again when the credentials expire within
// `refresh_before` (5 minutes by default). When a refresh fails but the cached credentials are
// still valid, they keep being used (so a brief metadata outage does not stop work); once
// expired, the refresh error is returned.
class CachingCredentialsProvider {
 public:
  CachingCredentialsProvider(std::unique_ptr<CredentialsChain> source, Clock* clock,
                             std::chrono::seconds refresh_before = std::chrono::minutes(5));
  // Valid credentials, or the error of the source (NoCredentials, CredentialsError).
  Result<Credentials> Get();

 private:
  std::unique_ptr<CredentialsChain> source_;
  Clock* clock_;
  std::chrono::seconds refresh_before_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;
};

// Credentials from the JSON the container and instance metadata endpoints return
// ({"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}); `source` names the endpoint for
// messages. Fails with CredentialsError naming the missing field.
Result<Credentials> ParseCredentialsJson(std::string_view body, const std::string& source);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_CREDENTIALS_H_
