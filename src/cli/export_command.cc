#include "cli/export_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "autoretrain/deploy/cloudformation.h"
#include "autoretrain/retrain/project.h"
#include "cli/output.h"
#include "cli/project_option.h"

namespace autoretrain::cli {

CLI::App* AddExportCommand(CLI::App& app, ExportOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "export", "Export the project for deployment to AWS (see docs/deploy.md).");
  cmd->require_subcommand(1);
  CLI::App* cfn = cmd->add_subcommand(
      "cloudformation",
      "Write an AWS CloudFormation template of the project: its state machines with their "
      "definitions unchanged (the project's ARNs substituted with the deployed account's), the "
      "schedules (EventBridge Scheduler), the retraining history table (DynamoDB), alert topics "
      "(SNS), the built-in decision function as a provided.al2023 Lambda, and least-privilege "
      "IAM roles derived from what each definition calls. Deploy it with `aws cloudformation "
      "deploy --capabilities CAPABILITY_IAM`.");
  AddProjectOption(cfn, &options->project);
  cfn->add_option("--format", options->format, "Template format (default: yaml)")
      ->check(CLI::IsMember({"json", "yaml"}))
      ->type_name("json|yaml");
  cfn->add_option("--output", options->output, "Write the template to FILE (default: stdout)")
      ->type_name("FILE");
  cfn->footer(
      "Exit status: 0 written, 1 the output file could not be written, 2 the project or a "
      "definition is invalid. Warnings (what the stack does not create, permissions granted "
      "broadly) go to stderr.");
  return cmd;
}

int ExportCommand(const ExportOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<deploy::ExportedTemplate> exported = deploy::ExportCloudFormation(*config);
  if (!exported.ok()) {
    PrintError(exported.error().cause);
    return kExitInvalid;
  }
  for (const std::string& warning : exported->warnings) PrintWarning(warning);
  std::string text = options.format == "json" ? json::SerializePretty(exported->body) + "\n"
                                              : deploy::ToYaml(exported->body);
  if (options.output.empty()) {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    PrintError("cannot write the template to " + options.output + ": " + std::strerror(errno) +
               "; check that its directory exists and is writable");
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace autoretrain::cli
