// PackageLambda: the bootstrap launcher, the binary and the libraries Amazon Linux 2023 lacks,
// as a directory and a zip.
#include "autoretrain/deploy/lambda_package.h"

#include <link.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace autoretrain::deploy {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBootstrap =
    "#!/bin/sh\n"
    "# The Lambda custom runtime's entry point (provided.al2023): autoretrain's Runtime API\n"
    "# loop, with the shared libraries packaged beside it (`autoretrain lambda package`).\n"
    "export LD_LIBRARY_PATH=\"$LAMBDA_TASK_ROOT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\"\n"
    "exec \"$LAMBDA_TASK_ROOT/autoretrain\" lambda\n";

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{"PackageFailed", "cannot read " + path + ": " + std::strerror(errno)};
  }
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

Status WriteAll(const fs::path& path, std::string_view data, fs::perms perms) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  std::error_code ec;
  if (out) fs::permissions(path, perms, ec);
  if (!out || ec) {
    return Error{"PackageFailed", "cannot write " + path.string() + ": " +
                                      (ec ? ec.message() : std::strerror(errno)) +
                                      "; check that the output directory is writable"};
  }
  return OkStatus();
}

// "2.34" < "2.36" < "2.4" is wrong as strings; compare dotted numbers.
bool VersionLess(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    auto take = [](std::string_view* s) {
      size_t dot = s->find('.');
      std::string_view part = s->substr(0, dot);
      *s = dot == std::string_view::npos ? std::string_view() : s->substr(dot + 1);
      int n = 0;
      for (char c : part) n = n * 10 + (c - '0');
      return n;
    };
    int x = take(&a), y = take(&b);
    if (x != y) return x < y;
  }
  return false;
}

int CollectLibrary(dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::vector<std::string>*>(data);
  if (info->dlpi_name != nullptr && info->dlpi_name[0] == '/') out->push_back(info->dlpi_name);
  return 0;
}

}  // namespace

std::vector<std::string> LoadedLibraries() {
  std::vector<std::string> libraries;
  dl_iterate_phdr(&CollectLibrary, &libraries);
  return libraries;
}

bool ProvidedByAl2023(std::string_view soname) {
  static const std::set<std::string_view> kGlibc = {"libc.so.6",
                                                    "libm.so.6",
                                                    "libdl.so.2",
                                                    "libpthread.so.0",
                                                    "librt.so.1",
                                                    "libresolv.so.2",
                                                    "libutil.so.1",
                                                    "ld-linux-x86-64.so.2",
                                                    "ld-linux-aarch64.so.1",
                                                    "libanl.so.1",
                                                    "libnsl.so.1"};
  return kGlibc.count(soname) > 0 || soname.rfind("linux-vdso", 0) == 0;
}

std::string MaxGlibcVersion(std::string_view elf) {
  if (elf.substr(0, 4) !=
      "\x7f"
      "ELF")
    return "";
  std::string best;
  constexpr std::string_view kPrefix = "GLIBC_";
  for (size_t at = elf.find(kPrefix); at != std::string_view::npos;
       at = elf.find(kPrefix, at + 1)) {
    // A version string in the dynamic string table: NUL, "GLIBC_", digits and dots, NUL.
    if (at == 0 || elf[at - 1] != '\0') continue;
    size_t end = at + kPrefix.size();
    while (end < elf.size() &&
           (std::isdigit(static_cast<unsigned char>(elf[end])) || elf[end] == '.')) {
      ++end;
    }
    if (end == at + kPrefix.size() || end >= elf.size() || elf[end] != '\0') continue;
    std::string_view version = elf.substr(at + kPrefix.size(), end - at - kPrefix.size());
    if (best.empty() || VersionLess(best, version)) best = std::string(version);
  }
  return best;
}

Result<PackageReport> PackageLambda(const std::string& binary,
                                    const std::vector<std::string>& libraries,
                                    const std::string& out_dir, bool allow_newer_glibc) {
  Result<std::string> program = ReadAll(binary);
  if (!program.ok()) return program.take_error();

  PackageReport report;
  report.max_glibc = MaxGlibcVersion(*program);
  std::string newest_user = binary;
  std::vector<ZipEntry> entries{{"bootstrap", std::string(kBootstrap), 0755},
                                {"autoretrain", std::move(*program), 0755}};
  std::set<std::string> sonames;
  for (const std::string& path : libraries) {
    std::string soname = fs::path(path).filename().string();
    if (ProvidedByAl2023(soname) || !sonames.insert(soname).second) continue;
    Result<std::string> library = ReadAll(path);
    if (!library.ok()) return library.take_error();
    std::string needs = MaxGlibcVersion(*library);
    if (!needs.empty() && (report.max_glibc.empty() || VersionLess(report.max_glibc, needs))) {
      report.max_glibc = needs;
      newest_user = path;
    }
    report.bundled_libraries.push_back(soname);
    entries.push_back({"lib/" + soname, std::move(*library), 0644});
  }
  report.max_glibc_user = newest_user;
  if (!allow_newer_glibc && !report.max_glibc.empty() &&
      VersionLess(kAl2023Glibc, report.max_glibc)) {
    return Error{"GlibcTooNew",
                 newest_user + " needs glibc " + report.max_glibc + ", newer than the " +
                     std::string(kAl2023Glibc) +
                     " of Lambda's provided.al2023 runtime, so it would not start there. "
                     "Package a Release build made with GCC (`make release`: it links "
                     "libstdc++, libgcc and Boost.JSON in and needs glibc 2.34 at most), not a "
                     "sanitizer build, or build where glibc is 2.34 or older; see "
                     "docs/deploy.md"};
  }
  std::error_code ec;
  fs::create_directories(fs::path(out_dir) / "lib", ec);
  if (ec) {
    return Error{"PackageFailed", "cannot create " + out_dir + "/lib: " + ec.message() +
                                      "; choose a writable --output directory"};
  }
  for (const ZipEntry& entry : entries) {
    fs::perms perms = entry.mode == 0755 ? fs::perms(0755) : fs::perms(0644);
    if (Status s = WriteAll(fs::path(out_dir) / entry.name, entry.data, perms); !s.ok()) {
      return s.error();
    }
    report.entries.push_back(entry.name);
  }
  Result<std::string> zip = MakeZip(entries);
  if (!zip.ok()) return zip.take_error();
  fs::path zip_path = fs::path(out_dir) / std::string(kLambdaZipName);
  if (Status s = WriteAll(zip_path, *zip, fs::perms(0644)); !s.ok()) return s.error();
  report.zip_path = zip_path.string();
  report.zip_bytes = zip->size();
  return report;
}

}  // namespace autoretrain::deploy
