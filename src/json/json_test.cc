#include "autoretrain/json/json.h"

#include <gtest/gtest.h>

#include <charconv>
#include <random>

#include <cmath>
#include <limits>
#include <string>

namespace autoretrain::json {
namespace {

Value MustParse(std::string_view text) {
  auto r = Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().cause);
  return r.ok() ? r.value() : Value();
}

std::string Roundtrip(std::string_view text) { return Serialize(MustParse(text)); }

TEST(ParseTest, ParsesEveryKind) {
  Value v = MustParse(R"({"o":{},"a":[1,-2,3.5],"s":"x","t":true,"f":false,"n":null})");
  ASSERT_TRUE(v.is_object());
  EXPECT_TRUE(v.at("o").is_object());
  EXPECT_EQ(v.at("a").at(1).as_int64(), -2);
  EXPECT_EQ(v.at("a").at(2).as_double(), 3.5);
  EXPECT_EQ(v.at("s").as_string(), "x");
  EXPECT_TRUE(v.at("t").as_bool());
  EXPECT_TRUE(v.at("n").is_null());
}

TEST(ParseTest, ScalarsAtTopLevelAndSurroundingWhitespace) {
  EXPECT_EQ(MustParse(" 12 \n").as_int64(), 12);
  EXPECT_EQ(MustParse("\"hi\"").as_string(), "hi");
  EXPECT_TRUE(MustParse("null").is_null());
}

TEST(ParseTest, DuplicateKeysKeepTheLastValue) {
  EXPECT_EQ(Roundtrip(R"({"a":1,"a":2})"), R"({"a":2})");
}

TEST(ParseTest, LargeIntegers) {
  EXPECT_EQ(Roundtrip("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(Roundtrip("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(Roundtrip("18446744073709551615"), "18446744073709551615");
}

TEST(ParseTest, ErrorNamesLineAndColumn) {
  auto r = Parse("{\n  \"a\": 1,\n}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, "JsonParseError");
  EXPECT_NE(r.error().cause.find("line 3, column 1"), std::string::npos) << r.error().cause;
  EXPECT_NE(r.error().cause.find("'}'"), std::string::npos) << r.error().cause;
}

TEST(ParseTest, RejectsMalformedInput) {
  for (const char* bad : {"",      "   ",    "{",      "[1,]",           "[1 2]",     "{'a':1}",
                          "tru",   "nul",    "01x",    "\"unterminated", "{\"a\" 1}", "// c\n1",
                          "[1]]",  "1 2",    "NaN",    "Infinity",       "\"\\x\"",   "\"a\tb\"",
                          "1e400", "-1e400", "[1e999]"}) {
    auto r = Parse(bad);
    EXPECT_FALSE(r.ok()) << "accepted: " << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().error, "JsonParseError");
    }
  }
}

TEST(ParseTest, TrailingGarbageIsReportedWhereItStarts) {
  auto r = Parse("[1]  x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().cause.find("column 6"), std::string::npos) << r.error().cause;
  EXPECT_NE(r.error().cause.find("'x'"), std::string::npos) << r.error().cause;
}

TEST(ParseTest, EndOfInputIsReported) {
  auto r = Parse("[1,\n2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().cause.find("end of input"), std::string::npos) << r.error().cause;
  EXPECT_NE(r.error().cause.find("line 2, column 2"), std::string::npos) << r.error().cause;
}

TEST(ParseTest, DecimalsAreReadCorrectlyRounded) {
  // Boost.JSON 1.81's own reading is one unit in the last place off for about one decimal in
  // ten (90.57 as 90.56999999999999); AWS prints 90.57 back.
  EXPECT_EQ(Serialize(Parse("[90.57,0.1,1.7976931348623157e308,5e-324,-0.0]").value()),
            "[90.57,0.1,1.7976931348623157e+308,5e-324,0]");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const double d = std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    char text[64];
    auto written = std::to_chars(text, text + sizeof text, d);
    Result<Value> parsed = Parse(std::string_view(text, written.ptr - text));
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->as_double(), d) << std::string_view(text, written.ptr - text);
  }
  EXPECT_EQ(Parse("1e-400").value(), Value(0.0));  // underflow reads as 0, as in JavaScript
  EXPECT_FALSE(Parse("[1e400]").ok());
  EXPECT_NE(Parse("-1e400").error().cause.find("out of the representable range"),
            std::string::npos);
}

TEST(ParseTest, DepthLimit) {
  std::string ok(kMaxDepth, '['), deep(kMaxDepth + 1, '[');
  ok += std::string(kMaxDepth, ']');
  deep += std::string(kMaxDepth + 1, ']');
  EXPECT_TRUE(Parse(ok).ok());
  auto r = Parse(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().cause.find("nesting"), std::string::npos) << r.error().cause;
  // Far deeper than the limit: still an error, not a stack overflow.
  EXPECT_FALSE(Parse(std::string(1000000, '[')).ok());
}

TEST(ParseTest, InvalidUtf8IsRejectedAndControlBytesDescribed) {
  auto r = Parse("\"\xff\"");
  EXPECT_FALSE(r.ok());
  auto r2 = Parse(std::string("[\x01]"));
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().cause.find("0x01"), std::string::npos) << r2.error().cause;
  auto r3 = Parse(std::string("[\0]", 3));
  EXPECT_FALSE(r3.ok());
}

TEST(SerializeTest, CompactObjectsKeepKeyOrder) {
  EXPECT_EQ(Roundtrip(R"( { "b" : 1 , "a" : [ true , null , { } , [ ] ] } )"),
            R"({"b":1,"a":[true,null,{},[]]})");
}

TEST(SerializeTest, NumbersAsJavaScriptPrintsThem) {
  const std::pair<double, const char*> cases[] = {
      {1.0, "1"},
      {1.5, "1.5"},
      {0.1, "0.1"},
      {100.0, "100"},
      {-2.0, "-2"},
      {0.0, "0"},
      {-0.0, "0"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1.5e300, "1.5e+300"},
      {1e-6, "0.000001"},
      {1e-7, "1e-7"},
      {1.25e-7, "1.25e-7"},
      {0.000123, "0.000123"},
      {0.1 + 0.2, "0.30000000000000004"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-1.5e-9, "-1.5e-9"},
      {123.456, "123.456"},
      {2.5e21, "2.5e+21"},
  };
  for (const auto& [d, text] : cases) EXPECT_EQ(Serialize(Value(d)), text) << d;
  EXPECT_EQ(Serialize(Value(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(Serialize(Value(std::numeric_limits<double>::infinity())), "null");
}

TEST(SerializeTest, ParsedNumbersRoundTrip) {
  EXPECT_EQ(Roundtrip("[1.0,2.50,1E2,1e-2,-0.0,3]"), "[1,2.5,100,0.01,0,3]");
  EXPECT_EQ(Roundtrip("12345678901234567890"), "12345678901234567890");
}

TEST(SerializeTest, IntegersExactly) {
  EXPECT_EQ(Serialize(Value(std::int64_t{-42})), "-42");
  EXPECT_EQ(Serialize(Value(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(Serialize(Value(std::numeric_limits<std::uint64_t>::max())), "18446744073709551615");
}

TEST(SerializeTest, StringEscapes) {
  EXPECT_EQ(Serialize(Value("a\"b\\c/d")), R"("a\"b\\c/d")");
  EXPECT_EQ(Serialize(Value("\b\f\n\r\t")), R"("\b\f\n\r\t")");
  EXPECT_EQ(Serialize(Value(std::string("\x01\x1f\x7f", 3))), "\"\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Serialize(Value(std::string("nul\0x", 5))), R"("nul\u0000x")");
  EXPECT_EQ(Serialize(Value("caf\xc3\xa9 \xe2\x82\xac")), "\"caf\xc3\xa9 \xe2\x82\xac\"");
  EXPECT_EQ(Roundtrip(R"("\u00e9\ud83d\ude00")"), "\"\xc3\xa9\xf0\x9f\x98\x80\"");
}

// Found by fuzz/json_call_fuzz.cc: a request header that is not UTF-8, quoted in an error
// message, made the API answer with a body that is not JSON. Every byte outside a valid UTF-8
// sequence (stray continuation bytes, overlong forms, surrogates, truncated sequences, code
// points past U+10FFFF) is printed as U+FFFD; valid sequences of every length are kept.
TEST(SerializeTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  const std::string kReplacement = "\xef\xbf\xbd";
  const std::pair<std::string, std::string> cases[] = {
      {"a\xff"
       "b",
       "a" + kReplacement + "b"},
      {"\x80", kReplacement},
      {"\xc0\x80", kReplacement + kReplacement},
      {"\xed\xa0\x80", kReplacement + kReplacement + kReplacement},
      {"\xe2\x82", kReplacement + kReplacement},
      {"\xf4\x90\x80\x80", kReplacement + kReplacement + kReplacement + kReplacement},
      {"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
       "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"},
  };
  for (const auto& [bytes, printed] : cases) {
    const Value value(Object{{bytes, bytes}});
    const std::string text = Serialize(value);
    EXPECT_EQ(text, "{\"" + printed + "\":\"" + printed + "\"}");
    EXPECT_TRUE(Parse(text).ok()) << text;
    EXPECT_EQ(SerializedSize(value), text.size());
    EXPECT_TRUE(FitsInBytes(value, text.size()));
    EXPECT_FALSE(FitsInBytes(value, text.size() - 1));
  }
}

TEST(SerializeTest, KeysAreEscapedToo) {
  Object o;
  o["a\"b"] = 1;
  EXPECT_EQ(Serialize(o), R"({"a\"b":1})");
}

TEST(SerializedSizeTest, MatchesTheSerializedLength) {
  for (const char* text :
       {"{}", "[]", "null", "0", "-1.5e-9", "1e21", "12345678901234567890", R"("a\"\n\u0001")",
        R"({"a":[1,2.5,{"b":"caf\u00e9"}],"c":true,"d":null,"e":-0.0})"}) {
    Value v = MustParse(text);
    EXPECT_EQ(SerializedSize(v), Serialize(v).size()) << text;
  }
  Value big = Object{{"data", std::string(kMaxPayloadBytes, 'x')}};
  EXPECT_GT(SerializedSize(big), kMaxPayloadBytes);
}

TEST(FitsInBytesTest, AgreesWithSerializedSize) {
  // Small: decided by the upper bound alone.
  EXPECT_TRUE(FitsInBytes(MustParse(R"({"a":[1,"x",null]})"), 100));
  EXPECT_FALSE(FitsInBytes(MustParse(R"({"a":[1,"x",null]})"), 10));
  // Bound over the limit, exact size under it: 50,000 quotes serialize to 100,002 bytes.
  EXPECT_TRUE(FitsInBytes(Value(std::string(50000, '"')), kMaxPayloadBytes));
  EXPECT_FALSE(FitsInBytes(Value(std::string(50000, '"')), 100001));
  EXPECT_TRUE(FitsInBytes(Value(std::string(50000, '"')), 100002));
  EXPECT_FALSE(FitsInBytes(Value(std::string(kMaxPayloadBytes, 'x')), kMaxPayloadBytes));
}

// `levels` arrays nested in one another around a 1: a value built by code, not by Parse.
Value NestedArrays(int levels) {
  Value value = 1;
  for (int i = 0; i < levels; ++i) value = Array{std::move(value)};
  return value;
}

TEST(NestingWithinTest, CountsArraysAndObjectsAsParseDoes) {
  EXPECT_TRUE(NestingWithin(Value(1), 0));
  EXPECT_FALSE(NestingWithin(MustParse("[]"), 0));
  EXPECT_TRUE(NestingWithin(MustParse(R"({"a":[1]})"), 2));
  EXPECT_FALSE(NestingWithin(MustParse(R"({"a":[{}]})"), 2));
  EXPECT_TRUE(NestingWithin(NestedArrays(kMaxDepth), kMaxDepth));
  EXPECT_FALSE(NestingWithin(NestedArrays(kMaxDepth + 1), kMaxDepth));
  // What NestingWithin accepts, Parse reads back.
  EXPECT_TRUE(Parse(Serialize(NestedArrays(kMaxDepth))).ok());
  EXPECT_FALSE(Parse(Serialize(NestedArrays(kMaxDepth + 1))).ok());
}

TEST(FitsInBytesTest, RefusesValuesNestedDeeperThanParseReads) {
  EXPECT_TRUE(FitsInBytes(NestedArrays(kMaxDepth), kMaxPayloadBytes));
  // Small (about 2 bytes per level) but too deep: it does not fit, and finding out looks no
  // deeper than the limit.
  EXPECT_FALSE(FitsInBytes(NestedArrays(kMaxDepth + 1), kMaxPayloadBytes));
  EXPECT_FALSE(FitsInBytes(NestedArrays(20000), kMaxPayloadBytes));
}

TEST(SerializePrettyTest, TwoSpaceIndentation) {
  Value v = MustParse(R"({"a":[1,{"b":null}],"c":{},"d":[],"e":"x"})");
  EXPECT_EQ(SerializePretty(v),
            "{\n"
            "  \"a\": [\n"
            "    1,\n"
            "    {\n"
            "      \"b\": null\n"
            "    }\n"
            "  ],\n"
            "  \"c\": {},\n"
            "  \"d\": [],\n"
            "  \"e\": \"x\"\n"
            "}");
  EXPECT_EQ(SerializePretty(Value(1.0)), "1");
  EXPECT_EQ(SerializePretty(Value(Array())), "[]");
}

TEST(SerializePrettyTest, ReadsBackToTheSameValue) {
  Value v = MustParse(R"({"a":[1,2.5,{"b":[[]]}],"s":"q\"\n"})");
  EXPECT_EQ(MustParse(SerializePretty(v)), v);
  EXPECT_EQ(MustParse(Serialize(v)), v);
}

TEST(TypeNameTest, NamesEveryKind) {
  EXPECT_EQ(TypeName(MustParse("{}")), "object");
  EXPECT_EQ(TypeName(MustParse("[]")), "array");
  EXPECT_EQ(TypeName(MustParse("\"\"")), "string");
  EXPECT_EQ(TypeName(MustParse("1")), "number");
  EXPECT_EQ(TypeName(MustParse("1.5")), "number");
  EXPECT_EQ(TypeName(MustParse("18446744073709551615")), "number");
  EXPECT_EQ(TypeName(MustParse("false")), "boolean");
  EXPECT_EQ(TypeName(MustParse("null")), "null");
}

TEST(AsDoubleTest, EveryNumberKind) {
  EXPECT_TRUE(IsNumber(MustParse("3")));
  EXPECT_FALSE(IsNumber(MustParse("\"3\"")));
  EXPECT_EQ(AsDouble(MustParse("3")), 3.0);
  EXPECT_EQ(AsDouble(MustParse("-3.25")), -3.25);
  EXPECT_EQ(AsDouble(MustParse("18446744073709551615")), 18446744073709551615.0);
}

}  // namespace
}  // namespace autoretrain::json
