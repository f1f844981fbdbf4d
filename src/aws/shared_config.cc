// Parsing of ~/.aws/credentials and ~/.aws/config.
#include "autoretrain/aws/shared_config.h"

#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using Sections = std::map<std::string, ConfigSection, std::less<>>;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

enum class FileKind { kCredentials, kConfig };

// Parses one file into profiles (and, for the config file, services sections).
Status ParseFile(std::string_view text, std::string_view file_name, FileKind kind,
                 Sections* profiles, Sections* services) {
  ConfigSection* section = nullptr;
  std::string nested_parent;  // the key whose indented sub-properties follow
  size_t pos = 0;
  int line_number = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    auto fail = [&](std::string why) -> Status {
      return Error{"ConfigError", std::string(file_name) + ":" + std::to_string(line_number) +
                                      ": " + why + "; fix or remove that line"};
    };
    if (line.front() == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) return fail("a section header needs a closing ']'");
      std::string_view name = Trim(line.substr(1, close - 1));
      nested_parent.clear();
      section = nullptr;
      if (kind == FileKind::kCredentials) {
        section = &(*profiles)[std::string(name)];
      } else if (name == "default") {
        section = &(*profiles)["default"];
      } else if (name.starts_with("profile ") || name.starts_with("profile\t")) {
        section = &(*profiles)[std::string(Trim(name.substr(8)))];
      } else if (name.starts_with("services ")) {
        section = &(*services)[std::string(Trim(name.substr(9)))];
      }
      // Other sections (sso-session, plugins, a bare "[name]" in the config file, which the
      // CLI ignores too) are skipped: section stays null and their lines are ignored.
      continue;
    }
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected 'key = value'");
    std::string key = internal::Lower(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (section == nullptr) {
      if (kind == FileKind::kCredentials && profiles->empty()) {
        return fail("a setting must follow a section header such as [default]");
      }
      continue;
    }
    if (indented && !nested_parent.empty()) {
      section->nested[nested_parent][key] = value;
      continue;
    }
    if (value.empty()) {
      nested_parent = key;
      section->nested[key];
    } else {
      nested_parent.clear();
    }
    section->values[key] = value;
  }
  return OkStatus();
}

}  // namespace

std::optional<std::string> ConfigSection::Get(std::string_view key) const {
  auto it = values.find(key);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ConfigSection::GetNested(std::string_view parent,
                                                    std::string_view key) const {
  auto it = nested.find(parent);
  if (it == nested.end()) return std::nullopt;
  auto value = it->second.find(key);
  if (value == it->second.end()) return std::nullopt;
  return value->second;
}

Result<SharedConfig> SharedConfig::Parse(std::string_view credentials_text,
                                         std::string_view credentials_name,
                                         std::string_view config_text, std::string_view config_name,
                                         std::string profile_name) {
  SharedConfig config;
  config.profile_name_ = std::move(profile_name);
  config.credentials_path_ = std::string(credentials_name);
  config.config_path_ = std::string(config_name);
  Sections unused;
  Status parsed = ParseFile(credentials_text, credentials_name, FileKind::kCredentials,
                            &config.credentials_profiles_, &unused);
  if (!parsed.ok()) return parsed.take_error();
  parsed = ParseFile(config_text, config_name, FileKind::kConfig, &config.config_profiles_,
                     &config.services_);
  if (!parsed.ok()) return parsed.take_error();
  return config;
}

Result<SharedConfig> SharedConfig::Load(const Environment& env) {
  std::string credentials_path =
      env.ExpandHome(env.Get("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
  std::string config_path = env.ExpandHome(env.Get("AWS_CONFIG_FILE").value_or("~/.aws/config"));
  std::string credentials_text = env.ReadFile(credentials_path).value_or("");
  std::string config_text = env.ReadFile(config_path).value_or("");
  return Parse(credentials_text, credentials_path, config_text, config_path,
               env.Get("AWS_PROFILE").value_or("default"));
}

std::optional<ConfigSection> SharedConfig::Profile() const { return Profile(profile_name_); }

std::optional<ConfigSection> SharedConfig::Profile(std::string_view name) const {
  auto from_config = config_profiles_.find(name);
  auto from_credentials = credentials_profiles_.find(name);
  if (from_config == config_profiles_.end() && from_credentials == credentials_profiles_.end()) {
    return std::nullopt;
  }
  ConfigSection merged;
  if (from_config != config_profiles_.end()) merged = from_config->second;
  if (from_credentials != credentials_profiles_.end()) {
    for (const auto& [key, value] : from_credentials->second.values) merged.values[key] = value;
    for (const auto& [key, nested] : from_credentials->second.nested) merged.nested[key] = nested;
  }
  return merged;
}

const ConfigSection* SharedConfig::Services(std::string_view name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : &it->second;
}

}  // namespace autoretrain::aws
