#include <gtest/gtest.h>

#include <random>
#include <string>

#include "autoretrain/json/jsonpath.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::json {
namespace {

using testing::CompileError;
using testing::J;
using testing::kStore;
using testing::MustCompile;

// --- Compile errors -------------------------------------------------------------------------

TEST(JsonPathCompileTest, ErrorsNameThePosition) {
  EXPECT_EQ(CompileError("$.a[]"),
            "Unexpected character ']' at position 4 in JSONPath '$.a[]': "
            "expected a name, an index, '*' or a filter");
  EXPECT_EQ(Path::Compile("$.a[").error().error, "InvalidJsonPath");
  EXPECT_NE(CompileError("$.a[").find("Unexpected end of path at position 4"), std::string::npos);
  EXPECT_NE(CompileError("$.").find("must not end with '.' at position 1"), std::string::npos);
  EXPECT_NE(CompileError("$..").find("must not end with '..' at position 1"), std::string::npos);
  EXPECT_NE(CompileError("a.b").find("Expected '$' at position 0"), std::string::npos);
  EXPECT_NE(CompileError("").find("Expected '$' at position 0"), std::string::npos);
  EXPECT_NE(CompileError("$['abc").find("Unterminated string at position 2"), std::string::npos);
  EXPECT_NE(CompileError("$[\"abc").find("Unterminated string at position 2"), std::string::npos);
  EXPECT_NE(CompileError("$['a\\").find("Unterminated string"), std::string::npos);
  EXPECT_NE(CompileError("$.a b").find("blank character at position 3"), std::string::npos);
  EXPECT_NE(CompileError("$-a").find("Unexpected character '-' at position 1"), std::string::npos);
  EXPECT_NE(CompileError("$.a.length()").find("functions"), std::string::npos);
  EXPECT_NE(CompileError("$[::0]").find("step must not be 0"), std::string::npos);
}

TEST(JsonPathCompileTest, RejectsMalformedPaths) {
  for (const char* bad : {"$...a",
                          "$.a..",
                          "$.a.",
                          " $.a",
                          "$.a ",
                          "$[0",
                          "$[0,]",
                          "$[,0]",
                          "$[a]",
                          "$['a'",
                          "$['a',]",
                          "$['a' 'b']",
                          "$[0 1]",
                          "$[1:2:3:4]",
                          "$[--1]",
                          "$[+1]",
                          "$[1.5]",
                          "$[99999999999999999999]",
                          "$.*a",
                          "$[*",
                          "$[?]",
                          "$[?(]",
                          "$[?()]",
                          "$[?(@.a]",
                          "$[?(@.a ==)]",
                          "$[?(@.a == 1]",
                          "$[?(@.a = 1)]",
                          "$[?(@.a =~ /x/)]",
                          "$[?(@.a in [1])]",
                          "$[?(@.a == [1])]",
                          "$[?(1)]",
                          "$[?(@.a &&)]",
                          "$[?(@.a || )]",
                          "$[?(@.a == 1) && ]",
                          "$[?(@.a == 'x)]",
                          "$[?(@.)]",
                          "$[?(@..)]",
                          "$[?(@.a == 1.2.3)]",
                          "$[?(@.a == tru)]",
                          "$[?(x)]",
                          "$$$",
                          "$.a)",
                          "$.a]",
                          "$['\\u12']",
                          "$['\\ud800']",
                          "$['\\ud800\\u0041']",
                          "@.a",
                          "$[?((@.a)]",
                          "$[?(!)]",
                          "$-x",
                          "$x y",
                          "$.a[0]b"}) {
    auto r = Path::Compile(bad);
    EXPECT_FALSE(r.ok()) << "accepted: " << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().error, "InvalidJsonPath");
      EXPECT_NE(r.error().cause.find("position"), std::string::npos) << r.error().cause;
    }
  }
}

TEST(JsonPathCompileTest, DeeplyNestedFiltersAreRejectedNotOverflowed) {
  std::string deep = "$[?(" + std::string(100000, '(') + "@.a" + std::string(100000, ')') + ")]";
  EXPECT_NE(CompileError(deep).find("nested too deeply"), std::string::npos);
  std::string nots = "$[?(" + std::string(100000, '!') + "@.a)]";
  EXPECT_NE(CompileError(nots).find("nested too deeply"), std::string::npos);
  std::string filters;
  for (int i = 0; i < 10000; ++i) filters += "[?(@";
  EXPECT_FALSE(Path::Compile("$" + filters).ok());
}

