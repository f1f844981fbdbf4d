#include <gtest/gtest.h>

#include "autoretrain/json/jsonpath.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::json {
namespace {

using testing::J;
using testing::kStore;
using testing::MustCompile;
using testing::Sel;

// --- Filters --------------------------------------------------------------------------------

TEST(JsonPathFilterTest, NumberComparisons) {
  EXPECT_EQ(Sel("$.store.book[?(@.price < 10)].title", kStore),
            R"(["Sayings of the Century","Moby Dick"])");
  EXPECT_EQ(Sel("$[?(@.v > 1)].v", R"([{"v":1},{"v":2},{"v":3}])"), "[2,3]");
  EXPECT_EQ(Sel("$[?(@.v >= 2)].v", R"([{"v":1},{"v":2},{"v":3}])"), "[2,3]");
  EXPECT_EQ(Sel("$[?(@.v <= 2)].v", R"([{"v":1},{"v":2},{"v":3}])"), "[1,2]");
  EXPECT_EQ(Sel("$[?(@.v == 2)].v", R"([{"v":1},{"v":2.0},{"v":3}])"), "[2]");
  EXPECT_EQ(Sel("$[?(@.v != 2)].v", R"([{"v":1},{"v":2},{"v":3}])"), "[1,3]");
  EXPECT_EQ(Sel("$[?(@.v > -1.5)].v", R"([{"v":-2},{"v":-1},{"v":0.5}])"), "[-1,0.5]");
  EXPECT_EQ(Sel("$[?(@.v < 1e3)].v", R"([{"v":999},{"v":1000}])"), "[999]");
  EXPECT_EQ(Sel("$[?(@.v > 9223372036854775806)].v",
                R"([{"v":9223372036854775807},{"v":18446744073709551615},{"v":1}])"),
            "[9223372036854775807,18446744073709551615]");
}

TEST(JsonPathFilterTest, StringBooleanAndNullComparisons) {
  EXPECT_EQ(Sel("$.store.book[?(@.category == 'reference')].author", kStore), R"(["Nigel Rees"])");
  EXPECT_EQ(Sel("$.store.book[?(@.category != \"fiction\")].author", kStore), R"(["Nigel Rees"])");
  EXPECT_EQ(Sel("$[?(@.s < 'b')].s", R"([{"s":"a"},{"s":"b"},{"s":"c"}])"), R"(["a"])");
  EXPECT_EQ(Sel("$[?(@.s >= 'b')].s", R"([{"s":"a"},{"s":"b"},{"s":"c"}])"), R"(["b","c"])");
  EXPECT_EQ(Sel("$[?(@.f == true)].i", R"([{"f":true,"i":1},{"f":false,"i":2},{"i":3}])"), "[1]");
  EXPECT_EQ(Sel("$[?(@.f == false)].i", R"([{"f":true,"i":1},{"f":false,"i":2}])"), "[2]");
  EXPECT_EQ(Sel("$[?(@.n == null)].i", R"([{"n":null,"i":1},{"n":0,"i":2},{"i":3}])"), "[1]");
  EXPECT_EQ(Sel("$[?(@.n != null)].i", R"([{"n":null,"i":1},{"n":0,"i":2}])"), "[2]");
}

TEST(JsonPathFilterTest, TypesDoNotMix) {
  EXPECT_EQ(Sel("$[?(@.v == '1')].v", R"([{"v":1},{"v":"1"}])"), R"(["1"])");
  EXPECT_EQ(Sel("$[?(@.v < 5)].v", R"([{"v":"1"},{"v":true},{"v":null},{"v":[1]}])"), "[]");
  EXPECT_EQ(Sel("$[?(@.v == 0)].v", R"([{"v":false},{"v":null},{"v":0}])"), "[0]");
}

TEST(JsonPathFilterTest, MissingFieldsMatchOnlyNotEqual) {
  const char* doc = R"([{"a":1},{"b":2}])";
  EXPECT_EQ(Sel("$[?(@.a == 1)].b", doc), "[]");
  EXPECT_EQ(Sel("$[?(@.a > 0)]", doc), R"([{"a":1}])");
  EXPECT_EQ(Sel("$[?(@.a < 5)]", doc), R"([{"a":1}])");
  EXPECT_EQ(Sel("$[?(@.a != 1)]", doc), R"([{"b":2}])");
  EXPECT_EQ(Sel("$[?(@.a == null)]", doc), "[]");
}

TEST(JsonPathFilterTest, Existence) {
  EXPECT_EQ(Sel("$.store.book[?(@.isbn)].title", kStore),
            R"(["Moby Dick","The Lord of the Rings"])");
  EXPECT_EQ(Sel("$.store.book[?(!@.isbn)].title", kStore),
            R"(["Sayings of the Century","Sword of Honour"])");
  EXPECT_EQ(Sel("$[?(@.n)].i", R"([{"n":null,"i":1},{"n":false,"i":2},{"i":3}])"), "[1,2]");
  EXPECT_EQ(Sel("$[?(@.a.b)].i", R"([{"a":{"b":0},"i":1},{"a":{},"i":2},{"a":3,"i":4}])"), "[1]");
  EXPECT_EQ(Sel("$[?(@['x y'])].i", R"([{"x y":1,"i":1},{"i":2}])"), "[1]");
  EXPECT_EQ(Sel("$[?(@[0])]", R"([[1],[],3])"), "[[1]]");
}

TEST(JsonPathFilterTest, LogicalOperatorsAndParentheses) {
  const char* doc = R"([{"a":1,"b":1},{"a":1,"b":2},{"a":2,"b":1},{"a":2,"b":2}])";
  EXPECT_EQ(Sel("$[?(@.a == 1 && @.b == 2)]", doc), R"([{"a":1,"b":2}])");
  EXPECT_EQ(Sel("$[?(@.a == 1 || @.b == 2)]", doc),
            R"([{"a":1,"b":1},{"a":1,"b":2},{"a":2,"b":2}])");
  EXPECT_EQ(Sel("$[?(!(@.a == 1))]", doc), R"([{"a":2,"b":1},{"a":2,"b":2}])");
  EXPECT_EQ(Sel("$[?(!@.a == 1)]", doc), R"([{"a":2,"b":1},{"a":2,"b":2}])");
  // && binds tighter than ||.
  EXPECT_EQ(Sel("$[?(@.a == 2 || @.a == 1 && @.b == 1)]", doc),
            R"([{"a":1,"b":1},{"a":2,"b":1},{"a":2,"b":2}])");
  EXPECT_EQ(Sel("$[?((@.a == 2 || @.a == 1) && @.b == 1)]", doc),
            R"([{"a":1,"b":1},{"a":2,"b":1}])");
  EXPECT_EQ(Sel("$[?(@.a==2&&@.b==2)]", doc), R"([{"a":2,"b":2}])");
  EXPECT_EQ(Sel("$[?( ( @.a == 2 ) )]", doc), R"([{"a":2,"b":1},{"a":2,"b":2}])");
}

TEST(JsonPathFilterTest, CurrentNodeOnArraysOfScalars) {
  EXPECT_EQ(Sel("$[?(@ > 2)]", "[1,2,3,4]"), "[3,4]");
  EXPECT_EQ(Sel("$[?(@ == 'b')]", R"(["a","b"])"), R"(["b"])");
  EXPECT_EQ(Sel("$.n[?(@ != 2)]", R"({"n":[1,2,3]})"), "[1,3]");
  EXPECT_EQ(Sel("$[?(@)]", "[1,null]"), "[1,null]");
}

TEST(JsonPathFilterTest, RootReferences) {
  EXPECT_EQ(Sel("$.store.book[?(@.price > $.expensive)].title", kStore),
            R"(["Sword of Honour","The Lord of the Rings"])");
  EXPECT_EQ(Sel("$.items[?(@.id == $.wanted)].v",
                R"({"wanted":"b","items":[{"id":"a","v":1},{"id":"b","v":2}]})"),
            "[2]");
  EXPECT_EQ(Sel("$.items[?(@.id == $.nope)].v", R"({"items":[{"id":"a","v":1}]})"), "[]");
}

TEST(JsonPathFilterTest, LiteralOnTheLeftAndPathsOnBothSides) {
  EXPECT_EQ(Sel("$[?(2 < @.v)].v", R"([{"v":1},{"v":3}])"), "[3]");
  EXPECT_EQ(Sel("$[?(@.a == @.b)].i", R"([{"a":1,"b":1,"i":1},{"a":1,"b":2,"i":2}])"), "[1]");
}

TEST(JsonPathFilterTest, ObjectAndArrayEquality) {
  EXPECT_EQ(Sel("$[?(@.o == @.p)].i",
                R"([{"o":{"x":[1,2]},"p":{"x":[1,2.0]},"i":1},{"o":{"x":1},"p":{"x":2},"i":2}])"),
            "[1]");
}

TEST(JsonPathFilterTest, FilterOnAnObjectTestsTheObjectItself) {
  EXPECT_EQ(Sel("$.o[?(@.a == 1)]", R"({"o":{"a":1}})"), R"([{"a":1}])");
  EXPECT_EQ(Sel("$.o[?(@.a == 2)]", R"({"o":{"a":1}})"), "[]");
  EXPECT_EQ(Sel("$.s[?(@.a == 2)]", R"({"s":"str"})"), "[]");
}

TEST(JsonPathFilterTest, IndefinitePathsInsideFilters) {
  EXPECT_EQ(Sel("$[?(@.tags[*])].i", R"([{"tags":[1],"i":1},{"tags":[],"i":2}])"), "[1]");
  EXPECT_EQ(Sel("$[?(@.t[*] == $.want)].i", R"({"want":[1,2],"i":0})"), "[]");
  EXPECT_EQ(Sel("$.l[?(@.t[*] == $.want)].i",
                R"({"want":[1,2],"l":[{"t":[1,2],"i":1},{"t":[2],"i":2}]})"),
            "[1]");
}

TEST(JsonPathFilterTest, NestedFilters) {
  EXPECT_EQ(Sel("$[?(@.kids[?(@.age > 10)])].name",
                R"([{"name":"a","kids":[{"age":5}]},{"name":"b","kids":[{"age":12}]}])"),
            R"(["b"])");
}

TEST(JsonPathFilterTest, FilterThenMoreSteps) {
  EXPECT_EQ(Sel("$.store.book[?(@.price > 10)]['title','price']", kStore),
            R"([{"title":"Sword of Honour","price":12.99},)"
            R"({"title":"The Lord of the Rings","price":22.99}])");
  EXPECT_FALSE(MustCompile("$[?(@.a)]").is_definite());
}

// --- Context paths --------------------------------------------------------------------------

TEST(JsonPathContextTest, DoubleDollar) {
  Path p = MustCompile("$$.Execution.Id");
  EXPECT_TRUE(p.is_context());
  EXPECT_TRUE(p.is_definite());
  EXPECT_EQ(Serialize(*p.Select(J(R"({"Execution":{"Id":"arn"}})"))), R"("arn")");
  Path root = MustCompile("$$");
  EXPECT_TRUE(root.is_context());
  EXPECT_TRUE(root.is_root());
  EXPECT_EQ(Sel("$$.Map.Item.Value", R"({"Map":{"Item":{"Value":[1]}}})"), "[1]");
}

}  // namespace
}  // namespace autoretrain::json
