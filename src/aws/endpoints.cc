// Region and endpoint resolution.
#include "autoretrain/aws/endpoints.h"

#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/sigv4.h"
#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using internal::Lower;

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Result<std::string> CheckUrl(std::string url, const std::string& source) {
  std::optional<UrlParts> parts = SplitUrl(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https") || !parts->query.empty()) {
    return Error{"EndpointError", "the endpoint URL '" + url + "' from " + source +
                                      " must look like http(s)://host[:port][/path]"};
  }
  while (url.ends_with("/")) url.pop_back();
  return url;
}

bool IsDnsCompatibleBucket(std::string_view bucket, bool https) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
    if (c == '.' && https) return false;  // would not match the TLS certificate
  }
  return bucket.front() != '-' && bucket.back() != '-';
}

}  // namespace

ServiceId S3Service() { return {"S3", "s3", "s3"}; }
ServiceId StepFunctionsService() { return {"SFN", "states", "states"}; }
ServiceId SnsService() { return {"SNS", "sns", "sns"}; }
ServiceId DynamoDbService() { return {"DynamoDB", "dynamodb", "dynamodb"}; }
ServiceId LambdaService() { return {"Lambda", "lambda", "lambda"}; }
ServiceId SchedulerService() { return {"Scheduler", "scheduler", "scheduler"}; }

std::string EndpointEnvVar(std::string_view service_id) {
  std::string name = Upper(service_id);
  for (char& c : name) {
    if (c == ' ') c = '_';
  }
  return "AWS_ENDPOINT_URL_" + name;
}

std::string ServicesSectionKey(std::string_view service_id) {
  std::string key = Lower(service_id);
  for (char& c : key) {
    if (c == ' ') c = '_';
  }
  return key;
}

Result<std::string> ResolveRegion(const Environment& env, const SharedConfig& config) {
  if (auto region = env.Get("AWS_REGION")) return *region;
  if (auto region = env.Get("AWS_DEFAULT_REGION")) return *region;
  if (auto profile = config.Profile()) {
    if (auto region = profile->Get("region")) return *region;
  }
  return Error{"NoRegion",
               "no AWS region set: looked at AWS_REGION, AWS_DEFAULT_REGION and "
               "the 'region' of profile '" +
                   config.profile_name() + "' in " + config.config_path() +
                   ". Set AWS_REGION (for example us-east-1) or run `aws configure`"};
}

std::string PartitionDnsSuffix(std::string_view region) {
  if (region.starts_with("cn-")) return "amazonaws.com.cn";
  if (region.starts_with("us-isob-")) return "sc2s.sgov.gov";
  if (region.starts_with("us-isof-")) return "csp.hci.ic.gov";
  if (region.starts_with("us-iso-")) return "c2s.ic.gov";
  if (region.starts_with("eu-isoe-")) return "cloud.adc-e.uk";
  return "amazonaws.com";
}

Result<Endpoint> ResolveEndpoint(const Environment& env, const SharedConfig& config,
                                 const ServiceId& service, std::string_view region,
                                 const EndpointOptions& options) {
  Endpoint endpoint;
  endpoint.signing_region = std::string(region);
  endpoint.signing_name = service.signing_name;
  std::optional<ConfigSection> profile = config.Profile();
  const std::string profile_label =
      "profile '" + config.profile_name() + "' in " + config.config_path();

  std::optional<std::string> url;
  if (options.url) {
    url = *options.url;
    endpoint.source = "the project configuration";
  } else {
    bool ignore =
        env.IsTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ||
        (profile && Lower(profile->Get("ignore_configured_endpoint_urls").value_or("")) == "true");
    if (!ignore) {
      const std::string service_var = EndpointEnvVar(service.id);
      if (auto value = env.Get(service_var)) {
        url = *value;
        endpoint.source = service_var;
      } else if (auto global = env.Get("AWS_ENDPOINT_URL")) {
        url = *global;
        endpoint.source = "AWS_ENDPOINT_URL";
      } else if (profile) {
        const ConfigSection* services =
            profile->Get("services") ? config.Services(*profile->Get("services")) : nullptr;
        std::optional<std::string> from_services =
            services ? services->GetNested(ServicesSectionKey(service.id), "endpoint_url")
                     : std::nullopt;
        if (from_services) {
          url = *from_services;
          endpoint.source =
              "[services " + *profile->Get("services") + "] in " + config.config_path();
        } else if (auto from_profile = profile->Get("endpoint_url")) {
          url = *from_profile;
          endpoint.source = profile_label;
        }
      }
    }
  }
  if (url) {
    Result<std::string> checked = CheckUrl(*url, endpoint.source);
    if (!checked.ok()) return checked.take_error();
    endpoint.url = std::move(checked).value();
    endpoint.custom = true;
  } else {
    endpoint.url = "https://" + service.endpoint_prefix + "." + std::string(region) + "." +
                   PartitionDnsSuffix(region);
    endpoint.source = "AWS's default endpoint for " + std::string(region);
  }

  if (service.id == "S3") {
    std::optional<std::string> style =
        profile ? profile->GetNested("s3", "addressing_style") : std::nullopt;
    if (options.force_path_style) {
      endpoint.path_style = *options.force_path_style;
    } else if (style && (*style == "path" || *style == "virtual")) {
      endpoint.path_style = *style == "path";
    } else {
      endpoint.path_style = endpoint.custom;
    }
  }
  return endpoint;
}

std::string S3ObjectUrl(const Endpoint& endpoint, std::string_view bucket, std::string_view key) {
  std::string encoded_key = UriEncode(key, /*keep_slash=*/true);
  std::optional<UrlParts> parts = SplitUrl(endpoint.url);
  bool https = parts && parts->scheme == "https";
  if (endpoint.path_style || !parts || !IsDnsCompatibleBucket(bucket, https)) {
    return endpoint.url + "/" + UriEncode(bucket, false) + "/" + encoded_key;
  }
  std::string base_path = parts->path == "/" ? "" : parts->path;
  return parts->scheme + "://" + std::string(bucket) + "." + parts->host_header + base_path + "/" +
         encoded_key;
}

}  // namespace autoretrain::aws
