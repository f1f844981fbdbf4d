// Internal to the asl layer: runs a parsed intrinsic function call (intrinsic_parser.h) against
// the effective input and the context object, with AWS Step Functions' argument rules and
// limits. A call that cannot run fails with States.IntrinsicFailure; a JSONPath argument that
// selects nothing fails with States.Runtime.
//
// Thread-safety: EvaluateIntrinsic only reads the call; it may run on many threads at once
// (States.MathRandom without a seed and States.UUID use a thread-local generator).
#ifndef AUTORETRAIN_SRC_ASL_INTRINSIC_FUNCTIONS_H_
#define AUTORETRAIN_SRC_ASL_INTRINSIC_FUNCTIONS_H_

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "intrinsic_parser.h"

namespace autoretrain::asl {

// The largest string States.Base64Encode, States.Base64Decode and States.Hash accept, in
// characters.
inline constexpr size_t kMaxIntrinsicStringChars = 10000;
// The most items States.ArrayRange may produce.
inline constexpr int64_t kMaxArrayRangeItems = 1000;

// Evaluates `call`; path arguments start from `roots` (the effective input, the context
// object, or a variable).
Result<json::Value> EvaluateIntrinsic(const Intrinsic& call, const json::PathRoots& roots);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_SRC_ASL_INTRINSIC_FUNCTIONS_H_
