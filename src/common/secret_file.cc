#include "autoretrain/common/secret_file.h"

#include <sys/stat.h>

#include <cstdio>

namespace autoretrain {

std::optional<std::string> ExposedSecretFileWarning(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  const mode_t exposed = st.st_mode & (S_IRWXG | S_IRWXO);
  if (exposed == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  const char* who = (exposed & (S_IROTH | S_IWOTH)) != 0 ? "any user" : "its group";
  return "'" + path + "' holds secrets but " + who + " may read or change it (mode " + mode +
         "): allow its owner only, with `chmod 600 " + path + "`";
}

}  // namespace autoretrain
