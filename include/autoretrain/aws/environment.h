// Environment: where the AWS configuration comes from (environment variables, the home folder,
// files), behind an interface so tests use a map instead of the machine's real environment.
//
// Thread-safety: SystemEnvironment is safe to share (it reads the process environment, which
// nobody should change while threads run). MapEnvironment is safe to read from many threads
// once filled, and not to change while read.
#ifndef AUTORETRAIN_AWS_ENVIRONMENT_H_
#define AUTORETRAIN_AWS_ENVIRONMENT_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace autoretrain::aws {

class Environment {
 public:
  virtual ~Environment() = default;
  // The value of environment variable `name`; nullopt when unset or empty (as the AWS SDKs
  // treat an empty variable).
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
  // The whole content of the file at `path`; nullopt when it does not exist or cannot be read.
  virtual std::optional<std::string> ReadFile(const std::string& path) const = 0;

  // The home folder: HOME (USERPROFILE as a fallback); "" when neither is set.
  std::string HomeDir() const;
  // `path` with a leading "~/" replaced by the home folder.
  std::string ExpandHome(const std::string& path) const;
  // True when variable `name` is "true" (case-insensitive), as the SDKs read boolean settings.
  bool IsTrue(std::string_view name) const;
};

// The process's real environment and file system.
class SystemEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
  std::optional<std::string> ReadFile(const std::string& path) const override;
};

// Variables and files from maps, for tests.
class MapEnvironment final : public Environment {
 public:
  std::map<std::string, std::string, std::less<>> vars;
  std::map<std::string, std::string, std::less<>> files;  // absolute path -> content

  std::optional<std::string> Get(std::string_view name) const override;
  std::optional<std::string> ReadFile(const std::string& path) const override;
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_ENVIRONMENT_H_
