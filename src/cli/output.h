// Output conventions shared by the `autoretrain` subcommands: exit codes, error messages on
// stderr, JSON on stdout.
//
// Thread-safety: call from the main thread only (writes to the standard streams), except
// PrintWarning.
#ifndef AUTORETRAIN_CLI_OUTPUT_H_
#define AUTORETRAIN_CLI_OUTPUT_H_

#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/json/json.h"

namespace autoretrain::cli {

// The exit codes every subcommand uses.
inline constexpr int kExitOk = 0;       // the execution (and what it started) succeeded
inline constexpr int kExitFailed = 1;   // an execution failed or timed out; an I/O failure
inline constexpr int kExitInvalid = 2;  // invalid arguments, input, definition or project

// Prints each line of `message` to stderr as "autoretrain: <line>".
void PrintError(std::string_view message);

// The exit code of a failure before or around an execution: 1 when the environment failed (the
// store: Store* errors; another process holding the project: ProjectBusy), 2 for everything
// the user gave (arguments, definitions, configuration).
int ExitCodeFor(const Error& error);
// Prints `error` as PrintError(cause), prefixed with the error name on the first line when
// `with_name` is set.
void PrintError(const Error& error, bool with_name);

// Prints "autoretrain: warning: <message>" to stderr; safe to call from any thread (it is the
// WarningSink of the store: HistoryRecorder calls it from its writer thread).
void PrintWarning(const std::string& message);

// Prints `value` to stdout: pretty (two-space indents) or compact on one line.
void PrintJson(const json::Value& value, bool pretty);

// A human-readable cause: a function error's cause is the JSON text
// {"errorMessage": ..., "errorType": ...}; this returns its errorMessage, otherwise `cause`.
std::string ReadableCause(std::string_view cause);

// "SUCCEEDED", "FAILED", ...
std::string StatusName(const engine::ExecutionResult& result);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_OUTPUT_H_
