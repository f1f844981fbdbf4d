#include "cli/check_command.h"

#include <iostream>

#include "autoretrain/retrain/project.h"
#include "cli/output.h"
#include "cli/project_option.h"

namespace autoretrain::cli {
namespace {

// "  error:  X\n  cause:  Y" for a failed execution; the output for a succeeded one.
void PrintOutcome(const engine::ExecutionResult& result) {
  if (result.status == engine::ExecutionStatus::kSucceeded) {
    if (result.output) std::cout << "  output:   " << json::Serialize(*result.output) << '\n';
    return;
  }
  std::cout << "  error:    " << result.error.value_or("") << '\n'
            << "  cause:    " << ReadableCause(result.cause.value_or("")) << '\n';
}

void PrintReport(const retrain::CheckReport& report) {
  std::cout << "Decision:   " << report.decision.value_or("(none: the decision was not read)")
            << '\n';
  std::cout << "Branch:     " << report.branch.value_or("(none: no branch was taken)") << '\n';
  std::cout << "Trigger:    " << StatusName(report.trigger) << "  " << report.trigger.execution_arn
            << '\n';
  if (report.trigger.status != engine::ExecutionStatus::kSucceeded) PrintOutcome(report.trigger);
  if (!report.pipeline) {
    std::cout << "Pipeline:   none started\n";
    return;
  }
  std::cout << "Pipeline:   " << StatusName(*report.pipeline) << "  "
            << report.pipeline->execution_arn << '\n';
  PrintOutcome(*report.pipeline);
}

}  // namespace

CLI::App* AddCheckCommand(CLI::App& app, CheckOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Run the project's retraining trigger once and report the decision, the branch taken and "
      "the training pipeline it started, with its final status.");
  AddProjectOption(cmd, &options->project);
  cmd->add_flag("--json", options->json,
                "Print one JSON object: {\"decision\", \"branch\", \"trigger\": "
                "<DescribeExecution>, \"pipeline\": <DescribeExecution> or null}");
  cmd->add_option("--model", options->model,
                  "Run the retraining trigger (retraining.trigger) for this model of "
                  "autoretrain.json's models, with its decision file and pipeline, instead of "
                  "the configured check");
  cmd->footer(
      "The trigger is check.state_machine of autoretrain.json, run with check.input (or, with "
      "check.model or --model, the retraining trigger with the model's input); check waits for "
      "the executions it starts.\n"
      "Exit status: 0 the trigger succeeded and so did the pipeline it started (if any), 1 "
      "either failed or the project's store cannot be used (or another process holds the project "
      "for more than 60 s), 2 the project or its configuration is invalid.\n"
      "Executions an interrupted autoretrain process left running are resumed first.");
  return cmd;
}

int CheckCommand(const CheckOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  if (!options.model.empty()) {
    Result<std::string> trigger = retrain::RetrainingTrigger(*config);
    Result<json::Value> input = retrain::ModelTriggerInput(*config, options.model);
    if (!trigger.ok() || !input.ok()) {
      PrintError("--model " + options.model + ": " +
                 (trigger.ok() ? input.error().cause : trigger.error().cause));
      return kExitInvalid;
    }
    config->check_state_machine = *trigger;
    config->check_input = *std::move(input);
  }
  Result<retrain::CheckReport> report = retrain::RunCheck(*config, PrintWarning);
  if (!report.ok()) {
    PrintError(report.error().cause);
    return ExitCodeFor(report.error());
  }
  if (options.json) {
    PrintJson(report->ToJson(), /*pretty=*/true);
  } else {
    PrintReport(*report);
  }
  return report->succeeded() ? kExitOk : kExitFailed;
}

}  // namespace autoretrain::cli
