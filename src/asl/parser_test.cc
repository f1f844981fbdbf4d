// The whole-definition checks: top-level fields, transitions, reachability, and the seed.
#include "autoretrain/asl/parser.h"

#include <gtest/gtest.h>

#include <utility>

#include "asl_test_util.h"

namespace autoretrain::asl {
namespace {

using testing::Describe;
using testing::Diagnose;
using testing::Has;
using testing::Machine;
using testing::MustCompile;
using testing::OneState;
using testing::ReadSeed;

TEST(ParserTest, SeedDefinitionCompiles) {
  std::string text = ReadSeed();
  ASSERT_FALSE(text.empty()) << "seed definition not found";
  auto machine = MustCompile(text);
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->comment, "Auto retraining trigger based on monitoring CSV output");
  ASSERT_EQ(machine->states.size(), 4u);
  EXPECT_EQ(machine->start_at, "ReadRetrainingDecision");
  EXPECT_EQ(machine->start_index, 0);

  const State& read = machine->states[0];
  EXPECT_EQ(read.type, StateType::kTask);
  EXPECT_EQ(read.resource, "arn:aws:states:::lambda:invoke");
  EXPECT_TRUE(read.parameters.has_value());
  EXPECT_TRUE(read.result_selector.has_value());
  EXPECT_EQ(read.result_path.kind, OptionalPath::Kind::kPath);
  EXPECT_EQ(read.result_path.path->text(), "$.decision");
  EXPECT_EQ(read.next_index, 1);
  EXPECT_FALSE(read.end);

  const State& choice = machine->states[1];
  EXPECT_EQ(choice.type, StateType::kChoice);
  ASSERT_EQ(choice.choices.size(), 1u);
  EXPECT_EQ(choice.choices[0].op, ChoiceRule::Op::kStringEquals);
  EXPECT_EQ(choice.choices[0].op_name, "StringEquals");
  EXPECT_EQ(choice.choices[0].variable->text(), "$.decision.decision");
  EXPECT_EQ(choice.choices[0].operand, json::Value("YES"));
  EXPECT_EQ(choice.choices[0].next_index, machine->index_by_name.at("TriggerTrainingPipeline"));
  EXPECT_EQ(choice.default_index, machine->index_by_name.at("NoRetrainingNeeded"));

  const State& trigger = machine->states[2];
  EXPECT_EQ(trigger.resource, "arn:aws:states:::states:startExecution");
  EXPECT_TRUE(trigger.end);
  EXPECT_EQ(trigger.next_index, -1);
  EXPECT_EQ(machine->states[3].type, StateType::kSucceed);
  EXPECT_TRUE(machine->definition.is_object());
}

TEST(ParserTest, SeedParametersEvaluate) {
  auto machine = MustCompile(ReadSeed());
  ASSERT_NE(machine, nullptr);
  json::Value result = json::Parse(R"({"Payload":{"retraining_required":"YES"}})").value();
  Result<json::Value> selected =
      machine->states[0].result_selector->Evaluate(result, json::Object());
  ASSERT_TRUE(selected.ok()) << selected.error().cause;
  EXPECT_EQ(json::Serialize(*selected), R"({"decision":"YES"})");
}

// State::passes_input_on: only a Pass or Succeed state that provably hands its raw input on.
TEST(ParserTest, PassesInputOnMarksStatesThatOnlyHandTheirInputOn) {
  const std::pair<std::string_view, bool> cases[] = {
      {R"({"Type":"Pass","Next":"Done"})", true},
      {R"({"Type":"Pass","InputPath":"$","ResultPath":"$","OutputPath":"$","Next":"Done"})", true},
      {R"({"Type":"Succeed"})", true},
      {R"({"Type":"Pass","Result":1,"Next":"Done"})", false},
      {R"({"Type":"Pass","Parameters":{"a":1},"Next":"Done"})", false},
      {R"({"Type":"Pass","InputPath":"$.a","Next":"Done"})", false},
      {R"({"Type":"Pass","ResultPath":null,"Next":"Done"})", false},
      {R"({"Type":"Pass","OutputPath":"$$","Next":"Done"})", false},
      {R"({"Type":"Pass","Assign":{"v":1},"Next":"Done"})", false},
      {R"({"Type":"Succeed","OutputPath":null})", false},
      {R"({"Type":"Pass","QueryLanguage":"JSONata","Next":"Done"})", false},
      {R"({"Type":"Wait","Seconds":0,"Next":"Done"})", false},
  };
  for (const auto& [state, passes] : cases) {
    const bool ends = state.find("Next") == std::string_view::npos;
    auto machine = MustCompile(ends ? R"({"StartAt":"S","States":{"S":)" + std::string(state) + "}}"
                                    : OneState(state));
    ASSERT_NE(machine, nullptr) << state;
    EXPECT_EQ(machine->states[machine->start_index].passes_input_on, passes) << state;
  }
}

TEST(ParserTest, MalformedJsonIsInvalidJsonDescription) {
  auto diagnostics = Diagnose(R"({"StartAt": "A", )");
  ASSERT_EQ(diagnostics.size(), 1u) << Describe(diagnostics);
  EXPECT_EQ(diagnostics[0].code, kInvalidJsonDescription);
}

TEST(ParserTest, EmptyTextIsMissingDescription) {
  auto diagnostics = Diagnose("  \n");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code, kMissingDescription);
}

