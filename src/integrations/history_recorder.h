// How history events map onto store records: the names an execution ARN carries and the
// ExecutionEnd a terminal event describes. Used by HistoryRecorder
// (include/autoretrain/integrations/history_recorder.h).
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_SRC_INTEGRATIONS_HISTORY_RECORDER_H_
#define AUTORETRAIN_SRC_INTEGRATIONS_HISTORY_RECORDER_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/engine/observer.h"
#include "autoretrain/store/records.h"

namespace autoretrain::integrations {

struct ExecutionNames {
  std::string state_machine_arn;  // arn:aws:states:R:A:stateMachine:SM
  std::string name;               // the execution's name
};

// arn:aws:states:R:A:execution:SM:NAME -> {arn:aws:states:R:A:stateMachine:SM, NAME}; nullopt
// for anything else.
std::optional<ExecutionNames> SplitExecutionArn(std::string_view execution_arn);

// The end `event` describes when it is ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut
// or ExecutionAborted (output, or error and cause, from its details); nullopt for other types.
std::optional<store::ExecutionEnd> EndOf(std::string_view execution_arn,
                                         const engine::HistoryEvent& event);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_SRC_INTEGRATIONS_HISTORY_RECORDER_H_
