// `autoretrain executions resume` (executions_command.h).
#include <iostream>

#include "autoretrain/retrain/project.h"
#include "cli/executions_command.h"
#include "cli/output.h"

namespace autoretrain::cli {

int ResumeExecutions(const ExecutionsOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  if (config->data_dir.empty()) {
    PrintError("the project has no data_dir, so nothing was recorded that could be resumed");
    return kExitInvalid;
  }
  Result<std::unique_ptr<retrain::LocalRuntime>> runtime =
      retrain::LocalRuntime::ForProject(*config, nullptr, PrintWarning);
  if (!runtime.ok()) {
    PrintError(runtime.error().cause);
    return ExitCodeFor(runtime.error());
  }
  retrain::LocalRuntime& rt = **runtime;
  rt.WaitAll();
  Result<int64_t> purged = rt.PurgeExpired(*config);
  if (!purged.ok()) PrintWarning("old executions were not purged: " + purged.error().cause);
  bool all_succeeded = true;
  json::Array described;
  for (const std::string& arn : rt.resumed()) {
    std::optional<engine::ExecutionResult> result = rt.executions().Find(arn);
    if (!result) continue;  // unreachable: resumed executions are kept until the runtime ends
    all_succeeded &= result->status == engine::ExecutionStatus::kSucceeded;
    if (options.json) {
      described.push_back(result->ToDescribeJson());
    } else {
      std::cout << arn << ' ' << StatusName(*result) << '\n';
    }
  }
  if (options.json) {
    PrintJson(json::Object{{"resumed", std::move(described)}}, /*pretty=*/true);
  } else if (rt.resumed().empty()) {
    std::cout << "no interrupted executions\n";
  }
  return all_succeeded ? kExitOk : kExitFailed;
}

}  // namespace autoretrain::cli
