// Credentials from the container endpoint (ECS/EKS) and the EC2 instance metadata service.
#include <memory>

#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/redact.h"
#include "autoretrain/json/json.h"

namespace autoretrain::aws {
namespace {

// A client for link-local metadata endpoints: short timeouts, one retry, as the SDKs use.
std::unique_ptr<HttpClient> MetadataClient() {
  HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.total_timeout = std::chrono::milliseconds(2000);
  options.retry.max_attempts = 2;
  options.retry.base_delay = std::chrono::milliseconds(100);
  return std::make_unique<HttpClient>(options);
}

std::string TrimLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

bool IsConnectionFailure(const Error& error) {
  return error.error == kHttpConnectionRefused || error.error == kHttpConnectionFailed ||
         error.error == kHttpTimeout;
}

class ContainerProvider final : public CredentialsProvider {
 public:
  ContainerProvider(const Environment& env, HttpClient* http) : env_(env), http_(http) {
    if (http_ == nullptr) {
      owned_ = MetadataClient();
      http_ = owned_.get();
    }
  }

  Result<std::optional<Credentials>> Fetch() override {
    std::string url;
    if (auto relative = env_.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      url = "http://169.254.170.2" + *relative;
    } else if (auto full = env_.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      url = *full;
      Status allowed = CheckFullUri(url);
      if (!allowed.ok()) return allowed.take_error();
    } else {
      return std::optional<Credentials>();
    }
    HttpRequest request;
    request.url = url;
    request.headers.emplace_back("Accept", "application/json");
    if (auto token_file = env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      std::optional<std::string> token = env_.ReadFile(*token_file);
      if (!token) {
        return CredentialsBroken(
            "cannot read the container authorization token file " + *token_file +
            " (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE): check that it exists and is "
            "readable");
      }
      request.headers.emplace_back("Authorization", TrimLine(*token));
    } else if (auto token = env_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
      request.headers.emplace_back("Authorization", *token);
    }
    for (const auto& [name, value] : request.headers) {
      if (value.find_first_of("\r\n") != std::string::npos) {
        return CredentialsBroken(
            "the container authorization token contains a line break: fix "
            "AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)");
      }
    }
    Result<HttpResponse> response = http_->Send(request);
    const std::string where = "the container credentials endpoint " + RedactSecrets(url);
    if (!response.ok()) {
      return CredentialsBroken("cannot get credentials from " + where + ": " +
                               response.error().cause);
    }
    if (response->status != 200) {
      return CredentialsBroken(where + " answered HTTP " + std::to_string(response->status) +
                               ": check the task role and AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    Result<Credentials> credentials = ParseCredentialsJson(response->body, where);
    if (!credentials.ok()) return credentials.take_error();
    return std::optional<Credentials>(std::move(credentials).value());
  }

  std::string Describe() const override {
    return "the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI: not "
           "set)";
  }

 private:
  static Status CheckFullUri(const std::string& url) {
    std::optional<UrlParts> parts = SplitUrl(url);
    if (!parts || (parts->scheme != "http" && parts->scheme != "https")) {
      return CredentialsBroken("AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL: '" +
                               RedactSecrets(url) + "'");
    }
    if (parts->scheme == "https") return OkStatus();
    std::string host = parts->host_header;
    if (host.starts_with("[")) {
      host = host.substr(0, host.find(']') + 1);
    } else if (size_t colon = host.rfind(':'); colon != std::string::npos) {
      host.erase(colon);
    }
    if (host == "localhost" || host.starts_with("127.") || host == "[::1]" ||
        host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]") {
      return OkStatus();
    }
    return CredentialsBroken(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI uses plain http to '" + host +
        "': only loopback and the ECS/EKS addresses (169.254.170.2, 169.254.170.23, "
        "fd00:ec2::23) may be used without https");
  }

  const Environment& env_;
  HttpClient* http_;
  std::unique_ptr<HttpClient> owned_;
};

class InstanceMetadataProvider final : public CredentialsProvider {
 public:
  InstanceMetadataProvider(const Environment& env, HttpClient* http) : env_(env), http_(http) {
    if (http_ == nullptr) {
      owned_ = MetadataClient();
      http_ = owned_.get();
    }
  }

