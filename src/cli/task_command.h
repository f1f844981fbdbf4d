// `autoretrain task success|failure|heartbeat TOKEN`: a worker's answer to a callback task
// (a Task state whose Resource ends in .waitForTaskToken), as AWS's SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat. The answer is written to the project's store, where
// the process running the execution (run --project, check or serve) reads it at the task's next
// check.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_TASK_COMMAND_H_
#define AUTORETRAIN_CLI_TASK_COMMAND_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace autoretrain::cli {

struct TaskOptions {
  enum class Action { kSuccess, kFailure, kHeartbeat };
  Action action = Action::kSuccess;
  std::string project = ".";
  std::string token;
  std::string output;                // success: --output JSON
  std::string output_file;           // success: --output-file FILE ("-": stdin)
  std::optional<std::string> error;  // failure: --error
  std::optional<std::string> cause;  // failure: --cause
};

// Adds the subcommand and its three subcommands to `app`, parsing into *options (which must
// outlive `app`).
CLI::App* AddTaskCommand(CLI::App& app, TaskOptions* options);
// Runs it; returns the exit code (output.h).
int TaskCommand(const TaskOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_TASK_COMMAND_H_
