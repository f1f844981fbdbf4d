#include "cli/output.h"

#include <iostream>

namespace autoretrain::cli {

void PrintError(std::string_view message) {
  size_t start = 0;
  while (true) {
    size_t end = message.find('\n', start);
    std::cerr << "autoretrain: " << message.substr(start, end - start) << '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

void PrintError(const Error& error, bool with_name) {
  PrintError(with_name ? error.error + ": " + error.cause : error.cause);
}

void PrintWarning(const std::string& message) {
  // One write, so that a warning from another thread is never interleaved mid-line.
  std::cerr << ("autoretrain: warning: " + message + "\n") << std::flush;
}

void PrintJson(const json::Value& value, bool pretty) {
  std::cout << (pretty ? json::SerializePretty(value) : json::Serialize(value)) << '\n';
  std::cout.flush();
}

std::string ReadableCause(std::string_view cause) {
  if (cause.empty() || cause.front() != '{') return std::string(cause);
  Result<json::Value> parsed = json::Parse(cause);
  if (!parsed.ok() || !parsed->is_object()) return std::string(cause);
  const json::Value* message = parsed->as_object().if_contains("errorMessage");
  if (message == nullptr || !message->is_string()) return std::string(cause);
  return std::string(message->as_string());
}

std::string StatusName(const engine::ExecutionResult& result) {
  return engine::ExecutionStatusName(result.status);
}

int ExitCodeFor(const Error& error) {
  const bool environment = error.error.starts_with("Store") || error.error == "ProjectBusy";
  return environment ? kExitFailed : kExitInvalid;
}

}  // namespace autoretrain::cli
