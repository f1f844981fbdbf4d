// JSONata errors inside the evaluator library (internal).
//
// Parsing and evaluation report a failure by throwing JsonataError; the public entry points
// (jsonata.cc) catch it and return it as data (autoretrain::Error), so no exception leaves the
// library. `code` is JSONata's code (S0202, T2001, D3030, ...), `position` the 1-based character
// offset just after the offending token (as jsonata-js reports it) or -1, `token` the token or
// function name involved, `message` the human-readable text.
//
// Thread-safety: plain value.
#ifndef AUTORETRAIN_JSONATA_ERROR_H_
#define AUTORETRAIN_JSONATA_ERROR_H_

#include <string>

namespace autoretrain::jsonata {

struct JsonataError {
  std::string code;
  int position = -1;
  std::string token;
  std::string message;
};

// Throws JsonataError{code, position, token, message}; `message` defaults to the standard
// text for `code` (with `token` inserted where the text names it).
[[noreturn]] void Throw(const std::string& code, int position = -1, std::string token = {},
                        std::string message = {});

// The standard message for `code` ("" when unknown).
std::string StandardMessage(const std::string& code, const std::string& token);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_ERROR_H_
