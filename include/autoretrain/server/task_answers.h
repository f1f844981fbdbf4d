// A worker's answers to callback tasks (.waitForTaskToken), as AWS's SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat check and apply them, written to the project's store
// where the process running the execution reads them at the task's next check. Shared by the
// HTTP API and `autoretrain task`.
//
// Thread-safety: safe to call from any thread (the store serializes).
#ifndef AUTORETRAIN_SERVER_TASK_ANSWERS_H_
#define AUTORETRAIN_SERVER_TASK_ANSWERS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/store/store.h"

namespace autoretrain::server {

// AWS's limit on a task token's length.
inline constexpr size_t kMaxTaskTokenLength = 2048;

// SendTaskSuccess: `output` must be JSON text of at most 256 KiB. Fails with
// Error{"InvalidToken", ...} for an empty or too long token, Error{"InvalidOutput", ...} for
// output that is not JSON or too large, and the store's TaskDoesNotExist (unknown token, or its
// execution ended), TaskTimedOut (already answered) or Store* errors.
Status SendTaskSuccess(store::Store& store, std::string_view token, std::string_view output,
                       TimePoint now);
// SendTaskFailure with an optional error name (at most 256 characters) and cause (at most
// 32768): errors as SendTaskSuccess's, and ValidationException for too long ones.
Status SendTaskFailure(store::Store& store, std::string_view token,
                       const std::optional<std::string>& error,
                       const std::optional<std::string>& cause, TimePoint now);
// SendTaskHeartbeat: resets the task's HeartbeatSeconds clock. Errors as SendTaskSuccess's.
Status SendTaskHeartbeat(store::Store& store, std::string_view token, TimePoint now);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_TASK_ANSWERS_H_
