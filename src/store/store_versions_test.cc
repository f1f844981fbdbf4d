// Store published versions and aliases: numbering that is never reused, idempotent publishing,
// revision conflicts, newest-first pages, aliases and their routes, deletion rules, the
// version an execution was started with, and durability across reopening the file.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::At;
using testing::Events;
using testing::Execution;
using testing::kMachineArn;
using testing::MemoryStoreWithMachine;

constexpr char kOtherDefinition[] = R"({"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}})";
constexpr char kThirdDefinition[] = R"({"StartAt":"R","States":{"R":{"Type":"Succeed"}}})";

TEST(StoreVersionsTest, PublishNumbersFromOneAndReturnsTheVersionOfAnUnchangedRevision) {
  auto store = MemoryStoreWithMachine();
  auto first = store->PublishStateMachineVersion(kMachineArn, std::nullopt, "first", At(1000));
  ASSERT_TRUE(first.ok()) << first.error().cause;
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(first->revision, 1);
  EXPECT_EQ(first->Arn(), std::string(kMachineArn) + ":1");
  // Same revision: the existing version, with its description and date.
  auto again = store->PublishStateMachineVersion(kMachineArn, std::nullopt, "other", At(2000));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->number, 1);
  EXPECT_EQ(again->description, "first");
  EXPECT_EQ(again->creation_date, At(1000));

  ASSERT_TRUE(store->UpdateStateMachine(kMachineArn, kOtherDefinition, "", At(3000)).ok());
  auto second = store->PublishStateMachineVersion(kMachineArn, 2, "", At(4000));
  ASSERT_TRUE(second.ok()) << second.error().cause;
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(second->revision, 2);
  auto got = store->GetPublishedVersion(kMachineArn, 1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->revision, 1);
  // The revision it points at keeps the definition it had.
  auto revision = store->GetStateMachineVersion(kMachineArn, got->revision);
  ASSERT_TRUE(revision.ok());
  EXPECT_EQ(revision->definition, testing::Machine("M").definition);
}

TEST(StoreVersionsTest, AStaleRevisionIsAConflictAndNothingIsPublished) {
  auto store = MemoryStoreWithMachine();
  ASSERT_TRUE(store->UpdateStateMachine(kMachineArn, kOtherDefinition, "", At(3000)).ok());
  auto stale = store->PublishStateMachineVersion(kMachineArn, 1, "", At(4000));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().error, "ConflictException");
  EXPECT_NE(stale.error().cause.find("current revision 2"), std::string::npos)
      << stale.error().cause;
  EXPECT_TRUE(store->ListPublishedVersions(kMachineArn, {}).value().items.empty());
  EXPECT_EQ(store
                ->PublishStateMachineVersion("arn:aws:states:us-east-1:123456789012:"
                                             "stateMachine:Nope",
                                             std::nullopt, "", At(1))
                .error()
                .error,
            "StateMachineDoesNotExist");
}

TEST(StoreVersionsTest, NumbersAreNeverReusedAfterADelete) {
  auto store = MemoryStoreWithMachine();
  ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(1)).ok());
  ASSERT_TRUE(store->DeletePublishedVersion(kMachineArn, 1).ok());
  EXPECT_EQ(store->GetPublishedVersion(kMachineArn, 1).error().error, "ResourceNotFound");
  // The same revision published again gets a new number.
  auto next = store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(2));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->number, 2);
  EXPECT_TRUE(store->DeletePublishedVersion(kMachineArn, 7).ok());  // absent: OK, as AWS
}

TEST(StoreVersionsTest, ListsNewestFirstAcrossPages) {
  auto store = MemoryStoreWithMachine();
  const char* definitions[] = {kOtherDefinition, kThirdDefinition};
  ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(1)).ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store->UpdateStateMachine(kMachineArn, definitions[i], "", At(10 + i)).ok());
    ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(20 + i)).ok());
  }
  auto first = store->ListPublishedVersions(kMachineArn, {.max_results = 2, .next_token = ""});
  ASSERT_TRUE(first.ok()) << first.error().cause;
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].number, 3);
  EXPECT_EQ(first->items[1].number, 2);
  ASSERT_FALSE(first->next_token.empty());
  auto second = store->ListPublishedVersions(kMachineArn,
                                             {.max_results = 2, .next_token = first->next_token});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].number, 1);
  EXPECT_TRUE(second->next_token.empty());
  // A token of another query is refused.
  auto other = store->ListAliases(kMachineArn, {.next_token = first->next_token});
  EXPECT_EQ(other.error().error, "InvalidToken");
}

