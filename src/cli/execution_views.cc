#include "cli/execution_views.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/output.h"
#include "cli/table.h"

namespace autoretrain::cli {
namespace {

// The state machine's name: the last part of its ARN.
std::string NameOfArn(const std::string& arn) { return arn.substr(arn.rfind(':') + 1); }

void PrintNextToken(const std::string& token) {
  if (!token.empty()) std::cout << "Next token: " << token << '\n';
}

// The state each event of `events` (oldest first) belongs to: the name of the state entered
// last and not yet exited; "" for execution-level events.
std::vector<std::string> StepsOf(const std::vector<engine::HistoryEvent>& events) {
  std::vector<std::string> steps;
  std::string current;
  for (const engine::HistoryEvent& event : events) {
    const json::Value* name =
        event.details.is_object() ? event.details.as_object().if_contains("name") : nullptr;
    if (name != nullptr && name->is_string()) current = std::string(name->as_string());
    steps.push_back(event.type.starts_with("Execution") ? "" : current);
    if (event.type.ends_with("StateExited")) current.clear();
  }
  return steps;
}

}  // namespace

void PrintExecutionTable(const store::Page<store::ExecutionRecord>& page) {
  Table table({"NAME", "STATUS", "START", "STOP", "STATE MACHINE"});
  for (const store::ExecutionRecord& record : page.items) {
    table.AddRow({record.name, engine::ExecutionStatusName(record.status),
                  FormatIso8601(record.start_date),
                  record.stop_date ? FormatIso8601(*record.stop_date) : "-",
                  NameOfArn(record.state_machine_arn)});
  }
  table.Print(std::cout);
  PrintNextToken(page.next_token);
}

void PrintExecution(const store::ExecutionRecord& record) {
  std::cout << "Execution:      " << record.arn << '\n'
            << "State machine:  " << record.state_machine_arn << '\n'
            << "Name:           " << record.name << '\n'
            << "Status:         " << engine::ExecutionStatusName(record.status) << '\n'
            << "Start:          " << FormatIso8601(record.start_date) << '\n'
            << "Stop:           " << (record.stop_date ? FormatIso8601(*record.stop_date) : "-")
            << '\n'
            << "Input:          " << record.input << '\n';
  if (record.output) std::cout << "Output:         " << *record.output << '\n';
  if (record.error) std::cout << "Error:          " << *record.error << '\n';
  if (record.cause) std::cout << "Cause:          " << ReadableCause(*record.cause) << '\n';
}

void PrintHistoryTable(const store::Page<engine::HistoryEvent>& page, TimePoint start,
                       bool reverse) {
  std::vector<engine::HistoryEvent> events = page.items;
  if (reverse) std::reverse(events.begin(), events.end());
  std::vector<std::string> steps = StepsOf(events);
  if (reverse) {
    std::reverse(events.begin(), events.end());
    std::reverse(steps.begin(), steps.end());
  }
  Table table({"ID", "TYPE", "STEP", "ELAPSED (ms)", "TIMESTAMP"});
  for (size_t i = 0; i < events.size(); ++i) {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(events[i].timestamp - start);
    table.AddRow({std::to_string(events[i].id), events[i].type, steps[i].empty() ? "-" : steps[i],
                  std::to_string(elapsed.count()), FormatIso8601(events[i].timestamp)});
  }
  table.Print(std::cout);
  PrintNextToken(page.next_token);
}

}  // namespace autoretrain::cli
