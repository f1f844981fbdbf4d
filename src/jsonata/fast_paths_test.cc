// Tests of the evaluator's shortcuts, against results of jsonata-js 2.2.2 (bench/peer): paths of
// plain names walked over the input (name_path.h), and transforms that copy only what they
// change (transform.cc), including the cases those shortcuts hand back to the general code.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "autoretrain/jsonata/jsonata.h"
#include "jsonata/jsonata_test_util.h"

namespace autoretrain::jsonata {
namespace {

using testing::Eval;

// The same expression in a block, which the general evaluator evaluates.
std::string EvalGeneral(std::string_view expr, std::string_view input) {
  return Eval("(" + std::string(expr) + ")", input);
}

// An expression, its input and jsonata-js 2.2.2's result for it.
struct Case {
  const char* expr;
  const char* input;
  const char* want;
};

TEST(FastPathsTest, NamePathsFollowSequenceRules) {
  const Case cases[] = {
      {"a.b", R"({"a":[{"b":[1]},{"b":2}]})", "[1,2]"},
      {"a.b", R"({"a":{"b":[[1,2]]}})", "[[1,2]]"},
      {"a.b", R"({"a":{"b":[7]}})", "[7]"},
      {"a.b", R"({"a":{"b":[]}})", "[]"},
      {"a.b.c", R"({"a":{"b":[]}})", "undefined"},
      {"a.b", R"([{"a":{"b":1}},{"a":{"b":2}}])", "[1,2]"},
      {"a", R"([[{"a":[1]}],{"a":[[2,3]]}])", "[1,[2,3]]"},
      {"a.b", R"({"a":[[{"b":[5]}]]})", "5"},
      {"a.b", R"({"a":[[{"b":[[5,6]]}]]})", "[5,6]"},
      {"a.b.c", R"({"a":[{"b":[{"c":1},{"x":0}]},{"b":{"c":[2,[3]]}}]})", "[1,2,[3]]"},
      {"a.b", R"({"a":[{"b":[]},{"b":3}]})", "3"},
      {"a.b", R"({"a":[{"b":[]},{"b":[]}]})", "undefined"},
      {"a.b", R"({"a":{"b":2.0}})", "2"},
      {"a.b", R"({"a":"s"})", "undefined"},
      {"a.b", "5", "undefined"},
      {"x.y", R"({"x":[{"y":{"z":1}},{"y":[{"z":2}]}]})", R"([{"z":1},{"z":2}])"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Eval(c.expr, c.input), c.want) << c.expr << " on " << c.input;
    EXPECT_EQ(EvalGeneral(c.expr, c.input), c.want) << c.expr << " on " << c.input;
  }
}

TEST(FastPathsTest, NamePathsKeepTheDepthLimit) {
  EvaluateOptions options;
  options.max_depth = 1;
  EXPECT_EQ(Eval("a.b", R"({"a":{"b":1}})", {}, options), "error U1001");
  // Inside an expression, steps over objects are lookups; at the limit they fail as before.
  EXPECT_EQ(Eval("a.b + 1", R"({"a":{"b":1}})"), "2");
  options.max_depth = 2;
  EXPECT_EQ(Eval("a.b + 1", R"({"a":{"b":1}})", {}, options), "error U1001");
}

TEST(FastPathsTest, TransformsCopyWhatTheyChange) {
  const Case cases[] = {
      // Copied on write: matches are distinct objects, none inside another.
      {R"($ ~> |a|{"n": 1}, ["k"]|)", R"({"a":[{"k":1,"j":2},{"k":3}],"z":[1,{"k":4}]})",
       R"({"a":[{"j":2,"n":1},{"n":1}],"z":[1,{"k":4}]})"},
      {R"($ ~> |[a, b]|{"n": $count($keys($))}|)", R"({"a":{"k":1},"b":{"j":1}})",
       R"({"a":{"k":1,"n":1},"b":{"j":1,"n":1}})"},
      {R"($ ~> |a|{"k": k + 1}|)", R"([{"a":{"k":1}},{"a":{"k":5}}])",
       R"([{"a":{"k":2}},{"a":{"k":6}}])"},
      {R"($ ~> |a[0]|{"n": 1}|)", R"({"a":[[{"k":1}],{"k":2}]})",
       R"({"a":[[{"k":1,"n":1}],{"k":2}]})"},
      {R"($ ~> |x|{"n": 1}|)", R"({"a":{"k":1}})", R"({"a":{"k":1}})"},
      {R"($ ~> |$|{"n": 1}|)", R"({"a":{"k":1}})", R"({"a":{"k":1},"n":1})"},
      // The deletion list sees the update; a literal list serves every match.
      {R"($ ~> |a|{"n": 1}, $keys($)|)", R"({"a":{"k":1}})", R"({"a":{}})"},
      {R"($ ~> |$|{"self": $}, "self"|)", R"({"k":1})", R"({"k":1})"},
      {R"($ ~> |a|{"copy": $$.a.k}, "k"|)", R"({"a":{"k":1}})", R"({"a":{"copy":1}})"},
      {R"($ ~> |a.k|"no"|)", R"({"a":{"k":1}})", "error T2011"},
      // The input itself is never changed.
      {R"(($t := |a|{"n": 1}|; [$t($), $]))", R"({"a":{"k":1}})",
       R"([{"a":{"k":1,"n":1}},{"a":{"k":1}}])"},
      // Deep-copied: a match inside another, a match repeated.
      {R"($ ~> |a|{"n": 1}|)", R"({"a":{"a":{"k":0}}})", R"({"a":{"a":{"k":0},"n":1}})"},
      {R"($ ~> |**[k]|{"n": k + 1}|)", R"({"a":{"k":1,"b":{"k":2}}})",
       R"({"a":{"k":1,"b":{"k":2},"n":2}})"},
      {R"($ ~> |[a, a]|{"n": $count($keys($))}|)", R"({"a":{"k":1}})", R"({"a":{"k":1,"n":2}})"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Eval(c.expr, c.input), c.want) << c.expr << " on " << c.input;
  }
}

}  // namespace
}  // namespace autoretrain::jsonata
