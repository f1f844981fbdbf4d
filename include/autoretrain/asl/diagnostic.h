// A problem found while validating an Amazon States Language definition, with the diagnostic
// codes AWS's ValidateStateMachineDefinition uses (plus UNSUPPORTED_FEATURE for ASL that
// autoretrain does not run yet).
//
// Thread-safety: plain values.
#ifndef AUTORETRAIN_ASL_DIAGNOSTIC_H_
#define AUTORETRAIN_ASL_DIAGNOSTIC_H_

#include <string>

namespace autoretrain::asl {

inline constexpr char kInvalidJsonDescription[] = "INVALID_JSON_DESCRIPTION";
inline constexpr char kMissingDescription[] = "MISSING_DESCRIPTION";
inline constexpr char kSchemaValidationFailed[] = "SCHEMA_VALIDATION_FAILED";
inline constexpr char kInvalidResource[] = "INVALID_RESOURCE";
inline constexpr char kMissingEndState[] = "MISSING_END_STATE";
inline constexpr char kInvalidStateName[] = "INVALID_STATE_NAME";
inline constexpr char kDuplicateStateName[] = "DUPLICATE_STATE_NAME";
inline constexpr char kMissingTransitionTarget[] = "MISSING_TRANSITION_TARGET";
inline constexpr char kTooDeeplyNested[] = "TOO_DEEPLY_NESTED";
inline constexpr char kUnsupportedFeature[] = "UNSUPPORTED_FEATURE";

// One problem in a definition.
struct Diagnostic {
  std::string code;      // AWS's diagnostic code, e.g. "SCHEMA_VALIDATION_FAILED"
  std::string location;  // JSON pointer into the definition, e.g. "/States/Read/Next"
  std::string message;   // what is wrong and, where useful, how to fix it

  // "<code>: <message> at <location>", the one-line form printed to users (without " at ..."
  // when the location is the whole definition, "").
  std::string ToString() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_DIAGNOSTIC_H_
