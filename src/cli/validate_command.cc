#include "cli/validate_command.h"

#include <iostream>

#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/validation.h"
#include "cli/output.h"
#include "cli/project_option.h"

namespace autoretrain::cli {

CLI::App* AddValidateCommand(CLI::App& app, ValidateOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check a project end to end without running anything: the decision file exists, parses, "
      "is fresh and says YES or NO; every definition is valid; the check's trigger branches "
      "correctly for YES and NO (a dry run: the decision is simulated, nothing is started); "
      "the pipeline it starts is one of the project's state machines; the schedules' next fire "
      "times; each alert destination (Slack webhook, SNS subscription) answers (checked with "
      "HEAD: nothing is sent). Each line passes or fails with the fix to make.");
  AddProjectOption(cmd, &options->project);
  cmd->add_flag("--json", options->json,
                "Print {\"passed\", \"checks\": [{\"name\", \"passed\", \"detail\", \"fix\"}]}");
  cmd->footer(
      "Exit status: 0 every check passed, 1 a check failed, 2 the project or its configuration "
      "is invalid (nothing else could be checked).");
  return cmd;
}

int ValidateCommand(const ValidateOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<std::unique_ptr<integrations::ObjectStore>> objects =
      retrain::MakeProjectObjectStore(*config);
  if (!objects.ok()) {
    PrintError(objects.error().cause);
    return kExitInvalid;
  }
  SystemClock clock;
  retrain::ValidationReport report = retrain::Validate(*config, **objects, clock);
  if (options.json) {
    PrintJson(report.ToJson(), /*pretty=*/true);
  } else {
    for (const retrain::ValidationCheck& check : report.checks) {
      std::cout << (check.passed ? "PASS  " : "FAIL  ") << check.name << ": " << check.detail
                << "\n";
      if (!check.fix.empty()) std::cout << "      fix: " << check.fix << "\n";
    }
    std::cout << (report.passed() ? "All checks passed.\n" : "Some checks failed.\n");
  }
  return report.passed() ? kExitOk : kExitFailed;
}

}  // namespace autoretrain::cli
