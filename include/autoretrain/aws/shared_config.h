// The AWS shared configuration files as the AWS CLI and SDKs read them: the credentials file
// (~/.aws/credentials or AWS_SHARED_CREDENTIALS_FILE; sections "[name]") and the config file
// (~/.aws/config or AWS_CONFIG_FILE; sections "[default]", "[profile name]",
// "[services name]"), with nested sub-properties ("s3 =" followed by indented "key = value"
// lines). The active profile is AWS_PROFILE, else "default".
//
// Thread-safety: an immutable value once loaded; safe to share.
#ifndef AUTORETRAIN_AWS_SHARED_CONFIG_H_
#define AUTORETRAIN_AWS_SHARED_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/aws/environment.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// One section's settings: lowercase keys to values, and nested sub-properties
// ("s3" -> {"addressing_style" -> "path"}).
struct ConfigSection {
  std::map<std::string, std::string, std::less<>> values;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> nested;

  // The value of `key`, or nullopt.
  std::optional<std::string> Get(std::string_view key) const;
  // The nested value `parent`.`key`, or nullopt.
  std::optional<std::string> GetNested(std::string_view parent, std::string_view key) const;
};

class SharedConfig {
 public:
  // Reads both files (either may be missing). On success returns the parsed files; fails with
  // Error{"ConfigError", cause naming the file and line} when a file exists but cannot be
  // parsed (a line that is neither a section, a setting, a comment nor blank).
  static Result<SharedConfig> Load(const Environment& env);

  // Parses file contents directly (for tests and callers with their own files); `*_name` are
  // the names used in messages.
  static Result<SharedConfig> Parse(std::string_view credentials_text,
                                    std::string_view credentials_name, std::string_view config_text,
                                    std::string_view config_name, std::string profile_name);

  // The active profile's name.
  const std::string& profile_name() const { return profile_name_; }
  // The active profile's settings, the credentials file's entries overriding the config file's
  // for the same key; nullopt when neither file has that profile.
  std::optional<ConfigSection> Profile() const;
  std::optional<ConfigSection> Profile(std::string_view name) const;
  // A "[services name]" section of the config file, or nullopt.
  const ConfigSection* Services(std::string_view name) const;
  // Where the files were looked for, for messages.
  const std::string& credentials_path() const { return credentials_path_; }
  const std::string& config_path() const { return config_path_; }

 private:
  std::string profile_name_ = "default";
  std::string credentials_path_, config_path_;
  std::map<std::string, ConfigSection, std::less<>> credentials_profiles_;
  std::map<std::string, ConfigSection, std::less<>> config_profiles_;
  std::map<std::string, ConfigSection, std::less<>> services_;
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SHARED_CONFIG_H_
