#include "cli/executions_command.h"

#include <filesystem>
#include <iostream>

#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/server/aws_shapes.h"
#include "autoretrain/store/store.h"
#include "cli/execution_listing.h"
#include "cli/execution_views.h"
#include "cli/output.h"
#include "cli/project_option.h"

namespace autoretrain::cli {
namespace {

using store::ExecutionRecord;
using store::StateMachineRecord;

constexpr engine::ExecutionStatus kStatuses[] = {
    engine::ExecutionStatus::kRunning, engine::ExecutionStatus::kSucceeded,
    engine::ExecutionStatus::kFailed, engine::ExecutionStatus::kTimedOut,
    engine::ExecutionStatus::kAborted};

// A failure and the exit code it gets: missing things and bad arguments exit 2, a store that
// cannot be read or written exits 1.
int Fail(const Error& error) {
  PrintError(error.cause);
  return error.error.starts_with("Store") ? kExitFailed : kExitInvalid;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

// Everything a subcommand reads: the project and its store.
struct Context {
  retrain::ProjectConfig config;
  std::unique_ptr<store::Store> store;
  std::vector<StateMachineRecord> machines;  // every state machine the store knows
};

// The project's store: read-only, except for `stop`, which writes to it. A project that has
// recorded nothing yet has an empty store (and nothing to stop).
Result<std::unique_ptr<store::Store>> OpenExecutionsStore(const retrain::ProjectConfig& config,
                                                          bool writable) {
  const std::string path = retrain::DatabasePath(config);
  std::error_code ec;
  if (!writable || path.empty() || !std::filesystem::exists(path, ec)) {
    return retrain::OpenProjectStore(config);
  }
  return store::Store::Open(path);
}

Result<Context> OpenContext(const ExecutionsOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) return config.take_error();
  Result<std::unique_ptr<store::Store>> opened =
      OpenExecutionsStore(*config, options.action == ExecutionsOptions::Action::kStop);
  if (!opened.ok()) return opened.take_error();
  Context context{std::move(*config), std::move(*opened), {}};
  store::PageRequest request{store::kMaxMaxResults, ""};
  do {
    auto page = context.store->ListStateMachines(request);
    if (!page.ok()) return page.take_error();
    for (auto& machine : page->items) context.machines.push_back(std::move(machine));
    request.next_token = page->next_token;
  } while (!request.next_token.empty());
  return context;
}

// The state machines --state-machine selects (all stored ones when empty). A name that is
// neither configured nor stored is an error; a configured one without executions selects none.
Result<std::vector<StateMachineRecord>> SelectMachines(const Context& context,
                                                       const std::string& name) {
  if (name.empty()) return context.machines;
  for (const StateMachineRecord& machine : context.machines) {
    if (machine.name == name) return std::vector<StateMachineRecord>{machine};
  }
  if (context.config.state_machines.count(name)) return std::vector<StateMachineRecord>{};
  std::vector<std::string> known;
  for (const auto& entry : context.config.state_machines) known.push_back(entry.first);
  return Error{"StateMachineDoesNotExist", "--state-machine '" + name +
                                               "': no such state machine in the project (its "
                                               "state machines: " +
                                               Join(known) + ")"};
}

// The ARN of the execution `text` names: an ARN as given, or an execution name looked up
// among the selected state machines.
Result<std::string> ResolveExecution(Context& context, const ExecutionsOptions& options) {
  if (options.execution.starts_with("arn:")) return options.execution;
  auto machines = SelectMachines(context, options.state_machine);
  if (!machines.ok()) return machines.take_error();
  std::vector<ExecutionRecord> found;
  for (const StateMachineRecord& machine : *machines) {
    auto record = context.store->FindExecution(machine.arn, options.execution);
    if (!record.ok()) return record.take_error();
    if (*record) found.push_back(std::move(**record));
  }
  if (found.size() == 1) return found.front().arn;
  if (found.empty()) {
    return Error{"ExecutionDoesNotExist",
                 "no execution named '" + options.execution + "' in the project's state machines"};
  }
  std::vector<std::string> arns;
  for (const ExecutionRecord& record : found) arns.push_back(record.arn);
  return Error{"AmbiguousExecutionName",
               "execution name '" + options.execution +
                   "' is used by several state machines; pass --state-machine NAME or one of "
                   "the ARNs: " +
                   Join(arns)};
}

int List(Context& context, const ExecutionsOptions& options) {
  auto machines = SelectMachines(context, options.state_machine);
  if (!machines.ok()) return Fail(machines.error());
  std::optional<engine::ExecutionStatus> status;
  for (auto candidate : kStatuses) {
    if (options.status == engine::ExecutionStatusName(candidate)) status = candidate;
  }
  auto page = ListAllExecutions(*context.store, *machines, status,
                                {options.max_results, options.next_token});
  if (!page.ok()) return Fail(page.error());
  if (options.json) {
    PrintJson(server::ListExecutionsJson(*page, server::DateFormat::kIso8601), /*pretty=*/true);
  } else {
    PrintExecutionTable(*page);
  }
  return kExitOk;
}

int Describe(Context& context, const ExecutionsOptions& options) {
  Result<std::string> arn = ResolveExecution(context, options);
  if (!arn.ok()) return Fail(arn.error());
  Result<ExecutionRecord> record = context.store->DescribeExecution(*arn);
  if (!record.ok()) return Fail(record.error());
  if (options.json) {
    PrintJson(server::DescribeExecutionJson(*record, server::DateFormat::kIso8601),
              /*pretty=*/true);
  } else {
    PrintExecution(*record);
  }
  return kExitOk;
}

int History(Context& context, const ExecutionsOptions& options) {
  Result<std::string> arn = ResolveExecution(context, options);
  if (!arn.ok()) return Fail(arn.error());
  Result<ExecutionRecord> record = context.store->DescribeExecution(*arn);
  if (!record.ok()) return Fail(record.error());
  auto page = context.store->GetExecutionHistory(
      *arn, {options.reverse, options.max_results, options.next_token});
  if (!page.ok()) return Fail(page.error());
  if (options.json) {
    PrintJson(server::HistoryJson(*page, server::DateFormat::kIso8601), /*pretty=*/true);
  } else {
    PrintHistoryTable(*page, record->start_date, options.reverse);
  }
  return kExitOk;
}

// AWS StopExecution. An execution that already finished is not an error (AWS answers it
// with its stopDate too); the plain output says which of the two happened.
int Stop(Context& context, const ExecutionsOptions& options) {
  Result<std::string> arn = ResolveExecution(context, options);
  if (!arn.ok()) return Fail(arn.error());
  Result<ExecutionRecord> before = context.store->DescribeExecution(*arn);
  if (!before.ok()) return Fail(before.error());
  SystemClock clock;
  Result<ExecutionRecord> after =
      context.store->StopExecution(*arn, options.error, options.cause, clock.Now());
  if (!after.ok()) return Fail(after.error());
  const std::string stop_date = after->stop_date ? FormatIso8601(*after->stop_date) : "";
  if (options.json) {
    PrintJson(json::Object{{"stopDate", stop_date}}, /*pretty=*/true);
  } else if (before->status == engine::ExecutionStatus::kRunning &&
             after->status == engine::ExecutionStatus::kAborted) {
    std::cout << "stopped " << *arn << " at " << stop_date << '\n';
  } else {
    std::cout << *arn << " had already finished: " << engine::ExecutionStatusName(after->status)
              << " at " << stop_date << '\n';
  }
  return kExitOk;
}

void AddCommonOptions(CLI::App* cmd, ExecutionsOptions* options) {
  AddProjectOption(cmd, &options->project);
  cmd->add_flag("--json", options->json, "Print AWS's response shape as JSON");
}

void AddPaging(CLI::App* cmd, ExecutionsOptions* options) {
  cmd->add_option("--max-results", options->max_results, "At most N items (default 100)")
      ->check(CLI::Range(1, store::kMaxMaxResults))
      ->type_name("N");
  cmd->add_option("--next-token", options->next_token,
                  "Continue where the previous page ended (its printed next token)")
      ->type_name("T");
}

}  // namespace

CLI::App* AddExecutionsCommand(CLI::App& app, ExecutionsOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "executions",
      "List, inspect, stop and resume the executions a project recorded (data/autoretrain.db): "
      "every execution of `check` and `run --project`, with its event history.");
  cmd->require_subcommand(1);
  using Action = ExecutionsOptions::Action;

