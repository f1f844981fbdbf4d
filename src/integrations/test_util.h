// Helpers for the integrations tests: a temporary directory that cleans up after itself and
// file writing with a mode.
//
// Thread-safety: TempDir is not shared between threads.
#ifndef AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_
#define AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace autoretrain::integrations::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "autoretrain-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  std::string path_;
};

// Writes `contents` to `path` (creating parent directories) and sets its mode.
inline void WriteFile(const std::string& path, const std::string& contents, mode_t mode = 0644) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
  ::chmod(path.c_str(), mode);
}

}  // namespace autoretrain::integrations::testing

#endif  // AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_
