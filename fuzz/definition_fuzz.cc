// Fuzz target: state machine definitions. asl::CompileText parses and validates any bytes into
// a compiled machine or at least one diagnostic; each diagnostic has a code and a message.
#include "autoretrain/asl/parser.h"
#include "fuzz_util.h"

namespace asl = autoretrain::asl;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  asl::CompileResult result = asl::CompileText(autoretrain::fuzz::AsText(data, size));
  if (const auto* diagnostics = std::get_if<std::vector<asl::Diagnostic>>(&result)) {
    Check(!diagnostics->empty(), "a failed compile has diagnostics");
    for (const asl::Diagnostic& diagnostic : *diagnostics) {
      Check(!diagnostic.code.empty() && !diagnostic.message.empty(),
            "a diagnostic has a code and a message");
    }
  } else {
    Check(std::get<0>(result) != nullptr, "a compiled machine is not null");
  }
  return 0;
}
