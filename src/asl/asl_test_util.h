// Helpers shared by the asl layer's tests: compile a definition and look at its diagnostics.
//
// Thread-safety: test-only free functions.
#ifndef AUTORETRAIN_SRC_ASL_ASL_TEST_UTIL_H_
#define AUTORETRAIN_SRC_ASL_ASL_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/parser.h"

namespace autoretrain::asl::testing {

// Every diagnostic, one ToString() per line, for failure messages.
inline std::string Describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.ToString() + "\n";
  return out;
}

// The diagnostics of `text`; empty when it compiled.
inline std::vector<Diagnostic> Diagnose(std::string_view text) {
  CompileResult result = CompileText(text);
  if (auto* diagnostics = std::get_if<std::vector<Diagnostic>>(&result)) return *diagnostics;
  return {};
}

// The compiled machine; nullptr (with a test failure listing the diagnostics) otherwise.
inline std::shared_ptr<const StateMachine> MustCompile(std::string_view text) {
  CompileResult result = CompileText(text);
  if (auto* diagnostics = std::get_if<std::vector<Diagnostic>>(&result)) {
    ADD_FAILURE() << "expected the definition to compile:\n" << Describe(*diagnostics);
    return nullptr;
  }
  return std::get<std::shared_ptr<const StateMachine>>(result);
}

// The seed's definition (shared/seed/retraining_trigger.asl.json) as text.
inline std::string ReadSeed() {
  std::ifstream in(std::string(AUTORETRAIN_SOURCE_DIR) +
                   "/../shared/seed/retraining_trigger.asl.json");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// True when some diagnostic has this code and location.
inline bool Has(const std::vector<Diagnostic>& diagnostics, std::string_view code,
                std::string_view location) {
  for (const Diagnostic& d : diagnostics) {
    if (d.code == code && d.location == location) return true;
  }
  return false;
}

// A definition whose StartAt is "S" and whose States object has the members `states` (JSON
// text without the braces), plus a terminal state "Done" that tests can point Next at.
inline std::string Machine(std::string_view states) {
  return R"({"StartAt":"S","States":{)" + std::string(states) + R"(,"Done":{"Type":"Succeed"}}})";
}

// A machine with the single state "S" (JSON text of its object) that goes to "Done".
inline std::string OneState(std::string_view state) {
  return Machine(R"("S":)" + std::string(state));
}

}  // namespace autoretrain::asl::testing

// Expects a diagnostic with `code` at `location` among those of `text`.
#define EXPECT_DIAGNOSTIC(text, code, location)                                 \
  do {                                                                          \
    auto diagnostics_ = ::autoretrain::asl::testing::Diagnose(text);            \
    EXPECT_TRUE(::autoretrain::asl::testing::Has(diagnostics_, code, location)) \
        << "wanted " << code << " at " << location << "; got:\n"                \
        << ::autoretrain::asl::testing::Describe(diagnostics_);                 \
  } while (0)

#endif  // AUTORETRAIN_SRC_ASL_ASL_TEST_UTIL_H_
