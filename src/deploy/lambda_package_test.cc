#include "autoretrain/deploy/lambda_package.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace autoretrain::deploy {
namespace {

uint32_t U32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
uint16_t U16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) |
                               (static_cast<unsigned char>(s[at + 1]) << 8));
}

TEST(Crc32Test, MatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32(""), 0u);
}

TEST(ZipTest, StoredEntriesWithTheirModes) {
  Result<std::string> zip =
      MakeZip({{"bootstrap", "#!/bin/sh\n", 0755}, {"lib/a.so", "abc", 0644}});
  ASSERT_TRUE(zip.ok());
  const std::string& z = *zip;
  // The end of central directory record: 22 bytes at the end, 2 entries.
  size_t eocd = z.size() - 22;
  ASSERT_EQ(U32(z, eocd), 0x06054b50u);
  EXPECT_EQ(U16(z, eocd + 10), 2);
  size_t central = U32(z, eocd + 16);
  ASSERT_EQ(U32(z, central), 0x02014b50u);
  EXPECT_EQ(U16(z, central + 4) >> 8, 3);  // made by Unix
  EXPECT_EQ(U32(z, central + 16), Crc32("#!/bin/sh\n"));
  EXPECT_EQ(U32(z, central + 38) >> 16, 0100755u);
  EXPECT_EQ(z.substr(central + 46, 9), "bootstrap");
  // The first local header holds the data right after its name.
  ASSERT_EQ(U32(z, 0), 0x04034b50u);
  EXPECT_EQ(U16(z, 8), 0);  // stored
  EXPECT_EQ(z.substr(30 + 9, 10), "#!/bin/sh\n");
  size_t second = central + 46 + 9;
  EXPECT_EQ(U32(z, second + 38) >> 16, 0100644u);
}

TEST(GlibcTest, TheNewestVersionStringOfAnElfFile) {
  std::string elf(
      "\x7f"
      "ELF",
      4);
  elf += std::string("\0GLIBC_2.2.5\0GLIBC_2.34\0GLIBC_2.4\0GLIBC_PRIVATE\0", 47);
  EXPECT_EQ(MaxGlibcVersion(elf), "2.34");
  EXPECT_EQ(MaxGlibcVersion("not an elf GLIBC_2.99"), "");
  EXPECT_TRUE(ProvidedByAl2023("libc.so.6"));
  EXPECT_TRUE(ProvidedByAl2023("ld-linux-x86-64.so.2"));
  EXPECT_FALSE(ProvidedByAl2023("libstdc++.so.6"));
  EXPECT_FALSE(ProvidedByAl2023("libcurl.so.4"));
}

TEST(PackageTest, WritesTheLauncherTheBinaryTheLibrariesAndTheZip) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "deploy-package-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string fake_binary(std::string("\x7f"
                                      "ELF",
                                      4) +
                          std::string("\0GLIBC_2.17\0", 12));
  std::ofstream(dir / "bin", std::ios::binary) << fake_binary;
  std::string newer(std::string("\x7f"
                                "ELF",
                                4) +
                    std::string("\0GLIBC_2.36\0", 12));
  std::ofstream(dir / "libnew.so.1", std::ios::binary) << newer;
  std::ofstream(dir / "libc.so.6", std::ios::binary) << "glibc";

  Result<PackageReport> report = PackageLambda(
      (dir / "bin").string(), {(dir / "libc.so.6").string(), (dir / "libnew.so.1").string()},
      (dir / "out").string());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().error, "GlibcTooNew");
  EXPECT_NE(report.error().cause.find("libnew.so.1 needs glibc 2.36"), std::string::npos)
      << report.error().cause;

  report = PackageLambda((dir / "bin").string(),
                         {(dir / "libc.so.6").string(), (dir / "libnew.so.1").string()},
                         (dir / "out").string(), /*allow_newer_glibc=*/true);
  ASSERT_TRUE(report.ok()) << report.error().cause;
  EXPECT_EQ(report->entries,
            (std::vector<std::string>{"bootstrap", "autoretrain", "lib/libnew.so.1"}));
  EXPECT_EQ(report->bundled_libraries, std::vector<std::string>{"libnew.so.1"});
  EXPECT_EQ(report->max_glibc, "2.36");
  EXPECT_TRUE((fs::status(dir / "out" / "bootstrap").permissions() & fs::perms::owner_exec) !=
              fs::perms::none);
  std::ifstream in(dir / "out" / "bootstrap");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("exec \"$LAMBDA_TASK_ROOT/autoretrain\" lambda"), std::string::npos);
  EXPECT_EQ(fs::file_size(report->zip_path), report->zip_bytes);
  fs::remove_all(dir);
}

TEST(PackageTest, AnUnreadableBinaryIsNamed) {
  Result<PackageReport> report = PackageLambda("/nonexistent/autoretrain", {}, "/tmp/unused-out");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().error, "PackageFailed");
  EXPECT_NE(report.error().cause.find("/nonexistent/autoretrain"), std::string::npos);
}

TEST(PackageTest, TheRunningProcessHasLoadedLibraries) {
  std::vector<std::string> libraries = LoadedLibraries();
  bool libc = false;
  for (const std::string& l : libraries) libc |= l.find("libc.so") != std::string::npos;
  EXPECT_TRUE(libc);
}

}  // namespace
}  // namespace autoretrain::deploy
