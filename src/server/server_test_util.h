// Helpers shared by the server layer's tests: the role and the one-state machine that their
// CreateStateMachine requests use, and JSON bodies read back as objects.
//
// Thread-safety: test-only constants and free functions.
#ifndef AUTORETRAIN_SRC_SERVER_SERVER_TEST_UTIL_H_
#define AUTORETRAIN_SRC_SERVER_SERVER_TEST_UTIL_H_

#include <string_view>

#include "autoretrain/json/json.h"

namespace autoretrain::server::testing {

inline constexpr char kRole[] = "arn:aws:iam::123456789012:role/R";
// A machine whose one Pass state ends with the result 7.
inline constexpr char kPass[] =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":7,"End":true}}})";

// The JSON object of `text` (a response body that the test knows is one).
inline json::Object Parse(std::string_view text) { return json::Parse(text).value().as_object(); }

}  // namespace autoretrain::server::testing

#endif  // AUTORETRAIN_SRC_SERVER_SERVER_TEST_UTIL_H_
