// `autoretrain init`: writes the embedded starter project (project_template.h) into a directory.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/project_template.h"

namespace autoretrain::retrain {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTriggerPath = "state_machines/retraining_trigger.asl.json";

// `text` with every `from` replaced by `to`.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The bytes to write for `file`: the template, with the trigger's pipeline ARN filled in, and
// for the policy template the configuration's check and schedule pointed at its trigger.
std::string Contents(const EmbeddedFile& file, StarterTemplate starter) {
  std::string text(file.contents);
  if (file.path == kTriggerPath) {
    return ReplaceAll(std::move(text), kPipelineArnPlaceholder,
                      StateMachineArn(AccountContext{}, kPipelineStateMachineName));
  }
  if (file.path == kProjectConfigFile && starter == StarterTemplate::kPolicy) {
    // check and the weekly schedule run the retraining trigger for the model instead.
    return ReplaceAll(std::move(text),
                      "\"state_machine\": \"" + std::string(kSeedTriggerName) + "\"",
                      "\"model\": \"creditcard\"");
  }
  return text;
}

// Scripts with a "#!" line are made executable so they can also be run directly.
bool IsScript(const EmbeddedFile& file) { return file.contents.substr(0, 2) == "#!"; }

Status WriteFile(const fs::path& path, const std::string& data, bool executable) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return Error{"WriteFailed",
                 "cannot create directory '" + path.parent_path().string() + "': " + ec.message()};
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return Error{"WriteFailed", "cannot write '" + path.string() + "'"};
  if (executable) ::chmod(path.c_str(), 0755);
  return OkStatus();
}

}  // namespace

Result<std::vector<std::string>> InitProject(const std::string& dir, bool force,
                                             StarterTemplate starter) {
  const fs::path root(dir);
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    return Error{"WriteFailed", "'" + dir + "' exists and is not a directory"};
  }
  const std::vector<EmbeddedFile>& files = ProjectTemplateFiles();
  if (!force) {
    for (const EmbeddedFile& file : files) {
      fs::path target = root / file.path;
      if (fs::exists(fs::symlink_status(target, ec))) {
        return Error{"FileExists", "'" + target.string() +
                                       "' already exists; nothing was written (use --force to "
                                       "overwrite the starter project's files)"};
      }
    }
  }
  std::vector<std::string> written;
  for (const EmbeddedFile& file : files) {
    Status status = WriteFile(root / file.path, Contents(file, starter), IsScript(file));
    if (!status.ok()) return status.take_error();
    written.emplace_back(file.path);
  }
  return written;
}

}  // namespace autoretrain::retrain
