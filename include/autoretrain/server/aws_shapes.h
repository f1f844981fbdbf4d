// The Step Functions API's response shapes for what the store records: DescribeExecution,
// ListExecutions, GetExecutionHistory, DescribeStateMachine, ListStateMachines. The HTTP API
// writes dates as AWS's JSON 1.0 protocol does (epoch seconds, a number with milliseconds);
// the CLI's --json output writes ISO 8601 strings, as the AWS CLI prints them.
//
// Thread-safety: pure functions.
#ifndef AUTORETRAIN_SERVER_AWS_SHAPES_H_
#define AUTORETRAIN_SERVER_AWS_SHAPES_H_

#include "autoretrain/common/clock.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/json/json.h"
#include "autoretrain/store/records.h"

namespace autoretrain::server {

enum class DateFormat {
  kIso8601,       // "2024-01-01T03:00:00.123Z"
  kEpochSeconds,  // 1704078000.123
};

// `t` in `format`.
json::Value DateJson(TimePoint t, DateFormat format);

// {"executions": [{executionArn, stateMachineArn, name, status, startDate, stopDate}],
//  "nextToken"} (nextToken only when there is a next page; stopDate once finished).
json::Value ListExecutionsJson(const store::Page<store::ExecutionRecord>& page, DateFormat format);
// The DescribeExecution response of `record` (input and output as JSON text).
json::Value DescribeExecutionJson(const store::ExecutionRecord& record, DateFormat format);
// {"events": [...], "nextToken"}, events as GetExecutionHistory returns them. Without
// `include_data`, the events' input and output are left out (includeExecutionData: false).
json::Value HistoryJson(const store::Page<engine::HistoryEvent>& page, DateFormat format,
                        bool include_data = true);
// The DescribeStateMachine response: stateMachineArn, name, status, definition, roleArn, type,
// creationDate, loggingConfiguration (level OFF), tracingConfiguration (disabled).
json::Value DescribeStateMachineJson(const store::StateMachineRecord& record, DateFormat format);
// {"stateMachines": [{stateMachineArn, name, type, creationDate}], "nextToken"}.
json::Value ListStateMachinesJson(const store::Page<store::StateMachineRecord>& page,
                                  DateFormat format);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_AWS_SHAPES_H_
