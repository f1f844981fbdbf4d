// Internal to the asl layer: compiles one state of a definition into asl::State, reporting
// every problem to a DefinitionReader. One file per state type; Next targets are resolved later
// by the graph check (graph_check.h), once every state name is known.
//
// Thread-safety: stateless functions.
#ifndef AUTORETRAIN_SRC_ASL_STATE_COMPILER_H_
#define AUTORETRAIN_SRC_ASL_STATE_COMPILER_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/json/json.h"
#include "definition_reader.h"

namespace autoretrain::asl {

// The longest state name AWS accepts, in characters.
inline constexpr size_t kMaxStateNameLength = 80;

// Compiles StartAt and States of the machine at `location` (the definition itself at "", a
// Parallel branch or a Map's ItemProcessor below it) into *machine, with the graph checks.
// The caller checks the object's other fields.
void CompileMachineBody(const json::Object& obj, const std::string& location,
                        DefinitionReader* reader, StateMachine* machine);

// A machine nested in a state (a Parallel branch, a Map's ItemProcessor) at `location`:
// `value` must be an object with StartAt and States and no fields beyond `allowed`; `what`
// names it in messages ("a Parallel branch").
void CompileNestedMachine(const json::Value& value, const std::string& location,
                          std::initializer_list<std::string_view> allowed, std::string_view what,
                          DefinitionReader* reader, StateMachine* machine);

// Compiles the state `name` whose JSON is `value`, found at `location` ("/States/<name>").
// *state is filled as far as the definition allows even when there are problems.
void CompileState(const std::string& name, const json::Value& value, const std::string& location,
                  DefinitionReader* reader, State* state);

// Per state type; `obj` is the state's JSON object, whose Type has been checked.
void CompileTaskState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state);
void CompileChoiceState(const json::Object& obj, const std::string& location,
                        DefinitionReader* reader, State* state);
// The Default and Choices fields of a Choice state in either query language: Choices must be
// a non-empty array; `compile_rule` compiles each entry, given its location and index.
using ChoiceRuleCompiler = std::function<void(const json::Value& rule, const std::string& location,
                                              size_t index, ChoiceRule* out)>;
void CompileChoices(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                    State* state, const ChoiceRuleCompiler& compile_rule);
void CompileWaitState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state);
void CompileFailState(const json::Object& obj, const std::string& location,
                      DefinitionReader* reader, State* state);
void CompileParallelState(const json::Object& obj, const std::string& location,
                          DefinitionReader* reader, State* state);
void CompileMapState(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                     State* state);

// A state whose QueryLanguage is JSONata (jsonata_state.cc), whatever its type (state->type
// is set): its JSONata fields, with the JSONPath-only fields reported.
void CompileJsonataState(const json::Object& obj, const std::string& location,
                         DefinitionReader* reader, State* state);

// Shared pieces.
// Whether running `state` may read the context object (State::reads_context).
bool StateReadsContext(const State& state);
// Whether running `state` only passes its input on (State::passes_input_on).
bool StatePassesInputOn(const State& state);

// Next / End as Pass, Task, Wait, Parallel and Map take them: exactly one of a Next string or
// "End": true.
void CompileTransition(const json::Object& obj, const std::string& location,
                       DefinitionReader* reader, State* state);
// InputPath, OutputPath (full paths, or null) and ResultPath (a reference path, or null), as
// Pass, Task, Parallel and Map take them.
void CompilePathFields(const json::Object& obj, const std::string& location,
                       DefinitionReader* reader, State* state);
// Parameters / ResultSelector: a JSON object compiled as a PayloadTemplate.
std::optional<PayloadTemplate> CompileTemplateField(const json::Object& obj, std::string_view key,
                                                    const std::string& location,
                                                    DefinitionReader* reader);
// Assign (assign.cc): an object whose keys name variables ("x", or "x.$" for a path or
// intrinsic function), compiled as a payload template whose result maps names to values.
// Nothing when the field is absent.
std::optional<PayloadTemplate> CompileAssign(const json::Object& obj, const std::string& location,
                                             DefinitionReader* reader);
// Assign in a JSONata state, rule or catcher (assign.cc): an object of variable names (no
// ".$") whose values may hold "{% %}" expressions; `field_prefix` names the owner in messages
// ("" for the state, "Catch[0]/"). Nothing when absent or invalid (reported).
std::optional<JsonataTemplate> CompileJsonataAssign(const json::Object& obj,
                                                    const std::string& location,
                                                    const std::string& field_prefix,
                                                    DefinitionReader* reader);
// Resource of a Task state (task_state.cc): an ARN; INVALID_RESOURCE otherwise.
void CompileResource(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                     State* state);
// Retry and Catch (error_handlers.cc).
void CompileRetry(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                  State* state);
void CompileCatch(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                  State* state);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_STATE_COMPILER_H_
