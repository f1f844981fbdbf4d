// `autoretrain export cloudformation [--project DIR] [--format json|yaml] [--output FILE]`:
// the project as an AWS CloudFormation template (deploy::ExportCloudFormation; docs/deploy.md).
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_EXPORT_COMMAND_H_
#define AUTORETRAIN_CLI_EXPORT_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct ExportOptions {
  std::string project = ".";
  std::string format = "yaml";  // "json" or "yaml"
  std::string output;           // empty: stdout
};

// Adds the subcommand `export` (with `cloudformation`) to `app`, parsing into *options (which
// must outlive `app`).
CLI::App* AddExportCommand(CLI::App& app, ExportOptions* options);
// Runs it; returns the exit code: 0 written, 1 the output file could not be written, 2 an
// invalid project or definition.
int ExportCommand(const ExportOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_EXPORT_COMMAND_H_
