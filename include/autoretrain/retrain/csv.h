// CSV as RFC 4180 defines it, as monitoring jobs write decision files: fields separated by
// commas, records by CRLF or LF (a lone CR too), fields optionally in double quotes with ""
// for a quote inside; a UTF-8 byte order mark at the start is skipped.
//
// Thread-safety: a pure function.
#ifndef AUTORETRAIN_RETRAIN_CSV_H_
#define AUTORETRAIN_RETRAIN_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::retrain {

// The UTF-8 byte order mark, which a file may start with.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

using CsvRow = std::vector<std::string>;

// Parses the whole text. A trailing newline does not make an extra row; an empty line is a row
// with no fields, as Python's csv module reads it (so the seed's rows[1][0] fails on it too).
// A quote inside an unquoted field is kept literally (as Python does). Fails with
// Error{"MalformedDecisionFile", "...line N..."} on an unterminated quoted field or a quote
// followed by something other than a comma or a line end.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_CSV_H_
