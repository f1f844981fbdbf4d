// The schedule runner's state file (scheduler_state.h).
#include "retrain/scheduler_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "autoretrain/json/json.h"

namespace autoretrain::retrain {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeld = "held";
constexpr const char* kRetry = "retry";
// More attempts than a retry policy allows (185 retries): only a damaged file has them.
constexpr int64_t kMaxAttempts = 1000;

json::Object PendingToJson(const PendingSlot& pending) {
  json::Object out{{"schedule", pending.schedule},
                   {"slot", FormatIso8601(pending.slot)},
                   {"execution_name", ExecutionName(pending.schedule, pending.slot)},
                   {"state_machine_arn", pending.state_machine_arn},
                   {"state", pending.held ? kHeld : kRetry},
                   {"attempts", static_cast<int64_t>(pending.attempts)},
                   {"first_attempt", FormatIso8601(pending.first)}};
  if (pending.late) out["caught_up"] = true;
  if (pending.held) {
    out["waiting_for"] = pending.after;
  } else {
    out["retry_at"] = FormatIso8601(pending.retry_at);
    out["error"] = pending.error.error;
    out["cause"] = pending.error.cause;
  }
  return out;
}

// Reads the fields of one object, keeping the first that is missing or of another type.
class FieldReader {
 public:
  explicit FieldReader(const json::Object& object) : object_(object) {}

  std::string String(const char* key, bool required = true) {
    const json::Value* value = object_.if_contains(key);
    if (value == nullptr && !required) return "";
    if (value == nullptr || !value->is_string()) {
      Wrong(key, "a string");
      return "";
    }
    return std::string(value->as_string());
  }
  TimePoint Time(const char* key) {
    TimePoint at;
    const json::Value* value = object_.if_contains(key);
    if (value == nullptr || !value->is_string() ||
        !ParseIso8601(std::string(value->as_string()), &at)) {
      Wrong(key, "an ISO 8601 time");
    }
    return at;
  }
  int Count(const char* key) {
    const json::Value* value = object_.if_contains(key);
    if (value == nullptr || !value->is_int64() || value->as_int64() < 0 ||
        value->as_int64() > kMaxAttempts) {
      Wrong(key, "a whole number from 0 to 1000");
      return 0;
    }
    return static_cast<int>(value->as_int64());
  }
  bool Flag(const char* key) {
    const json::Value* value = object_.if_contains(key);
    if (value == nullptr) return false;
    if (!value->is_bool()) Wrong(key, "true or false");
    return value->is_bool() && value->as_bool();
  }
  void Wrong(const char* key, const char* expected) {
    if (problem_.empty()) problem_ = std::string("\"") + key + "\" must be " + expected;
  }
  const std::string& problem() const { return problem_; }

 private:
  const json::Object& object_;
  std::string problem_;
};

// One "pending" entry, or why it is not one (the error's cause).
Result<PendingSlot> PendingFromJson(const json::Value& value) {
  if (!value.is_object()) return Error{"", "an entry of \"pending\" is not an object"};
  FieldReader read(value.as_object());
  PendingSlot pending;
  pending.schedule = read.String("schedule");
  pending.slot = read.Time("slot");
  pending.state_machine_arn = read.String("state_machine_arn");
  const std::string state = read.String("state");
  pending.held = state == kHeld;
  if (state != kHeld && state != kRetry) read.Wrong("state", "\"held\" or \"retry\"");
  pending.attempts = read.Count("attempts");
  pending.first = read.Time("first_attempt");
  pending.late = read.Flag("caught_up");
  if (pending.held) {
    pending.after = read.String("waiting_for", /*required=*/false);
  } else {
    pending.retry_at = read.Time("retry_at");
    pending.error = Error{read.String("error"), read.String("cause")};
  }
  if (!read.problem().empty()) {
    return Error{"", "pending slot of '" + pending.schedule + "': " + read.problem()};
  }
  return pending;
}

// The document, or why it is not one (the error's cause).
Result<SchedulerState> StateFromJson(const json::Value& value) {
  const json::Value* alive =
      value.is_object() ? value.as_object().if_contains("alive_at") : nullptr;
  SchedulerState state;
  if (alive == nullptr || !alive->is_string() ||
      !ParseIso8601(std::string(alive->as_string()), &state.alive_at)) {
    return Error{"", "expected {\"alive_at\": \"<ISO 8601 time>\", \"pending\": [...]}"};
  }
  const json::Value* pending = value.as_object().if_contains("pending");
  if (pending == nullptr) return state;
  if (!pending->is_array()) return Error{"", "\"pending\" is not an array"};
  for (const json::Value& entry : pending->as_array()) {
    Result<PendingSlot> slot = PendingFromJson(entry);
    if (!slot.ok()) return slot.take_error();
    state.pending.push_back(std::move(slot).value());
  }
  return state;
}

// Writes `text` to a new file at `path` and flushes it to disk.
bool WriteDurably(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = written && ::fsync(fd) == 0;
  return ::close(fd) == 0 && synced;
}

// Flushes a folder's entries (a rename in it) to disk.
bool SyncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  return ::close(fd) == 0 && synced;
}

}  // namespace

Result<std::optional<SchedulerState>> ReadSchedulerState(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<SchedulerState>();
  auto invalid = [&](const std::string& why) {
    return Error{"InvalidSchedulerState",
                 "'" + path + "': " + why +
                     "; missed slots are not caught up and pending slots are not resumed "
                     "(delete the file to clear this)"};
  };
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return invalid(std::string("cannot read it: ") + std::strerror(errno));
  Result<json::Value> parsed = json::Parse(text.str());
  if (!parsed.ok()) return invalid("not JSON: " + parsed.error().cause);
  Result<SchedulerState> state = StateFromJson(*parsed);
  if (!state.ok()) return invalid(state.error().cause);
  return std::optional<SchedulerState>(std::move(state).value());
}

Status WriteSchedulerState(const std::string& path, const SchedulerState& state) {
  json::Object document{{"alive_at", FormatIso8601(state.alive_at)}};
  if (!state.pending.empty()) {
    json::Array pending;
    for (const PendingSlot& slot : state.pending) pending.push_back(PendingToJson(slot));
    document["pending"] = std::move(pending);
  }
  const std::string text = json::Serialize(document) + "\n";
  const std::string temp = path + ".tmp";
  auto failed = [](const std::string& what) {
    return Error{"WriteFailed", "cannot write '" + what + "': " + std::strerror(errno)};
  };
  if (!WriteDurably(temp, text)) return failed(temp);
  if (std::rename(temp.c_str(), path.c_str()) != 0) return failed(path);
  const std::string folder = fs::path(path).parent_path().string();
  if (!SyncFolder(folder.empty() ? "." : folder)) return failed(folder);
  return OkStatus();
}

}  // namespace autoretrain::retrain
