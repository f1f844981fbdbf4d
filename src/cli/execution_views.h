// How the `executions` subcommands show stored executions and events as human tables (their
// --json output is AWS's response shapes: autoretrain/server/aws_shapes.h).
//
// Thread-safety: plain functions; the Print* functions write to stdout (main thread only).
#ifndef AUTORETRAIN_CLI_EXECUTION_VIEWS_H_
#define AUTORETRAIN_CLI_EXECUTION_VIEWS_H_

#include <vector>

#include "autoretrain/store/records.h"

namespace autoretrain::cli {

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
