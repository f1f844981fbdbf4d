// Credentials from environment variables and from the shared configuration files.
#include <memory>

#include "autoretrain/aws/credentials.h"

namespace autoretrain::aws {
namespace {

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(const Environment& env) : env_(env) {}

  Result<std::optional<Credentials>> Fetch() override {
    std::optional<std::string> id = env_.Get("AWS_ACCESS_KEY_ID");
    std::optional<std::string> secret = env_.Get("AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) return std::optional<Credentials>();
    if (!id || !secret) {
      return CredentialsBroken(
          std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                         : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
          ": set both (and AWS_SESSION_TOKEN for temporary credentials), or unset "
          "both to use a profile");
    }
    Credentials credentials;
    credentials.access_key_id = *id;
    credentials.secret_access_key = *secret;
    credentials.session_token = env_.Get("AWS_SESSION_TOKEN").value_or("");
    credentials.source = "environment variables";
    return std::optional<Credentials>(std::move(credentials));
  }

  std::string Describe() const override {
    return "environment variables (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set)";
  }

 private:
  const Environment& env_;
};

class ProfileProvider final : public CredentialsProvider {
 public:
  ProfileProvider(const Environment& env, SharedConfig config)
      : explicit_profile_(env.Get("AWS_PROFILE").has_value()), config_(std::move(config)) {}

  Result<std::optional<Credentials>> Fetch() override {
    const std::string& name = config_.profile_name();
    std::optional<ConfigSection> profile = config_.Profile();
    if (!profile) {
      if (!explicit_profile_) return std::optional<Credentials>();
      return CredentialsBroken("the profile '" + name + "' named by AWS_PROFILE is in neither " +
                               config_.credentials_path() + " nor " + config_.config_path() +
                               ": add it (for example with `aws configure --profile " + name +
                               "`) or change AWS_PROFILE");
    }
    std::optional<std::string> id = profile->Get("aws_access_key_id");
    std::optional<std::string> secret = profile->Get("aws_secret_access_key");
    if (id && secret) {
      Credentials credentials;
      credentials.access_key_id = *id;
      credentials.secret_access_key = *secret;
      credentials.session_token = profile->Get("aws_session_token").value_or("");
      credentials.source = "profile '" + name + "'";
      return std::optional<Credentials>(std::move(credentials));
    }
    if (id || secret) {
      return CredentialsBroken("the profile '" + name + "' has " +
                               (id ? "aws_access_key_id but no aws_secret_access_key"
                                   : "aws_secret_access_key but no aws_access_key_id") +
                               ": set both in " + config_.credentials_path());
    }
    for (const char* key : {"role_arn", "sso_start_url", "sso_session", "credential_process",
                            "web_identity_token_file"}) {
      if (profile->Get(key)) {
        return CredentialsBroken(
            "the profile '" + name + "' gets its credentials through '" + key +
            "', which autoretrain does not support: export temporary credentials "
            "(for example `eval \"$(aws configure export-credentials --profile " +
            name + " --format env)\"`) or use a profile with static keys");
      }
    }
    return std::optional<Credentials>();
  }

  std::string Describe() const override {
    return "profile '" + config_.profile_name() + "' in " + config_.credentials_path() + " and " +
           config_.config_path() + " (no keys)";
  }

 private:
  bool explicit_profile_;
  SharedConfig config_;
};

}  // namespace

std::unique_ptr<CredentialsProvider> EnvironmentCredentials(const Environment& env) {
  return std::make_unique<EnvironmentProvider>(env);
}

std::unique_ptr<CredentialsProvider> ProfileCredentials(const Environment& env,
                                                        SharedConfig config) {
  return std::make_unique<ProfileProvider>(env, std::move(config));
}

}  // namespace autoretrain::aws
