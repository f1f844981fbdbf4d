// How the engine's ResumePoint is kept in the store's Checkpoint record: the state by name, its
// raw input as JSON text, the retry count, and the rest in engine_data:
//   {"enteredEventId": 5, "enteredTime": <epoch ms>, "attempts": [1, 0],
//    "wakeAt": <epoch ms, only while suspended>, "variables": {<name>: <value>, ...} (when any),
//    "taskToken": "<token of a callback task>" (when one waits)}
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_SRC_INTEGRATIONS_CHECKPOINT_CODEC_H_
#define AUTORETRAIN_SRC_INTEGRATIONS_CHECKPOINT_CODEC_H_

#include <memory>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/result.h"
#include "autoretrain/engine/execution.h"
#include "autoretrain/json/json.h"
#include "autoretrain/store/records.h"

namespace autoretrain::integrations {

store::Checkpoint EncodeCheckpoint(const engine::ResumePoint& point);

// A decoded checkpoint: `point.input` points at `input`, `point.variables` at `variables`
// (hence returned on the heap).
struct DecodedCheckpoint {
  engine::ResumePoint point;
  json::Value input;
  json::Object variables;
  std::string task_token;
};

// Decodes `checkpoint` of an execution of `machine`. Fails with Error{"StoreCorrupt", ...}
// naming what is wrong when the checkpoint does not fit the machine (unknown state, input that
// is not JSON, malformed engine data).
Result<std::unique_ptr<DecodedCheckpoint>> DecodeCheckpoint(const store::Checkpoint& checkpoint,
                                                            const asl::StateMachine& machine);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_SRC_INTEGRATIONS_CHECKPOINT_CODEC_H_
