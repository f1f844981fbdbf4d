// JSONata's regular expressions (internal): a regex literal /pattern/flags compiled with PCRE2
// (its 32-bit library, so that subjects and positions are code points) in the options that make
// it read JavaScript's syntax, and run with JavaScript's global-match semantics: successive
// matches from a start index, D1004 for a pattern that would match the empty string forever.
// PCRE2 rather than std::regex: std::regex recursed once per character (a long subject could
// overflow the stack) and backtracked without bound; PCRE2 backtracks on the heap and gives up
// after kRegexMatchLimit steps, which fails the evaluation with U1001.
//
// Thread-safety: a compiled regex is read-only and may be matched from many threads at once.
#ifndef AUTORETRAIN_JSONATA_REGEX_MATCH_H_
#define AUTORETRAIN_JSONATA_REGEX_MATCH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jsonata/ast.h"

namespace autoretrain::jsonata {

// The backtracking steps one match may take (PCRE2's match limit, its default) and the memory
// its backtracking may use: enough for a repeated group over a whole 256 KiB payload (about
// 150 bytes per repetition), three times PCRE2's default.
inline constexpr uint32_t kRegexMatchLimit = 10'000'000;
inline constexpr uint32_t kRegexHeapLimitKiB = 64 * 1024;

// Compiles `source` with `flags` ("i" case-insensitive, "m" multi-line) as JavaScript reads it:
// \uXXXX and \u{...} escapes, $ only at the very end outside multi-line mode, any Unicode line
// break ending a line. Throws JsonataError S0303 at `position` naming PCRE2's complaint.
std::shared_ptr<RegexLiteral> CompileRegex(const std::string& source, const std::string& flags,
                                           int position);

struct RegexMatch {
  size_t start = 0;  // code point offsets
  size_t end = 0;
  std::u32string match;
  std::vector<std::optional<std::u32string>> groups;  // nullopt: the group did not take part
};

// The first match of `regex` in `text` at or after code point `from`, or nullopt. Throws
// JsonataError U1001 when the match gives up (kRegexMatchLimit, kRegexHeapLimitKiB).
std::optional<RegexMatch> MatchFrom(const RegexLiteral& regex, const std::u32string& text,
                                    size_t from);

// All matches of `regex` in `text` (code points), at most `limit` (negative = no limit), as
// jsonata-js's matcher `next()` chain finds them. Throws JsonataError D1004 when a later match
// is empty, U1001 as MatchFrom.
std::vector<RegexMatch> AllMatches(const RegexLiteral& regex, const std::u32string& text,
                                   long limit);

// The regex of a function value made by a regex literal; null for other values.
const RegexLiteral* RegexOf(const Value& v);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_REGEX_MATCH_H_
