// `autoretrain lambda`: the AWS Lambda custom runtime (deploy/lambda_runtime.h) running the
// built-in decision function, and `autoretrain lambda package [--output DIR]`, which writes the
// provided.al2023 deployment package (deploy/lambda_package.h). docs/deploy.md.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_LAMBDA_COMMAND_H_
#define AUTORETRAIN_CLI_LAMBDA_COMMAND_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

namespace autoretrain::cli {

struct LambdaOptions {
  bool package = false;         // `lambda package`
  std::string project;          // empty: the decision file's location from the environment
  std::string function;         // empty: $AUTORETRAIN_FUNCTION, else check_retraining_decision
  int64_t max_invocations = 0;  // 0: until Lambda ends the process
  std::string output = "lambda-package";  // package: the output directory
  bool allow_newer_glibc = false;
};

// Adds the subcommand `lambda` (with `package`) to `app`, parsing into *options (which must
// outlive `app`).
CLI::App* AddLambdaCommand(CLI::App& app, LambdaOptions* options);
// Runs it; returns the exit code: 0 done (max invocations reached, package written), 1 the
// Runtime API failed or the function could not be set up (reported to /runtime/init/error) or
// the package could not be written, 2 invalid arguments or environment.
int LambdaCommand(const LambdaOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_LAMBDA_COMMAND_H_
