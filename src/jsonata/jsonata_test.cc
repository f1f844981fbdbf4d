// Unit tests of the public JSONata API (the reference suite runs in
// tests/jsonata/runner.cc): compile errors, evaluation results and errors, bindings and host
// functions, limits, and concurrent evaluation of one compiled expression.
#include "autoretrain/jsonata/jsonata.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "jsonata/jsonata_test_util.h"

namespace autoretrain::jsonata {
namespace {

json::Value J(std::string_view text) { return json::Parse(text).value(); }

using testing::Eval;

TEST(JsonataTest, PathsPredicatesAndAggregates) {
  const char* doc = R"({"a":{"b":[{"c":1,"d":"x"},{"c":2,"d":"y"},{"c":3,"d":"x"}]}})";
  EXPECT_EQ(Eval("a.b.c", doc), "[1,2,3]");
  EXPECT_EQ(Eval("a.b[d='x'].c", doc), "[1,3]");
  EXPECT_EQ(Eval("a.b[1].d", doc), "\"y\"");
  EXPECT_EQ(Eval("$sum(a.b.c)", doc), "6");
  EXPECT_EQ(Eval("a.b{d: $sum(c)}", doc), R"({"x":4,"y":2})");
  EXPECT_EQ(Eval("a.b^(>c).c", doc), "[3,2,1]");
  EXPECT_EQ(Eval("a.b[c>5]", doc), "undefined");
  EXPECT_EQ(Eval("a.b.c[]", R"({"a":{"b":{"c":1}}})"), "[1]");
  EXPECT_EQ(Eval("**.d", doc), R"(["x","y","x"])");
}

TEST(JsonataTest, ParentAndPositionalBindings) {
  const char* doc = R"({"o":[{"id":"a","p":[{"n":1},{"n":2}]},{"id":"b","p":[{"n":3}]}]})";
  EXPECT_EQ(Eval("o.p.{'id': %.id, 'n': n}", doc),
            R"([{"id":"a","n":1},{"id":"a","n":2},{"id":"b","n":3}])");
  EXPECT_EQ(Eval("o#$i.p.($i)", doc), "[0,0,1]");
  // @ binds without moving the context: joins of sibling arrays.
  EXPECT_EQ(Eval("l@$l.b@$b[$l.i = $b.i].{'l': $l.i, 't': $b.t}",
                 R"({"l":[{"i":1},{"i":2}],"b":[{"i":2,"t":"x"},{"i":3,"t":"y"}]})"),
            R"({"l":2,"t":"x"})");
}

TEST(JsonataTest, LambdasClosuresAndTailCalls) {
  EXPECT_EQ(Eval("($add := function($x){function($y){$x + $y}}; $add(2)(3))"), "5");
  EXPECT_EQ(Eval("($f := function($n, $acc){$n = 0 ? $acc : $f($n - 1, $acc + 1)}; $f(100000, 0))"),
            "100000");
  EXPECT_EQ(Eval("$map([1,2,3], function($v, $i){$v * $i})"), "[0,2,6]");
  EXPECT_EQ(Eval("($x := 1) ; 2"), "error S0201");
  EXPECT_EQ(Eval("($first := $substring(?, 0, 2); $first('hello'))"), "\"he\"");
  EXPECT_EQ(Eval("'abc' ~> $uppercase ~> $substring(1)"), "\"BC\"");
  EXPECT_EQ(Eval("$ ~> |a|{'b': 2}, ['c']|", R"({"a":{"c":1}})"), R"({"a":{"b":2}})");
}

// A block that binds nothing shares its enclosing scope (parser.cc, MarkScopes); one that may
// bind, with := or through $eval, keeps its bindings to itself.
TEST(JsonataTest, BlocksKeepTheirBindingsToThemselves) {
  EXPECT_EQ(Eval("($x := 1; ($x := 2); $x)"), "1");
  EXPECT_EQ(Eval("($x := 1; ($eval('$x := 2')); $x)"), "1");
  EXPECT_EQ(Eval("($x := 1; ($e := $eval; ($e('$x := 2'))); $x)"), "1");
  EXPECT_EQ(Eval("($x := 3; a.(b * $x))", R"({"a":[{"b":1},{"b":2}]})"), "[3,6]");
  EXPECT_EQ(Eval("($eval('$y := 4'); $y)"), "4");
}

TEST(JsonataTest, FunctionsFollowJavaScriptRules) {
  EXPECT_EQ(Eval("$string(1/3)"), "\"0.333333333333333\"");
  EXPECT_EQ(Eval("$round(2.5) & ',' & $round(3.5) & ',' & $round(1.005, 2)"), "\"2,4,1\"");
  EXPECT_EQ(Eval("$length('a\xF0\x9F\x98\x80"
                 "b')"),
            "3");
  EXPECT_EQ(Eval("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')"), "\"Smith, John\"");
  EXPECT_EQ(Eval("$split('a1b22c', /[0-9]+/)"), R"(["a","b","c"])");
  EXPECT_EQ(Eval("$sort([3,1,2])"), "[1,2,3]");
  EXPECT_EQ(Eval("$number('0x1F')"), "31");
  EXPECT_EQ(Eval("$formatBase(255, 16)"), "\"ff\"");
}

TEST(JsonataTest, ErrorsCarryCodesPositionsAndTokens) {
  ErrorDetails details;
  Result<Expression> bad = Compile("a.(b", &details);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "S0203");
  EXPECT_NE(bad.error().cause.find("position"), std::string::npos) << bad.error().cause;