TEST(StoreVersionsTest, AliasesRouteToExistingVersionsAndProtectThem) {
  auto store = MemoryStoreWithMachine();
  ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(1)).ok());
  ASSERT_TRUE(store->UpdateStateMachine(kMachineArn, kOtherDefinition, "", At(2)).ok());
  ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(3)).ok());
  StateMachineAlias alias{.state_machine_arn = kMachineArn,
                          .name = "prod",
                          .description = "d",
                          .routes = {{1, 50}, {2, 50}},
                          .creation_date = At(5),
                          .update_date = At(5)};
  auto created = store->CreateAlias(alias);
  ASSERT_TRUE(created.ok()) << created.error().cause;
  EXPECT_EQ(created->Arn(), std::string(kMachineArn) + ":prod");
  EXPECT_EQ(created->update_date, At(5));
  // The same again: idempotent; another configuration: conflict.
  EXPECT_TRUE(store->CreateAlias(alias).ok());
  StateMachineAlias changed = alias;
  changed.routes = {{1, 100}};
  EXPECT_EQ(store->CreateAlias(changed).error().error, "ConflictException");
  StateMachineAlias missing = alias;
  missing.name = "beta";
  missing.routes = {{9, 100}};
  EXPECT_EQ(store->CreateAlias(missing).error().error, "ResourceNotFound");

  Status refused = store->DeletePublishedVersion(kMachineArn, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, "ConflictException");
  EXPECT_NE(refused.error().cause.find(":prod"), std::string::npos) << refused.error().cause;

  auto updated = store->UpdateAlias(kMachineArn, "prod", std::nullopt,
                                    std::vector<AliasRoute>{{1, 100}}, At(9));
  ASSERT_TRUE(updated.ok()) << updated.error().cause;
  EXPECT_EQ(updated->description, "d");
  EXPECT_EQ(updated->creation_date, At(5));
  EXPECT_EQ(updated->update_date, At(9));
  auto read = store->GetAlias(kMachineArn, "prod");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->routes, (std::vector<AliasRoute>{{1, 100}}));
  EXPECT_TRUE(store->DeletePublishedVersion(kMachineArn, 2).ok());  // no longer routed
  EXPECT_EQ(store
                ->UpdateAlias(kMachineArn, "prod", std::nullopt, std::vector<AliasRoute>{{2, 100}},
                              At(10))
                .error()
                .error,
            "ResourceNotFound");

  ASSERT_TRUE(store
                  ->CreateAlias({.state_machine_arn = kMachineArn,
                                 .name = "a-first",
                                 .description = "",
                                 .routes = {{1, 100}},
                                 .creation_date = At(11),
                                 .update_date = At(11)})
                  .ok());
  auto page = store->ListAliases(kMachineArn, {.max_results = 1, .next_token = ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "a-first");
  auto rest = store->ListAliases(kMachineArn, {.max_results = 1, .next_token = page->next_token});
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].name, "prod");
  EXPECT_TRUE(rest->next_token.empty());

  ASSERT_TRUE(store->DeleteAlias(kMachineArn, "prod").ok());
  EXPECT_EQ(store->GetAlias(kMachineArn, "prod").error().error, "ResourceNotFound");
  EXPECT_TRUE(store->DeleteAlias(kMachineArn, "prod").ok());
}

TEST(StoreVersionsTest, DeletingTheMachineRemovesItsVersionsAndAliases) {
  auto store = MemoryStoreWithMachine();
  ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(1)).ok());
  ASSERT_TRUE(store
                  ->CreateAlias({.state_machine_arn = kMachineArn,
                                 .name = "live",
                                 .description = "",
                                 .routes = {{1, 100}},
                                 .creation_date = At(2),
                                 .update_date = At(2)})
                  .ok());
  ASSERT_TRUE(store->DeleteVersionsAndAliases(kMachineArn).ok());
  ASSERT_TRUE(store->DeleteStateMachine(kMachineArn).ok());
  ASSERT_TRUE(store->CreateStateMachine(testing::Machine("M")).ok());
  EXPECT_TRUE(store->ListPublishedVersions(kMachineArn, {}).value().items.empty());
  EXPECT_TRUE(store->ListAliases(kMachineArn, {}).value().items.empty());
  // A new machine of that name numbers from 1 again.
  EXPECT_EQ(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(3)).value().number,
            1);
}