  Result<std::optional<Credentials>> Fetch() override {
    if (env_.IsTrue("AWS_EC2_METADATA_DISABLED")) return std::optional<Credentials>();
    std::optional<std::string> configured = env_.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    std::string endpoint = configured.value_or(
        env_.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("") == "IPv6"
            ? "http://[fd00:ec2::254]"
            : "http://169.254.169.254");
    while (endpoint.ends_with("/")) endpoint.pop_back();
    const std::string where = "the instance metadata service at " + endpoint;

    // IMDSv2 session token.
    HttpRequest token_request;
    token_request.method = "PUT";
    token_request.idempotent = true;
    token_request.url = endpoint + "/latest/api/token";
    token_request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
    Result<HttpResponse> token = http_->Send(token_request);
    if (!token.ok()) {
      // Not on EC2 (nothing answers): not configured, unless the endpoint was set explicitly.
      if (!configured && IsConnectionFailure(token.error())) {
        last_reason_ = "no answer from " + endpoint;
        return std::optional<Credentials>();
      }
      return CredentialsBroken("cannot reach " + where + ": " + token.error().cause +
                               " (set AWS_EC2_METADATA_DISABLED=true when not on EC2)");
    }
    std::string session;
    if (token->status == 200) {
      session = TrimLine(token->body);
    } else if (token->status == 403 || token->status == 404 || token->status == 405) {
      if (env_.IsTrue("AWS_EC2_METADATA_V1_DISABLED")) {
        return CredentialsBroken(where + " refused an IMDSv2 token (HTTP " +
                                 std::to_string(token->status) +
                                 ") and IMDSv1 is disabled by AWS_EC2_METADATA_V1_DISABLED");
      }
    } else {
      return CredentialsBroken(where + " answered the token request with HTTP " +
                               std::to_string(token->status));
    }

    Result<std::string> role =
        Get(endpoint + "/latest/meta-data/iam/security-credentials/", session, where);
    if (!role.ok()) return role.take_error();
    std::string role_name = role->substr(0, role->find('\n'));
    role_name = TrimLine(role_name);
    if (role_name.empty()) {
      return CredentialsBroken(where +
                               " lists no IAM role: attach an instance profile to the instance");
    }
    Result<std::string> body =
        Get(endpoint + "/latest/meta-data/iam/security-credentials/" + role_name, session, where);
    if (!body.ok()) return body.take_error();
    Result<Credentials> credentials =
        ParseCredentialsJson(*body, where + " (role " + role_name + ")");
    if (!credentials.ok()) return credentials.take_error();
    return std::optional<Credentials>(std::move(credentials).value());
  }

  std::string Describe() const override {
    if (env_.IsTrue("AWS_EC2_METADATA_DISABLED")) {
      return "the instance metadata service (disabled by AWS_EC2_METADATA_DISABLED)";
    }
    return "the instance metadata service (" +
           (last_reason_.empty() ? std::string("not available") : last_reason_) + ")";
  }

 private:
  Result<std::string> Get(const std::string& url, const std::string& session,
                          const std::string& where) {
    HttpRequest request;
    request.url = url;
    if (!session.empty()) request.headers.emplace_back("X-aws-ec2-metadata-token", session);
    Result<HttpResponse> response = http_->Send(request);
    if (!response.ok()) {
      return CredentialsBroken("cannot get credentials from " + where + ": " +
                               response.error().cause);
    }
    if (response->status == 404) {
      return CredentialsBroken(where + " has no IAM role credentials (HTTP 404 for " + url +
                               "): attach an instance profile to the instance");
    }
    if (response->status != 200) {
      return CredentialsBroken(where + " answered HTTP " + std::to_string(response->status) +
                               " for " + url);
    }
    return std::move(response->body);
  }

  const Environment& env_;
  HttpClient* http_;
  std::unique_ptr<HttpClient> owned_;
  std::string last_reason_;
};

}  // namespace

Result<Credentials> ParseCredentialsJson(std::string_view body, const std::string& source) {
  Result<json::Value> parsed = json::Parse(body);
  if (!parsed.ok() || !parsed->is_object()) {
    return CredentialsBroken(source + " did not return a JSON object with credentials");
  }
  const json::Object& object = parsed->as_object();
  auto field = [&](std::string_view name) -> std::string {
    auto it = object.find(name);
    if (it == object.end() || !it->value().is_string()) return "";
    return std::string(it->value().as_string());
  };
  if (auto code = field("Code"); !code.empty() && code != "Success") {
    return CredentialsBroken(source + " answered Code '" + code + "': " + field("Message"));
  }
  Credentials credentials;
  credentials.access_key_id = field("AccessKeyId");
  credentials.secret_access_key = field("SecretAccessKey");
  credentials.session_token = field("Token");
  credentials.source = source;
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return CredentialsBroken(source + " returned no AccessKeyId or SecretAccessKey");
  }
  std::string expiration = field("Expiration");
  if (!expiration.empty() && !ParseIso8601(expiration, &credentials.expiration)) {
    return CredentialsBroken(source + " returned an Expiration that is not an ISO 8601 time: '" +
                             expiration + "'");
  }
  return credentials;
}

std::unique_ptr<CredentialsProvider> ContainerCredentials(const Environment& env,
                                                          HttpClient* http) {
  return std::make_unique<ContainerProvider>(env, http);
}

std::unique_ptr<CredentialsProvider> InstanceMetadataCredentials(const Environment& env,
                                                                 HttpClient* http) {
  return std::make_unique<InstanceMetadataProvider>(env, http);
}

}  // namespace autoretrain::aws
