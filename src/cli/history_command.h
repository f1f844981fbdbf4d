// `autoretrain history [MODEL]`: the retraining history ledger (every evaluated decision and
// the retraining it started), read from the project's table store or DynamoDB, as
// integrations.dynamodb chooses (docs/retraining-policy.md#the-ledger).
#ifndef AUTORETRAIN_CLI_HISTORY_COMMAND_H_
#define AUTORETRAIN_CLI_HISTORY_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct HistoryOptions {
  std::string project = ".";
  std::string model;  // "": every model in the table
  int days = 30;      // records evaluated within the last `days` days
  int limit = 20;     // per model, latest first
  bool json = false;
};

CLI::App* AddHistoryCommand(CLI::App& app, HistoryOptions* options);
int HistoryCommand(const HistoryOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_HISTORY_COMMAND_H_
