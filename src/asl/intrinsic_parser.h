// Internal to the asl layer: parses an intrinsic function call of a JSONPath definition
// ("States.Format('{} items', $.count)") into a tree, once, at definition compile time:
// string literals (in single quotes, with the escapes \' \{ \} \\), numbers, true/false/null,
// JSONPath arguments ($... on the effective input, $$... on the context object) and nested
// calls. The function name and the number of arguments are checked here; the argument values
// are checked when the call runs (intrinsic_functions.h).
//
// Thread-safety: a parsed Intrinsic is immutable; share it freely between threads.
#ifndef AUTORETRAIN_SRC_ASL_INTRINSIC_PARSER_H_
#define AUTORETRAIN_SRC_ASL_INTRINSIC_PARSER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"

namespace autoretrain::asl {

// AWS allows up to 10 intrinsic functions nested within one field.
inline constexpr int kMaxIntrinsicNesting = 10;

enum class IntrinsicFunction {
  kFormat,
  kStringToJson,
  kJsonToString,
  kArray,
  kArrayPartition,
  kArrayContains,
  kArrayRange,
  kArrayGetItem,
  kArrayLength,
  kArrayUnique,
  kBase64Encode,
  kBase64Decode,
  kHash,
  kJsonMerge,
  kMathRandom,
  kMathAdd,
  kStringSplit,
  kUuid,
};

struct Intrinsic;

// One argument of a call.
struct IntrinsicArg {
  enum class Kind { kLiteral, kPath, kCall };
  Kind kind = Kind::kLiteral;
  json::Value literal;             // kLiteral: a string, number, boolean or null
  bool is_string_literal = false;  // kLiteral from '...': `format` holds its pieces
  // kLiteral strings: the text split at each unescaped "{}" (so a literal with n placeholders
  // has n + 1 pieces); an escaped \{ \} is a plain brace inside a piece.
  std::vector<std::string> format;
  std::optional<json::Path> path;  // kPath
  std::vector<Intrinsic> call;     // kCall: exactly one element
};

struct Intrinsic {
  IntrinsicFunction function = IntrinsicFunction::kArray;
  std::string name;  // "States.Format"
  std::vector<IntrinsicArg> args;
};

// Parses `text`. On failure the error's cause says what is wrong and at which character
// (the error name is unused).
Result<Intrinsic> ParseIntrinsic(std::string_view text);

// True when some path argument, at any depth, reads the context object.
bool IntrinsicReadsContext(const Intrinsic& call);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_INTRINSIC_PARSER_H_
