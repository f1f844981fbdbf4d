// `autoretrain run DEFINITION`: runs one execution of a state machine definition locally and
// prints its output (or, with --json, its DescribeExecution).
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_RUN_COMMAND_H_
#define AUTORETRAIN_CLI_RUN_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace autoretrain::cli {

struct RunOptions {
  std::string definition;  // a file, or the name of one of the project's state machines
  std::string input;
  std::string input_file;
  bool json = false;
  std::string name;
  std::string project;                      // --project or $AUTORETRAIN_PROJECT; empty: no project
  std::vector<std::string> functions;       // NAME=COMMAND
  std::vector<std::string> state_machines;  // NAME=FILE
  // Step Functions Local's mock configuration file and the test case of it to run (both or
  // neither); see docs/mocks.md.
  std::string mock_config;
  std::string test_case;
};

// Adds the subcommand to `app`, parsing into *options (which must outlive `app`).
CLI::App* AddRunCommand(CLI::App& app, RunOptions* options);

// Runs it; returns the exit code (output.h).
int RunCommand(const RunOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_RUN_COMMAND_H_
