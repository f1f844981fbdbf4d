// Internal to the asl layer: the checks that need every state at once. Resolves each Next,
// Default and Catch Next to a state index (MISSING_TRANSITION_TARGET when a name is unknown),
// and reports states that StartAt cannot reach (also MISSING_TRANSITION_TARGET, with AWS's
// wording 'State "X" is not reachable.') and machines without any terminal state
// (MISSING_END_STATE).
//
// Thread-safety: stateless functions.
#ifndef AUTORETRAIN_SRC_ASL_GRAPH_CHECK_H_
#define AUTORETRAIN_SRC_ASL_GRAPH_CHECK_H_

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/json/json.h"
#include "definition_reader.h"

namespace autoretrain::asl {

// `states_json` is the "States" object of the machine at `base` (the definition itself at "",
// a Parallel branch at "/States/P/Branches/0", ...), whose members are machine->states in
// order; machine->index_by_name is filled. Reachability is only checked when
// machine->start_index names a state. A branch is its own scope: its states may only go to
// each other.
void CheckGraph(const json::Object& states_json, const std::string& base, DefinitionReader* reader,
                StateMachine* machine);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_GRAPH_CHECK_H_
