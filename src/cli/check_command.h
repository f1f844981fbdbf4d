// `autoretrain check`: runs the project's retraining trigger once and reports the decision,
// the branch taken, and the training pipeline execution it started with its final status.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_CHECK_COMMAND_H_
#define AUTORETRAIN_CLI_CHECK_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct CheckOptions {
  std::string project = ".";
  bool json = false;
  std::string model;  // --model: run the retraining trigger for this model instead
};

// Adds the subcommand to `app`, parsing into *options (which must outlive `app`).
CLI::App* AddCheckCommand(CLI::App& app, CheckOptions* options);

// Runs it; returns the exit code (output.h).
int CheckCommand(const CheckOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_CHECK_COMMAND_H_
