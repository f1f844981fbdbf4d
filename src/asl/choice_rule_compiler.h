// Internal to the asl layer: compiles the rules of a Choice state (comparisons, their *Path
// variants, And/Or/Not) into ChoiceRule trees, checking operand types as AWS does.
//
// Thread-safety: stateless functions.
#ifndef AUTORETRAIN_SRC_ASL_CHOICE_RULE_COMPILER_H_
#define AUTORETRAIN_SRC_ASL_CHOICE_RULE_COMPILER_H_

#include <string>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/json/json.h"
#include "definition_reader.h"

namespace autoretrain::asl {

// Compiles the rule `value` found at `location`. A top-level rule (directly in Choices) must
// have Next; a nested one (inside And/Or/Not) must not. *rule is filled as far as possible.
void CompileChoiceRule(const json::Value& value, const std::string& location, bool top_level,
                       int depth, DefinitionReader* reader, ChoiceRule* rule);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_CHOICE_RULE_COMPILER_H_
