#include "cli/invoke_command.h"

#include <unistd.h>

#include <memory>

#include "autoretrain/aws/environment.h"
#include "autoretrain/retrain/alert_function.h"
#include "autoretrain/retrain/approval_function.h"
#include "autoretrain/retrain/decision.h"
#include "autoretrain/retrain/policy_function.h"
#include "autoretrain/retrain/project.h"
#include "cli/document_argument.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "cli/project_tables.h"

namespace autoretrain::cli {
namespace {

// Lambda's limit for a synchronous invocation's request payload.
constexpr size_t kMaxPayloadBytes = 6 * 1024 * 1024;

Result<json::Value> ReadPayload(const InvokeOptions& options) {
  std::string text = options.payload;
  std::string source = "--payload";
  const bool from_stdin =
      options.payload_file == "-" ||
      (options.payload_file.empty() && options.payload.empty() && isatty(STDIN_FILENO) == 0);
  if (from_stdin) {
    source = "the event on stdin";
    text = ReadStdinLimited(kMaxPayloadBytes);
  } else if (!options.payload_file.empty()) {
    source = "--payload-file " + options.payload_file;
    Result<std::string> data = retrain::ReadFileLimited(options.payload_file, kMaxPayloadBytes);
    if (!data.ok()) return Error{"InvalidRequestContent", source + ": " + data.error().cause};
    text = std::move(*data);
  } else if (text.empty()) {
    return json::Value(json::Object{});
  }
  if (text.size() > kMaxPayloadBytes) {
    return Error{"RequestTooLarge", source + ": the event is larger than " +
                                        std::to_string(kMaxPayloadBytes) +
                                        " bytes, Lambda's limit for a request payload"};
  }
  if (from_stdin && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return json::Value(json::Object{});  // nothing piped in: the empty event
  }
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok()) {
    return Error{"InvalidRequestContent", source + ": not valid JSON: " + parsed.error().cause};
  }
  return parsed;
}

// What a built-in needs besides its code, kept alive while it runs.
struct BuiltinFunction {
  std::unique_ptr<integrations::ObjectStore> objects;
  std::unique_ptr<ProjectTables> tables;
  std::unique_ptr<integrations::Function> function;
};

Error UnknownFunction(const retrain::ProjectConfig& config, const std::string& name) {
  std::string decisions;
  for (const auto& [function, spec] : config.functions) {
    if (spec.kind == retrain::FunctionConfig::Kind::kBuiltin) decisions += ", " + function;
  }
  return Error{"ResourceNotFoundException",
               "no built-in function named '" + name + "' in the project " + config.dir +
                   ": the built-ins are " + std::string(retrain::kPolicyFunctionName) + ", " +
                   std::string(retrain::kAlertFunctionName) + ", " +
                   std::string(retrain::kApprovalFunctionName) +
                   " and the project's decision functions (autoretrain.json functions" +
                   (decisions.empty() ? ": none" : decisions) + ")"};
}

Result<BuiltinFunction> SetUp(const retrain::ProjectConfig& config, const std::string& name) {
  BuiltinFunction out;
  auto open_tables = [&]() -> Status {
    Result<std::unique_ptr<ProjectTables>> tables = OpenProjectTables(config);
    if (!tables.ok()) return tables.take_error();
    out.tables = std::move(tables).value();
    return OkStatus();
  };
  if (name == retrain::kPolicyFunctionName) {
    if (Status s = open_tables(); !s.ok()) return s.take_error();
    out.function = retrain::MakePolicyFunction(*out.tables->db, retrain::ProjectPolicy(config),
                                               &out.tables->clock);
  } else if (name == retrain::kApprovalFunctionName) {
    if (Status s = open_tables(); !s.ok()) return s.take_error();
    out.function = retrain::MakeApprovalFunction(*out.tables->db, config.retraining.history_table,
                                                 out.tables->clock);
  } else if (name == retrain::kAlertFunctionName) {
    out.function =
        retrain::MakeAlertFunction(config.alerts, std::make_shared<aws::SystemEnvironment>());
  } else if (auto it = config.functions.find(name);
             it != config.functions.end() &&
             it->second.kind == retrain::FunctionConfig::Kind::kBuiltin) {
    Result<std::unique_ptr<integrations::ObjectStore>> objects =
        retrain::MakeProjectObjectStore(config);
    if (!objects.ok()) return objects.take_error();
    out.objects = std::move(objects).value();
    out.function = retrain::MakeDecisionFunction(*out.objects, it->second.decision);
  } else {
    return UnknownFunction(config, name);
  }
  return out;
}

}  // namespace

CLI::App* AddInvokeCommand(CLI::App& app, InvokeOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "invoke",
      "Run a built-in function (evaluate_retraining_policy, send_retraining_alert, "
      "request_retraining_approval, or a decision function of the project) on one event, as "
      "Lambda would: the event from --payload, --payload-file or stdin, the result as JSON on "
      "stdout, a failure as {\"errorType\", \"errorMessage\"} on stdout. It reads and writes "
      "the project's history table and object store as the state machines' tasks do, so it can "
      "serve as another project's command function.");
  cmd->add_option("FUNCTION", options->function, "The built-in function's name")->required();
  AddProjectOption(cmd, &options->project);
  auto* payload =
      cmd->add_option("--payload", options->payload, "The event as JSON text")->type_name("JSON");
  cmd->add_option("--payload-file", options->payload_file,
                  "Read the event from this file ('-': stdin)")
      ->type_name("FILE")
      ->excludes(payload);
  cmd->add_flag("--pretty", options->pretty, "Indent the JSON printed");
  cmd->footer(
      "Without --payload or --payload-file the event is read from stdin when it is not a "
      "terminal ({} when empty), and is {} otherwise.\n"
      "Exit status: 0 the function returned a result, 1 it failed (the error is printed as "
      "Lambda reports it), 2 invalid arguments, event or project, or no such function.");
  return cmd;
}

int InvokeCommand(const InvokeOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<json::Value> event = ReadPayload(options);
  if (!event.ok()) {
    PrintError(event.error(), /*with_name=*/true);
    return kExitInvalid;
  }
  Result<BuiltinFunction> builtin = SetUp(*config, options.function);
  if (!builtin.ok()) {
    PrintError(builtin.error(), /*with_name=*/true);
    return builtin.error().error == "ResourceNotFoundException" ? kExitInvalid
                                                                : TablesExitCode(builtin.error());
  }
  Result<json::Value> result = builtin->function->Invoke(*event);
  if (!result.ok()) {
    PrintJson(
        json::Object{{"errorType", result.error().error}, {"errorMessage", result.error().cause}},
        options.pretty);
    PrintError(result.error(), /*with_name=*/true);
    return kExitFailed;
  }
  PrintJson(*result, options.pretty);
  return kExitOk;
}

}  // namespace autoretrain::cli
