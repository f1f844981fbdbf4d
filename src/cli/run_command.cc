#include "cli/run_command.h"

#include <cctype>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "autoretrain/integrations/mock_config.h"
#include "autoretrain/retrain/project.h"
#include "cli/document_argument.h"
#include "cli/output.h"
#include "integrations/mocked_task_handler.h"

namespace autoretrain::cli {
namespace {

namespace fs = std::filesystem;

// Step Functions' limit on an execution's input.
constexpr size_t kMaxInputBytes = 256 * 1024;

std::string Absolute(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? fs::path(path) : abs).lexically_normal().string();
}

bool SameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

// A state machine name for a definition file: its name without ".asl.json"/".json", with
// characters Step Functions does not allow in names replaced by '-'.
std::string NameForFile(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  for (std::string_view suffix : {".asl.json", ".json"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  if (name.size() > 80) name.resize(80);
  return name.empty() ? "state-machine" : name;
}

// Splits "NAME=VALUE"; an error names the flag and the expected form.
Result<std::pair<std::string, std::string>> SplitAssignment(const std::string& text,
                                                            std::string_view flag,
                                                            std::string_view value_name) {
  size_t eq = text.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == text.size()) {
    return Error{"InvalidArgument",
                 std::string(flag) + " '" + text + "': expected NAME=" + std::string(value_name)};
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

Result<json::Value> ReadInput(const RunOptions& options) {
  std::string text = options.input;
  std::string source = "--input";
  if (!options.input_file.empty()) {
    source = "--input-file " + options.input_file;
    Result<std::string> data = ReadDocumentFile(options.input_file, kMaxInputBytes);
    if (!data.ok()) return Error{"InvalidExecutionInput", source + ": " + data.error().cause};
    text = std::move(*data);
  } else if (options.input.empty()) {
    return json::Value(json::Object{});
  }
  if (text.size() > kMaxInputBytes) {
    return Error{"InvalidExecutionInput", source + ": the input is larger than " +
                                              std::to_string(kMaxInputBytes) +
                                              " bytes, Step Functions' limit"};
  }
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok()) {
    return Error{"InvalidExecutionInput", source + ": not valid JSON: " + parsed.error().cause};
  }
  return parsed;
}

// The project (--project, $AUTORETRAIN_PROJECT, or none) with the command line's functions and
// state machines added; sets *machine_name to the state machine to run.
Result<retrain::ProjectConfig> BuildConfig(const RunOptions& options, std::string* machine_name) {
  Result<retrain::ProjectConfig> config = options.project.empty()
                                              ? retrain::DefaultProject(".")
                                              : retrain::LoadProject(options.project);
  if (!config.ok()) return config;
  for (const std::string& flag : options.functions) {
    auto assignment = SplitAssignment(flag, "--function", "COMMAND");
    if (!assignment.ok()) return assignment.take_error();
    retrain::FunctionConfig function;
    function.kind = retrain::FunctionConfig::Kind::kCommand;
    std::istringstream words(assignment->second);
    for (std::string word; words >> word;) function.command.push_back(word);
    if (function.command.empty()) {
      return Error{"InvalidArgument", "--function '" + flag + "': the command is empty"};
    }
    config->functions[assignment->first] = std::move(function);
  }
  for (const std::string& flag : options.state_machines) {
    auto assignment = SplitAssignment(flag, "--state-machine", "FILE");
    if (!assignment.ok()) return assignment.take_error();
    config->state_machines[assignment->first] = Absolute(assignment->second);
  }

  std::error_code ec;
  if (fs::is_regular_file(options.definition, ec)) {
    const std::string path = Absolute(options.definition);
    for (const auto& [name, file] : config->state_machines) {
      if (SameFile(file, path)) *machine_name = name;
    }
    if (machine_name->empty()) *machine_name = NameForFile(path);
    config->state_machines[*machine_name] = path;
    return config;
  }
  if (config->state_machines.count(options.definition)) {
    *machine_name = options.definition;
    return config;
  }
  const char* problem = fs::exists(options.definition, ec) ? "not a regular file" : "no such file";
  return Error{"InvalidArgument",
               "DEFINITION '" + options.definition + "': " + problem +
                   (options.project.empty() ? std::string() : " or state machine in the project")};
}

// The decorator answering the states of --test-case from --mock-config (none without
// --mock-config), or the error to exit 2 with: a file that cannot be read or is malformed, an
// unknown test case, a mocked state that is not a Task of the definition.
Result<retrain::TaskHandlerDecorator> MockDecorator(const RunOptions& options,
                                                    const retrain::ProjectConfig& config,
                                                    const std::string& machine_name) {
  if (options.mock_config.empty()) return retrain::TaskHandlerDecorator{};
  Result<integrations::MockConfig> mocks = integrations::LoadMockConfig(options.mock_config);
  if (!mocks.ok()) return mocks.take_error();
  Result<integrations::MockTestCase> test_case = mocks->TestCase(machine_name, options.test_case);
  if (!test_case.ok()) return test_case.take_error();
  auto path = config.state_machines.find(machine_name);
  if (path != config.state_machines.end()) {
    // A definition that does not compile is reported by the runtime, as without mocks.
    auto machine = retrain::LoadDefinition(path->second);
    if (machine.ok()) {
      Status checked = integrations::CheckMockedStates(*test_case, (*machine)->definition);
      if (!checked.ok()) return checked.take_error();
    }
  }
  return retrain::TaskHandlerDecorator(
      [machine_name, mocked = std::move(*test_case)](engine::TaskHandler& router) {
        return std::make_unique<integrations::MockedTaskHandler>(router, machine_name, mocked);
      });
}

void PrintFailure(const engine::ExecutionResult& result) {
  std::string what = result.status == engine::ExecutionStatus::kTimedOut ? "timed out" : "failed";
  std::cerr << "Execution " << what << ": " << result.error.value_or("") << ": "
            << result.cause.value_or("") << '\n';
}

}  // namespace

CLI::App* AddRunCommand(CLI::App& app, RunOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run one execution of a state machine definition with AWS Step Functions' semantics "
      "and print its output.");
  cmd->add_option("DEFINITION", options->definition,
                  "Amazon States Language file to run, or the name of a state machine of the "
                  "project")
      ->required()
      ->type_name("FILE|NAME");
  CLI::Option* input =
      cmd->add_option("--input", options->input, "Execution input as JSON text (default {})")
          ->type_name("JSON");
  cmd->add_option("--input-file", options->input_file,
                  "Read the execution input from FILE ('-' for stdin)")
      ->excludes(input)
      ->type_name("FILE");
  cmd->add_flag("--json", options->json,
                "Print the result as one JSON object shaped like DescribeExecution (status, "
                "output, error, cause, names, dates) instead of the output alone");
  cmd->add_option("--name", options->name,
                  "Execution name (default: a generated UUID), as StartExecution's name")
      ->type_name("NAME");
  cmd->add_option("--project", options->project,
                  "Project directory whose autoretrain.json supplies functions and state "
                  "machines (default: $AUTORETRAIN_PROJECT; none when unset)")
      ->envname("AUTORETRAIN_PROJECT")
      ->type_name("DIR");
  cmd->add_option("--function", options->functions,
                  "Register a command function NAME run as COMMAND (split on whitespace; the "
                  "event JSON on stdin, the result JSON on stdout). Repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=COMMAND");
  cmd->add_option("--state-machine", options->state_machines,
                  "Make the definition in FILE known as state machine NAME, so startExecution "
                  "can start it. Repeatable")
      ->allow_extra_args(false)
      ->type_name("NAME=FILE");
  CLI::Option* mock_config =
      cmd->add_option("--mock-config", options->mock_config,
                      "Step Functions Local mock configuration file: the Task states of the "
                      "test case answer with its mocked responses instead of running "
                      "(docs/mocks.md). Its StateMachines key is matched against the state "
                      "machine's name (the definition file's name without .asl.json/.json); a "
                      "file with a single state machine applies whatever its name")
          ->type_name("FILE");
  CLI::Option* test_case = cmd->add_option("--test-case", options->test_case,
                                           "The test case of --mock-config to run (TestCases key)")
                               ->type_name("NAME");
  mock_config->needs(test_case);
  test_case->needs(mock_config);
  cmd->footer(
      "Exit status: 0 the execution succeeded, 1 it failed or timed out, 2 invalid definition, "
      "input or arguments (details on stderr).\nWith a project, executions are recorded in its "
      "store, and executions an interrupted process left running are resumed first.\nThe built-in "
      "function check_retraining_decision "
      "is always available; it reads the project's object store (its buckets directory, or S3 "
      "when autoretrain.json's object_store says so; ./buckets without a project).");
  return cmd;
}

int RunCommand(const RunOptions& options) {
  Result<json::Value> input = ReadInput(options);
  if (!input.ok()) {
    PrintError(input.error().cause);
    return kExitInvalid;
  }
  std::string machine_name;
  Result<retrain::ProjectConfig> config = BuildConfig(options, &machine_name);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  Result<retrain::TaskHandlerDecorator> mocks = MockDecorator(options, *config, machine_name);
  if (!mocks.ok()) {
    PrintError(mocks.error().cause);
    return kExitInvalid;
  }
  Result<std::unique_ptr<retrain::LocalRuntime>> runtime = retrain::LocalRuntime::ForProject(
      *config, nullptr, PrintWarning, retrain::RuntimeOptions{.decorate = *mocks});
  if (!runtime.ok()) {
    PrintError(runtime.error().cause);
    return ExitCodeFor(runtime.error());
  }
  retrain::LocalRuntime& rt = **runtime;
  Result<engine::ExecutionResult> result =
      rt.Run(rt.ArnOf(machine_name), std::move(*input), options.name);
  if (!result.ok()) {
    PrintError(result.error(), /*with_name=*/true);
    return kExitInvalid;
  }
  rt.WaitAll();
  const bool succeeded = result->status == engine::ExecutionStatus::kSucceeded;
  if (options.json) {
    PrintJson(result->ToDescribeJson(), /*pretty=*/true);
  } else if (succeeded) {
    PrintJson(result->output.value_or(json::Value(nullptr)), /*pretty=*/false);
  } else {
    PrintFailure(*result);
  }
  return succeeded ? kExitOk : kExitFailed;
}

}  // namespace autoretrain::cli
