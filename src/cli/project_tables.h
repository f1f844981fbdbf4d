// The project's DynamoDB for commands that read or write the retraining history (history,
// approve, reject): the project's store opened for writing (an empty in-memory one when the
// project has recorded nothing yet) and the DynamoDB integrations.dynamodb chooses over it
// (retrain::MakeProjectDynamoDb).
//
// Thread-safety: one command at a time.
#ifndef AUTORETRAIN_CLI_PROJECT_TABLES_H_
#define AUTORETRAIN_CLI_PROJECT_TABLES_H_

#include <memory>

#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/store/store.h"

namespace autoretrain::cli {

struct ProjectTables {
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<integrations::DynamoDb> db;  // reads and writes through `store` when local
};

// Fails with InvalidProjectConfig (no data_dir), the store's Store* errors, or
// MakeProjectDynamoDb's.
Result<std::unique_ptr<ProjectTables>> OpenProjectTables(const retrain::ProjectConfig& config);

// The exit status for an error of OpenProjectTables or of a DynamoDB call: 2 when the project
// cannot say where its tables are (its configuration), 1 when they could not be read.
int TablesExitCode(const Error& error);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_PROJECT_TABLES_H_
