// Unit tests of the intrinsic functions: results, argument checks and the error names.
#include "intrinsic_functions.h"

#include <gtest/gtest.h>

#include <set>

#include "json/jsonpath_test_util.h"

namespace autoretrain::asl {
namespace {

using json::testing::J;

Result<json::Value> RunCall(std::string_view call, std::string_view input = "{}") {
  Result<Intrinsic> c = ParseIntrinsic(call);
  EXPECT_TRUE(c.ok()) << call;
  if (!c.ok()) return c.take_error();
  const json::Value in = J(input);
  const json::Value context = J(R"({"Execution":{"Name":"run-1"}})");
  return EvaluateIntrinsic(*c, json::PathRoots{in, context});
}

json::Value Ok(std::string_view call, std::string_view input = "{}") {
  Result<json::Value> r = RunCall(call, input);
  EXPECT_TRUE(r.ok()) << call << ": " << (r.ok() ? "" : r.error().cause);
  return r.ok() ? std::move(r).value() : json::Value();
}

std::string Fails(std::string_view call, std::string_view input = "{}") {
  Result<json::Value> r = RunCall(call, input);
  EXPECT_FALSE(r.ok()) << call;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().error, "States.IntrinsicFailure") << call;
  return r.error().cause;
}

TEST(IntrinsicFunctionsTest, Format) {
  EXPECT_EQ(Ok("States.Format('Hi {}, {} {} {}', $.n, 2, true, null)", R"({"n":"Ann"})"),
            J(R"("Hi Ann, 2 true null")"));
  EXPECT_EQ(Ok("States.Format($.t, 1)", R"({"t":"a{}b"})"), J(R"("a1b")"));
  EXPECT_EQ(Ok(R"(States.Format('\{\}{}', $$.Execution.Name))"), J(R"("{}run-1")"));
  EXPECT_NE(Fails("States.Format('{}')").find("placeholder"), std::string::npos);
  Fails("States.Format($.t)", R"({"t":5})");
}

TEST(IntrinsicFunctionsTest, Json) {
  EXPECT_EQ(Ok("States.StringToJson($.s)", R"({"s":"{\"a\":[1]}"})"), J(R"({"a":[1]})"));
  Fails("States.StringToJson('nope')");
  EXPECT_EQ(Ok("States.JsonToString($.o)", R"({"o":{"a":1}})"), J(R"("{\"a\":1}")"));
  EXPECT_EQ(
      Ok("States.JsonMerge($.a, $.b, false)", R"({"a":{"x":1,"y":{"p":1}},"b":{"y":{"q":2}}})"),
      J(R"({"x":1,"y":{"q":2}})"));
  Fails("States.JsonMerge($.a, $.a, true)", R"({"a":{}})");
  Fails("States.JsonMerge($.a, 1, false)", R"({"a":{}})");
}

TEST(IntrinsicFunctionsTest, Arrays) {
  EXPECT_EQ(Ok("States.Array()"), J("[]"));
  EXPECT_EQ(Ok("States.ArrayPartition(States.Array(1,2,3,4,5), 2)"), J("[[1,2],[3,4],[5]]"));
  Fails("States.ArrayPartition(States.Array(1), 0)");
  EXPECT_EQ(Ok("States.ArrayContains($.a, 2)", R"({"a":[1,2]})"), J("true"));
  EXPECT_EQ(Ok("States.ArrayContains($.a, 'x')", R"({"a":[1,2]})"), J("false"));
  EXPECT_EQ(Ok("States.ArrayRange(1, 9, 2)"), J("[1,3,5,7,9]"));
  EXPECT_EQ(Ok("States.ArrayRange(5, 1, -2)"), J("[5,3,1]"));
  EXPECT_EQ(Ok("States.ArrayRange(1, 5, -1)"), J("[]"));
  EXPECT_EQ(Ok("States.ArrayLength(States.ArrayRange(1, 1000, 1))"), J("1000"));
  Fails("States.ArrayRange(0, 1000, 1)");
  Fails("States.ArrayRange(0, 10, 0)");
  EXPECT_EQ(Ok("States.ArrayGetItem($.a, 1)", R"({"a":[1,2]})"), J("2"));
  Fails("States.ArrayGetItem($.a, 2)", R"({"a":[1,2]})");
  Fails("States.ArrayLength('x')");
  EXPECT_EQ(Ok("States.ArrayUnique($.a)", R"({"a":[1,2,1,"1",2,{"k":1},{"k":1}]})"),
            J(R"([1,2,"1",{"k":1}])"));
}

TEST(IntrinsicFunctionsTest, Encoding) {
  EXPECT_EQ(Ok("States.Base64Encode('Data to encode')"), J(R"("RGF0YSB0byBlbmNvZGU=")"));
  EXPECT_EQ(Ok("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), J(R"("Data to encode")"));
  EXPECT_EQ(Ok("States.Base64Encode('ab')"), J(R"("YWI=")"));
  Fails("States.Base64Decode('abc')");
  Fails("States.Base64Encode($.s)", R"({"s":")" + std::string(10001, 'a') + R"("})");
  EXPECT_EQ(Ok("States.Hash('input data', 'SHA-1')"),
            J(R"("aaff4a450a104cd177d28d18d74485e8cae074b7")"));
  EXPECT_EQ(Ok("States.Hash('', 'MD5')"), J(R"("d41d8cd98f00b204e9800998ecf8427e")"));
  Fails("States.Hash('x', 'SHA-3')");
}

TEST(IntrinsicFunctionsTest, Math) {
  EXPECT_EQ(Ok("States.MathAdd(111, -1)"), J("110"));
  EXPECT_EQ(Ok("States.MathAdd(1.6, 1)"), J("3"));
  Fails("States.MathAdd(2147483648, 1)");
  Fails("States.MathAdd('1', 1)");
  EXPECT_EQ(Ok("States.MathRandom(1, 1000, 7)"), Ok("States.MathRandom(1, 1000, 7)"));
  for (int i = 0; i < 50; ++i) {
    int64_t v = Ok("States.MathRandom(3, 5)").as_int64();
    EXPECT_TRUE(v == 3 || v == 4) << v;
  }
  Fails("States.MathRandom(5, 5)");
}

TEST(IntrinsicFunctionsTest, StringsAndUuid) {
  EXPECT_EQ(Ok("States.StringSplit('1,2,3', ',')"), J(R"(["1","2","3"])"));
  EXPECT_EQ(Ok("States.StringSplit('a, b;c', ', ;')"), J(R"(["a","b","c"])"));
  Fails("States.StringSplit(1, ',')");
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string u(Ok("States.UUID()").as_string());
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(IntrinsicFunctionsTest, MissingPathIsStatesRuntime) {
  Result<json::Value> r = RunCall("States.Array($.nope)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, "States.Runtime");
  EXPECT_NE(r.error().cause.find("'$.nope'"), std::string::npos);
}

}  // namespace
}  // namespace autoretrain::asl
