// The input/output processing chain (InputPath, Parameters, Result, ResultSelector,
// ResultPath, OutputPath) as the AWS developer guide's "Input and output processing" pages
// describe it, run through Pass and Task states.
#include "engine/io_processing.h"

#include <gtest/gtest.h>

#include "engine/engine_test_util.h"

namespace autoretrain::engine {
namespace {

using testing::Harness;
using testing::J;

// Runs a one-state Pass machine whose state has the given extra fields.
ExecutionResult RunPass(Harness& h, const std::string& fields, const std::string& input) {
  return h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Pass",)" + fields + R"("End":true}}})",
               input);
}

TEST(IoProcessingTest, BracketNotation) {
  EXPECT_EQ(BracketNotation("$.x"), "$['x']");
  EXPECT_EQ(BracketNotation("$.a.b[0]"), "$['a']['b'][0]");
  EXPECT_EQ(BracketNotation("$['a b'].c"), "$['a b']['c']");
  EXPECT_EQ(BracketNotation("$"), "$");
}

TEST(IoProcessingTest, PassWithoutFieldsPassesInputThrough) {
  Harness h;
  ExecutionResult r = RunPass(h, "", R"({"a":1,"b":[true,null]})");
  EXPECT_EQ(*r.output, J(R"({"a":1,"b":[true,null]})"));
}

TEST(IoProcessingTest, InputPathSelects) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("InputPath":"$.a",)", R"({"a":{"b":2},"c":3})").output, J(R"({"b":2})"));
}

TEST(IoProcessingTest, InputPathNullGivesEmptyObject) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("InputPath":null,)", R"({"a":1})").output, J("{}"));
}

TEST(IoProcessingTest, InputPathMissingIsRuntimeError) {
  Harness h;
  ExecutionResult r = RunPass(h, R"("InputPath":"$.x",)", R"({"a":1})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "An error occurred while executing the state 'P' (entered at the event id #2). "
            "Invalid path '$.x' : No results for path: $['x']");
}

TEST(IoProcessingTest, IndefiniteInputPathGivesArray) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("InputPath":"$.a[*].v",)", R"({"a":[{"v":1},{"v":2}]})").output,
            J("[1,2]"));
}

TEST(IoProcessingTest, ParametersBuildTheEffectiveInput) {
  Harness h;
  ExecutionResult r = RunPass(
      h, R"("InputPath":"$.in","Parameters":{"x.$":"$.v","lit":"s","nested":{"y.$":"$.w[1]"}},)",
      R"({"in":{"v":5,"w":[0,9]}})");
  EXPECT_EQ(*r.output, J(R"({"x":5,"lit":"s","nested":{"y":9}})"));
}

TEST(IoProcessingTest, ParametersPathMissingIsRuntimeError) {
  Harness h;
  ExecutionResult r = RunPass(h, R"("Parameters":{"x.$":"$.nope"},)", "{}");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause->rfind("An error occurred while executing the state 'P'", 0), 0u);
}

TEST(IoProcessingTest, ResultReplacesInputByDefault) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("Result":{"r":1},)", R"({"a":1})").output, J(R"({"r":1})"));
}

TEST(IoProcessingTest, ResultPathMergesIntoRawInput) {
  Harness h;
  // ResultPath applies to the raw input, not to the InputPath selection.
  ExecutionResult r =
      RunPass(h, R"("InputPath":"$.a","Result":7,"ResultPath":"$.b.c",)", R"({"a":{"x":1},"z":0})");
  EXPECT_EQ(*r.output, J(R"({"a":{"x":1},"z":0,"b":{"c":7}})"));
}

TEST(IoProcessingTest, ResultPathOverwritesExistingField) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("Result":"new","ResultPath":"$.a",)", R"({"a":"old"})").output,
            J(R"({"a":"new"})"));
}

TEST(IoProcessingTest, ResultPathNullKeepsRawInput) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("InputPath":"$.a","Result":1,"ResultPath":null,)", R"({"a":{}})").output,
            J(R"({"a":{}})"));
}

TEST(IoProcessingTest, ResultPathDollarReplaces) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("Result":[1],"ResultPath":"$",)", R"({"a":1})").output, J("[1]"));
}

TEST(IoProcessingTest, PassWithoutResultUsesEffectiveInputAtResultPath) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("InputPath":"$.a","ResultPath":"$.copy",)", R"({"a":{"x":1}})").output,
            J(R"({"a":{"x":1},"copy":{"x":1}})"));
  EXPECT_EQ(*RunPass(h, R"("ResultPath":"$.self",)", R"({"a":1})").output,
            J(R"({"a":1,"self":{"a":1}})"));
}

TEST(IoProcessingTest, ResultPathIntoNonObjectFails) {
  Harness h;
  ExecutionResult r = RunPass(h, R"("Result":1,"ResultPath":"$.a.b",)", R"({"a":"str"})");
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.ResultPathMatchFailure");
}

TEST(IoProcessingTest, OutputPathSelects) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("Result":{"a":{"b":1}},"OutputPath":"$.a",)", "{}").output,
            J(R"({"b":1})"));
}

TEST(IoProcessingTest, OutputPathNullGivesEmptyObject) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("OutputPath":null,)", R"({"a":1})").output, J("{}"));
}

TEST(IoProcessingTest, OutputPathMissingIsRuntimeError) {
  Harness h;
  ExecutionResult r = RunPass(h, R"("OutputPath":"$.q.r",)", R"({"a":1})");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_NE(r.cause->find("Invalid path '$.q.r' : No results for path: $['q']['r']"),
            std::string::npos);
}