TEST(StoreVersionsTest, RecordsTheVersionAnExecutionWasStartedWith) {
  auto store = MemoryStoreWithMachine();
  ASSERT_TRUE(store->StartExecution(Execution("e1"), Events(1, 1)).ok());
  ASSERT_TRUE(store->StartExecution(Execution("e2"), Events(1, 1)).ok());
  const std::string e1 = Execution("e1").arn;
  EXPECT_FALSE(store->GetExecutionVersion(e1).value().has_value());
  ASSERT_TRUE(store->RecordExecutionVersion(e1, {3, "prod"}).ok());
  ASSERT_TRUE(store->RecordExecutionVersion(Execution("e2").arn, {4, std::nullopt}).ok());
  auto got = store->GetExecutionVersion(e1).value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->version, 3);
  EXPECT_EQ(got->alias, "prod");
  EXPECT_FALSE(store->GetExecutionVersion(Execution("e2").arn).value()->alias.has_value());
  EXPECT_EQ(store->RecordExecutionVersion(Execution("nope").arn, {1, std::nullopt}).error().error,
            "ExecutionDoesNotExist");
}

TEST(StoreVersionsTest, ListsTheExecutionsOfAVersionOrAnAliasAcrossPages) {
  auto store = MemoryStoreWithMachine();
  // e1..e6: e1 unqualified; e2, e4, e6 version 3 through "prod"; e3 version 3; e5 version 4.
  for (int i = 1; i <= 6; ++i) {
    const std::string name = "e" + std::to_string(i);
    ASSERT_TRUE(store->StartExecution(Execution(name, 1000 + i), Events(1, 1)).ok());
  }
  for (const char* name : {"e2", "e4", "e6"}) {
    ASSERT_TRUE(store->RecordExecutionVersion(Execution(name).arn, {3, "prod"}).ok());
  }
  ASSERT_TRUE(store->RecordExecutionVersion(Execution("e3").arn, {3, std::nullopt}).ok());
  ASSERT_TRUE(store->RecordExecutionVersion(Execution("e5").arn, {4, std::nullopt}).ok());
  auto names = [&](const ExecutionVersionFilter& filter) {
    std::vector<std::string> out;
    PageRequest request{.max_results = 2, .next_token = ""};
    do {
      auto page = store->ListExecutions(kMachineArn, std::nullopt, request, filter);
      if (!page.ok()) return std::vector<std::string>{page.error().error};
      for (const ExecutionRecord& record : page->items) out.push_back(record.name);
      request.next_token = page->next_token;
    } while (!request.next_token.empty());
    return out;
  };
  EXPECT_EQ(names({}), (std::vector<std::string>{"e6", "e5", "e4", "e3", "e2", "e1"}));
  EXPECT_EQ(names({.version = 3, .alias = std::nullopt}),
            (std::vector<std::string>{"e6", "e4", "e3", "e2"}));
  EXPECT_EQ(names({.version = std::nullopt, .alias = "prod"}),
            (std::vector<std::string>{"e6", "e4", "e2"}));
  EXPECT_EQ(names({.version = 4, .alias = std::nullopt}), (std::vector<std::string>{"e5"}));
  EXPECT_TRUE(names({.version = 9, .alias = std::nullopt}).empty());
  // A token is bound to its filter.
  auto first =
      store->ListExecutions(kMachineArn, std::nullopt, {.max_results = 1, .next_token = ""},
                            {.version = 3, .alias = std::nullopt});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(store
                ->ListExecutions(kMachineArn, std::nullopt,
                                 {.max_results = 1, .next_token = first->next_token}, {})
                .error()
                .error,
            "InvalidToken");
}

TEST(StoreVersionsTest, VersionsAndAliasesSurviveReopening) {
  testing::TempDir dir;
  const std::string path = dir.File("versions.db");
  {
    auto store = Store::Open(path).value();
    ASSERT_TRUE(store->CreateStateMachine(testing::Machine("M")).ok());
    ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "v1", At(1)).ok());
    ASSERT_TRUE(store->DeletePublishedVersion(kMachineArn, 1).ok());
    ASSERT_TRUE(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "v2", At(2)).ok());
    ASSERT_TRUE(store
                    ->CreateAlias({.state_machine_arn = kMachineArn,
                                   .name = "live",
                                   .description = "",
                                   .routes = {{2, 100}},
                                   .creation_date = At(3),
                                   .update_date = At(3)})
                    .ok());
  }
  auto store = Store::Open(path).value();
  EXPECT_EQ(store->SchemaVersion().value(), kSchemaVersion);
  auto version = store->GetPublishedVersion(kMachineArn, 2);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->description, "v2");
  EXPECT_EQ(store->GetAlias(kMachineArn, "live").value().routes,
            (std::vector<AliasRoute>{{2, 100}}));
  ASSERT_TRUE(store->UpdateStateMachine(kMachineArn, kOtherDefinition, "", At(4)).ok());
  EXPECT_EQ(store->PublishStateMachineVersion(kMachineArn, std::nullopt, "", At(5)).value().number,
            3);
}

}  // namespace
}  // namespace autoretrain::store
