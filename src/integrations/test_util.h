// Helpers for the integrations tests: a temporary directory that cleans up after itself, file
// writing with a mode, and small definitions.
//
// Thread-safety: TempDir is not shared between threads.
#ifndef AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_
#define AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

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

// A machine whose only state starts `target` with the machine's input.
inline std::string Starter(const std::string& target_arn) {
  return R"({"StartAt":"Start","States":{"Start":{"Type":"Task",)"
         R"("Resource":"arn:aws:states:::states:startExecution",)"
         R"("Parameters":{"StateMachineArn":")" +
         target_arn + R"(","Input.$":"$"},"End":true}}})";
}

// A machine that fails at once with Boom.
inline constexpr std::string_view kFail =
    R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"on purpose"}}})";

}  // namespace autoretrain::integrations::testing

#endif  // AUTORETRAIN_INTEGRATIONS_TEST_UTIL_H_
