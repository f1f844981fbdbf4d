// ConnectService: region, endpoint and credentials chain for a remote AWS service.
#include "aws/service_connection.h"

#include "autoretrain/aws/shared_config.h"

namespace autoretrain::aws {

Result<ServiceConnection> ConnectService(const ServiceId& service, const std::string& region,
                                         const std::string& fallback_region,
                                         const EndpointOptions& endpoint_options,
                                         std::shared_ptr<const Environment> env) {
  Result<SharedConfig> config = SharedConfig::Load(*env);
  if (!config.ok()) return config.take_error();
  std::string resolved_region = region;
  if (resolved_region.empty()) {
    Result<std::string> resolved = ResolveRegion(*env, *config);
    if (resolved.ok()) {
      resolved_region = std::move(resolved).value();
    } else if (!fallback_region.empty()) {
      resolved_region = fallback_region;
    } else {
      return resolved.take_error();
    }
  }
  Result<Endpoint> endpoint =
      ResolveEndpoint(*env, *config, service, resolved_region, endpoint_options);
  if (!endpoint.ok()) return endpoint.take_error();
  Result<std::unique_ptr<CredentialsChain>> chain = DefaultCredentialsChain(*env, nullptr);
  if (!chain.ok()) return chain.take_error();
  // The chain reads `env` on every refresh; the source keeps both alive.
  struct Owned {
    std::shared_ptr<const Environment> env;
    SystemClock clock;
    std::unique_ptr<CachingCredentialsProvider> provider;
  };
  auto owned = std::make_shared<Owned>();
  owned->env = std::move(env);
  owned->provider =
      std::make_unique<CachingCredentialsProvider>(std::move(chain).value(), &owned->clock);
  return ServiceConnection{std::move(endpoint).value(), [owned] { return owned->provider->Get(); }};
}

}  // namespace autoretrain::aws
