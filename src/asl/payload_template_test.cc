#include "autoretrain/asl/payload_template.h"

#include <gtest/gtest.h>

#include "json/jsonpath_test_util.h"

namespace autoretrain::asl {
namespace {

using json::testing::J;

PayloadTemplate MustCompileTemplate(std::string_view tmpl) {
  std::vector<Diagnostic> problems;
  std::optional<PayloadTemplate> out = PayloadTemplate::Compile(J(tmpl), "/P", &problems);
  EXPECT_TRUE(out.has_value()) << (problems.empty() ? "" : problems[0].ToString());
  return out ? std::move(*out) : *PayloadTemplate::Compile(json::Object(), "/P", &problems);
}

std::string Eval(const PayloadTemplate& t, std::string_view input,
                 std::string_view context = "{}") {
  Result<json::Value> out = t.Evaluate(J(input), J(context));
  if (!out.ok()) return "ERROR " + out.error().error + ": " + out.error().cause;
  return json::Serialize(*out);
}

TEST(PayloadTemplateTest, LiteralsAreCopied) {
  PayloadTemplate t = MustCompileTemplate(R"({"a":1,"b":[true,null,"$.x"],"c":{"d":"e"}})");
  EXPECT_EQ(Eval(t, R"({"x":5})"), R"({"a":1,"b":[true,null,"$.x"],"c":{"d":"e"}})");
}

TEST(PayloadTemplateTest, PathKeysSelectFromInput) {
  PayloadTemplate t =
      MustCompileTemplate(R"({"decision.$":"$.Payload.retraining_required","k":"v"})");
  EXPECT_EQ(Eval(t, R"({"Payload":{"retraining_required":"YES"}})"),
            R"({"decision":"YES","k":"v"})");
}

TEST(PayloadTemplateTest, NestedObjectsAndArrays) {
  PayloadTemplate t = MustCompileTemplate(
      R"({"outer":{"inner.$":"$.a","list":[{"x.$":"$.b[1]"},7,["lit",{"y.$":"$"}]]}})");
  EXPECT_EQ(
      Eval(t, R"({"a":{"z":1},"b":[10,20]})"),
      R"({"outer":{"inner":{"z":1},"list":[{"x":20},7,["lit",{"y":{"a":{"z":1},"b":[10,20]}}]]}})");
}

TEST(PayloadTemplateTest, ContextPaths) {
  PayloadTemplate t =
      MustCompileTemplate(R"({"id.$":"$$.Execution.Id","name.$":"$$.State.Name","in.$":"$.v"})");
  EXPECT_EQ(Eval(t, R"({"v":1})", R"({"Execution":{"Id":"arn:x"},"State":{"Name":"S"}})"),
            R"({"id":"arn:x","name":"S","in":1})");
}

TEST(PayloadTemplateTest, IndefinitePathGivesArray) {
  PayloadTemplate t =
      MustCompileTemplate(R"({"ids.$":"$.items[*].id","none.$":"$.items[?(@.id > 9)]"})");
  EXPECT_EQ(Eval(t, R"({"items":[{"id":1},{"id":2}]})"), R"({"ids":[1,2],"none":[]})");
}

TEST(PayloadTemplateTest, MissingPathIsStatesRuntime) {
  PayloadTemplate t = MustCompileTemplate(R"({"ok":1,"x":{"decision.$":"$.Payload.missing"}})");
  EXPECT_EQ(Eval(t, R"({"Payload": {"a": 1}})"),
            "ERROR States.Runtime: The JSONPath '$.Payload.missing' specified for the field "
            "'decision.$' could not be found in the input '{\"Payload\":{\"a\":1}}'");
}

TEST(PayloadTemplateTest, MissingContextPathIsStatesRuntime) {
  PayloadTemplate t = MustCompileTemplate(R"({"token.$":"$$.Task.Token"})");
  Result<json::Value> out = t.Evaluate(J(R"({"a":1})"), J(R"({"Execution":{}})"));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().error, "States.Runtime");
  EXPECT_NE(out.error().cause.find("'token.$'"), std::string::npos);
}

TEST(PayloadTemplateTest, CompileProblemsAreLocatedAndAllReported) {
  std::vector<Diagnostic> problems;
  auto t = PayloadTemplate::Compile(
      J(R"js({"a.$":5,"b":{"c.$":"nope"},"d":[{"e.$":"States.Nope($.x)"}],"f.$":"$.ok"})js"),
      "/States/S/Parameters", &problems);
  EXPECT_FALSE(t.has_value());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].code, kSchemaValidationFailed);
  EXPECT_EQ(problems[0].location, "/States/S/Parameters/a.$");
  EXPECT_EQ(problems[1].code, kSchemaValidationFailed);
  EXPECT_EQ(problems[1].location, "/States/S/Parameters/b/c.$");
  EXPECT_EQ(problems[2].code, kSchemaValidationFailed);
  EXPECT_EQ(problems[2].location, "/States/S/Parameters/d/0/e.$");
}

