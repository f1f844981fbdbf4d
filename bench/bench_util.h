// Helpers shared by the benchmark programs: reading a file, compiling a definition that the
// benchmark knows is valid (anything else aborts: a benchmark of a broken setup means nothing),
// and the process's memory.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_BENCH_BENCH_UTIL_H_
#define AUTORETRAIN_BENCH_BENCH_UTIL_H_

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "autoretrain/asl/parser.h"

namespace autoretrain::bench {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::shared_ptr<const asl::StateMachine> CompileOrDie(const std::string& text) {
  auto compiled = asl::CompileText(text);
  if (auto* diags = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
    for (const auto& d : *diags) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    std::abort();
  }
  return std::get<0>(compiled);
}

// Peak RSS (ru_maxrss) and current RSS (/proc/self/statm), in MB.
inline double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}
inline double CurrentRssMb() {
  long pages_total = 0, pages_resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
    std::fclose(f);
  }
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1048576.0);
}

}  // namespace autoretrain::bench

#endif  // AUTORETRAIN_BENCH_BENCH_UTIL_H_
