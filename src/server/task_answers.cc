#include "autoretrain/server/task_answers.h"

#include "autoretrain/json/json.h"

namespace autoretrain::server {
namespace {

Status CheckToken(std::string_view token) {
  if (token.empty() || token.size() > kMaxTaskTokenLength) {
    return Error{"InvalidToken", "Invalid Token: a task token has 1 to " +
                                     std::to_string(kMaxTaskTokenLength) +
                                     " characters: pass the $$.Task.Token the task handed out"};
  }
  return OkStatus();
}

}  // namespace

Status SendTaskSuccess(store::Store& store, std::string_view token, std::string_view output,
                       TimePoint now) {
  if (Status checked = CheckToken(token); !checked.ok()) return checked;
  if (output.size() > json::kMaxPayloadBytes) {
    return Error{"InvalidOutput", "the output is larger than " +
                                      std::to_string(json::kMaxPayloadBytes) +
                                      " bytes, the limit of SendTaskSuccess"};
  }
  Result<json::Value> parsed = json::Parse(output);
  if (!parsed.ok()) {
    return Error{"InvalidOutput", "the output is not JSON: " + parsed.error().cause};
  }
  return store.CompleteTaskToken(std::string(token), {.output = json::Serialize(*parsed)}, now);
}

Status SendTaskFailure(store::Store& store, std::string_view token,
                       const std::optional<std::string>& error,
                       const std::optional<std::string>& cause, TimePoint now) {
  if (Status checked = CheckToken(token); !checked.ok()) return checked;
  return store.CompleteTaskToken(std::string(token), {.error = error, .cause = cause}, now);
}

Status SendTaskHeartbeat(store::Store& store, std::string_view token, TimePoint now) {
  if (Status checked = CheckToken(token); !checked.ok()) return checked;
  return store.HeartbeatTaskToken(std::string(token), now);
}

}  // namespace autoretrain::server
