// What the Parallel and Map states share: naming their branches for replay-stable task
// identities, starting the state's run, and stopping with the execution.
//
// Thread-safety: used by the thread running the execution.
#ifndef AUTORETRAIN_ENGINE_BRANCH_SET_H_
#define AUTORETRAIN_ENGINE_BRANCH_SET_H_

#include <string>

#include "autoretrain/common/result.h"
#include "engine/branch_run.h"
#include "engine/io_processing.h"
#include "engine/run_context.h"

namespace autoretrain::engine {

// The RunContext::branch_path of branch (or item) `index` of the state rc runs: the state's
// run ("<entered event id>" at the top level, "<branch path>#<step>" inside a branch), its
// attempt, and the index, e.g. "5.0/1".
std::string BranchPath(const RunContext& rc, size_t index);

// InputPath then Parameters (Parallel) on the raw input; errors carry the state prefix.
Result<Payload> EffectiveInput(RunContext& rc, const json::Value& input);

// The state's outcome when a branch stopped because the whole execution stops: kHalted,
// kTimedOut, or kAborted (a suspension that ends at once, so that the execution reaches its
// next state boundary, where the requested abort takes effect).
StateOutcome ExecutionStopOutcome(BranchRun::Progress progress, const RunContext& rc);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_BRANCH_SET_H_
