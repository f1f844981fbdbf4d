// `autoretrain init DIR`: writes the starter project (the seed's retraining trigger, its
// configuration, the decision CSV, an example training pipeline) into DIR.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_INIT_COMMAND_H_
#define AUTORETRAIN_CLI_INIT_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct InitOptions {
  std::string dir;
  bool force = false;
  std::string starter = "seed";  // --template: "seed" or "policy"
};

// Adds the subcommand to `app`, parsing into *options (which must outlive `app`).
CLI::App* AddInitCommand(CLI::App& app, InitOptions* options);

// Runs it; returns the exit code (output.h).
int InitCommand(const InitOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_INIT_COMMAND_H_
