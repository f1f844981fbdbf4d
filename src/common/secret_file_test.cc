#include "autoretrain/common/secret_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace autoretrain {
namespace {

class SecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("secret_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "keys").string();
    std::ofstream(path_) << "[default]\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Chmod(mode_t mode) { ASSERT_EQ(::chmod(path_.c_str(), mode), 0); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SecretFileTest, OwnerOnlyModesPassQuietly) {
  for (mode_t mode : {0600, 0400, 0700}) {
    Chmod(mode);
    EXPECT_EQ(ExposedSecretFileWarning(path_), std::nullopt) << mode;
  }
}

TEST_F(SecretFileTest, AnyUserReadingIsNamedWithTheModeAndTheFix) {
  Chmod(0644);
  std::optional<std::string> warning = ExposedSecretFileWarning(path_);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("'" + path_ + "'"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("any user"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("mode 0644"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("chmod 600 " + path_), std::string::npos) << *warning;
}

TEST_F(SecretFileTest, GroupAccessAloneIsNamedAsTheGroup) {
  Chmod(0620);
  std::optional<std::string> warning = ExposedSecretFileWarning(path_);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("its group"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("mode 0620"), std::string::npos) << *warning;
}

TEST_F(SecretFileTest, AMissingFileIsLeftToTheReader) {
  EXPECT_EQ(ExposedSecretFileWarning((dir_ / "missing").string()), std::nullopt);
}

}  // namespace
}  // namespace autoretrain
