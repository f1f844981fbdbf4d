// Fuzz target: the server's credentials file (`serve --credentials-file`, the AWS
// shared-credentials format). The input is the file's content, written to a temporary file
// and loaded: it yields keys that each have an id and a secret, or InvalidCredentialsFile
// whose message does not depend on the secrets (loading the same file with every secret
// replaced gives the same message), so that no secret can appear in it.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "autoretrain/server/authentication.h"
#include "fuzz_util.h"

namespace server = autoretrain::server;
using autoretrain::Result;
using autoretrain::fuzz::Check;

namespace {

// Removes spaces, tabs and carriage returns at both ends, as the credentials reader does.
std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// `text` with the value of every non-empty aws_secret_access_key setting replaced.
std::string WithSecretsReplaced(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const bool last = text.find('\n') == std::string_view::npos;
    auto [line, rest] = autoretrain::fuzz::SplitFirstLine(text);
    text = rest;
    const size_t equals = line.find('=');
    if (equals != std::string_view::npos &&
        Trim(line.substr(0, equals)) == "aws_secret_access_key" &&
        !Trim(line.substr(equals + 1)).empty()) {
      line = "aws_secret_access_key = replaced-secret";
    }
    out.append(line);
    if (!last) out += '\n';
  }
  return out;
}

Result<std::vector<server::AccessKey>> Load(std::string_view content) {
  static const std::string path = (std::filesystem::temp_directory_path() /
                                   ("autoretrain-fuzz-credentials-" + std::to_string(getpid())))
                                      .string();
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(content.data(), content.size());
  Result<std::vector<server::AccessKey>> keys = server::LoadAccessKeys(path);
  std::filesystem::remove(path);
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = autoretrain::fuzz::AsText(data, size);
  Result<std::vector<server::AccessKey>> keys = Load(text);
  if (!keys.ok()) {
    Check(keys.error().error == "InvalidCredentialsFile", "a bad file is InvalidCredentialsFile");
    Result<std::vector<server::AccessKey>> replaced = Load(WithSecretsReplaced(text));
    Check(!replaced.ok() && replaced.error() == keys.error(), "a message never shows a secret");
    return 0;
  }
  Check(!keys->empty(), "a valid file has a key");
  for (const server::AccessKey& key : *keys) {
    Check(!key.access_key_id.empty() && !key.secret_access_key.empty(),
          "every key has an id and a secret");
  }
  return 0;
}
