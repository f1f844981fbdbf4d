// The AWS-shaped fields of autoretrain.json (regions, endpoint URLs), shared by every section
// that configures an AWS client (object_store, integrations.*).
#include "retrain/project_fields.h"

namespace autoretrain::retrain {

bool IsAwsRegion(std::string_view s) {
  // "us-east-1", "eu-central-2", "us-gov-west-1": letters-...-digits.
  size_t dash = s.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == s.size()) return false;
  for (size_t i = dash + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  for (size_t i = 0; i < dash; ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c == '-' && i > 0 && s[i - 1] != '-'))) return false;
  }
  return s[dash - 1] != '-';
}

std::optional<std::string> OptionalRegion(FieldChecker& fields, const json::Object& obj,
                                          const std::string& path, std::string_view key) {
  std::optional<std::string> region = fields.OptionalString(obj, path, key);
  if (!region || IsAwsRegion(*region)) return region;
  fields.Problem(JoinPath(path, key),
                 "expected an AWS region such as \"us-east-1\", got '" + *region + "'");
  return std::nullopt;
}

std::optional<std::string> OptionalEndpointUrl(FieldChecker& fields, const json::Object& obj,
                                               const std::string& path, std::string_view key) {
  std::optional<std::string> url = fields.OptionalString(obj, path, key);
  if (!url) return url;
  std::string_view rest = *url;
  bool scheme = rest.starts_with("http://") || rest.starts_with("https://");
  if (scheme) rest.remove_prefix(rest.find("//") + 2);
  if (!scheme || rest.empty() || rest.front() == '/' ||
      rest.find_first_of("?# ") != std::string_view::npos) {
    fields.Problem(JoinPath(path, key),
                   "expected an http(s) URL such as \"http://127.0.0.1:9000\" or "
                   "\"https://s3.example.com\", got '" +
                       *url + "'");
    return std::nullopt;
  }
  while (url->size() > 1 && url->back() == '/') url->pop_back();
  return url;
}

}  // namespace autoretrain::retrain
