// Helpers for the SNS, HTTP task and Slack tests: running one Task request through a
// ServiceIntegration, decoding form bodies, and a temporary folder.
//
// Thread-safety: test-only helpers, used from one thread.
#ifndef AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_
#define AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/integrations/service_integration.h"

namespace autoretrain::aws::testing {

inline json::Value J(std::string_view text) { return json::Parse(text).value(); }

// Runs `parameters` (JSON text) through `integration` as the Task `resource`.
inline Result<json::Value> RunTask(integrations::ServiceIntegration& integration,
                                   std::string_view resource, std::string_view parameters,
                                   std::optional<int64_t> timeout_seconds = std::nullopt) {
  json::Value params = J(parameters);
  json::Value context = json::Object{};
  engine::TaskRequest request{
      .resource = resource,
      .parameters = &params,
      .context = &context,
      .state_name = "Notify",
      .execution_arn = "arn:aws:states:us-east-1:123456789012:execution:m:e",
      .timeout_seconds = timeout_seconds};
  if (!integration.Handles(request)) return Error{"NotHandled", std::string(resource)};
  return integration.Invoke(request);
}

// "a=1&b=x%20y" -> {a: "1", b: "x y"} (a repeated name keeps its last value).
inline std::map<std::string, std::string> DecodeForm(std::string_view form) {
  std::map<std::string, std::string> out;
  while (!form.empty()) {
    size_t amp = form.find('&');
    std::string_view pair = form.substr(0, amp);
    size_t eq = pair.find('=');
    out[UriDecode(pair.substr(0, eq))] =
        eq == std::string_view::npos ? "" : UriDecode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    form.remove_prefix(amp + 1);
  }
  return out;
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "autoretrain-notify-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::vector<json::Value> ReadJsonLines(const std::string& path) {
  std::vector<json::Value> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(J(line));
  return lines;
}

}  // namespace autoretrain::aws::testing

#endif  // AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_
