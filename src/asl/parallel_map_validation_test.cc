// Parallel and Map definitions: nested machines as their own scopes, unique state names across
// the whole definition, and the fields of each state type.
#include <gtest/gtest.h>

#include "asl_test_util.h"

namespace autoretrain::asl {
namespace {

using testing::Describe;
using testing::Diagnose;
using testing::Has;
using testing::MustCompile;
using testing::OneState;

constexpr char kBranchA[] = R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})";
constexpr char kBranchB[] = R"({"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}})";

std::string Parallel(std::string_view branches, std::string_view extra = "") {
  return OneState(R"({"Type":"Parallel","Branches":)" + std::string(branches) + std::string(extra) +
                  R"(,"Next":"Done"})");
}

std::string Map(std::string_view fields) {
  return OneState(R"({"Type":"Map",)" + std::string(fields) + R"(,"Next":"Done"})");
}

TEST(ParallelValidationTest, BranchesCompileIntoNestedMachines) {
  auto machine = MustCompile(Parallel("[" + std::string(kBranchA) + "," + kBranchB + "]"));
  ASSERT_NE(machine, nullptr);
  const State& parallel = machine->states[0];
  ASSERT_EQ(parallel.branches.size(), 2u);
  EXPECT_EQ(parallel.branches[0].states[0].name, "A");
  EXPECT_EQ(parallel.branches[1].start_index, 0);
  EXPECT_TRUE(parallel.branches[1].states[0].end);
}

TEST(ParallelValidationTest, BranchesMustBeANonEmptyArray) {
  EXPECT_DIAGNOSTIC(Parallel("[]"), kSchemaValidationFailed, "/States/S/Branches");
  EXPECT_DIAGNOSTIC(Parallel("{}"), kSchemaValidationFailed, "/States/S/Branches");
  EXPECT_DIAGNOSTIC(OneState(R"({"Type":"Parallel","Next":"Done"})"), kSchemaValidationFailed,
                    "/States/S");
  EXPECT_DIAGNOSTIC(Parallel("[3]"), kSchemaValidationFailed, "/States/S/Branches/0");
}

TEST(ParallelValidationTest, ABranchNeedsStartAtAndStatesAndNothingElse) {
  EXPECT_DIAGNOSTIC(Parallel(R"([{"States":{"A":{"Type":"Succeed"}}}])"), kSchemaValidationFailed,
                    "/States/S/Branches/0");
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"A","States":{"A":{"Type":"Succeed"}},"X":1}])"),
                    kSchemaValidationFailed, "/States/S/Branches/0/X");
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"Z","States":{"A":{"Type":"Succeed"}}}])"),
                    kMissingTransitionTarget, "/States/S/Branches/0/StartAt");
}

TEST(ParallelValidationTest, ABranchIsItsOwnScope) {
  // "Done" exists outside the branch, but a branch may only go to its own states.
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Done"}}}])"),
                    kMissingTransitionTarget, "/States/S/Branches/0/States/A/Next");
  // Nor can the outer machine go into a branch.
  auto diagnostics = Diagnose(R"({"StartAt":"P","States":{
      "P":{"Type":"Parallel","Branches":[)" +
                              std::string(kBranchA) + R"(],"Next":"A"}}})");
  EXPECT_TRUE(Has(diagnostics, kMissingTransitionTarget, "/States/P/Next"))
      << Describe(diagnostics);
}

TEST(ParallelValidationTest, BranchGraphIsChecked) {
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}])"),
                    kMissingEndState, "/States/S/Branches/0/States");
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"A","States":{"A":{"Type":"Succeed"},
                                                          "B":{"Type":"Succeed"}}}])"),
                    kMissingTransitionTarget, "/States/S/Branches/0/States/B");
}

TEST(ParallelValidationTest, StateNamesAreUniqueAcrossBranches) {
  auto diagnostics = Diagnose(Parallel("[" + std::string(kBranchA) + "," + kBranchA + "]"));
  ASSERT_TRUE(Has(diagnostics, kDuplicateStateName, "/States/S/Branches/1/States/A"))
      << Describe(diagnostics);
  EXPECT_DIAGNOSTIC(Parallel(R"([{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}])"),
                    kDuplicateStateName, "/States/Done");
}

TEST(ParallelValidationTest, TakesRetryCatchAndResultFields) {
  auto machine = MustCompile(
      Parallel("[" + std::string(kBranchA) + "]",
               R"(,"ResultSelector":{"a.$":"$[0]"},"ResultPath":"$.r","Parameters":{"x":1},
          "Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}])"));
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].retry.size(), 1u);
  EXPECT_EQ(machine->states[0].catch_[0].next_index, machine->index_by_name.at("Done"));
  EXPECT_DIAGNOSTIC(Parallel("[" + std::string(kBranchA) + "]", R"(,"ItemsPath":"$")"),
                    kSchemaValidationFailed, "/States/S/ItemsPath");
}

TEST(MapValidationTest, ItemProcessorOrIteratorCompiles) {
  auto machine = MustCompile(Map(R"("ItemsPath":"$.items","MaxConcurrency":2,
      "ItemSelector":{"v.$":"$$.Map.Item.Value"},"ItemProcessor":)" +
                                 std::string(kBranchA)));
  ASSERT_NE(machine, nullptr);
  const State& map = machine->states[0];
  ASSERT_EQ(map.branches.size(), 1u);
  EXPECT_EQ(map.branches[0].states[0].name, "A");
  EXPECT_EQ(map.items_path->text(), "$.items");
  EXPECT_EQ(map.max_concurrency, 2);
  EXPECT_TRUE(map.item_selector.has_value());
  // The older names.
  machine = MustCompile(
      Map(R"("Parameters":{"v.$":"$$.Map.Item.Value"},"Iterator":)" + std::string(kBranchA)));
  ASSERT_NE(machine, nullptr);
  EXPECT_TRUE(machine->states[0].item_selector.has_value());
  MustCompile(Map(R"("ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"A",
                     "States":{"A":{"Type":"Pass","End":true}}})"));
}

