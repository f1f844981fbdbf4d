// `autoretrain activities create|list|describe|delete|get-task`: a project's activities, as
// AWS's CreateActivity, ListActivities, DescribeActivity, DeleteActivity and GetActivityTask.
// A Task state whose Resource is an activity's ARN schedules a task for the activity's workers
// and waits; a worker gets it with `get-task` and answers with `autoretrain task
// success|failure|heartbeat TOKEN`.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_ACTIVITIES_COMMAND_H_
#define AUTORETRAIN_CLI_ACTIVITIES_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct ActivitiesOptions {
  enum class Action { kCreate, kList, kDescribe, kDelete, kGetTask };
  Action action = Action::kList;
  std::string project = ".";
  std::string name;  // create: the activity's name
  std::string arn;   // describe, delete, get-task: the activity's ARN
  int max_results = 0;
  std::string next_token;
  std::string worker_name;  // get-task
  int wait_seconds = 60;    // get-task: how long to wait for a task (AWS's long poll: 60 s)
};

// Adds the subcommand and its subcommands to `app`, parsing into *options (which must outlive
// `app`).
CLI::App* AddActivitiesCommand(CLI::App& app, ActivitiesOptions* options);
// Runs it; returns the exit code (output.h).
int ActivitiesCommand(const ActivitiesOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_ACTIVITIES_COMMAND_H_
