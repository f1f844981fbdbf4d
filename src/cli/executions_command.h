// `autoretrain executions list|describe|history|stop|resume`: the executions a project recorded
// in its store (data/autoretrain.db): ListExecutions, DescribeExecution and GetExecutionHistory,
// as human tables or, with --json, in AWS's response shapes, StopExecution, and resuming what
// an interrupted process left running.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_EXECUTIONS_COMMAND_H_
#define AUTORETRAIN_CLI_EXECUTIONS_COMMAND_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace autoretrain::cli {

struct ExecutionsOptions {
  enum class Action { kList, kDescribe, kHistory, kStop, kResume };
  Action action = Action::kList;
  std::string project = ".";
  std::string state_machine;  // a state machine name; empty: all of the project's
  std::string status;         // list: RUNNING, SUCCEEDED, ...; empty: any
  std::string execution;      // describe, history, stop: an execution ARN or name
  int max_results = 0;        // 0: 100
  std::string next_token;
  bool reverse = false;              // history: newest first
  std::optional<std::string> error;  // stop: --error
  std::optional<std::string> cause;  // stop: --cause
  bool json = false;
};

// Adds the subcommand and its five subcommands to `app`, parsing into *options (which must
// outlive `app`).
CLI::App* AddExecutionsCommand(CLI::App& app, ExecutionsOptions* options);

// Runs it; returns the exit code (output.h).
int ExecutionsCommand(const ExecutionsOptions& options);

// `executions resume` (executions_resume.cc): runs every execution the store holds as RUNNING
// to its end and reports how each ended.
int ResumeExecutions(const ExecutionsOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_EXECUTIONS_COMMAND_H_