TEST(ParserTest, NonObjectDefinition) {
  for (const char* text : {"[]", "1", "\"x\"", "null", "true"}) {
    auto diagnostics = Diagnose(text);
    ASSERT_EQ(diagnostics.size(), 1u) << text;
    EXPECT_EQ(diagnostics[0].code, kSchemaValidationFailed);
    EXPECT_EQ(diagnostics[0].location, "");
  }
}

TEST(ParserTest, MissingStartAtAndStates) {
  auto diagnostics = Diagnose("{}");
  ASSERT_EQ(diagnostics.size(), 1u) << Describe(diagnostics);
  EXPECT_EQ(diagnostics[0].code, kSchemaValidationFailed);
  EXPECT_EQ(diagnostics[0].message, "These fields are required: [StartAt, States]");
}

TEST(ParserTest, StartAtNotAString) {
  EXPECT_DIAGNOSTIC(R"({"StartAt":1,"States":{"A":{"Type":"Succeed"}}})", kSchemaValidationFailed,
                    "/StartAt");
}

TEST(ParserTest, StartAtNamingNoState) {
  auto diagnostics = Diagnose(R"({"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/StartAt")) << Describe(diagnostics);
}

TEST(ParserTest, StatesNotAnObjectOrEmpty) {
  EXPECT_DIAGNOSTIC(R"({"StartAt":"A","States":[]})", kSchemaValidationFailed, "/States");
  EXPECT_DIAGNOSTIC(R"({"StartAt":"A","States":{}})", kSchemaValidationFailed, "/States");
}

TEST(ParserTest, TopLevelFieldTypes) {
  const std::string states = R"("StartAt":"A","States":{"A":{"Type":"Succeed"}})";
  EXPECT_DIAGNOSTIC("{" + states + R"(,"Comment":5})", kSchemaValidationFailed, "/Comment");
  EXPECT_DIAGNOSTIC("{" + states + R"(,"Version":1.0})", kSchemaValidationFailed, "/Version");
  EXPECT_DIAGNOSTIC("{" + states + R"(,"TimeoutSeconds":0})", kSchemaValidationFailed,
                    "/TimeoutSeconds");
  EXPECT_DIAGNOSTIC("{" + states + R"(,"TimeoutSeconds":"5"})", kSchemaValidationFailed,
                    "/TimeoutSeconds");
  EXPECT_DIAGNOSTIC("{" + states + R"(,"Foo":1})", kSchemaValidationFailed, "/Foo");
}

TEST(ParserTest, TopLevelOptionalFieldsAccepted) {
  auto machine = MustCompile(
      R"({"Comment":"c","Version":"1.0","TimeoutSeconds":60,"QueryLanguage":"JSONPath",
          "StartAt":"A","States":{"A":{"Type":"Succeed"}}})");
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->timeout_seconds, 60);
}

TEST(ParserTest, QueryLanguageJsonata) {
  auto machine =
      MustCompile(R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Succeed"}}})");
  ASSERT_NE(machine, nullptr);
  EXPECT_TRUE(machine->states[0].jsonata);
  EXPECT_DIAGNOSTIC(R"({"QueryLanguage":"XPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}})",
                    kSchemaValidationFailed, "/QueryLanguage");
  // A JSONata state may set QueryLanguage itself; a JSONata machine cannot go back to JSONPath.
  EXPECT_DIAGNOSTIC(R"({"QueryLanguage":"JSONata","StartAt":"A",
                        "States":{"A":{"Type":"Succeed","QueryLanguage":"JSONPath"}}})",
                    kSchemaValidationFailed, "/States/A/QueryLanguage");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Pass","QueryLanguage":"JSONata","Result":1,"End":true})"),
                    kSchemaValidationFailed, "/States/S/Result");
}

TEST(ParserTest, JsonataExpressionsCompiledOnce) {
  auto machine = MustCompile(R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{
      "Type":"Pass","Output":{"a":"{% $states.input.x %}","b":[1,"{% 2 %}"],"c":"{%x"},
      "End":true}}})");
  ASSERT_NE(machine, nullptr);
  const asl::State& a = machine->states[0];
  ASSERT_TRUE(a.jsonata_fields.output.has_value());
  EXPECT_FALSE(a.jsonata_fields.output->is_literal());
  jsonata::Bindings bindings;
  bindings.SetValue("states", json::Parse(R"({"input":{"x":7}})").value());
  auto out = a.jsonata_fields.output->Evaluate(bindings, {});
  ASSERT_TRUE(out.ok()) << out.error().cause;
  EXPECT_EQ(json::Serialize(*out), R"({"a":7,"b":[1,2],"c":"{%x"})");
  // A syntax error is a diagnostic at the field's JSON pointer.
  EXPECT_DIAGNOSTIC(R"({"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{
      "Type":"Pass","Output":{"a":["{% 1 + %}"]},"End":true}}})",
                    kSchemaValidationFailed, "/States/A/Output/a/0");
}

