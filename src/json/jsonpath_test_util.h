// Helpers shared by the JSONPath unit tests (jsonpath_*_test.cc).
//
// Thread-safety: test code, single-threaded.
#ifndef AUTORETRAIN_JSON_JSONPATH_TEST_UTIL_H_
#define AUTORETRAIN_JSON_JSONPATH_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "autoretrain/json/jsonpath.h"

namespace autoretrain::json::testing {

inline Value J(std::string_view text) {
  auto r = Parse(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? r.value() : Value();
}

// The store example of Goessner's JSONPath article, the usual Jayway test document.
inline constexpr char kStore[] = R"({
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century",
       "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour",
       "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
       "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings",
       "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10
})";

inline Path MustCompile(std::string_view text) {
  auto r = Path::Compile(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().cause);
  if (!r.ok()) return Path::Compile("$").value();
  return std::move(r).value();
}

// Select, serialized; "<none>" for nullopt.
inline std::string Sel(std::string_view path, std::string_view doc) {
  auto result = MustCompile(path).Select(J(doc));
  return result ? Serialize(*result) : "<none>";
}

inline std::string CompileError(std::string_view path) {
  auto r = Path::Compile(path);
  EXPECT_FALSE(r.ok()) << "accepted: " << path;
  return r.ok() ? "" : r.error().cause;
}

}  // namespace autoretrain::json::testing

#endif  // AUTORETRAIN_JSON_JSONPATH_TEST_UTIL_H_