TEST(IoProcessingTest, OutputOverThePayloadLimitFails) {
  Harness h;
  std::string big(json::kMaxPayloadBytes, 'x');
  ExecutionResult r = h.Run(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})",
                            R"({"s":")" + big + R"("})");
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  Harness small;
  r = small.Run(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})",
                R"({"s":")" + std::string(1000, 'x') + R"("})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded);
}

TEST(IoProcessingTest, TaskResultOverThePayloadLimitFails) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke",
                    json::Value(std::string(json::kMaxPayloadBytes + 1, 'x')));
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","ResultPath":null,
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"}],"End":true}}})");
  // Not caught by States.ALL.
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  EXPECT_EQ(h.handler.calls.size(), 1u);
}

// A loop whose Pass state wraps its input in `wrap_levels` objects per turn, `turns` times.
std::string WrappingLoop(int wrap_levels, int turns) {
  std::string wrapper = R"({"x.$":"$"})";
  for (int i = 1; i < wrap_levels; ++i) wrapper = R"({"w":)" + wrapper + "}";
  return R"json({"StartAt":"Wrap","States":{
      "Wrap":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)","w":)json" +
         wrapper + R"(},"Next":"Enough"},
      "Enough":{"Type":"Choice","Choices":[{"Variable":"$.n",
        "NumericGreaterThanEquals":)" +
         std::to_string(turns) + R"(,"Next":"Done"}],"Default":"Wrap"},
      "Done":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}})";
}

TEST(IoProcessingTest, OutputNestedDeeperThanTheJsonLimitFails) {
  // Each turn adds 2 levels to {"n":0} (depth 1): 255 turns reach json::kMaxDepth.
  Harness fits;
  ExecutionResult r = fits.Run(WrappingLoop(1, (json::kMaxDepth - 1) / 2), R"({"n":0})");
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.error.value_or("") << r.cause.value_or("");
  Harness deep;
  r = deep.Run(WrappingLoop(1, json::kMaxDepth), R"({"n":0})");
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  EXPECT_NE(r.cause->find("'Wrap' produced a result whose arrays and objects nest deeper than 512 "
                          "levels"),
            std::string::npos)
      << *r.cause;
}

TEST(IoProcessingTest, LoopThatNestsHundredsOfLevelsPerTurnFailsCleanly) {
  // 400 levels per turn for 2,000 turns: without the limit the output would nest 800,000
  // levels deep and measuring or printing it would overflow the stack (a segfault seen before
  // the limit). With it, the second turn fails.
  Harness h;
  ExecutionResult r = h.Run(WrappingLoop(400, 2000), R"({"n":0})");
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  EXPECT_NE(r.cause->find("nest deeper than 512 levels"), std::string::npos) << *r.cause;
}

TEST(IoProcessingTest, OutputPathSelectsFromContext) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("OutputPath":"$$.State.Name",)", "{}").output, J(R"("P")"));
}

TEST(IoProcessingTest, IndefiniteOutputPath) {
  Harness h;
  EXPECT_EQ(*RunPass(h, R"("OutputPath":"$..v",)", R"({"a":{"v":1},"b":[{"v":2}]})").output,
            J("[1,2]"));
}

TEST(IoProcessingTest, TaskChainInAwsOrder) {
  // The developer guide's example: InputPath, Parameters, ResultSelector, ResultPath,
  // OutputPath applied in that order around the task.
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke",
                    J(R"({"Payload":{"total":42,"junk":true},"StatusCode":200})"));
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke",
      "InputPath":"$.order",
      "Parameters":{"FunctionName":"f","Payload":{"id.$":"$.id","ctx.$":"$$.State.Name"}},
      "ResultSelector":{"total.$":"$.Payload.total","code.$":"$.StatusCode"},
      "ResultPath":"$.result",
      "OutputPath":"$.result",
      "End":true}}})",
                            R"({"order":{"id":"o-1"},"other":1})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(h.handler.calls.at(0).parameters,
            J(R"({"FunctionName":"f","Payload":{"id":"o-1","ctx":"T"}})"));
  EXPECT_EQ(*r.output, J(R"({"total":42,"code":200})"));
}

TEST(IoProcessingTest, TaskResultPathNullDiscardsResult) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke", J(R"({"big":1})"));
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","ResultPath":null,"End":true}}})",
                            R"({"keep":true})");
  EXPECT_EQ(*r.output, J(R"({"keep":true})"));
}

TEST(IoProcessingTest, ResultSelectorMissingPathFails) {
  Harness h;
  h.handler.Returns("arn:aws:states:::lambda:invoke", J(R"({"a":1})"));
  ExecutionResult r = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"b.$":"$.b"},
      "End":true}}})");
  EXPECT_EQ(r.error, "States.Runtime");
}

TEST(IoProcessingTest, ChoiceAndSucceedApplyInputAndOutputPath) {
  Harness h;
  ExecutionResult r = h.Run(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","InputPath":"$.a","OutputPath":"$.b",
           "Choices":[{"Variable":"$.v","NumericEquals":1,"Next":"S"}]},
      "S":{"Type":"Succeed","InputPath":"$.c"}}})",
                            R"({"a":{"v":1,"b":{"c":"done"}}})");
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.cause.value_or("");
  EXPECT_EQ(*r.output, J(R"("done")"));
}

}  // namespace
}  // namespace autoretrain::engine
