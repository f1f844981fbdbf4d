// Functions: Lambda-style handlers (an event in, a result out) that Task states invoke, and the
// registry that finds them by name or ARN as Lambda does.
//
// Thread-safety: Function implementations must allow concurrent Invoke calls. The registry is
// filled before executions start and only read afterwards.
#ifndef AUTORETRAIN_INTEGRATIONS_FUNCTION_H_
#define AUTORETRAIN_INTEGRATIONS_FUNCTION_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations {

class Function {
 public:
  virtual ~Function() = default;
  // Runs the function on `event`. On success returns its result JSON. On failure returns the
  // error the way Step Functions reports a Lambda function's unhandled error: `error` is the
  // function's errorType (e.g. "NoSuchKey"), `cause` is the JSON text
  // {"errorMessage":"...","errorType":"...","stackTrace":[]}.
  virtual Result<json::Value> Invoke(const json::Value& event) = 0;

  // The same, within the calling Task state's TimeoutSeconds when it has one: a function still
  // running after `timeout_seconds` is stopped and fails with States.Timeout, as AWS fails the
  // task. The default ignores the limit: built-in functions return in microseconds.
  virtual Result<json::Value> InvokeWithin(const json::Value& event,
                                           std::optional<int64_t> timeout_seconds) {
    (void)timeout_seconds;
    return Invoke(event);
  }
};

// Builds the Error for a function failure in the shape described above.
Error FunctionError(std::string_view error_type, std::string_view error_message);

// Functions by name. Find accepts what Lambda's FunctionName accepts: the name
// ("check_retraining_decision"), the full ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME),
// a partial ARN (ACCOUNT:function:NAME), each optionally with a ":$LATEST"/version/alias
// qualifier, which local functions ignore.
class FunctionRegistry {
 public:
  // Adds or replaces the function called `name`.
  void Register(std::string name, std::unique_ptr<Function> function);
  // The function, or nullptr when no registered function matches.
  Function* Find(std::string_view name_or_arn) const;

 private:
  std::map<std::string, std::unique_ptr<Function>, std::less<>> functions_;
};

// A function that is an executable: started with `argv` in `working_dir` and environment
// `env` (added to the inherited one); the event JSON goes to its stdin, its stdout must be
// the result JSON (empty stdout is a null result, like a handler returning None; logs go to
// stderr). argv[0] is looked up in PATH unless it contains a '/'; a relative path resolves
// against `working_dir`. Failures, named as Lambda names them:
// - a stdout object with a string "errorType" (exit status 0 or not): that errorType, with
//   its errorMessage (and stackTrace, if an array);
// - otherwise a non-zero exit or a signal: "Unhandled", message "Runtime exited with error:
//   exit status N" (or "signal N (SIGxxx)") plus the last lines of stderr;
// - exit 0 with stdout that is not JSON: "Runtime.MarshalError" (Lambda's name for an
//   unserializable response), quoting the start of the output;
// - a run longer than `timeout_seconds`: killed, "Sandbox.Timedout", "Task timed out after
//   N.00 seconds" (or "States.Timeout" when InvokeWithin's shorter task limit expired);
// - more than 6 MB on stdout (Lambda's response payload limit): killed,
//   "Lambda.ResponseSizeTooLarge";
// - the executable cannot be started (missing, not executable, bad working_dir):
//   "Runtime.InvalidEntrypoint" naming the command and the reason.
// The command runs in its own process group; everything left in it is killed when the run
// ends, and the child is always reaped.
struct CommandSpec {
  std::vector<std::string> argv;
  std::string working_dir;  // empty: the current directory
  // The environment: kInheritedEnvironment and `inherit` (names, or prefixes ending in '*')
  // of ours, then `env`. Nothing else of ours is passed: no credentials unless named.
  std::vector<std::string> inherit;
  std::vector<std::pair<std::string, std::string>> env;
  int timeout_seconds = 300;
};
// What every command function gets of our environment: where programs are, the user, locale
// and time zone, temporary folder, terminal. None of it is a secret.
inline const std::vector<std::string> kInheritedEnvironment = {
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "LC_*", "TZ", "TMPDIR", "TERM"};
std::unique_ptr<Function> MakeCommandFunction(CommandSpec spec);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_FUNCTION_H_
