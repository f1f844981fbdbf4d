// Helpers shared by the aws layer's tests: running one Task request through a
// ServiceIntegration, decoding form bodies, a temporary folder, test credentials, HTTP options
// for local fake endpoints, and a launcher that records task tokens.
//
// Thread-safety: test-only helpers, used from one thread.
#ifndef AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_
#define AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/sigv4.h"
#include "autoretrain/integrations/service_integration.h"
#include "autoretrain/integrations/task_router.h"

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

// The example key pair of AWS's SigV4 documentation, which the fake endpoints verify.
inline constexpr char kKeyId[] = "AKIDEXAMPLE";
inline constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

inline Credentials TestCredentials() {
  Credentials c;
  c.access_key_id = kKeyId;
  c.secret_access_key = kSecret;
  c.source = "test";
  return c;
}

// Short timeouts, and retries without sleeping or jitter: for a fake endpoint on this machine.
inline HttpClientOptions FastHttp() {
  HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(500);
  options.total_timeout = std::chrono::milliseconds(1500);
  options.sleep = [](std::chrono::milliseconds) {};
  options.random = [] { return 0.0; };
  return options;
}

// Records the tokens a callback task registers (the project's store in a real run).
class TokenLauncher final : public integrations::ExecutionLauncher {
 public:
  Result<Started> Start(const StartRequest&) override {
    return Error{"StateMachineDoesNotExist", "no local machines here"};
  }
  Status RegisterTaskToken(const std::string& token, const std::string& execution_arn,
                           const std::string& state_name) override {
    tokens.push_back(token + "|" + execution_arn + "|" + state_name);
    return OkStatus();
  }
  std::vector<std::string> tokens;
};

}  // namespace autoretrain::aws::testing

#endif  // AUTORETRAIN_AWS_NOTIFY_TEST_UTIL_H_
