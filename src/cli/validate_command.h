// `autoretrain validate [--project DIR] [--json]`: the seed's end-to-end checklist
// (retrain::Validate): each line passes or fails with the fix to make; the exit code says
// whether all passed.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_VALIDATE_COMMAND_H_
#define AUTORETRAIN_CLI_VALIDATE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct ValidateOptions {
  std::string project = ".";
  bool json = false;
};

// Adds the subcommand to `app`, parsing into *options (which must outlive `app`).
CLI::App* AddValidateCommand(CLI::App& app, ValidateOptions* options);
// Runs it; returns the exit code: 0 all checks passed, 1 one failed, 2 invalid project.
int ValidateCommand(const ValidateOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_VALIDATE_COMMAND_H_
