// Files that hold secrets (the API's access keys, the metrics token) should be readable by
// their owner only, as ssh insists for private keys. autoretrain warns rather than refuses: a
// refusal would stop a running deployment at its next restart over a mode change.
#ifndef AUTORETRAIN_COMMON_SECRET_FILE_H_
#define AUTORETRAIN_COMMON_SECRET_FILE_H_

#include <optional>
#include <string>

namespace autoretrain {

// The warning to give when group or others may read or write the file at `path` (saying the
// mode and the chmod that fixes it); nothing when only its owner may, or when it cannot be
// examined (reading it reports that).
std::optional<std::string> ExposedSecretFileWarning(const std::string& path);

}  // namespace autoretrain

#endif  // AUTORETRAIN_COMMON_SECRET_FILE_H_
