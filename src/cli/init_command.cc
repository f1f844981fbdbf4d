#include "cli/init_command.h"

#include <iostream>

#include "autoretrain/retrain/project.h"
#include "cli/output.h"

namespace autoretrain::cli {
namespace {

// `path` as one shell word, for the command the user is told to run next.
std::string ShellWord(const std::string& path) {
  bool plain = !path.empty() && path.find_first_not_of(
                                    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_./+:@") == std::string::npos;
  if (plain) return path;
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

CLI::App* AddInitCommand(CLI::App& app, InitOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "init",
      "Create a starter project: the seed's retraining trigger, its configuration, the "
      "decision CSV and an example training pipeline.");
  cmd->add_option("DIR", options->dir, "Directory to create the project in (created if needed)")
      ->required()
      ->type_name("DIR");
  cmd->add_flag("--force", options->force,
                "Overwrite the starter project's files if they already exist (other files in "
                "DIR are left alone)");
  cmd->add_option("--template", options->starter,
                  "seed (default): 'check' and the weekly schedule run the seed's trigger; "
                  "policy: they run the policy-driven trigger (retraining policy, history, "
                  "alert, versioned pipeline runs). Both triggers are written either way")
      ->check(CLI::IsMember({"seed", "policy"}))
      ->type_name("NAME");
  cmd->footer(
      "Writes autoretrain.json, state_machines/retraining_trigger.asl.json (the seed's definition "
      "with the pipeline ARN filled in), state_machines/policy_trigger.asl.json (the "
      "policy-driven trigger), state_machines/training_pipeline.asl.json, "
      "functions/*.py, the decision CSV and the training data under buckets/.\n"
      "Exit status: 0 the project was written, 1 a file could not be written, 2 a file already "
      "exists (nothing is written) or invalid arguments.");
  return cmd;
}

int InitCommand(const InitOptions& options) {
  Result<std::vector<std::string>> written =
      retrain::InitProject(options.dir, options.force,
                           options.starter == "policy" ? retrain::StarterTemplate::kPolicy
                                                       : retrain::StarterTemplate::kSeed);
  if (!written.ok()) {
    PrintError(written.error().cause);
    return written.error().error == "FileExists" ? kExitInvalid : kExitFailed;
  }
  std::cout << "Created an autoretrain project in " << options.dir << ":\n";
  for (const std::string& path : *written) std::cout << "  " << path << '\n';
  std::cout << "\nRun the retraining check (the decision CSV says YES, so the training pipeline "
               "runs):\n  autoretrain check --project "
            << ShellWord(options.dir) << '\n';
  return kExitOk;
}

}  // namespace autoretrain::cli
