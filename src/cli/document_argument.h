// The JSON document some subcommands take (`run`'s input, `invoke`'s event, `task success`'s
// output) as a file or on stdin, read with a size limit so that a huge file or an endless pipe
// never exhausts memory.
//
// Thread-safety: call from the main thread only (reads stdin).
#ifndef AUTORETRAIN_CLI_DOCUMENT_ARGUMENT_H_
#define AUTORETRAIN_CLI_DOCUMENT_ARGUMENT_H_

#include <cstddef>
#include <string>

#include "autoretrain/common/result.h"

namespace autoretrain::cli {

// Up to `max_bytes` + 1 bytes of stdin: one byte past the limit, so that the caller's size
// check sees an input that is too large.
std::string ReadStdinLimited(size_t max_bytes);

// The text of the file named `file`, or of stdin when it is "-" (as ReadStdinLimited). A file
// larger than `max_bytes` or unreadable fails with retrain::ReadFileLimited's error.
Result<std::string> ReadDocumentFile(const std::string& file, size_t max_bytes);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_DOCUMENT_ARGUMENT_H_
