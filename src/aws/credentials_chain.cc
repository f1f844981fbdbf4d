// The default credentials chain and the refreshing cache.
#include <memory>

#include "autoretrain/aws/credentials.h"

namespace autoretrain::aws {

CredentialsChain::CredentialsChain(std::vector<std::unique_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {}

Result<std::optional<Credentials>> CredentialsChain::Fetch() {
  for (auto& provider : providers_) {
    Result<std::optional<Credentials>> found = provider->Fetch();
    if (!found.ok() || found->has_value()) return found;
  }
  return std::optional<Credentials>();
}

std::string CredentialsChain::Describe() const {
  std::string out;
  for (size_t i = 0; i < providers_.size(); ++i) {
    if (i > 0) out += i + 1 == providers_.size() ? ", and " : ", ";
    out += providers_[i]->Describe();
  }
  return out;
}

Result<Credentials> CredentialsChain::Resolve() {
  Result<std::optional<Credentials>> found = Fetch();
  if (!found.ok()) return found.take_error();
  if (found->has_value()) return std::move(**found);
  return Error{std::string(kNoCredentials),
               "no AWS credentials found; looked in " + Describe() +
                   ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile "
                   "(`aws configure`) and select it with AWS_PROFILE"};
}

Result<std::unique_ptr<CredentialsChain>> DefaultCredentialsChain(const Environment& env,
                                                                  HttpClient* http) {
  Result<SharedConfig> config = SharedConfig::Load(env);
  if (!config.ok()) return config.take_error();
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(EnvironmentCredentials(env));
  providers.push_back(ProfileCredentials(env, std::move(config).value()));
  providers.push_back(ContainerCredentials(env, http));
  providers.push_back(InstanceMetadataCredentials(env, http));
  return std::make_unique<CredentialsChain>(std::move(providers));
}

CachingCredentialsProvider::CachingCredentialsProvider(std::unique_ptr<CredentialsChain> source,
                                                       Clock* clock,
                                                       std::chrono::seconds refresh_before)
    : source_(std::move(source)), clock_(clock), refresh_before_(refresh_before) {}

Result<Credentials> CachingCredentialsProvider::Get() {
  std::lock_guard lock(mutex_);
  TimePoint now = clock_->Now();
  if (cached_ && (!cached_->expires() || now < cached_->expiration - refresh_before_)) {
    return *cached_;
  }
  Result<Credentials> fresh = source_->Resolve();
  if (fresh.ok()) {
    cached_ = *fresh;
    return fresh;
  }
  if (cached_ && now < cached_->expiration) return *cached_;  // still valid: keep working
  return fresh;
}

}  // namespace autoretrain::aws
