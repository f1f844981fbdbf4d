#include "cli/task_command.h"

#include <filesystem>
#include <utility>

#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/server/task_answers.h"
#include "autoretrain/store/store.h"
#include "cli/document_argument.h"
#include "cli/output.h"
#include "cli/project_option.h"

namespace autoretrain::cli {
namespace {

// The text of `task success`'s output: --output, or the file --output-file names (stdin for
// "-"), read up to one byte past the 256 KiB limit (SendTaskSuccess checks it and the JSON).
Result<std::string> ReadOutput(const TaskOptions& options) {
  if (options.output_file.empty()) return options.output;
  Result<std::string> data = ReadDocumentFile(options.output_file, json::kMaxPayloadBytes);
  if (!data.ok()) {
    return Error{"InvalidOutput",
                 "--output-file " + options.output_file + ": " + data.error().cause};
  }
  return data;
}

// The project's store, opened for writing. A project that never recorded anything has no task
// to answer.
Result<std::unique_ptr<store::Store>> OpenTaskStore(const std::string& project) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(project);
  if (!config.ok()) return config.take_error();
  const std::string path = retrain::DatabasePath(*config);
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) {
    return Error{"TaskDoesNotExist", "Task Does Not Exist: the project '" + config->dir +
                                         "' has not recorded any execution"};
  }
  return store::Store::Open(path);
}

int Answer(const TaskOptions& options) {
  // The same checks as the API's SendTask* (task_answers.h), before the store is opened.
  if (options.token.empty() || options.token.size() > server::kMaxTaskTokenLength) {
    PrintError("InvalidToken: a task token has 1 to " +
               std::to_string(server::kMaxTaskTokenLength) + " characters");
    return kExitInvalid;
  }
  Result<std::unique_ptr<store::Store>> store = OpenTaskStore(options.project);
  if (!store.ok()) {
    PrintError(store.error(), /*with_name=*/true);
    return ExitCodeFor(store.error());
  }
  const TimePoint now = SystemClock().Now();
  Status status = OkStatus();
  switch (options.action) {
    case TaskOptions::Action::kSuccess: {
      Result<std::string> output = ReadOutput(options);
      if (!output.ok()) {
        PrintError(output.error(), /*with_name=*/true);
        return kExitInvalid;
      }
      status = server::SendTaskSuccess(**store, options.token, *output, now);
      break;
    }
    case TaskOptions::Action::kFailure:
      status = server::SendTaskFailure(**store, options.token, options.error, options.cause, now);
      break;
    case TaskOptions::Action::kHeartbeat:
      status = server::SendTaskHeartbeat(**store, options.token, now);
      break;
  }
  if (!status.ok()) {
    PrintError(status.error(), /*with_name=*/true);
    return ExitCodeFor(status.error());
  }
  return kExitOk;
}

CLI::App* AddAnswer(CLI::App* cmd, const char* name, const char* description, TaskOptions* options,
                    TaskOptions::Action action) {
  CLI::App* sub = cmd->add_subcommand(name, description);
  sub->add_option("TOKEN", options->token,
                  "The task token ($$.Task.Token) the callback task handed to its worker")
      ->required();
  AddProjectOption(sub, &options->project);
  sub->callback([options, action] { options->action = action; });
  return sub;
}

}  // namespace

CLI::App* AddTaskCommand(CLI::App& app, TaskOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "task",
      "Answer a callback task (Resource ending in .waitForTaskToken) as AWS's SendTaskSuccess, "
      "SendTaskFailure and SendTaskHeartbeat do. The execution waiting for it (run --project, "
      "check or serve on the same project) reads the answer at its next check, within a "
      "minute.");
  cmd->require_subcommand(1);
  CLI::App* success = AddAnswer(cmd, "success", "The task succeeded with this output (its result)",
                                options, TaskOptions::Action::kSuccess);
  auto* output = success->add_option("--output", options->output, "The output as JSON text")
                     ->type_name("JSON");
  auto* output_file = success
                          ->add_option("--output-file", options->output_file,
                                       "Read the output from FILE ('-': stdin)")
                          ->type_name("FILE");
  output->excludes(output_file);
  success->callback([options, output, output_file] {
    options->action = TaskOptions::Action::kSuccess;
    if (output->count() == 0 && output_file->count() == 0) {
      throw CLI::RequiredError("--output or --output-file");
    }
  });
  CLI::App* failure = AddAnswer(cmd, "failure",
                                "The task failed with this error and cause (Retry and Catch "
                                "match the error)",
                                options, TaskOptions::Action::kFailure);
  failure->add_option("--error", options->error, "The error name (at most 256 characters)")
      ->type_name("NAME");
  failure->add_option("--cause", options->cause, "The cause (at most 32768 characters)")
      ->type_name("TEXT");
  CLI::App* heartbeat = AddAnswer(
      cmd, "heartbeat", "The task is still being worked on: resets its HeartbeatSeconds clock",
      options, TaskOptions::Action::kHeartbeat);
  for (CLI::App* app_with_footer : {cmd, success, failure, heartbeat}) {
    app_with_footer->footer(
        "Exit status: 0 answered, 1 the project's store could not be written, 2 invalid "
        "arguments or output, or no such task (TaskDoesNotExist: unknown token or finished "
        "execution; TaskTimedOut: already answered).");
  }
  return cmd;
}

int TaskCommand(const TaskOptions& options) { return Answer(options); }

}  // namespace autoretrain::cli
