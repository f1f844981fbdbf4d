// Parsing and validating Amazon States Language definitions.
//
// Validation reports every problem it finds, not just the first, each with the JSON pointer
// of where it is and a message in the spirit of AWS's InvalidDefinition diagnostics (for
// example "SCHEMA_VALIDATION_FAILED: The field 'Foo' is not supported by Step Functions at
// /States/Read/Foo", "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at
// /States/Read/Next", 'MISSING_TRANSITION_TARGET: State "X" is not reachable. at /States/X').
//
// Thread-safety: stateless functions.
#ifndef AUTORETRAIN_ASL_PARSER_H_
#define AUTORETRAIN_ASL_PARSER_H_

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "autoretrain/asl/diagnostic.h"
#include "autoretrain/asl/state_machine.h"
#include "autoretrain/json/json.h"

namespace autoretrain::asl {

// Either the compiled machine (shared so executions can hold it cheaply) or the diagnostics
// (never empty on failure).
using CompileResult = std::variant<std::shared_ptr<const StateMachine>, std::vector<Diagnostic>>;

// Parses the JSON text and compiles it. Malformed JSON gives one diagnostic with code
// "INVALID_JSON_DESCRIPTION" and the line/column. Never throws or crashes on any input.
CompileResult CompileText(std::string_view definition_text);

// Compiles an already-parsed definition.
CompileResult Compile(const json::Value& definition);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_PARSER_H_