  Result<Expression> e = Compile("1 + 'a'");
  ASSERT_TRUE(e.ok());
  auto r = e->Evaluate(nullptr, {}, {}, &details);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, "T2002");
  EXPECT_EQ(details.token, "+");
  EXPECT_EQ(details.position, 3);
  EXPECT_EQ(Eval("$substring('a', 'b')"), "error T0410");
  EXPECT_EQ(Eval("$substring(1)"), "undefined");  // the context (undefined) stands in for arg 1
  EXPECT_EQ(Eval("$error('boom')"), "error D3137");
  EXPECT_EQ(Eval("1/0"), "error D1001");
}

// Found by fuzz/jsonata_fuzz.cc: an undefined picture (a path that selects nothing) passed the
// signature check and was then read as a string, a null dereference.
TEST(JsonataTest, UndefinedPictureIsAnError) {
  EXPECT_EQ(Eval("$formatNumber(43, nothing)"), "error T0410");
  EXPECT_EQ(Eval("$formatInteger(43, nothing)"), "error T0410");
  EXPECT_EQ(Eval("$parseInteger('43', nothing)"), "error T0410");
  EXPECT_EQ(Eval("$formatNumber(43, picture)", R"({"picture":"#0.0"})"), R"("43.0")");
}

// Found by fuzz/jsonata_fuzz.cc: a $pad width beyond what a size_t holds was converted to one
// (undefined behaviour); widths above 1e7 characters are D1001 now.
TEST(JsonataTest, PadWidthIsBounded) {
  EXPECT_EQ(Eval("$pad('foo', 5, '#')"), R"("foo##")");
  EXPECT_EQ(Eval("$pad('foo', -5, '#')"), R"("##foo")");
  EXPECT_EQ(Eval("$pad('foo', -4444444444444444444444444444444444444444, '#')"), "error D1001");
  EXPECT_EQ(Eval("$pad('foo', 10000001)"), "error D1001");
}

// Found by fuzz/definition_fuzz.cc: libstdc++'s regex compiler overflows a long on a
// back-reference or repetition count of more than 18 digits; more than 9 is S0303 now.
TEST(JsonataTest, RegexCountsAreBounded) {
  // An octal escape and then digits, as JavaScript reads it (std::regex overflowed on it).
  EXPECT_EQ(Eval("$contains('a5', /a\\5555555555555555555555/)"), "false");
  EXPECT_EQ(Eval("/a{1,99999999999999999999}/"), "error S0303");
  EXPECT_EQ(Eval("/a{99999999999999999999}/"), "error S0303");
  EXPECT_EQ(Eval("$match('aaa', /a{2,3}/).match"), R"("aaa")");
  EXPECT_EQ(Eval("$replace('abab', /(a)b\\1/, 'x')"), R"("xb")");
}

TEST(JsonataTest, RegexMatchingIsBoundedInTimeAndStack) {
  // Nested repetition backtracks exponentially: the match gives up with U1001.
  EXPECT_EQ(Eval("$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a|aa)+$/)"),
            "error U1001");
  // A subject as long as a state's whole payload may be (256 KiB): std::regex recursed once per
  // character and overflowed the stack on both.
  EXPECT_EQ(Eval("$length($replace($pad('', 262144, 'ab'), /[ab]*/, 'x'))"), "1");
  EXPECT_EQ(Eval("$length($replace($pad('', 50000, 'ab'), /(a|b)*/, 'x'))"), "1");
  EXPECT_EQ(Eval("$count($split($pad('', 200000, 'a,'), /,/))"), "100001");
}

TEST(JsonataTest, RegexReadsJavaScriptSyntax) {
  EXPECT_EQ(Eval("$match('caf\\u00e9', /\\u00e9/).index"), "3");
  EXPECT_EQ(Eval("$replace('price: 42 EUR', /(?<amount>\\d+) (?<=\\d )EUR/, '$1€')"),
            R"("price: 42€")");
  EXPECT_EQ(Eval("$contains('line\\nnext', /^next$/m)"), "true");
  EXPECT_EQ(Eval("$contains('end\\n', /end$/)"), "false");  // $ only at the very end
  EXPECT_EQ(Eval("$match('ÉCOLE', /école/i).match"), R"("ÉCOLE")");
  EXPECT_EQ(Eval("/a{2,1}/"), "error S0303");
}

TEST(JsonataTest, ValuesBuiltDeeperThanAnyStackFailCleanlyAndAreFreed) {
  const std::string deep = "$reduce([1..200000], function($acc, $v) { {'a': $acc} }, {})";
  // Freed without recursion (this crashed freeing the 200,000-level chain).
  EXPECT_EQ(Eval("$count([" + deep + "])"), "1");
  // Converted, compared, cloned, printed or searched: U1001 instead of a stack overflow.
  EXPECT_EQ(Eval(deep), "error U1001");
  EXPECT_EQ(Eval("($a := " + deep + "; $b := " + deep + "; $a = $b)"), "error U1001");
  EXPECT_EQ(Eval("$string(" + deep + ")"), "error U1001");
  EXPECT_EQ(Eval("$count((" + deep + ").**)"), "error U1001");
  EXPECT_EQ(Eval("(" + deep + ") ~> |a|{'b': 1}|"), "error U1001");
  // A shallow one still prints.
  EXPECT_EQ(Eval("$string($reduce([1..3], function($acc, $v) { {'a': $acc} }, {}))"),
            R"("{\"a\":{\"a\":{\"a\":{}}}}")");
}

TEST(JsonataTest, BindingsAndHostFunctions) {
  Bindings b;
  b.SetValue("limit", J("10"));
  ASSERT_TRUE(b.SetFunction(
                   "twice",
                   [](const std::vector<std::optional<json::Value>>& args)
                       -> Result<std::optional<json::Value>> {
                     return std::optional<json::Value>(json::AsDouble(*args[0]) * 2);
                   },
                   "<n:n>")
                  .ok());
  ASSERT_TRUE(b.SetFunction("fail",
                            [](const std::vector<std::optional<json::Value>>&)
                                -> Result<std::optional<json::Value>> {
                              return Error{"States.Custom", "it failed"};
                            })
                  .ok());
  EXPECT_EQ(Eval("$twice($limit) + $twice(1)", "", b), "22");
  EXPECT_EQ(Eval("$twice('x')", "", b), "error T0410");
  EXPECT_EQ(Eval("$fail()", "", b), "error States.Custom");
  EXPECT_EQ(Eval("$map([1,2], $twice)", "", b), "[2,4]");
  EXPECT_FALSE(b.SetFunction("x", nullptr, "<n<s>>").ok());
}

TEST(JsonataTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  deep += "1";
  deep += std::string(100000, ')');
  EXPECT_EQ(Eval(deep), "error S0201");
  std::string ok(200, '[');
  ok += "1";
  ok += std::string(200, ']');
  EXPECT_EQ(Eval("$count(" + ok + ")"), "1");
}

TEST(JsonataTest, DepthAndTimeLimits) {
  // Non-tail recursion is bounded by the depth limit instead of exhausting the C++ stack.
  EXPECT_EQ(Eval("($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))"), "error U1001");
  EvaluateOptions shallow;
  shallow.max_depth = 3;
  EXPECT_EQ(Eval("[1,[2,[3,[4,[5,[6]]]]]]", "", {}, shallow), "error U1001");
  EvaluateOptions quick;
  quick.time_limit = std::chrono::milliseconds(50);
  EXPECT_EQ(Eval("($f := function($n){$f($n + 1)}; $f(0))", "", {}, quick), "error U1001");
}

TEST(JsonataTest, NowIsFixedPerEvaluation) {
  EvaluateOptions options;
  options.now_millis = 1767225600000;  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(Eval("$now()", "", {}, options), "\"2026-01-01T00:00:00.000Z\"");
  EXPECT_EQ(Eval("$millis() = $millis()", "", {}, options), "true");
}

// Analysed pictures are kept per thread by picture and options (picture_memo.h): more
// pictures than the memo holds, reused, and one picture under other options.
TEST(JsonataTest, PicturesAreReusedOnlyForTheSamePictureAndOptions) {
  std::string pass;  // "7","07",...: one picture per item, 20 > the memo's capacity
  for (int i = 0; i < 20; ++i) pass += (i > 0 ? ",\"" : "\"") + std::string(i, '0') + "7\"";
  EXPECT_EQ(Eval("($f := function($i) { $formatNumber(7, $pad('', $i + 1, '0')) };"
                 " [[0..19].$f($), [0..19].$f($)])"),
            "[" + pass + "," + pass + "]");
  EXPECT_EQ(Eval("[$formatNumber(-5, '0'), $formatNumber(-5, '0', {'minus-sign': '~'}),"
                 " $formatNumber(-5, '0')]"),
            R"(["-5","~5","-5"])");
  EXPECT_EQ(Eval("[$fromMillis(0, '[M01]'), $fromMillis(0, '[M]'), $fromMillis(0, '[M01]')]"),
            R"(["01","1","01"])");
  EXPECT_EQ(Eval("$formatNumber(1, '0;0;0')"), "error D3080");
  EXPECT_EQ(Eval("$formatNumber(1, '0;0;0')"), "error D3080");
}

TEST(JsonataTest, OneExpressionEvaluatesConcurrently) {
  Result<Expression> e =
      Compile("Account.Order.Product{`Product Name`: $sum($.(Price * Quantity))}");
  ASSERT_TRUE(e.ok());
  json::Value doc =
      J(R"({"Account":{"Order":[{"Product":[{"Product Name":"a","Price":2,"Quantity":3},
      {"Product Name":"b","Price":1.5,"Quantity":2}]},{"Product":[{"Product Name":"a","Price":2,"Quantity":1}]}]}})");
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = e->Evaluate(&doc);
        if (r.ok() && r->has_value() && json::Serialize(**r) == R"({"a":8,"b":3})") ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 800);
}

}  // namespace
}  // namespace autoretrain::jsonata