  CLI::App* list = cmd->add_subcommand(
      "list", "List executions, newest first (AWS ListExecutions), as a table or with --json.");
  AddCommonOptions(list, options);
  list->add_option("--state-machine", options->state_machine,
                   "Only the executions of this state machine of the project")
      ->type_name("NAME");
  list->add_option("--status", options->status, "Only executions with this status")
      ->check(CLI::IsMember({"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}))
      ->type_name("STATUS");
  AddPaging(list, options);
  list->callback([options] { options->action = Action::kList; });

  CLI::App* describe = cmd->add_subcommand(
      "describe",
      "Show one execution: status, dates, input, output or error and cause (AWS "
      "DescribeExecution).");
  describe->add_option("EXECUTION", options->execution, "Execution ARN, or execution name")
      ->required()
      ->type_name("ARN_OR_NAME");
  describe
      ->add_option("--state-machine", options->state_machine,
                   "The state machine whose execution NAME is meant, when several have one")
      ->type_name("NAME");
  AddCommonOptions(describe, options);
  describe->callback([options] { options->action = Action::kDescribe; });

  CLI::App* history = cmd->add_subcommand(
      "history",
      "Show an execution's event history, oldest first (AWS GetExecutionHistory): "
      "ID, type, step, elapsed ms since the start, timestamp.");
  history->add_option("EXECUTION", options->execution, "Execution ARN, or execution name")
      ->required()
      ->type_name("ARN_OR_NAME");
  history
      ->add_option("--state-machine", options->state_machine,
                   "The state machine whose execution NAME is meant, when several have one")
      ->type_name("NAME");
  history->add_flag("--reverse", options->reverse, "Newest event first");
  AddPaging(history, options);
  AddCommonOptions(history, options);
  history->callback([options] { options->action = Action::kHistory; });

  CLI::App* stop = cmd->add_subcommand(
      "stop",
      "Stop a running execution (AWS StopExecution): it becomes ABORTED with an "
      "ExecutionAborted event. An execution that already finished is left as it is.");
  stop->add_option("EXECUTION", options->execution, "Execution ARN, or execution name")
      ->required()
      ->type_name("ARN_OR_NAME");
  stop->add_option("--state-machine", options->state_machine,
                   "The state machine whose execution NAME is meant, when several have one")
      ->type_name("NAME");
  stop->add_option_function<std::string>(
          "--error", [options](const std::string& text) { options->error = text; },
          "The error code to record (at most 256 characters)")
      ->type_name("TEXT");
  stop->add_option_function<std::string>(
          "--cause", [options](const std::string& text) { options->cause = text; },
          "A more detailed explanation (at most 32768 characters)")
      ->type_name("TEXT");
  AddCommonOptions(stop, options);
  stop->callback([options] { options->action = Action::kStop; });

  CLI::App* resume = cmd->add_subcommand(
      "resume",
      "Continue every execution an interrupted autoretrain process (killed, crashed, power "
      "loss) left RUNNING, each from its last committed step, wait for them to end and report "
      "how each ended. `check` and `run --project` do this too before they start.");
  AddCommonOptions(resume, options);
  resume->callback([options] { options->action = Action::kResume; });
  resume->footer(
      "Prints each resumed execution's ARN and final status (--json: {\"resumed\": "
      "[<DescribeExecution>...]}).\nExit status: 0 every resumed execution succeeded (or none "
      "was interrupted), 1 one did not, or the store could not be used, or another process "
      "holds the project, 2 invalid arguments or project.");

  for (CLI::App* app_with_footer : {cmd, list, describe, history, stop}) {
    app_with_footer->footer(
        "An execution name is looked up among the project's state machines.\n"
        "Exit status: 0 success, 1 the database could not be read (or, for stop, written), "
        "2 invalid arguments or project, unknown or ambiguous execution or state machine, "
        "invalid next token.");
  }
  return cmd;
}

int ExecutionsCommand(const ExecutionsOptions& options) {
  if (options.action == ExecutionsOptions::Action::kResume) return ResumeExecutions(options);
  Result<Context> context = OpenContext(options);
  if (!context.ok()) return Fail(context.error());
  switch (options.action) {
    case ExecutionsOptions::Action::kList:
      return List(*context, options);
    case ExecutionsOptions::Action::kDescribe:
      return Describe(*context, options);
    case ExecutionsOptions::Action::kHistory:
      return History(*context, options);
    case ExecutionsOptions::Action::kStop:
      return Stop(*context, options);
    case ExecutionsOptions::Action::kResume:
      break;
  }
  return kExitInvalid;
}

}  // namespace autoretrain::cli
