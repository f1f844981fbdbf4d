// JSONata (https://jsonata.org) query and transformation expressions, evaluated in C++ with
// the semantics of the reference implementation (jsonata-js 2.x).
//
// Compile parses an expression once into an immutable Expression; Evaluate runs it against a
// JSON input as often as needed, from any number of threads at once. The input is read in
// place (never copied); only the result is built as a new json::Value.
//
// Errors are data: a failed Compile or Evaluate returns Error{error = JSONata's code ("S0202",
// "T2001", "D3030", "U1001", ...), cause = the message, then where: "... (at position 12,
// token 'foo')"}. ErrorDetails gives the same pieces separately.
//
// Thread-safety: Compile is reentrant; an Expression is immutable and Evaluate is const and
// safe to call concurrently. Bindings are read-only during Evaluate (share them read-only).
#ifndef AUTORETRAIN_JSONATA_JSONATA_H_
#define AUTORETRAIN_JSONATA_JSONATA_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::jsonata {

struct Node;

// A JSONata error in pieces: the code, the 1-based character offset just after the offending
// token (-1 when unknown), the token or function name involved, and the message.
struct ErrorDetails {
  std::string code;
  int position = -1;
  std::string token;
  std::string message;
};

// A host function callable from expressions as $name(...). It receives the evaluated
// arguments (nullopt = undefined) and returns a value, nullopt for undefined, or an Error
// (its `error` becomes the JSONata error code, its `cause` the message).
using NativeFunction = std::function<Result<std::optional<json::Value>>(
    const std::vector<std::optional<json::Value>>& args)>;

// Variables and functions made available to an expression ($name).
class Bindings {
 public:
  // Binds $name to a copy of `value`.
  void SetValue(std::string name, json::Value value);
  // Binds $name to a host function. `signature` (optional, JSONata syntax such as "<s-n?:s>")
  // is checked on every call (T0410 on a mismatch). Returns an Error{"S0401"/"S0402"} when the
  // signature is invalid.
  Status SetFunction(std::string name, NativeFunction function, std::string_view signature = {});

  struct Entry;
  const std::vector<std::shared_ptr<const Entry>>& entries() const { return entries_; }

 private:
  std::vector<std::shared_ptr<const Entry>> entries_;
};

struct EvaluateOptions {
  // Maximum nesting of evaluation steps (each sub-expression evaluation counts one, as in
  // jsonata-js's test harness); exceeding it fails with U1001. It also protects the C++ stack,
  // so it is never unlimited: 0 means kDefaultMaxDepth.
  int max_depth = 0;
  // Wall-clock limit for one evaluation; exceeding it fails with U1001. Zero: no limit.
  std::chrono::milliseconds time_limit{0};
  // The instant $now() and $millis() report (milliseconds since the epoch); default: the
  // system clock, read when the evaluation first asks for it (once per evaluation).
  std::optional<int64_t> now_millis;
};

inline constexpr int kDefaultMaxDepth = 2500;

class Expression {
 public:
  // Evaluates against `input` (null = undefined input). On success returns the result, or
  // nullopt when the result is undefined. On failure returns Error{code, message with
  // position}; `details`, when given, receives the pieces of the error.
  Result<std::optional<json::Value>> Evaluate(const json::Value* input,
                                              const Bindings& bindings = {},
                                              const EvaluateOptions& options = {},
                                              ErrorDetails* details = nullptr) const;

 private:
  friend Result<Expression> Compile(std::string_view text, ErrorDetails* details);
  std::shared_ptr<const Node> tree_;
};

// Compiles `text`. On a syntax error returns Error{S0xxx code, message with position}.
Result<Expression> Compile(std::string_view text, ErrorDetails* details = nullptr);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_JSONATA_H_
