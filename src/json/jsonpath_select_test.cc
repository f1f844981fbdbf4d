#include <gtest/gtest.h>

#include "autoretrain/json/jsonpath.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::json {
namespace {

using testing::J;
using testing::kStore;
using testing::MustCompile;
using testing::Sel;

// --- Definite paths -------------------------------------------------------------------------

TEST(JsonPathDefiniteTest, Root) {
  EXPECT_EQ(Sel("$", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(Sel("$", "3"), "3");
  Path p = MustCompile("$");
  EXPECT_TRUE(p.is_root());
  EXPECT_TRUE(p.is_definite());
  EXPECT_FALSE(p.is_context());
  EXPECT_EQ(p.text(), "$");
}

TEST(JsonPathDefiniteTest, DotFields) {
  EXPECT_EQ(Sel("$.a", R"({"a":{"b":2}})"), R"({"b":2})");
  EXPECT_EQ(Sel("$.a.b", R"({"a":{"b":2}})"), "2");
  EXPECT_EQ(Sel("$.a.b", R"({"a":{"b":null}})"), "null");
  EXPECT_EQ(Sel("$.store.bicycle.color", kStore), R"("red")");
  EXPECT_FALSE(MustCompile("$.a.b").is_root());
}

TEST(JsonPathDefiniteTest, UnusualCharactersInDotNames) {
  EXPECT_EQ(Sel("$.my-field", R"({"my-field":1})"), "1");
  EXPECT_EQ(Sel("$.a_b$c", R"({"a_b$c":1})"), "1");
  EXPECT_EQ(Sel("$.caf\xc3\xa9", "{\"caf\xc3\xa9\":1}"), "1");
  EXPECT_EQ(Sel("$.0", R"({"0":"zero"})"), R"("zero")");
}

TEST(JsonPathDefiniteTest, BracketNames) {
  EXPECT_EQ(Sel("$['a']", R"({"a":1})"), "1");
  EXPECT_EQ(Sel("$[\"a\"]", R"({"a":1})"), "1");
  EXPECT_EQ(Sel("$['a b']['c.d']", R"({"a b":{"c.d":5}})"), "5");
  EXPECT_EQ(Sel("$[ 'a' ]", R"({"a":1})"), "1");
  EXPECT_EQ(Sel("$.['a']", R"({"a":1})"), "1");
  EXPECT_EQ(Sel("$['']", R"({"":7})"), "7");
  EXPECT_EQ(Sel("$['*']", R"({"*":1,"x":2})"), "1");
  EXPECT_EQ(Sel("$['[0]']", R"({"[0]":1})"), "1");
}

TEST(JsonPathDefiniteTest, BracketNameEscapes) {
  EXPECT_EQ(Sel(R"($['it\'s'])", R"({"it's":1})"), "1");
  EXPECT_EQ(Sel(R"($["say \"hi\""])", R"({"say \"hi\"":2})"), "2");
  EXPECT_EQ(Sel(R"($['back\\slash'])", R"({"back\\slash":3})"), "3");
  EXPECT_EQ(Sel(R"($['tab\there'])", R"({"tab\there":4})"), "4");
  EXPECT_EQ(Sel(R"($['\u00e9'])", "{\"\xc3\xa9\":5}"), "5");
  EXPECT_EQ(Sel(R"($['\ud83d\ude00'])", "{\"\xf0\x9f\x98\x80\":6}"), "6");
  EXPECT_EQ(Sel(R"($["it's"])", R"({"it's":7})"), "7");
}

TEST(JsonPathDefiniteTest, Indexes) {
  EXPECT_EQ(Sel("$[0]", "[10,20,30]"), "10");
  EXPECT_EQ(Sel("$[2]", "[10,20,30]"), "30");
  EXPECT_EQ(Sel("$[-1]", "[10,20,30]"), "30");
  EXPECT_EQ(Sel("$[-3]", "[10,20,30]"), "10");
  EXPECT_EQ(Sel("$[ 1 ]", "[10,20,30]"), "20");
  EXPECT_EQ(Sel("$.store.book[1].author", kStore), R"("Evelyn Waugh")");
  EXPECT_EQ(Sel("$.a[0][1]", R"({"a":[[1,2]]})"), "2");
  EXPECT_TRUE(MustCompile("$[-1]").is_definite());
}

TEST(JsonPathDefiniteTest, MissingNodesGiveNullopt) {
  EXPECT_EQ(Sel("$.x", R"({"a":1})"), "<none>");
  EXPECT_EQ(Sel("$.x.y", R"({"a":1})"), "<none>");
  EXPECT_EQ(Sel("$.a.b", R"({"a":1})"), "<none>");          // field of a number
  EXPECT_EQ(Sel("$.a.b", R"({"a":[{"b":1}]})"), "<none>");  // no implicit mapping over arrays
  EXPECT_EQ(Sel("$.a", "[1]"), "<none>");
  EXPECT_EQ(Sel("$.a", R"("str")"), "<none>");
  EXPECT_EQ(Sel("$[3]", "[10,20,30]"), "<none>");
  EXPECT_EQ(Sel("$[-4]", "[10,20,30]"), "<none>");
  EXPECT_EQ(Sel("$[0]", R"({"0":1})"), "<none>");  // index into an object
  EXPECT_EQ(Sel("$[0]", "[]"), "<none>");
}

TEST(JsonPathDefiniteTest, FindReturnsTheNodeWithoutCopying) {
  Value doc = J(R"({"a":{"b":[1,{"c":"x"}]}})");
  Path p = MustCompile("$.a.b[1].c");
  const Value* node = p.Find(doc);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node, &doc.at("a").at("b").at(1).at("c"));
  EXPECT_EQ(MustCompile("$.nope").Find(doc), nullptr);
  EXPECT_EQ(MustCompile("$.a.*").Find(doc), nullptr);       // indefinite
  EXPECT_EQ(MustCompile("$['a','z']").Find(doc), nullptr);  // builds a new object
  EXPECT_EQ(MustCompile("$").Find(doc), &doc);
}

TEST(JsonPathDefiniteTest, MultipleNamesAtTheLeafMergeIntoOneObject) {
  EXPECT_EQ(Sel("$['a','b']", R"({"a":1,"b":2,"c":3})"), R"({"a":1,"b":2})");
  EXPECT_EQ(Sel("$['b', 'a']", R"({"a":1,"b":2,"c":3})"), R"({"b":2,"a":1})");
  EXPECT_EQ(Sel("$['a','x']", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(Sel("$['x','y']", R"({"a":1})"), "{}");
  EXPECT_EQ(Sel("$.o['x','y']", R"({"o":5})"), "<none>");
  EXPECT_EQ(Sel("$.q['x','y']", R"({"o":5})"), "<none>");
  EXPECT_TRUE(MustCompile("$['a','b']").is_definite());
  EXPECT_FALSE(MustCompile("$['a','b'].c").is_definite());
}

// --- Indefinite paths -----------------------------------------------------------------------

TEST(JsonPathIndefiniteTest, Wildcards) {
  EXPECT_EQ(Sel("$.*", R"({"a":1,"b":[2]})"), "[1,[2]]");
  EXPECT_EQ(Sel("$[*]", "[1,2,3]"), "[1,2,3]");
  EXPECT_EQ(Sel("$[ * ]", "[1,2,3]"), "[1,2,3]");
  EXPECT_EQ(Sel("$.*", "5"), "[]");
  EXPECT_EQ(Sel("$.store.book[*].author", kStore),
            R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
  EXPECT_EQ(Sel("$.store.*", kStore).substr(0, 2), "[[");
  EXPECT_EQ(Sel("$.a[*].b", R"({"a":[{"b":1},{"c":2},{"b":3},4]})"), "[1,3]");
  EXPECT_FALSE(MustCompile("$.a[*]").is_definite());
}

TEST(JsonPathIndefiniteTest, AlwaysAnArrayEvenForOneOrNoMatch) {
  EXPECT_EQ(Sel("$[*]", "[7]"), "[7]");
  EXPECT_EQ(Sel("$[*]", "[]"), "[]");
  EXPECT_EQ(Sel("$.missing[*]", "{}"), "[]");
  EXPECT_EQ(Sel("$..nothing", kStore), "[]");
}

TEST(JsonPathIndefiniteTest, IndexUnions) {
  EXPECT_EQ(Sel("$[0,2]", "[10,20,30]"), "[10,30]");
  EXPECT_EQ(Sel("$[2, 0]", "[10,20,30]"), "[30,10]");
  EXPECT_EQ(Sel("$[0,-1,7]", "[10,20,30]"), "[10,30]");
  EXPECT_EQ(Sel("$[0,0]", "[10,20,30]"), "[10,10]");
  EXPECT_EQ(Sel("$[0,1]", R"({"a":1})"), "[]");
  EXPECT_FALSE(MustCompile("$[0,1]").is_definite());
}

TEST(JsonPathIndefiniteTest, NameUnionsBeforeTheLeafVisitEachField) {
  EXPECT_EQ(Sel("$['a','b'].v", R"({"a":{"v":1},"b":{"v":2},"c":{"v":3}})"), "[1,2]");
  EXPECT_EQ(Sel("$['a','x'].v", R"({"a":{"v":1}})"), "[1]");
  EXPECT_EQ(Sel("$[*]['a','b']", R"([{"a":1,"b":2,"c":3},{"b":4}])"), R"([{"a":1,"b":2},{"b":4}])");
}

TEST(JsonPathIndefiniteTest, Slices) {
  const char* a = "[0,1,2,3,4,5]";
  EXPECT_EQ(Sel("$[1:3]", a), "[1,2]");
  EXPECT_EQ(Sel("$[:2]", a), "[0,1]");
  EXPECT_EQ(Sel("$[4:]", a), "[4,5]");
  EXPECT_EQ(Sel("$[-2:]", a), "[4,5]");
  EXPECT_EQ(Sel("$[:-2]", a), "[0,1,2,3]");
  EXPECT_EQ(Sel("$[:]", a), "[0,1,2,3,4,5]");
  EXPECT_EQ(Sel("$[::2]", a), "[0,2,4]");
  EXPECT_EQ(Sel("$[1::2]", a), "[1,3,5]");
  EXPECT_EQ(Sel("$[::-1]", a), "[5,4,3,2,1,0]");
  EXPECT_EQ(Sel("$[4:1:-1]", a), "[4,3,2]");
  EXPECT_EQ(Sel("$[-1:-3:-1]", a), "[5,4]");
  EXPECT_EQ(Sel("$[3:1]", a), "[]");
  EXPECT_EQ(Sel("$[10:20]", a), "[]");
  EXPECT_EQ(Sel("$[-100:2]", a), "[0,1]");
  EXPECT_EQ(Sel("$[0:100]", a), "[0,1,2,3,4,5]");
  EXPECT_EQ(Sel("$[100::-1]", a), "[5,4,3,2,1,0]");
  EXPECT_EQ(Sel("$[ 1 : 3 ]", a), "[1,2]");
  EXPECT_EQ(Sel("$[0:2]", R"({"a":1})"), "[]");
  EXPECT_EQ(Sel("$.vals[3:]", R"({"vals":[0,10,20,30,40,50]})"), "[30,40,50]");
  EXPECT_EQ(Sel("$.store.book[:2].price", kStore), "[8.95,12.99]");
  EXPECT_FALSE(MustCompile("$[0:1]").is_definite());
}

TEST(JsonPathIndefiniteTest, DeepScanByName) {
  EXPECT_EQ(Sel("$..author", kStore),
            R"(["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"])");
  EXPECT_EQ(Sel("$.store..price", kStore), "[8.95,12.99,8.99,22.99,19.95]");
  EXPECT_EQ(Sel("$..a", R"({"a":{"a":1},"b":[{"a":2}]})"), R"([{"a":1},1,2])");
  EXPECT_EQ(Sel("$..['a']", R"({"x":{"a":1}})"), "[1]");
  EXPECT_EQ(Sel("$..book[2].title", kStore), R"(["Moby Dick"])");
  EXPECT_EQ(Sel("$..book[-1].title", kStore), R"(["The Lord of the Rings"])");
  EXPECT_EQ(Sel("$..x", "7"), "[]");
  EXPECT_FALSE(MustCompile("$..a").is_definite());
}

TEST(JsonPathIndefiniteTest, DeepScanWildcardAndIndex) {
  EXPECT_EQ(Sel("$..*", R"({"a":{"b":1},"c":[2]})"), R"([{"b":1},[2],1,2])");
  EXPECT_EQ(Sel("$..[0]", R"({"a":[1,[2,3]],"b":{"c":[4]}})"), "[1,2,4]");
  EXPECT_EQ(Sel("$..[*]", "[[1],2]"), "[[1],2,1]");
}

TEST(JsonPathIndefiniteTest, DeepScanWithFilterAndMergedNames) {
  EXPECT_EQ(Sel("$..[?(@.price > 20)].title", kStore), R"(["The Lord of the Rings"])");
  EXPECT_EQ(Sel("$..['color','price']", kStore), R"([{"color":"red","price":19.95}])");
}

}  // namespace
}  // namespace autoretrain::json
