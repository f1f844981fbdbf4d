// `autoretrain approve MODEL` and `autoretrain reject MODEL`: answer a retraining that waits at
// the approval gate (docs/retraining-policy.md#approval).
#ifndef AUTORETRAIN_CLI_APPROVAL_COMMAND_H_
#define AUTORETRAIN_CLI_APPROVAL_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct ApprovalOptions {
  std::string project = ".";
  std::string model;
  std::string by;      // who answers (default: $USER)
  std::string reason;  // why
  bool json = false;
};

// Adds `approve` (approved = true) or `reject` to `app`.
CLI::App* AddApprovalCommand(CLI::App& app, ApprovalOptions* options, bool approve);
int ApprovalCommand(const ApprovalOptions& options, bool approve);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_APPROVAL_COMMAND_H_