TEST(ParserTest, NextNamingNoState) {
  auto diagnostics = Diagnose(OneState(R"({"Type":"Pass","Next":"Nope"})"));
  ASSERT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/S/Next"))
      << Describe(diagnostics);
  for (const Diagnostic& d : diagnostics) {
    if (d.location == "/States/S/Next") {
      EXPECT_EQ(d.ToString(),
                "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/S/Next");
    }
  }
}

TEST(ParserTest, UnreachableState) {
  auto diagnostics = Diagnose(
      R"({"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Pass","Next":"C"},
          "C":{"Type":"Succeed"}}})");
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/B")) << Describe(diagnostics);
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/C")) << Describe(diagnostics);
  EXPECT_EQ(diagnostics.size(), 2u) << Describe(diagnostics);
}

TEST(ParserTest, StatesReachedThroughChoiceDefaultAndCatchAreReachable) {
  auto machine = MustCompile(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"T"}],
           "Default":"D"},
      "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},
      "D":{"Type":"Succeed"},
      "F":{"Type":"Fail","Error":"E"}}})");
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[1].catch_[0].next_index, 3);
  EXPECT_EQ(machine->states[0].default_index, 2);
}

TEST(ParserTest, NoTerminalState) {
  auto diagnostics = Diagnose(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                   "B":{"Type":"Pass","Next":"A"}}})");
  EXPECT_TRUE(Has(diagnostics, kMissingEndState, "/States")) << Describe(diagnostics);
}

TEST(ParserTest, StateNameTooLong) {
  std::string name(81, 'x');
  EXPECT_DIAGNOSTIC(
      R"({"StartAt":")" + name + R"(","States":{")" + name + R"(":{"Type":"Succeed"}}})",
      kInvalidStateName, "/States/" + name);
  // 80 characters, some multi-byte, are fine.
  std::string ok = std::string(78, 'x') + "\xC3\xA9\xC3\xA9";
  EXPECT_NE(
      MustCompile(R"({"StartAt":")" + ok + R"(","States":{")" + ok + R"(":{"Type":"Succeed"}}})"),
      nullptr);
}

TEST(ParserTest, LocationsEscapeSlashAndTilde) {
  EXPECT_DIAGNOSTIC(R"({"StartAt":"a/b~c","States":{"a/b~c":{"Type":"Pass","Next":"x"}}})",
                    kMissingTransitionTarget, "/States/a~1b~0c/Next");
}

TEST(ParserTest, EveryProblemIsReported) {
  auto diagnostics = Diagnose(R"({"StartAt":"A","Bogus":1,"States":{
      "A":{"Type":"Pass","Next":"Missing","Parameters":{"x.$":5}},
      "B":{"Type":"Wait"},
      "C":{"Type":"Succeed","Result":1},
      "D":{"Type":"Nope"}}})");
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/Bogus"));
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/A/Next"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/A/Parameters/x.$"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/B"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/C/Result"));
  EXPECT_TRUE(Has(diagnostics, kSchemaValidationFailed, "/States/D/Type"));
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/B"));
  EXPECT_GE(diagnostics.size(), 8u) << Describe(diagnostics);
}

TEST(ParserTest, DiagnosticToString) {
  Diagnostic d{kSchemaValidationFailed, "/States/Read/Foo",
               "The field 'Foo' is not supported by Step Functions"};
  EXPECT_EQ(d.ToString(),
            "SCHEMA_VALIDATION_FAILED: The field 'Foo' is not supported by Step Functions at "
            "/States/Read/Foo");
  EXPECT_EQ((Diagnostic{kMissingDescription, "", "empty"}).ToString(),
            "MISSING_DESCRIPTION: empty");
}

TEST(ParserTest, StateTypeNames) {
  EXPECT_STREQ(StateTypeName(StateType::kPass), "Pass");
  EXPECT_STREQ(StateTypeName(StateType::kTask), "Task");
  EXPECT_STREQ(StateTypeName(StateType::kChoice), "Choice");
  EXPECT_STREQ(StateTypeName(StateType::kWait), "Wait");
  EXPECT_STREQ(StateTypeName(StateType::kSucceed), "Succeed");
  EXPECT_STREQ(StateTypeName(StateType::kFail), "Fail");
  EXPECT_STREQ(StateTypeName(StateType::kParallel), "Parallel");
  EXPECT_STREQ(StateTypeName(StateType::kMap), "Map");
}

TEST(ParserTest, CompileKeepsTheDefinitionAndIsShareable) {
  json::Value definition =
      json::Parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})").value();
  CompileResult result = Compile(definition);
  auto* machine = std::get_if<std::shared_ptr<const StateMachine>>(&result);
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ((*machine)->definition, definition);
  EXPECT_EQ((*machine)->index_by_name.at("A"), 0);
}

}  // namespace
}  // namespace autoretrain::asl
