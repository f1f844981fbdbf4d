#include "engine/jsonata_io.h"

#include <gtest/gtest.h>

#include <string>

namespace autoretrain::engine {
namespace {

// Evaluates `text` with the Step Functions functions and returns the result as JSON text, or
// "error:<code>" / "undefined".
std::string EvalSfn(const std::string& text) {
  Result<jsonata::Expression> e = jsonata::Compile(text);
  EXPECT_TRUE(e.ok()) << text;
  if (!e.ok()) return "compile error";
  auto r = e->Evaluate(nullptr, StepFunctionsFunctions());
  if (!r.ok()) return "error:" + r.error().error;
  if (!r->has_value()) return "undefined";
  return json::Serialize(**r);
}

TEST(JsonataIoTest, Partition) {
  EXPECT_EQ(EvalSfn("$partition([1,2,3], 1)"), "[[1],[2],[3]]");
  EXPECT_EQ(EvalSfn("$partition([], 3)"), "[]");
  EXPECT_EQ(EvalSfn("$partition([1,2], 0)"), "error:States.QueryEvaluationError");
  EXPECT_EQ(EvalSfn("$partition('x', 2)"), "error:States.QueryEvaluationError");
}

TEST(JsonataIoTest, Range) {
  EXPECT_EQ(EvalSfn("$range(5, 1, -2)"), "[5,3,1]");
  EXPECT_EQ(EvalSfn("$string($range(0, 1, 0.5))"), "\"[0,0.5,1]\"");
  EXPECT_EQ(EvalSfn("$range(1, 0, 1)"), "[]");
  EXPECT_EQ(EvalSfn("$range(0, 1, 0)"), "error:States.QueryEvaluationError");
}

TEST(JsonataIoTest, HashParseRandomUuid) {
  EXPECT_EQ(EvalSfn("$hash('abc', 'SHA-1')"), "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
  EXPECT_EQ(EvalSfn("$hash('abc', 'CRC32')"), "error:States.QueryEvaluationError");
  EXPECT_EQ(EvalSfn("$parse('[1, {\"a\": null}]')"), "[1,{\"a\":null}]");
  EXPECT_EQ(EvalSfn("$parse('{nope')"), "error:States.QueryEvaluationError");
  EXPECT_EQ(EvalSfn("$random(3) = $random(3)"), "true");
  EXPECT_EQ(EvalSfn("$random(3) = $random(4)"), "false");
  EXPECT_EQ(EvalSfn("$length($uuid())"), "36");
  EXPECT_EQ(EvalSfn("$uuid() = $uuid()"), "false");
  EXPECT_EQ(EvalSfn("$eval('1')"), "error:States.QueryEvaluationError");
}

TEST(JsonataIoTest, EvaluateSecondsRejectsNonIntegers) {
  std::vector<asl::Diagnostic> problems;
  auto tmpl = asl::JsonataTemplate::Compile(json::Value("{% 1.5 %}"), "Seconds", "/S", &problems);
  ASSERT_TRUE(tmpl.has_value());
  Result<int64_t> n = EvaluateSeconds(*tmpl, StepFunctionsFunctions(), {}, "Seconds", 0);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().error, "States.QueryEvaluationError");
  EXPECT_NE(n.error().cause.find("'Seconds'"), std::string::npos);
}

}  // namespace
}  // namespace autoretrain::engine
