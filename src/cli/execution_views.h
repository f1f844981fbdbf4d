// How the `executions` subcommands show stored executions and events: AWS's JSON response
// shapes (ListExecutions, DescribeExecution, GetExecutionHistory) and the human tables.
//
// Thread-safety: plain functions; the Print* functions write to stdout (main thread only).
#ifndef AUTORETRAIN_CLI_EXECUTION_VIEWS_H_
#define AUTORETRAIN_CLI_EXECUTION_VIEWS_H_

#include <vector>

#include "autoretrain/json/json.h"
#include "autoretrain/store/records.h"

namespace autoretrain::cli {

// {"executions": [{executionArn, stateMachineArn, name, status, startDate, stopDate}],
//  "nextToken"} (nextToken only when there is a next page; stopDate once finished).
json::Value ListExecutionsJson(const store::Page<store::ExecutionRecord>& page);
// The DescribeExecution response of `record` (input and output as JSON text).
json::Value DescribeExecutionJson(const store::ExecutionRecord& record);
// {"events": [...], "nextToken"}, events as GetExecutionHistory returns them.
json::Value HistoryJson(const store::Page<engine::HistoryEvent>& page);

// NAME, STATUS, START, STOP, STATE MACHINE; then "Next token: T" when there is one.
void PrintExecutionTable(const store::Page<store::ExecutionRecord>& page);
// One "Field:  value" line per DescribeExecution field.
void PrintExecution(const store::ExecutionRecord& record);
// ID, TYPE, STEP (the state an event belongs to), ELAPSED (ms since `start`), TIMESTAMP; then
// the next token when there is one. `reverse`: the page is newest first.
void PrintHistoryTable(const store::Page<engine::HistoryEvent>& page, TimePoint start,
                       bool reverse);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_EXECUTION_VIEWS_H_
