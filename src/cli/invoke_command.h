// `autoretrain invoke FUNCTION`: runs one of the built-in functions on an event, the way a
// Lambda function or a command function runs (docs/functions.md#invoke): the event from
// --payload, --payload-file or stdin, the result as JSON on stdout, a failure as Lambda's
// {"errorType", "errorMessage"} on stdout. So a built-in can be tried by hand, scripted, or
// used as another project's command function.
#ifndef AUTORETRAIN_CLI_INVOKE_COMMAND_H_
#define AUTORETRAIN_CLI_INVOKE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct InvokeOptions {
  std::string project = ".";
  std::string function;
  std::string payload;       // the event as JSON text
  std::string payload_file;  // or from this file ("-": stdin)
  bool pretty = false;
};

CLI::App* AddInvokeCommand(CLI::App& app, InvokeOptions* options);
int InvokeCommand(const InvokeOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_INVOKE_COMMAND_H_
