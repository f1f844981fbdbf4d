#include "cli/activities_command.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/store/store.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "integrations/execution_name.h"

namespace autoretrain::cli {
namespace {

// The project's store, created when `create` is set and the project has none yet.
Result<std::unique_ptr<store::Store>> OpenActivityStore(const retrain::ProjectConfig& config,
                                                        bool create) {
  const std::string path = retrain::DatabasePath(config);
  if (path.empty()) {
    return Error{"InvalidProjectConfig",
                 "activities live in the project's store; this project has no data_dir"};
  }
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) return retrain::OpenProjectStore(config);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  return store::Store::Open(path);
}

json::Value ActivityJson(const store::ActivityRecord& activity) {
  return json::Object{{"activityArn", activity.arn},
                      {"name", activity.name},
                      {"creationDate", FormatIso8601(activity.creation_date)}};
}

// AWS's validation of an activity ARN parameter.
std::optional<Error> InvalidActivityArn(const std::string& arn) {
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (parsed && parsed->service == "states" && parsed->resource.starts_with("activity:") &&
      parsed->resource.size() > 9) {
    return std::nullopt;
  }
  return Error{"InvalidArn", "Invalid Arn: '" + arn + "'"};
}

// GetActivityTask's long poll: looks for a task every 200 ms until one comes or `wait` ends.
Result<std::optional<store::ActivityTask>> WaitForTask(store::Store& store,
                                                       const ActivitiesOptions& options) {
  SystemClock clock;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(options.wait_seconds);
  for (;;) {
    auto task = store.GetActivityTask(options.arn, options.worker_name, clock.Now());
    if (!task.ok() || task->has_value() || std::chrono::steady_clock::now() >= give_up) {
      return task;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Result<json::Value> Run(const ActivitiesOptions& options, const retrain::ProjectConfig& config) {
  using Action = ActivitiesOptions::Action;
  if (options.action != Action::kCreate && options.action != Action::kList) {
    if (auto invalid = InvalidActivityArn(options.arn)) return *invalid;
  }
  Result<std::unique_ptr<store::Store>> opened =
      OpenActivityStore(config, options.action == Action::kCreate);
  if (!opened.ok()) return opened.take_error();
  store::Store& store = **opened;
  switch (options.action) {
    case Action::kCreate: {
      if (std::optional<std::string> problem = integrations::ExecutionNameProblem(options.name)) {
        return Error{"InvalidName", "Invalid Name: '" + options.name + "': " + *problem};
      }
      auto created = store.CreateActivity(ActivityArn(config.account, options.name), options.name,
                                          SystemClock().Now());
      if (!created.ok()) return created.take_error();
      return json::Value(json::Object{{"activityArn", created->arn},
                                      {"creationDate", FormatIso8601(created->creation_date)}});
    }
    case Action::kList: {
      auto page = store.ListActivities({options.max_results, options.next_token});
      if (!page.ok()) return page.take_error();
      json::Array activities;
      for (const store::ActivityRecord& a : page->items) activities.push_back(ActivityJson(a));
      json::Object out{{"activities", std::move(activities)}};
      if (!page->next_token.empty()) out["nextToken"] = page->next_token;
      return json::Value(std::move(out));
    }
    case Action::kDescribe: {
      auto activity = store.DescribeActivity(options.arn);
      if (!activity.ok()) return activity.take_error();
      return ActivityJson(*activity);
    }
    case Action::kDelete: {
      Status deleted = store.DeleteActivity(options.arn);
      if (!deleted.ok()) return deleted.take_error();
      return json::Value(json::Object{});
    }
    case Action::kGetTask: {
      auto task = WaitForTask(store, options);
      if (!task.ok()) return task.take_error();
      if (!task->has_value()) return json::Value(json::Object{});  // as AWS after its long poll
      return json::Value(json::Object{{"taskToken", (*task)->token}, {"input", (*task)->input}});
    }
  }
  return json::Value(json::Object{});
}

CLI::App* AddAction(CLI::App* cmd, const char* name, const char* description,
                    ActivitiesOptions* options, ActivitiesOptions::Action action) {
  CLI::App* sub = cmd->add_subcommand(name, description);
  AddProjectOption(sub, &options->project);
  sub->callback([options, action] { options->action = action; });
  return sub;
}

void AddArn(CLI::App* sub, ActivitiesOptions* options) {
  sub->add_option("ARN", options->arn,
                  "The activity's ARN (arn:aws:states:REGION:ACCOUNT:activity:NAME)")
      ->required();
}

}  // namespace

CLI::App* AddActivitiesCommand(CLI::App& app, ActivitiesOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "activities",
      "Activities, as AWS's CreateActivity, ListActivities, DescribeActivity, DeleteActivity "
      "and GetActivityTask. A Task state whose Resource is an activity's ARN waits for a worker: "
      "the worker gets the task with 'get-task' and answers it with 'autoretrain task "
      "success|failure|heartbeat TOKEN'.");
  cmd->require_subcommand(1);
  using Action = ActivitiesOptions::Action;
  CLI::App* create = AddAction(cmd, "create",
                               "Create an activity (or return the one of that name); prints "
                               "{\"activityArn\", \"creationDate\"}",
                               options, Action::kCreate);
  create->add_option("NAME", options->name, "1-80 characters, as AWS allows for names")->required();
  CLI::App* list = AddAction(cmd, "list",
                             "List the activities by name: {\"activities\": [{\"activityArn\", "
                             "\"name\", \"creationDate\"}], \"nextToken\"}",
                             options, Action::kList);
  list->add_option("--max-results", options->max_results, "Page size (1-1000, default 100)")
      ->check(CLI::Range(1, 1000));
  list->add_option("--next-token", options->next_token, "The nextToken of the previous page");
  AddArn(AddAction(cmd, "describe", "Print {\"activityArn\", \"name\", \"creationDate\"}", options,
                   Action::kDescribe),
         options);
  AddArn(AddAction(cmd, "delete",
                   "Delete the activity (tasks already scheduled stay until their executions "
                   "end)",
                   options, Action::kDelete),
         options);
  CLI::App* get = AddAction(cmd, "get-task",
                            "Wait for a task of the activity and take it: prints {\"taskToken\", "
                            "\"input\"}, or {} when none came within --wait-seconds",
                            options, Action::kGetTask);
  AddArn(get, options);
  get->add_option("--worker-name", options->worker_name,
                  "Recorded in the task's ActivityStarted event");
  get->add_option("--wait-seconds", options->wait_seconds,
                  "How long to wait for a task (0-60, default 60: AWS's long poll)")
      ->check(CLI::Range(0, 60));
  for (CLI::App* sub : cmd->get_subcommands({})) {
    sub->footer(
        "Exit status: 0 done, 1 the project's store could not be used, 2 invalid arguments, "
        "project, or no such activity (ActivityDoesNotExist).");
  }
  return cmd;
}

int ActivitiesCommand(const ActivitiesOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<json::Value> out = Run(options, *config);
  if (!out.ok()) {
    PrintError(out.error(), /*with_name=*/true);
    return ExitCodeFor(out.error());
  }
  PrintJson(*out, /*pretty=*/true);
  return kExitOk;
}

}  // namespace autoretrain::cli
