// Running a JSONata regex over a string with JavaScript's global-match semantics (internal):
// successive matches from a start index, positions in code points, D1004 for a pattern that
// would match the empty string forever.
//
// Thread-safety: stateless; the compiled regex is read-only.
#ifndef AUTORETRAIN_JSONATA_REGEX_MATCH_H_
#define AUTORETRAIN_JSONATA_REGEX_MATCH_H_

#include <optional>
#include <string>
#include <vector>

#include "jsonata/ast.h"

namespace autoretrain::jsonata {

struct RegexMatch {
  size_t start = 0;  // code point offsets
  size_t end = 0;
  std::u32string match;
  std::vector<std::optional<std::u32string>> groups;  // nullopt: the group did not take part
};

// All matches of `regex` in `text` (code points), at most `limit` (negative = no limit), as
// jsonata-js's matcher `next()` chain finds them. Throws JsonataError D1004 when a later match
// is empty.
std::vector<RegexMatch> AllMatches(const RegexLiteral& regex, const std::u32string& text,
                                   long limit);

// The regex of a function value made by a regex literal; null for other values.
const RegexLiteral* RegexOf(const Value& v);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_REGEX_MATCH_H_
