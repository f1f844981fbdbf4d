// Unit tests of the intrinsic function parser: argument kinds, escapes, nesting, and the
// messages of malformed calls.
#include "intrinsic_parser.h"

#include <vector>

#include <gtest/gtest.h>

namespace autoretrain::asl {
namespace {

Intrinsic MustParse(std::string_view text) {
  Result<Intrinsic> r = ParseIntrinsic(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().cause);
  return r.ok() ? std::move(r).value() : Intrinsic{};
}

std::string ParseError(std::string_view text) {
  Result<Intrinsic> r = ParseIntrinsic(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().cause;
}

TEST(IntrinsicParserTest, ArgumentKinds) {
  Intrinsic c = MustParse("States.Array('a', 1, -2.5, true, false, null, $.x, $$.Execution.Id)");
  EXPECT_EQ(c.function, IntrinsicFunction::kArray);
  ASSERT_EQ(c.args.size(), 8u);
  EXPECT_EQ(c.args[0].literal, json::Value("a"));
  EXPECT_TRUE(c.args[0].is_string_literal);
  EXPECT_EQ(c.args[1].literal, json::Value(1));
  EXPECT_EQ(c.args[2].literal, json::Value(-2.5));
  EXPECT_EQ(c.args[3].literal, json::Value(true));
  EXPECT_TRUE(c.args[5].literal.is_null());
  EXPECT_EQ(c.args[6].kind, IntrinsicArg::Kind::kPath);
  EXPECT_EQ(c.args[6].path->text(), "$.x");
  EXPECT_TRUE(c.args[7].path->is_context());
  EXPECT_TRUE(IntrinsicReadsContext(c));
}

TEST(IntrinsicParserTest, EscapesAndPlaceholders) {
  Intrinsic c = MustParse(R"(States.Format('it\'s \{x\} {} \\ {}', 1, 2))");
  EXPECT_EQ(c.args[0].literal, json::Value(R"(it's {x} {} \ {})"));
  ASSERT_EQ(c.args[0].format.size(), 3u);
  EXPECT_EQ(c.args[0].format[0], "it's {x} ");
  EXPECT_EQ(c.args[0].format[1], " \\ ");
  EXPECT_EQ(c.args[0].format[2], "");
}

TEST(IntrinsicParserTest, NestedCallsAndBracketPaths) {
  Intrinsic c = MustParse("States.ArrayGetItem(States.StringSplit($['a,b'], ','), 0)");
  ASSERT_EQ(c.args[0].kind, IntrinsicArg::Kind::kCall);
  EXPECT_EQ(c.args[0].call[0].function, IntrinsicFunction::kStringSplit);
  EXPECT_EQ(c.args[0].call[0].args[0].path->text(), "$['a,b']");
  EXPECT_FALSE(IntrinsicReadsContext(c));
  MustParse("States.UUID()");
  MustParse("States.MathRandom(1, 10)");
  MustParse("States.MathRandom(1, 10, 7)");
}

TEST(IntrinsicParserTest, NestingLimit) {
  std::string ten = "$.x";
  for (int i = 0; i < 10; ++i) ten = "States.Array(" + ten + ")";
  MustParse(ten);
  EXPECT_NE(ParseError("States.Array(" + ten + ")").find("nested"), std::string::npos);
}

TEST(IntrinsicParserTest, Malformed) {
  EXPECT_NE(ParseError("States.Nope(1)").find("not an intrinsic function"), std::string::npos);
  EXPECT_NE(ParseError("States.ArrayLength()").find("takes 1 argument, not 0"), std::string::npos);
  EXPECT_NE(ParseError("States.MathRandom(1)").find("2 or 3 arguments"), std::string::npos);
  EXPECT_NE(ParseError("States.UUID(1)").find("takes 0 arguments"), std::string::npos);
  EXPECT_NE(ParseError("States.Format()").find("at least 1 argument"), std::string::npos);
  EXPECT_NE(ParseError("States.Format('a").find("unterminated"), std::string::npos);
  EXPECT_NE(ParseError(R"(States.Format('\n'))").find("invalid escape"), std::string::npos);
  EXPECT_NE(ParseError("States.Format('{')").find("must be escaped"), std::string::npos);
  EXPECT_NE(ParseError("States.Format('}')").find("must be escaped"), std::string::npos);
  EXPECT_NE(ParseError("States.Array(1) x").find("after the closing"), std::string::npos);
  EXPECT_NE(ParseError("States.Array(1").find("missing ')'"), std::string::npos);
  EXPECT_NE(ParseError("States.Array(foo)").find("not a valid argument"), std::string::npos);
  EXPECT_NE(ParseError("States.Array(1,)").find("missing argument"), std::string::npos);
  EXPECT_NE(ParseError("States.Array($.a[)").find("not a valid JSONPath"), std::string::npos);
  EXPECT_NE(ParseError("States.JsonToString('x')").find("must be a JSONPath"), std::string::npos);
  EXPECT_NE(ParseError("States.Array(1 2)").find("expected ',' or ')'"), std::string::npos);
}

// Found by fuzz/intrinsic_fuzz.cc: a backslash ending the text inside a quoted part of a path
// argument made the parser read one byte past the text. The text is in a buffer of exactly its
// size, so that AddressSanitizer sees such a read.
TEST(IntrinsicParserTest, BackslashEndingAQuotedPath) {
  const std::string_view call = R"(States.Array($['a\)";
  const std::vector<char> exact(call.begin(), call.end());
  EXPECT_NE(ParseError(std::string_view(exact.data(), exact.size())).find("not a valid JSONPath"),
            std::string::npos);
}

}  // namespace
}  // namespace autoretrain::asl