TEST(PayloadTemplateTest, StringProblemsOverload) {
  std::vector<std::string> problems;
  auto t = PayloadTemplate::Compile(J(R"({"a.$":true})"), "/P", &problems);
  EXPECT_FALSE(t.has_value());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("/P/a.$: ", 0), 0u) << problems[0];
}

TEST(PayloadTemplateTest, CopiesAreIndependentAndEqual) {
  PayloadTemplate t = MustCompileTemplate(R"({"a.$":"$.x","b":[1]})");
  PayloadTemplate copy = t;
  PayloadTemplate assigned = MustCompileTemplate("{}");
  assigned = copy;
  PayloadTemplate moved = std::move(copy);
  EXPECT_EQ(Eval(t, R"({"x":2})"), R"({"a":2,"b":[1]})");
  EXPECT_EQ(Eval(assigned, R"({"x":2})"), R"({"a":2,"b":[1]})");
  EXPECT_EQ(Eval(moved, R"({"x":3})"), R"({"a":3,"b":[1]})");
}

TEST(PayloadTemplateTest, KeyEndingInDollarOnlyStrips) {
  PayloadTemplate t = MustCompileTemplate(R"({".$":"$.x"})");
  EXPECT_EQ(Eval(t, R"({"x":"v"})"), R"({"":"v"})");
}

TEST(PayloadTemplateTest, NonObjectTemplatesEvaluate) {
  EXPECT_EQ(Eval(MustCompileTemplate("[1,{\"a.$\":\"$\"}]"), "2"), R"([1,{"a":2}])");
  EXPECT_EQ(Eval(MustCompileTemplate("\"text\""), "{}"), R"("text")");
}

// EvaluateConsuming on `input` (and a context object with an Id): the result.
std::string EvalConsuming(const PayloadTemplate& t, json::Value& input) {
  Result<json::Value> out = t.EvaluateConsuming(input, J(R"({"Id":"e"})"));
  if (!out.ok()) return "ERROR " + out.error().error + ": " + out.error().cause;
  return json::Serialize(*out);
}

TEST(PayloadTemplateTest, ConsumingMovesWhatTheOnlyInputPathFinds) {
  json::Value input = J(R"({"a":{"big":[1,2,3]},"b":2})");
  EXPECT_EQ(EvalConsuming(MustCompileTemplate(R"({"x.$":"$.a","k":"v","c.$":"$$.Id"})"), input),
            R"({"x":{"big":[1,2,3]},"k":"v","c":"e"})");
  EXPECT_EQ(json::Serialize(input), R"({"a":null,"b":2})");  // moved out, not copied

  json::Value whole = J(R"({"n":1})");
  EXPECT_EQ(EvalConsuming(MustCompileTemplate(R"({"item.$":"$"})"), whole), R"({"item":{"n":1}})");
}

TEST(PayloadTemplateTest, ConsumingCopiesWhenTheInputIsReadMoreThanOnce) {
  // Moving `$.a` would leave `$.a.b` null for the second path; an intrinsic call may read the
  // input several times; an indefinite path builds a new value anyway.
  for (std::string_view tmpl :
       {R"({"x.$":"$.a","y.$":"$.a.b"})", R"j({"x.$":"$.a","y.$":"States.Array($.a)"})j",
        R"({"x.$":"$..b"})"}) {
    json::Value input = J(R"({"a":{"b":1}})");
    PayloadTemplate t = MustCompileTemplate(tmpl);
    EXPECT_EQ(EvalConsuming(t, input), Eval(t, R"({"a":{"b":1}})")) << tmpl;
    EXPECT_EQ(json::Serialize(input), R"({"a":{"b":1}})") << tmpl;
  }
}

TEST(PayloadTemplateTest, ConsumingReportsAMissingPathLikeEvaluate) {
  json::Value input = J(R"({"a":1})");
  PayloadTemplate t = MustCompileTemplate(R"({"x.$":"$.missing"})");
  EXPECT_EQ(EvalConsuming(t, input), Eval(t, R"({"a":1})"));
  EXPECT_EQ(json::Serialize(input), R"({"a":1})");
}

}  // namespace
}  // namespace autoretrain::asl
