// Connecting to a remote AWS service as the SDKs do, shared by every remote backend (S3,
// DynamoDB, SNS, Step Functions, Lambda): the region, the endpoint and the default credential
// chain, resolved once when the backend is made.
//
// Thread-safety: ConnectService is a plain function; the CredentialsSource it returns may be
// called from many threads (the caching provider locks).
#ifndef AUTORETRAIN_AWS_SERVICE_CONNECTION_H_
#define AUTORETRAIN_AWS_SERVICE_CONNECTION_H_

#include <memory>
#include <string>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/endpoints.h"
#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/sigv4.h"

namespace autoretrain::aws {

// True for a 2xx status.
inline bool IsHttpSuccess(int status) { return status >= 200 && status < 300; }

// An endpoint and the credentials to sign for it.
struct ServiceConnection {
  Endpoint endpoint;
  CredentialsSource credentials;
};

// Resolves `service`: the region `region`, else AWS_REGION/AWS_DEFAULT_REGION/the profile,
// else `fallback_region`; the endpoint per `endpoint_options` (its url, else the
// environment's and profile's, else AWS's own); credentials from the default chain (fetched at
// the first request, cached, refreshed before they expire; the chain keeps `env`). Fails with
// NoRegion, EndpointError or ConfigError.
Result<ServiceConnection> ConnectService(const ServiceId& service, const std::string& region,
                                         const std::string& fallback_region,
                                         const EndpointOptions& endpoint_options,
                                         std::shared_ptr<const Environment> env);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SERVICE_CONNECTION_H_