TEST(JsonPathCompileTest, NeverCrashesOnGarbage) {
  std::mt19937 rng(12345);
  const std::string alphabet =
      "$$@@..[[]]((''\"\"**?"
      "?!!==<>&&||,:-0129abc \\u";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    int len = static_cast<int>(rng() % 24);
    for (int j = 0; j < len; ++j) {
      text += rng() % 10 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    if (i % 2 == 0) text = "$" + text;
    auto r = Path::Compile(text);
    if (r.ok()) {
      ++accepted;
      r->Select(J(kStore));  // and evaluation of whatever compiled must not crash either
      auto ref = Path::CompileReference(text);
      if (ref.ok()) {
        Value doc = J(kStore);
        (void)ref->Assign(doc, Value(1));
      }
    } else {
      EXPECT_FALSE(r.error().cause.empty());
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(JsonPathEvaluateTest, ExplosivePathsStopInsteadOfRunningAway) {
  // 1000 nested arrays, each holding a few scalars: `..*` repeated makes the number of matches
  // grow with the depth raised to the number of scans, and each match copies a subtree.
  // Deeper than Parse allows, so built by hand.
  Value doc = 0;
  for (int i = 0; i < 1000; ++i) doc = Array{1, 2, std::move(doc)};
  auto result = MustCompile("$..*..*..*..*").Select(doc);
  ASSERT_TRUE(result.has_value());
  EXPECT_TRUE(result->is_array());
  EXPECT_GT(result->as_array().size(), 1000u);
  auto none = MustCompile("$..*..*..*..nothing").Select(doc);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->as_array().empty());
}

// --- Reference paths ------------------------------------------------------------------------

TEST(JsonPathReferenceTest, AcceptsTheReferenceSubset) {
  for (const char* ok :
       {"$", "$.a", "$.a.b", "$['a']", "$.a[0]", "$.a[0].b", "$$.Execution.Id", "$['a b'][2]"}) {
    auto r = Path::CompileReference(ok);
    EXPECT_TRUE(r.ok()) << ok << ": " << (r.ok() ? "" : r.error().cause);
    if (r.ok()) {
      EXPECT_TRUE(r->is_definite());
    }
  }
}

TEST(JsonPathReferenceTest, RejectsEverythingElse) {
  for (const char* bad : {"$.a[*]", "$.*", "$..a", "$.a[-1]", "$[0,1]", "$[0:1]", "$['a','b']",
                          "$[?(@.a)]", "$..[0]"}) {
    auto r = Path::CompileReference(bad);
    ASSERT_FALSE(r.ok()) << "accepted: " << bad;
    EXPECT_EQ(r.error().error, "InvalidReferencePath");
    EXPECT_NE(r.error().cause.find("is not a valid reference path"), std::string::npos);
  }
  EXPECT_EQ(Path::CompileReference("$.a[*]").error().cause,
            "The path '$.a[*]' is not a valid reference path: a wildcard at position 3 is not "
            "allowed (only .name, ['name'] and [index] are)");
  // A syntax error stays a syntax error.
  EXPECT_EQ(Path::CompileReference("$.a[").error().error, "InvalidJsonPath");
}

}  // namespace
TEST(JsonPathCompileTest, VariablePaths) {
  Path bare = MustCompile("$answer");
  EXPECT_TRUE(bare.is_variable());
  EXPECT_EQ(bare.variable(), "answer");
  EXPECT_FALSE(bare.is_root()) << "a bare variable is not the input's root";
  EXPECT_FALSE(bare.is_context());
  Path deep = MustCompile("$cfg.items[0]['a b']");
  EXPECT_EQ(deep.variable(), "cfg");
  EXPECT_TRUE(deep.is_definite());
  EXPECT_TRUE(Path::CompileReference("$_x9.y").ok());
  EXPECT_EQ(MustCompile("$día").variable(), "día");
  EXPECT_FALSE(MustCompile("$.answer").is_variable());
  EXPECT_FALSE(MustCompile("$$.Execution").is_variable());
  EXPECT_NE(CompileError("$" + std::string(81, 'v')).find("Variable name too long"),
            std::string::npos);
  EXPECT_TRUE(Path::Compile("$" + std::string(80, 'v')).ok());
}

TEST(JsonPathCompileTest, PathRootsPickTheValueAPathStartsFrom) {
  struct OneVariable final : VariableSource {
    const Value* FindVariable(std::string_view name) const override {
      return name == "x" ? &value : nullptr;
    }
    Value value = 42;
  } variables;
  const Value input = 1;
  const Value context = 2;
  PathRoots roots{input, context, &variables};
  EXPECT_EQ(*roots.For(MustCompile("$.a")), input);
  EXPECT_EQ(*roots.For(MustCompile("$$.a")), context);
  EXPECT_EQ(*roots.For(MustCompile("$x")), variables.value);
  EXPECT_EQ(roots.For(MustCompile("$y")), nullptr);
  EXPECT_EQ((PathRoots{input, context}).For(MustCompile("$x")), nullptr);
}

}  // namespace autoretrain::json
