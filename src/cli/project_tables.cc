#include "cli/project_tables.h"

#include <filesystem>

#include "autoretrain/aws/environment.h"
#include "cli/output.h"

namespace autoretrain::cli {

Result<std::unique_ptr<ProjectTables>> OpenProjectTables(const retrain::ProjectConfig& config) {
  const std::string path = retrain::DatabasePath(config);
  if (path.empty()) {
    return Error{"InvalidProjectConfig",
                 "the retraining history lives in the project's store; this project has no "
                 "data_dir (set \"data_dir\" in autoretrain.json)"};
  }
  // Without a database nothing was recorded yet: an empty in-memory store stands in, rather
  // than creating the file (and its schema) under a process that may be creating it now.
  std::error_code ec;
  const bool recorded = std::filesystem::exists(path, ec);
  auto tables = std::make_unique<ProjectTables>();
  Result<std::unique_ptr<store::Store>> store =
      recorded ? store::Store::Open(path) : store::Store::OpenInMemory();
  if (!store.ok()) return store.take_error();
  tables->store = std::move(store).value();
  Result<std::unique_ptr<integrations::DynamoDb>> db = retrain::MakeProjectDynamoDb(
      config, *tables->store, tables->clock, std::make_shared<aws::SystemEnvironment>());
  if (!db.ok()) return db.take_error();
  tables->db = std::move(db).value();
  return tables;
}

int TablesExitCode(const Error& error) {
  const std::string& name = error.error;
  const bool configuration = name == "InvalidProjectConfig" || name == "NoRegion" ||
                             name == "EndpointError" || name == "ConfigError";
  return configuration ? kExitInvalid : kExitFailed;
}

}  // namespace autoretrain::cli
