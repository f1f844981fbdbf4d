// The `autoretrain` command: parses the command line (CLI11) and dispatches to a subcommand.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "cli/activities_command.h"
#include "cli/approval_command.h"
#include "cli/check_command.h"
#include "cli/executions_command.h"
#include "cli/export_command.h"
#include "cli/history_command.h"
#include "cli/init_command.h"
#include "cli/invoke_command.h"
#include "cli/lambda_command.h"
#include "cli/output.h"
#include "cli/run_command.h"
#include "cli/schedules_command.h"
#include "cli/serve_command.h"
#include "cli/task_command.h"
#include "cli/validate_command.h"

namespace autoretrain::cli {
namespace {

// Keep in sync with project(VERSION) in CMakeLists.txt.
constexpr const char* kVersion = "autoretrain 0.1.0";

// The subcommand the user named, for usage hints ("" when none was recognized).
std::string NamedSubcommand(const CLI::App& app) {
  std::string name;
  for (const CLI::App* cmd = &app; !cmd->get_subcommands().empty();) {
    cmd = cmd->get_subcommands().front();
    name += (name.empty() ? "" : " ") + cmd->get_name();
  }
  return name;
}

int ReportParseError(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::string sub = NamedSubcommand(app);
  // An unknown first word is most likely a mistyped command.
  const std::string first = argc > 1 ? argv[1] : "";
  bool known = false;
  for (const CLI::App* cmd : app.get_subcommands({})) known |= cmd->check_name(first);
  if (sub.empty() && !first.empty() && first[0] != '-' && !known) {
    PrintError("unknown command '" + first +
               "'; the commands are: init, run, check, validate, executions, schedules, serve, "
               "task, activities, history, approve, reject, export, lambda");
  } else if (sub.empty() && !first.empty() && first[0] == '-') {
    PrintError("unknown option '" + first + "'; options go after the command");
  } else {
    PrintError(e.what());
  }
  std::cerr << "Run 'autoretrain " << (sub.empty() ? "" : sub + " ") << "--help' for usage.\n";
  return kExitInvalid;
}

int Main(int argc, char** argv) {
  CLI::App app(
      "autoretrain runs AWS Step Functions state machines (Amazon States Language) locally with "
      "AWS's semantics, and the monitoring-driven retraining trigger built on them.\n"
      "Start with:  autoretrain init my-project && autoretrain check --project my-project",
      "autoretrain");
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 1 an execution failed (or the project's store could not be used, "
      "or another process kept the project busy), 2 invalid arguments, input, definition or "
      "project.\nRun 'autoretrain COMMAND --help' for a command's options.");

  InitOptions init;
  RunOptions run;
  CheckOptions check;
  ExecutionsOptions executions;
  SchedulesOptions schedules;
  ServeOptions serve;
  TaskOptions task;
  ActivitiesOptions activities;
  ValidateOptions validate;
  HistoryOptions history;
  ApprovalOptions approval;
  ExportOptions export_options;
  LambdaOptions lambda;
  InvokeOptions invoke;
  CLI::App* init_cmd = AddInitCommand(app, &init);
  CLI::App* run_cmd = AddRunCommand(app, &run);
  CLI::App* check_cmd = AddCheckCommand(app, &check);
  CLI::App* executions_cmd = AddExecutionsCommand(app, &executions);
  CLI::App* schedules_cmd = AddSchedulesCommand(app, &schedules);
  CLI::App* serve_cmd = AddServeCommand(app, &serve);
  CLI::App* task_cmd = AddTaskCommand(app, &task);
  CLI::App* activities_cmd = AddActivitiesCommand(app, &activities);
  CLI::App* validate_cmd = AddValidateCommand(app, &validate);
  CLI::App* history_cmd = AddHistoryCommand(app, &history);
  CLI::App* approve_cmd = AddApprovalCommand(app, &approval, /*approve=*/true);
  CLI::App* reject_cmd = AddApprovalCommand(app, &approval, /*approve=*/false);
  CLI::App* export_cmd = AddExportCommand(app, &export_options);
  CLI::App* lambda_cmd = AddLambdaCommand(app, &lambda);
  CLI::App* invoke_cmd = AddInvokeCommand(app, &invoke);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e, argc, argv);
  }
  if (init_cmd->parsed()) return InitCommand(init);
  if (run_cmd->parsed()) return RunCommand(run);
  if (check_cmd->parsed()) return CheckCommand(check);
  if (executions_cmd->parsed()) return ExecutionsCommand(executions);
  if (schedules_cmd->parsed()) return SchedulesCommand(schedules);
  if (serve_cmd->parsed()) return ServeCommand(serve);
  if (task_cmd->parsed()) return TaskCommand(task);
  if (activities_cmd->parsed()) return ActivitiesCommand(activities);
  if (validate_cmd->parsed()) return ValidateCommand(validate);
  if (history_cmd->parsed()) return HistoryCommand(history);
  if (approve_cmd->parsed()) return ApprovalCommand(approval, /*approve=*/true);
  if (reject_cmd->parsed()) return ApprovalCommand(approval, /*approve=*/false);
  if (export_cmd->parsed()) return ExportCommand(export_options);
  if (lambda_cmd->parsed()) return LambdaCommand(lambda);
  if (invoke_cmd->parsed()) return InvokeCommand(invoke);
  return kExitInvalid;  // unreachable: require_subcommand(1)
}

}  // namespace
}  // namespace autoretrain::cli

int main(int argc, char** argv) {
  try {
    return autoretrain::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing below throws on purpose; this keeps even an out-of-memory from crashing silently.
    autoretrain::cli::PrintError(std::string("internal error: ") + e.what());
    return autoretrain::cli::kExitFailed;
  }
}
