// Helpers shared by the benchmark programs: reading a file and compiling a definition that the
// benchmark knows is valid (anything else aborts: a benchmark of a broken setup means nothing).
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_BENCH_BENCH_UTIL_H_
#define AUTORETRAIN_BENCH_BENCH_UTIL_H_

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

}  // namespace autoretrain::bench

#endif  // AUTORETRAIN_BENCH_BENCH_UTIL_H_
