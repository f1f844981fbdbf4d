// SystemEnvironment and MapEnvironment.
#include "autoretrain/aws/environment.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "aws/canonical.h"

namespace autoretrain::aws {

std::string Environment::HomeDir() const {
  if (auto home = Get("HOME")) return *home;
  if (auto profile = Get("USERPROFILE")) return *profile;
  return "";
}

std::string Environment::ExpandHome(const std::string& path) const {
  if (path == "~") return HomeDir();
  if (path.starts_with("~/")) return HomeDir() + path.substr(1);
  return path;
}

bool Environment::IsTrue(std::string_view name) const {
  std::optional<std::string> value = Get(name);
  return value && internal::Lower(*value) == "true";
}

std::optional<std::string> SystemEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<std::string> SystemEnvironment::ReadFile(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return content.str();
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = vars.find(name);
  if (it == vars.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> MapEnvironment::ReadFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

}  // namespace autoretrain::aws
