// Functions: Lambda-style handlers (an event in, a result out) that Task states invoke, and the
// registry that finds them by name or ARN as Lambda does.
//
// Thread-safety: Function implementations must allow concurrent Invoke calls. The registry is
// filled before executions start and only read afterwards.
#ifndef AUTORETRAIN_INTEGRATIONS_FUNCTION_H_
#define AUTORETRAIN_INTEGRATIONS_FUNCTION_H_

#include <map>
#include <memory>
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
  // Registered names, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::unique_ptr<Function>, std::less<>> functions_;
};

// A function that is an executable: started with `argv` in `working_dir` and environment
// `env` (added to the inherited one); the event JSON goes to its stdin, its stdout must be
// the result JSON. A non-zero exit or a stdout object with "errorType" is a failure with that
// errorType (or "Unhandled" when none was given, with the exit status and the tail of stderr
// in the message, as Lambda does for runtime crashes). A run longer than `timeout_seconds` is
// killed and fails with "States.Timeout"-like "Sandbox.Timedout". Output over 6 MB fails
// ("Lambda.ResponseSizeTooLarge"), matching Lambda's response payload limit.
struct CommandSpec {
  std::vector<std::string> argv;
  std::string working_dir;                       // empty: the current directory
  std::vector<std::pair<std::string, std::string>> env;
  int timeout_seconds = 300;
};
std::unique_ptr<Function> MakeCommandFunction(CommandSpec spec);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_FUNCTION_H_
