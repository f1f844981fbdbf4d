// Authentication (authentication.h): the credentials file and the SigV4 Authenticator.
#include "autoretrain/server/authentication.h"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "autoretrain/aws/sigv4_verifier.h"

namespace autoretrain::server {
namespace {

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

Result<std::string> LoadMetricsToken(const std::string& path) {
  constexpr size_t kMinimum = 16;
  constexpr size_t kMaximum = 1024;
  auto invalid = [&path](const std::string& what) {
    return Error{"InvalidMetricsTokenFile",
                 "metrics token file '" + path + "': " + what +
                     " (give one random word, for example from `openssl rand -hex 32`)"};
  };
  std::ifstream file(path);
  if (!file) return invalid("cannot be read");
  std::string content(kMaximum + 3, '\0');
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<size_t>(file.gcount()));
  const std::string token = Trim(content.size() > 0 && content.back() == '\n'
                                     ? std::string_view(content).substr(0, content.size() - 1)
                                     : std::string_view(content));
  if (token.size() > kMaximum) return invalid("the token is longer than 1024 characters");
  for (char c : token) {
    if (c <= ' ' || c > '~') return invalid("the token has a space or a character outside ASCII");
  }
  if (token.size() < kMinimum) return invalid("the token is shorter than 16 characters");
  return token;
}

Result<std::vector<AccessKey>> LoadAccessKeys(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return Error{"InvalidCredentialsFile",
                 "cannot read the credentials file '" + path +
                     "': give a readable file in the AWS credentials format ([NAME] sections with "
                     "aws_access_key_id and aws_secret_access_key)"};
  }
  auto invalid = [&path](int line, const std::string& what) {
    return Error{"InvalidCredentialsFile", "credentials file '" + path + "'" +
                                               (line > 0 ? ", line " + std::to_string(line) : "") +
                                               ": " + what};
  };
  std::vector<AccessKey> keys;
  std::map<std::string, int> section_lines;  // section -> its header line
  std::map<std::string, AccessKey> sections;
  std::vector<std::string> order;
  std::string section;
  std::string text;
  int line_number = 0;
  while (std::getline(file, text)) {
    ++line_number;
    std::string line = Trim(text);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        return invalid(line_number, "a section header is written [NAME]");
      }
      section = Trim(line.substr(1, line.size() - 2));
      if (section.starts_with("profile ")) section = Trim(section.substr(8));
      if (!sections.contains(section)) {
        order.push_back(section);
        section_lines[section] = line_number;
        sections[section].profile = section;
      }
      continue;
    }
    const size_t equals = line.find('=');
    if (equals == std::string::npos) {
      return invalid(line_number, "expected KEY = VALUE or [NAME]");
    }
    if (section.empty()) {
      return invalid(line_number, "a setting before any [NAME] section: start with [default]");
    }
    const std::string key = Trim(line.substr(0, equals));
    const std::string value = Trim(line.substr(equals + 1));
    AccessKey& entry = sections[section];
    if (key == "aws_access_key_id") entry.access_key_id = value;
    if (key == "aws_secret_access_key") entry.secret_access_key = value;
    if (key == "aws_session_token") entry.session_token = value;
  }
  std::map<std::string, std::string> seen;  // key id -> section
  for (const std::string& name : order) {
    AccessKey& entry = sections[name];
    if (entry.access_key_id.empty()) continue;  // e.g. a profile with only a region
    if (entry.secret_access_key.empty()) {
      return invalid(section_lines[name], "section [" + name + "] has aws_access_key_id " +
                                              entry.access_key_id +
                                              " but no aws_secret_access_key");
    }
    if (auto [it, inserted] = seen.emplace(entry.access_key_id, name); !inserted) {
      return invalid(section_lines[name], "access key id " + entry.access_key_id + " is in both [" +
                                              it->second + "] and [" + name + "]: keep one");
    }
    keys.push_back(std::move(entry));
  }
  if (keys.empty()) {
    return invalid(0,
                   "no access key: add a section such as [default] with aws_access_key_id and "
                   "aws_secret_access_key");
  }
  return keys;
}

Authenticator SigV4Authenticator(std::vector<AccessKey> keys, std::string service,
                                 std::string account, Clock& clock) {
  auto by_id = std::make_shared<std::map<std::string, aws::Credentials, std::less<>>>();
  for (AccessKey& key : keys) {
    aws::Credentials credentials;
    credentials.access_key_id = key.access_key_id;
    credentials.secret_access_key = std::move(key.secret_access_key);
    credentials.session_token = std::move(key.session_token);
    credentials.source = "credentials file [" + key.profile + "]";
    (*by_id)[key.access_key_id] = std::move(credentials);
  }
  auto verifier = std::make_shared<aws::SigV4Verifier>(
      [by_id](std::string_view access_key_id) -> std::optional<aws::Credentials> {
        auto it = by_id->find(access_key_id);
        if (it == by_id->end()) return std::nullopt;
        return it->second;
      },
      aws::VerifierOptions{.region = "", .service = std::move(service)});
  return [verifier, account = std::move(account),
          &clock](const HttpRequest& request) -> Result<Caller> {
    aws::ReceivedRequest received;
    received.method = request.method;
    received.path = request.path;
    received.query = request.query;
    received.body = request.body;
    received.headers.reserve(request.headers.size());
    for (const auto& [name, value] : request.headers) received.headers.emplace_back(name, value);
    Result<aws::VerifiedCaller> verified = verifier->Verify(received, clock.Now());
    if (!verified.ok()) return verified.take_error();
    Caller caller;
    caller.access_key_id = verified->access_key_id;
    caller.account = account;
    return caller;
  };
}

}  // namespace autoretrain::server
