#include "cli/approval_command.h"

#include <cstdlib>
#include <iostream>

#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/server/task_answers.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "cli/project_tables.h"

namespace autoretrain::cli {

CLI::App* AddApprovalCommand(CLI::App& app, ApprovalOptions* options, bool approve) {
  CLI::App* cmd = app.add_subcommand(
      approve ? "approve" : "reject",
      std::string(approve ? "Approve" : "Reject") +
          " the retraining of MODEL that waits at the approval gate (a policy with "
          "approval.required): the waiting trigger execution goes on to " +
          (approve ? "alert and start the training pipeline." : "record the rejection and end."));
  cmd->add_option("MODEL", options->model, "The model whose pending retraining to answer")
      ->required();
  AddProjectOption(cmd, &options->project);
  cmd->add_option("--by", options->by, "Who answers, recorded in the history (default: $USER)")
      ->type_name("NAME");
  cmd->add_option("--reason", options->reason, "Why, recorded in the history")->type_name("TEXT");
  cmd->add_flag("--json", options->json, "Print {\"model\", \"evaluation_id\", \"answer\"}");
  cmd->footer(
      "Exit status: 0 answered, 1 the history or the store could not be used, 2 invalid "
      "arguments or project, or nothing waits for approval (NoPendingApproval) or its execution "
      "ended (TaskDoesNotExist, TaskTimedOut).");
  return cmd;
}

int ApprovalCommand(const ApprovalOptions& options, bool approve) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<std::unique_ptr<ProjectTables>> tables = OpenProjectTables(*config);
  if (!tables.ok()) {
    PrintError(tables.error(), /*with_name=*/true);
    return TablesExitCode(tables.error());
  }
  ProjectTables& t = **tables;
  const std::string& table = config->retraining.history_table;
  Result<retrain::PendingApproval> pending =
      retrain::FindPendingApproval(*t.db, table, options.model, t.clock.Now());
  if (!pending.ok()) {
    PrintError(pending.error(), /*with_name=*/true);
    return pending.error().error == "NoPendingApproval" ? kExitInvalid
                                                        : TablesExitCode(pending.error());
  }
  std::string by = options.by;
  if (by.empty()) by = std::getenv("USER") != nullptr ? std::getenv("USER") : "";
  const json::Value answer =
      json::Object{{"approved", approve}, {"by", by}, {"reason", options.reason}};
  Status sent =
      server::SendTaskSuccess(*t.store, pending->token, json::Serialize(answer), t.clock.Now());
  if (!sent.ok()) {
    PrintError(sent.error(), /*with_name=*/true);
    return ExitCodeFor(sent.error());
  }
  // The execution has its answer; the history notes who gave it. Failing that only warns.
  if (Status noted =
          retrain::RecordApprovalAnswer(*t.db, table, *pending, approve, by, options.reason);
      !noted.ok()) {
    PrintWarning("the answer was delivered, but recording it in table \"" + table +
                 "\" failed: " + noted.error().error + ": " + noted.error().cause);
  }
  const std::string word = approve ? "APPROVED" : "REJECTED";
  if (options.json) {
    PrintJson(
        json::Object{
            {"model", options.model}, {"evaluation_id", pending->evaluation_id}, {"answer", word}},
        /*pretty=*/true);
  } else {
    std::cout << word << " the retraining of " << options.model << " (evaluation "
              << pending->evaluation_id << "): " << pending->summary << '\n';
  }
  return kExitOk;
}

}  // namespace autoretrain::cli