TEST(MapValidationTest, ExactlyOneProcessorAndOneSelector) {
  EXPECT_DIAGNOSTIC(Map(R"("ItemsPath":"$")"), kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(
      Map(R"("ItemProcessor":)" + std::string(kBranchA) + R"(,"Iterator":)" + kBranchB),
      kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(
      Map(R"("ItemSelector":{},"Parameters":{},"ItemProcessor":)" + std::string(kBranchA)),
      kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(Map(R"("Iterator":{"ProcessorConfig":{},"StartAt":"A",
                           "States":{"A":{"Type":"Pass","End":true}}})"),
                    kSchemaValidationFailed, "/States/S/Iterator/ProcessorConfig");
}

TEST(MapValidationTest, MaxConcurrencyRules) {
  const std::string processor = R"(,"ItemProcessor":)" + std::string(kBranchA);
  EXPECT_DIAGNOSTIC(Map(R"("MaxConcurrency":-1)" + processor), kSchemaValidationFailed,
                    "/States/S/MaxConcurrency");
  EXPECT_DIAGNOSTIC(Map(R"("MaxConcurrency":"2")" + processor), kSchemaValidationFailed,
                    "/States/S/MaxConcurrency");
  EXPECT_DIAGNOSTIC(Map(R"("MaxConcurrency":1,"MaxConcurrencyPath":"$.n")" + processor),
                    kSchemaValidationFailed, "/States/S");
  EXPECT_DIAGNOSTIC(Map(R"("MaxConcurrencyPath":"$$.n[")" + processor), kSchemaValidationFailed,
                    "/States/S/MaxConcurrencyPath");
}

TEST(MapValidationTest, ProcessorConfigModes) {
  auto processor = [](std::string_view config) {
    return Map(R"("ItemProcessor":{"ProcessorConfig":)" + std::string(config) +
               R"(,"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  };
  EXPECT_DIAGNOSTIC(processor(R"({"Mode":"SERIAL"})"), kSchemaValidationFailed,
                    "/States/S/ItemProcessor/ProcessorConfig/Mode");
  EXPECT_DIAGNOSTIC(processor(R"({"Mode":"INLINE","ExecutionType":"STANDARD"})"),
                    kSchemaValidationFailed,
                    "/States/S/ItemProcessor/ProcessorConfig/ExecutionType");
  EXPECT_DIAGNOSTIC(processor(R"({"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"})"),
                    kUnsupportedFeature, "/States/S/ItemProcessor/ProcessorConfig");
}

TEST(MapValidationTest, DistributedOnlyFieldsAreUnsupported) {
  const std::string processor = R"(,"ItemProcessor":)" + std::string(kBranchA);
  for (const char* field : {"ItemReader", "ItemBatcher", "ResultWriter"}) {
    EXPECT_DIAGNOSTIC(Map("\"" + std::string(field) + "\":{}" + processor), kUnsupportedFeature,
                      "/States/S/" + std::string(field));
  }
  EXPECT_DIAGNOSTIC(Map(R"("ToleratedFailureCount":1)" + processor), kUnsupportedFeature,
                    "/States/S/ToleratedFailureCount");
}

TEST(MapValidationTest, IteratorStatesAreScopedAndNamedUniquely) {
  EXPECT_DIAGNOSTIC(
      Map(R"("ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Done"}}})"),
      kMissingTransitionTarget, "/States/S/ItemProcessor/States/A/Next");
  EXPECT_DIAGNOSTIC(Map(R"("ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Succeed"}}})"),
                    kDuplicateStateName, "/States/S/ItemProcessor/States/S");
}

TEST(MapValidationTest, NestedMapInParallelCompiles) {
  auto machine = MustCompile(Parallel(
      R"([{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
           "ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}])"));
  ASSERT_NE(machine, nullptr);
  EXPECT_EQ(machine->states[0].branches[0].states[0].branches[0].states[0].name, "I");
}

TEST(VariableScopeTest, BranchesReadButDoNotAssignOuterVariables) {
  // Reading an outer variable inside a branch is fine.
  MustCompile(R"({"StartAt":"A","States":{
    "A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
    "P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{
      "B":{"Type":"Pass","Parameters":{"x.$":"$x"},"Assign":{"y":2},"End":true}}}]}}})");
  // Assigning it is not, wherever the outer assignment is (here after the Parallel).
  EXPECT_DIAGNOSTIC(R"({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Next":"A","Branches":[{"StartAt":"B","States":{
      "B":{"Type":"Pass","Assign":{"x":2},"End":true}}}]},
    "A":{"Type":"Pass","Assign":{"x":1},"End":true}}})",
                    kSchemaValidationFailed, "/States/P/Branches/0/States/B/Assign/x");
  // Nested two levels deep, and through a Map's item processor.
  EXPECT_DIAGNOSTIC(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"Assign":{"x":1},
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"x.$":"$"},"End":true}}}]}}}}}})",
                    kSchemaValidationFailed,
                    "/States/M/ItemProcessor/States/P/Branches/0/States/B/Assign/x.$");
  // Sibling branches are separate scopes: both may use the same name.
  MustCompile(Parallel(
      R"([{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"t":1},"End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"t":2},"End":true}}}])"));
}

}  // namespace
}  // namespace autoretrain::asl
