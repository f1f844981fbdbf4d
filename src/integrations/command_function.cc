// MakeCommandFunction: a Lambda-style function backed by an executable (see function.h for the
// contract and the error names).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "autoretrain/integrations/function.h"
#include "integrations/subprocess.h"

namespace autoretrain::integrations {
namespace {

// Lambda's synchronous response payload limit: 6 MB.
constexpr size_t kMaxResponseBytes = 6 * 1024 * 1024;
// How many trailing stderr lines go into an "Unhandled" message.
constexpr int kStderrLines = 20;

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string LastLines(std::string_view text, int lines) {
  std::string trimmed = Trim(text);
  size_t pos = trimmed.size();
  for (int i = 0; i < lines && pos != std::string::npos && pos > 0; ++i) {
    pos = trimmed.rfind('\n', pos - 1);
  }
  return pos == std::string::npos || pos == 0 ? trimmed : trimmed.substr(pos + 1);
}

// An error object the command printed ({"errorType": ..., "errorMessage": ...}), as the
// function failure Step Functions reports; nullopt when `value` is not one.
std::optional<Error> ErrorObject(const json::Value& value) {
  if (!value.is_object()) return std::nullopt;
  const json::Object& object = value.get_object();
  const json::Value* type = object.if_contains("errorType");
  if (type == nullptr || !type->is_string() || type->get_string().empty()) return std::nullopt;
  json::Object cause;
  const json::Value* message = object.if_contains("errorMessage");
  cause["errorMessage"] = message != nullptr && message->is_string() ? *message : json::Value("");
  cause["errorType"] = *type;
  const json::Value* trace = object.if_contains("stackTrace");
  cause["stackTrace"] = trace != nullptr && trace->is_array() ? *trace : json::Array{};
  return Error{std::string(type->get_string()), json::Serialize(cause)};
}

class CommandFunction final : public Function {
 public:
  explicit CommandFunction(CommandSpec spec) : spec_(std::move(spec)) {}

  Result<json::Value> Invoke(const json::Value& event) override {
    return InvokeWithin(event, std::nullopt);
  }

  Result<json::Value> InvokeWithin(const json::Value& event,
                                   std::optional<int64_t> task_timeout_seconds) override {
    // The Task state's limit applies when it is the tighter one; then expiry is the task's
    // States.Timeout rather than the function's own Sandbox.Timedout.
    const bool task_limit = task_timeout_seconds && *task_timeout_seconds < spec_.timeout_seconds;
    const int64_t limit = task_limit ? *task_timeout_seconds : spec_.timeout_seconds;
    ProcessOptions options;
    options.argv = spec_.argv;
    options.working_dir = spec_.working_dir;
    options.inherit = kInheritedEnvironment;
    options.inherit.insert(options.inherit.end(), spec_.inherit.begin(), spec_.inherit.end());
    options.env = spec_.env;
    options.stdin_data = json::Serialize(event);
    options.timeout = std::chrono::seconds(std::max<int64_t>(limit, 1));
    options.max_stdout = kMaxResponseBytes;
    int spawn_errno = 0;
    Result<ProcessOutcome> run = RunProcess(options, &spawn_errno);
    if (!run.ok()) {
      // Lambda reports a missing or non-executable handler binary as Runtime.InvalidEntrypoint.
      std::string message = run.error().cause;
      if (spawn_errno == ENOENT) {
        message += spec_.argv.empty() || spec_.argv[0].find('/') != std::string::npos
                       ? " (check the function's command path)"
                       : " (not found in PATH)";
      }
      return FunctionError("Runtime.InvalidEntrypoint", message);
    }
    if (task_limit && run->end == ProcessOutcome::End::kTimedOut) {
      return Error{"States.Timeout", "The task did not finish within its TimeoutSeconds (" +
                                         std::to_string(limit) + " s): '" + CommandName() +
                                         "' was stopped."};
    }
    return Interpret(*run);
  }

 private:
  Result<json::Value> Interpret(const ProcessOutcome& run) const {
    using End = ProcessOutcome::End;
    if (run.end == End::kTimedOut) {
      return FunctionError(
          "Sandbox.Timedout",
          "Task timed out after " + std::to_string(spec_.timeout_seconds) + ".00 seconds");
    }
    if (run.end == End::kOutputTooLarge) {
      return FunctionError("Lambda.ResponseSizeTooLarge",
                           "Response payload size exceeded maximum allowed payload size (" +
                               std::to_string(kMaxResponseBytes) + " bytes): '" + CommandName() +
                               "' wrote more than that to stdout.");
    }
    std::string out = Trim(run.stdout_data);
    std::optional<json::Value> parsed;
    std::string parse_error;
    if (!out.empty()) {
      Result<json::Value> value = json::Parse(out);
      if (value.ok()) {
        parsed = std::move(value).value();
      } else {
        parse_error = value.error().cause;
      }
    }
    if (parsed) {
      if (std::optional<Error> error = ErrorObject(*parsed)) return *std::move(error);
    }
    if (run.end == End::kSignaled || run.exit_code != 0) {
      std::string message = "Runtime exited with error: " + ExitDescription(run);
      std::string tail = LastLines(run.stderr_tail, kStderrLines);
      if (!tail.empty()) message += "\nstderr:\n" + tail;
      return FunctionError("Unhandled", message);
    }
    if (out.empty()) return json::Value(nullptr);  // like a handler returning None
    if (!parsed) {
      std::string shown = out.size() > 200 ? out.substr(0, 200) + "..." : out;
      return FunctionError(
          "Runtime.MarshalError",
          "Unable to marshal response: the stdout of '" + CommandName() + "' is not JSON (" +
              parse_error + "): " + shown +
              ". A command function prints only its result JSON on stdout; log to stderr.");
    }
    return *std::move(parsed);
  }

  std::string CommandName() const { return spec_.argv.empty() ? "" : spec_.argv[0]; }

  static std::string ExitDescription(const ProcessOutcome& run) {
    if (run.end == ProcessOutcome::End::kSignaled) {
      const char* name = sigabbrev_np(run.signal);
      return "signal " + std::to_string(run.signal) +
             (name ? std::string(" (SIG") + name + ")" : "");
    }
    return "exit status " + std::to_string(run.exit_code);
  }

  CommandSpec spec_;
};

}  // namespace

std::unique_ptr<Function> MakeCommandFunction(CommandSpec spec) {
  return std::make_unique<CommandFunction>(std::move(spec));
}

}  // namespace autoretrain::integrations
