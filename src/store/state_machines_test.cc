#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::At;
using testing::Machine;

std::unique_ptr<Store> Empty() { return std::move(Store::OpenInMemory()).value(); }

TEST(StateMachinesTest, CreateThenGet) {
  auto store = Empty();
  auto created = store->CreateStateMachine(Machine("A"));
  ASSERT_TRUE(created.ok()) << created.error().cause;
  EXPECT_EQ(created->version, 1);
  auto got = store->GetStateMachine(Machine("A").arn);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "A");
  EXPECT_EQ(got->definition, Machine("A").definition);
  EXPECT_EQ(got->role_arn, Machine("A").role_arn);
  EXPECT_EQ(got->type, "STANDARD");
  EXPECT_EQ(got->status, "ACTIVE");
  EXPECT_EQ(got->creation_date, At(500));
}

TEST(StateMachinesTest, CreatingTheSameMachineAgainIsIdempotentButADifferentOneFails) {
  auto store = Empty();
  ASSERT_TRUE(store->CreateStateMachine(Machine("A")).ok());
  EXPECT_TRUE(store->CreateStateMachine(Machine("A")).ok());
  NewStateMachine other = Machine("A");
  other.definition = R"({"StartAt":"X","States":{"X":{"Type":"Succeed"}}})";
  auto again = store->CreateStateMachine(other);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "StateMachineAlreadyExists");
}

TEST(StateMachinesTest, UpdateMakesANewVersionAndKeepsTheOldOne) {
  auto store = Empty();
  ASSERT_TRUE(store->CreateStateMachine(Machine("A")).ok());
  const std::string v2 = R"({"StartAt":"X","States":{"X":{"Type":"Succeed"}}})";
  auto updated = store->UpdateStateMachine(Machine("A").arn, v2, "", At(900));
  ASSERT_TRUE(updated.ok()) << updated.error().cause;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->role_arn, Machine("A").role_arn);  // kept when not given
  EXPECT_EQ(store->GetStateMachine(Machine("A").arn)->definition, v2);
  EXPECT_EQ(store->GetStateMachineVersion(Machine("A").arn, 1)->definition,
            Machine("A").definition);
  EXPECT_EQ(store->GetStateMachineVersion(Machine("A").arn, 2)->version_date, At(900));
  // The same definition again: no new version.
  EXPECT_EQ(store->UpdateStateMachine(Machine("A").arn, v2, "", At(950))->version, 2);
  EXPECT_EQ(store->GetStateMachineVersion(Machine("A").arn, 3).error().error,
            "StateMachineDoesNotExist");
}

TEST(StateMachinesTest, UnknownMachinesDoNotExist) {
  auto store = Empty();
  EXPECT_EQ(store->GetStateMachine("arn:nope").error().error, "StateMachineDoesNotExist");
  EXPECT_EQ(store->UpdateStateMachine("arn:nope", "{}", "", At(1)).error().error,
            "StateMachineDoesNotExist");
  EXPECT_EQ(store->DeleteStateMachine("arn:nope").error().error, "StateMachineDoesNotExist");
}

TEST(StateMachinesTest, ListsInNameOrderAcrossPages) {
  auto store = Empty();
  for (const char* name : {"delta", "alpha", "echo", "charlie", "bravo"}) {
    ASSERT_TRUE(store->CreateStateMachine(Machine(name)).ok());
  }
  std::vector<std::string> names;
  PageRequest request{2, ""};
  int pages = 0;
  do {
    auto page = store->ListStateMachines(request);
    ASSERT_TRUE(page.ok()) << page.error().cause;
    for (const auto& m : page->items) names.push_back(m.name);
    request.next_token = page->next_token;
    ++pages;
  } while (!request.next_token.empty());
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  EXPECT_EQ(pages, 3);
}

TEST(StateMachinesTest, ExactlyFullPageHasNoToken) {
  auto store = Empty();
  ASSERT_TRUE(store->CreateStateMachine(Machine("a")).ok());
  ASSERT_TRUE(store->CreateStateMachine(Machine("b")).ok());
  auto page = store->ListStateMachines({2, ""});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->next_token.empty());
  auto none = Empty()->ListStateMachines({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
}

TEST(StateMachinesTest, BadMaxResultsAndTokensAreRejected) {
  auto store = Empty();
  EXPECT_EQ(store->ListStateMachines({1001, ""}).error().error, "ValidationException");
  EXPECT_EQ(store->ListStateMachines({-1, ""}).error().error, "ValidationException");
  EXPECT_TRUE(store->ListStateMachines({1000, ""}).ok());
  EXPECT_EQ(store->ListStateMachines({0, "garbage"}).error().error, "InvalidToken");
  EXPECT_EQ(store->ListStateMachines({0, "abc"}).error().error, "InvalidToken");
}

TEST(StateMachinesTest, DeleteRemovesAMachineWithoutExecutions) {
  auto store = Empty();
  ASSERT_TRUE(store->CreateStateMachine(Machine("A")).ok());
  ASSERT_TRUE(store->DeleteStateMachine(Machine("A").arn).ok());
  EXPECT_EQ(store->GetStateMachine(Machine("A").arn).error().error, "StateMachineDoesNotExist");
  EXPECT_TRUE(store->CreateStateMachine(Machine("A")).ok());  // the name is free again
}

TEST(StateMachinesTest, DeleteWithExecutionsMarksDeletingUntilPurged) {
  auto store = Empty();
  ASSERT_TRUE(store->CreateStateMachine(Machine("M")).ok());
  ASSERT_TRUE(store->StartExecution(testing::Execution("e"), testing::Events(1, 1)).ok());
  ASSERT_TRUE(store->DeleteStateMachine(testing::kMachineArn).ok());
  auto machine = store->GetStateMachine(testing::kMachineArn);
  ASSERT_TRUE(machine.ok());
  EXPECT_EQ(machine->status, "DELETING");
  EXPECT_TRUE(store->ListStateMachines({})->items.empty());
  EXPECT_EQ(store->CreateStateMachine(Machine("M")).error().error, "StateMachineDeleting");
  // The running execution can still read the definition it runs.
  EXPECT_TRUE(store->GetStateMachineVersion(testing::kMachineArn, 1).ok());

  ASSERT_TRUE(
      store
          ->FinishExecution({testing::Execution("e").arn, engine::ExecutionStatus::kSucceeded,
                             At(2000), "{}", std::nullopt, std::nullopt},
                            testing::Events(2, 2))
          .ok());
  EXPECT_EQ(*store->PurgeFinishedBefore(At(3000)), 1);
  EXPECT_EQ(store->GetStateMachine(testing::kMachineArn).error().error, "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace autoretrain::store
