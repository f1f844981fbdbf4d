// Packaging `autoretrain lambda` for Lambda's provided.al2023 runtime
// (`autoretrain lambda package`): a directory and a zip holding
//   bootstrap        a launcher script: exec "$LAMBDA_TASK_ROOT/autoretrain" lambda, with
//                    LD_LIBRARY_PATH pointing at lib/
//   autoretrain      a copy of the running binary
//   lib/<soname>     every shared library the binary loaded that Amazon Linux 2023 does not
//                    provide as-is (all but glibc's own libraries: libstdc++, libcurl, OpenSSL,
//                    SQLite, Boost.JSON and their dependencies), so the binary is "statically
//                    linked enough" without being rebuilt: only glibc comes from the runtime,
//                    and the binary must not need a newer glibc than al2023's 2.34
//                    (MaxGlibcVersion checks).
// The zip is written by a small stored-entry (uncompressed) writer with each entry's Unix mode,
// so bootstrap stays executable.
//
// Thread-safety: plain functions; PackageLambda writes files (one caller per directory).
#ifndef AUTORETRAIN_DEPLOY_LAMBDA_PACKAGE_H_
#define AUTORETRAIN_DEPLOY_LAMBDA_PACKAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::deploy {

// The zip's file name inside the output directory (the template's LambdaCodeKey default).
inline constexpr std::string_view kLambdaZipName = "autoretrain-lambda.zip";
// The newest glibc symbol version Amazon Linux 2023 provides.
inline constexpr std::string_view kAl2023Glibc = "2.34";

struct ZipEntry {
  std::string name;  // path inside the archive, '/'-separated
  std::string data;
  uint32_t mode = 0644;  // Unix permission bits
};

// The CRC-32 (ISO-HDLC, as zip uses) of `data`.
uint32_t Crc32(std::string_view data);

// A zip archive of `entries`, stored (no compression). Fails with Error{"ZipTooLarge", ...}
// past the classic zip format's limits (4 GiB, 65535 entries), which a Lambda zip never nears.
Result<std::string> MakeZip(const std::vector<ZipEntry>& entries);

// The shared libraries this process has loaded (paths as the loader found them), in load order.
std::vector<std::string> LoadedLibraries();

// Whether Amazon Linux 2023 provides the library `soname` (glibc's: libc, libm, libdl,
// libpthread, librt, libresolv, libutil, the dynamic loader).
bool ProvidedByAl2023(std::string_view soname);

// The newest GLIBC_x.y version an ELF file's symbol versions require ("" if none or not
// ELF), read from its bytes.
std::string MaxGlibcVersion(std::string_view elf);

struct PackageReport {
  std::string zip_path;
  std::vector<std::string> entries;            // the zip's entries, in order
  std::vector<std::string> bundled_libraries;  // sonames under lib/
  std::string max_glibc;       // the newest GLIBC_ version the binary or a bundled library needs
  std::string max_glibc_user;  // which file needs it
  size_t zip_bytes = 0;
};

// Writes bootstrap, autoretrain (a copy of `binary`), lib/ (each of `libraries` that
// ProvidedByAl2023 does not cover, named by its soname) and the zip into `out_dir` (created
// when missing). Fails with Error{"PackageFailed", cause naming the file and the reason} when
// a file cannot be read or written, or Error{"GlibcTooNew", ...} when the binary or a bundled
// library needs a glibc newer than al2023's (the cause says how to rebuild), unless
// `allow_newer_glibc` (then the package is written and the report says what it needs).
Result<PackageReport> PackageLambda(const std::string& binary,
                                    const std::vector<std::string>& libraries,
                                    const std::string& out_dir, bool allow_newer_glibc = false);

}  // namespace autoretrain::deploy

#endif  // AUTORETRAIN_DEPLOY_LAMBDA_PACKAGE_H_
