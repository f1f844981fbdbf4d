// Helpers shared by the fuzz targets (docs/fuzzing.md): reading an input made of a first line
// and the rest, and checking an invariant of the code under test (a broken one aborts, which
// libFuzzer and the replay tests report as a crash with the input that caused it).
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_FUZZ_FUZZ_UTIL_H_
#define AUTORETRAIN_FUZZ_FUZZ_UTIL_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace autoretrain::fuzz {

// The fixed "now" of the targets that read a clock, 2026-12-01T00:00:00Z (the sigv4 seeds are
// signed at that time).
inline constexpr std::chrono::milliseconds kNow{1796083200000};

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// {the text before the first '\n', the text after it}; without a newline {text, ""}.
inline std::pair<std::string_view, std::string_view> SplitFirstLine(std::string_view text) {
  const size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return {text, {}};
  return {text.substr(0, newline), text.substr(newline + 1)};
}

// Aborts, naming `what`, when `holds` is false.
inline void Check(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace autoretrain::fuzz

#endif  // AUTORETRAIN_FUZZ_FUZZ_UTIL_H_
