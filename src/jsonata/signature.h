// Function signatures such as "<s-nn?:s>" (internal): parsed once, then used to validate the
// arguments of every call (type symbols per argument, `?` optional, `+` repeated, `-` take the
// context value when missing, `a<n>` array subtypes), as jsonata-js does.
//
// Thread-safety: a Signature is immutable after ParseSignature.
#ifndef AUTORETRAIN_JSONATA_SIGNATURE_H_
#define AUTORETRAIN_JSONATA_SIGNATURE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jsonata/value.h"

namespace autoretrain::jsonata {

struct SignatureParam {
  std::string symbols;  // accepted type symbols (s n b l o a f j x expanded; 'm' = undefined)
  char quantifier = 0;  // 0, '?' or '+'
  char type = 0;        // the declared type letter ('(' for a choice)
  bool context = false;
  std::string context_symbols;
  std::string subtype;  // a<n>: "n"
};

struct Signature {
  std::string text;
  std::vector<SignatureParam> params;
};

// Parses a signature "<...>". Throws JsonataError S0401/S0402 (at `position`) when invalid.
std::shared_ptr<const Signature> ParseSignature(std::string_view text, int position);

// The type symbol of a value: s n b l a o f, or m for undefined.
char TypeSymbol(const Value& v);

// Checks `args` against `signature`, substituting the context for a missing `-` argument and
// wrapping non-arrays for `a` parameters. Returns the arguments to call with. Throws
// JsonataError T0410/T0411/T0412 (token = `function_name`, position = `position`).
std::vector<Value> ValidateArguments(const Signature& signature, std::vector<Value> args,
                                     const Value& context, const std::string& function_name,
                                     int position);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_SIGNATURE_H_
