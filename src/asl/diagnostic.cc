#include "autoretrain/asl/diagnostic.h"

namespace autoretrain::asl {

std::string Diagnostic::ToString() const {
  std::string out = code + ": " + message;
  if (!location.empty()) out += " at " + location;
  return out;
}

}  // namespace autoretrain::asl
