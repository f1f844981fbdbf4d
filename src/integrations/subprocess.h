// Subprocess: runs one command to completion with its stdin fed from memory and its stdout and
// stderr captured, under a deadline and an output limit. The I/O is multiplexed with poll(), so
// a child that writes a lot before reading its input cannot deadlock us.
//
// The child gets its own process group; on timeout, on too much output, and after it exits,
// that whole group is killed (SIGKILL) so nothing it started outlives the call, as Lambda
// freezes a sandbox after an invocation. Every descriptor is close-on-exec and the child is
// always reaped: no fd or zombie leaks, even with many calls running concurrently.
//
// If the host process ignores SIGCHLD, the kernel reaps children itself and their exit status
// is lost: the run still ends when the child does, reported as exit status 0.
//
// Thread-safety: RunProcess may be called from many threads at once.
#ifndef AUTORETRAIN_INTEGRATIONS_SUBPROCESS_H_
#define AUTORETRAIN_INTEGRATIONS_SUBPROCESS_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::integrations {

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH unless it contains a '/'
  std::string working_dir;        // empty: the current directory; relative argv[0] resolves here
  // The child's environment: those of our variables that `inherit` names (each entry a name,
  // or a prefix ending in '*'), then `env` (replacing an inherited variable of its name).
  std::vector<std::string> inherit;
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdin_data;
  std::chrono::milliseconds timeout{300'000};
  size_t max_stdout = 6 * 1024 * 1024;  // more than this ends the run (kOutputTooLarge)
  size_t stderr_tail = 8 * 1024;        // how much of the end of stderr is kept
};

struct ProcessOutcome {
  enum class End { kExited, kSignaled, kTimedOut, kOutputTooLarge };
  End end = End::kExited;
  int exit_code = 0;  // kExited
  int signal = 0;     // kSignaled
  std::string stdout_data;
  std::string stderr_tail;  // the last `stderr_tail` bytes of stderr
};

// Runs the command. Fails only when it cannot be started, with Error{"SpawnFailed", message}
// where the message names the command and the reason (e.g. "No such file or directory");
// `*spawn_errno` (if given) receives the errno. Everything after a successful start is an
// outcome, not an error.
Result<ProcessOutcome> RunProcess(const ProcessOptions& options, int* spawn_errno = nullptr);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_SUBPROCESS_H_
