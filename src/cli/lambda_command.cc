#include "cli/lambda_command.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/deploy/cloudformation.h"
#include "autoretrain/deploy/lambda_package.h"
#include "autoretrain/deploy/lambda_runtime.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/retrain/project.h"
#include "cli/output.h"

namespace autoretrain::cli {
namespace {

// What the loop runs: the decision function over its object store.
struct LambdaFunction {
  std::unique_ptr<integrations::ObjectStore> store;
  std::unique_ptr<integrations::Function> function;
};

// The function named `name`: from the project's configuration (with its object store) when
// `project` is set, else from the environment the exported template sets, reading S3.
Result<LambdaFunction> SetUpFunction(const std::string& project, const std::string& name) {
  LambdaFunction out;
  retrain::DecisionConfig decision;
  if (!project.empty()) {
    Result<retrain::ProjectConfig> config = retrain::LoadProject(project);
    if (!config.ok()) return config.take_error();
    auto it = config->functions.find(name);
    if (it == config->functions.end() ||
        it->second.kind != retrain::FunctionConfig::Kind::kBuiltin) {
      return Error{"UnknownFunction",
                   "function " + name + " is not a built-in decision function of the project " +
                       config->dir +
                       " (autoretrain.json functions); only built-in functions run as Lambda "
                       "functions: pick one with --function or AUTORETRAIN_FUNCTION"};
    }
    decision = it->second.decision;
    Result<std::unique_ptr<integrations::ObjectStore>> store =
        retrain::MakeProjectObjectStore(*config);
    if (!store.ok()) return store.take_error();
    out.store = std::move(*store);
  } else {
    if (name != retrain::kDecisionFunctionName) {
      return Error{"UnknownFunction",
                   "function " + name + " is not built in; without --project only " +
                       std::string(retrain::kDecisionFunctionName) +
                       " runs (set AUTORETRAIN_FUNCTION to it, or pass --project)"};
    }
    auto env = std::make_shared<aws::SystemEnvironment>();
    Result<retrain::DecisionConfig> config = deploy::DecisionConfigFromEnvironment(*env);
    if (!config.ok()) return config.take_error();
    decision = *config;
    Result<std::unique_ptr<integrations::ObjectStore>> store =
        aws::MakeS3ObjectStore(aws::S3StoreOptions{}, env);
    if (!store.ok()) return store.take_error();
    out.store = std::move(*store);
  }
  out.function = retrain::MakeDecisionFunction(*out.store, decision);
  return out;
}

int RunLoop(const LambdaOptions& options) {
  const char* endpoint = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (endpoint == nullptr || *endpoint == '\0') {
    PrintError(
        "AWS_LAMBDA_RUNTIME_API is not set: `autoretrain lambda` is the Lambda custom runtime "
        "and runs inside AWS Lambda (or a Runtime API emulator that sets it to host:port); to "
        "run the decision function locally use `autoretrain run` or `autoretrain check`");
    return kExitInvalid;
  }
  std::unique_ptr<deploy::RuntimeApi> api = deploy::MakeRuntimeApiClient(endpoint);
  std::string name = options.function;
  if (name.empty()) {
    const char* from_env = std::getenv(deploy::kFunctionEnv);
    name = from_env != nullptr && *from_env != '\0' ? from_env
                                                    : std::string(retrain::kDecisionFunctionName);
  }
  Result<LambdaFunction> function = SetUpFunction(options.project, name);
  if (!function.ok()) {
    PrintError(function.error(), /*with_name=*/true);
    Status reported =
        api->InitError(deploy::LambdaError{function.error().error, function.error().cause});
    if (!reported.ok()) PrintError(reported.error(), /*with_name=*/true);
    return kExitFailed;
  }
  deploy::RuntimeLoopOptions loop;
  loop.max_invocations = options.max_invocations;
  loop.on_invocation = [](const deploy::InvocationReport& report) {
    // One line per invocation, as CloudWatch Logs shows it.
    std::fprintf(stderr, "autoretrain lambda: %s %s %.3f ms\n", report.request_id.c_str(),
                 report.error ? ("error " + report.error->type).c_str() : "ok", report.duration_ms);
  };
  Status status = deploy::RunRuntimeLoop(*api, *function->function, loop);
  if (!status.ok()) {
    PrintError(status.error(), /*with_name=*/true);
    return kExitFailed;
  }
  return kExitOk;
}

int Package(const LambdaOptions& options) {
  std::error_code ec;
  std::string binary = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) {
    PrintError("cannot find the running binary (/proc/self/exe): " + ec.message());
    return kExitFailed;
  }
  Result<deploy::PackageReport> report = deploy::PackageLambda(
      binary, deploy::LoadedLibraries(), options.output, options.allow_newer_glibc);
  if (!report.ok()) {
    PrintError(report.error(), /*with_name=*/true);
    return report.error().error == "GlibcTooNew" ? kExitInvalid : kExitFailed;
  }
  json::Array entries, libraries;
  for (const std::string& e : report->entries) entries.emplace_back(e);
  for (const std::string& l : report->bundled_libraries) libraries.emplace_back(l);
  PrintJson(json::Object{{"zip", report->zip_path},
                         {"zip_bytes", report->zip_bytes},
                         {"entries", entries},
                         {"bundled_libraries", libraries},
                         {"glibc_required", report->max_glibc},
                         {"glibc_required_by", report->max_glibc_user},
                         {"runtime", "provided.al2023"},
                         {"handler", "bootstrap"}},
            /*pretty=*/true);
  return kExitOk;
}

}  // namespace

CLI::App* AddLambdaCommand(CLI::App& app, LambdaOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "lambda",
      "The AWS Lambda custom runtime: the Runtime API loop (AWS_LAMBDA_RUNTIME_API) running the "
      "built-in decision function on each invocation's event. Inside Lambda the decision file's "
      "location comes from the environment the exported template sets "
      "(AUTORETRAIN_DECISION_BUCKET, AUTORETRAIN_DECISION_KEY) and it is read from S3; with "
      "--project, from the project's configuration and object store.");
  cmd->require_subcommand(0, 1);
  cmd->add_option("--project", options->project,
                  "Read the function and its object store from this project instead")
      ->type_name("DIR");
  cmd->add_option("--function", options->function,
                  "The built-in function to run (default: $AUTORETRAIN_FUNCTION, else "
                  "check_retraining_decision)")
      ->type_name("NAME");
  cmd->add_option("--max-invocations", options->max_invocations,
                  "Exit after N invocations (default: never, as Lambda expects)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N");
  CLI::App* package = cmd->add_subcommand(
      "package",
      "Write the deployment package for Lambda's provided.al2023 runtime: DIR/bootstrap (a "
      "launcher), DIR/autoretrain (this binary), DIR/lib/ (the shared libraries Amazon Linux "
      "2023 lacks) and DIR/autoretrain-lambda.zip holding them; prints what it wrote as JSON.");
  package->add_option("--output", options->output, "Output directory (default: lambda-package)")
      ->type_name("DIR");
  package->add_flag("--allow-newer-glibc", options->allow_newer_glibc,
                    "Write the package even when the binary needs a glibc newer than al2023's "
                    "2.34 (it will not start on Lambda)");
  package->callback([options] { options->package = true; });
  cmd->footer(
      "Exit status: 0 done, 1 the Runtime API failed or the function could not be set up "
      "(reported to Lambda as an init error), 2 invalid arguments or environment.");
  return cmd;
}

int LambdaCommand(const LambdaOptions& options) {
  return options.package ? Package(options) : RunLoop(options);
}

}  // namespace autoretrain::cli
