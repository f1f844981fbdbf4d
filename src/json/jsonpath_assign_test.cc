#include <gtest/gtest.h>

#include "autoretrain/json/jsonpath.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::json {
namespace {

using testing::J;
using testing::kStore;
using testing::MustCompile;

// --- Assign (ResultPath) --------------------------------------------------------------------

Value AssignOk(std::string_view path, std::string_view doc, std::string_view value) {
  auto p = Path::CompileReference(path);
  EXPECT_TRUE(p.ok()) << path;
  Value root = J(doc);
  auto status = p->Assign(root, J(value));
  EXPECT_TRUE(status.ok()) << path << ": " << (status.ok() ? "" : status.error().cause);
  return root;
}

Error AssignFails(std::string_view path, std::string_view doc) {
  auto p = Path::CompileReference(path);
  EXPECT_TRUE(p.ok()) << path;
  Value root = J(doc);
  Value before = root;
  auto status = p->Assign(root, J("1"));
  EXPECT_FALSE(status.ok()) << path << " on " << doc;
  EXPECT_EQ(root, before) << "a failed Assign modified the document";
  return status.ok() ? Error{} : status.error();
}

TEST(JsonPathAssignTest, RootReplacesEverything) {
  EXPECT_EQ(Serialize(AssignOk("$", R"({"a":1})", "[2]")), "[2]");
  EXPECT_EQ(Serialize(AssignOk("$", "7", R"({"x":1})")), R"({"x":1})");
}

TEST(JsonPathAssignTest, ExistingAndNewFields) {
  EXPECT_EQ(Serialize(AssignOk("$.b", R"({"a":1})", "2")), R"({"a":1,"b":2})");
  EXPECT_EQ(Serialize(AssignOk("$.a", R"({"a":1,"b":2})", R"({"x":true})")),
            R"({"a":{"x":true},"b":2})");  // replaced in place, order kept
  EXPECT_EQ(Serialize(AssignOk("$['a b']", "{}", "1")), R"({"a b":1})");
}

TEST(JsonPathAssignTest, CreatesMissingIntermediateObjects) {
  EXPECT_EQ(Serialize(AssignOk("$.a.b.c", R"({"x":0})", "1")), R"({"x":0,"a":{"b":{"c":1}}})");
  EXPECT_EQ(Serialize(AssignOk("$.a.b", R"({"a":{"y":2}})", "1")), R"({"a":{"y":2,"b":1}})");
  EXPECT_EQ(Serialize(AssignOk("$.decision", R"({"k":"v"})", R"({"decision":"YES"})")),
            R"({"k":"v","decision":{"decision":"YES"}})");
}

TEST(JsonPathAssignTest, ArrayElements) {
  EXPECT_EQ(Serialize(AssignOk("$.a[1]", R"({"a":[1,2,3]})", "9")), R"({"a":[1,9,3]})");
  EXPECT_EQ(Serialize(AssignOk("$.a[0].b", R"({"a":[{}]})", "9")), R"({"a":[{"b":9}]})");
  EXPECT_EQ(Serialize(AssignOk("$[0]", "[0]", "null")), "[null]");
}

TEST(JsonPathAssignTest, FailuresLeaveTheDocumentUntouched) {
  Error e = AssignFails("$.a", "[1,2]");
  EXPECT_EQ(e.error, "States.ResultPathMatchFailure");
  EXPECT_NE(e.cause.find("$.a"), std::string::npos);
  EXPECT_NE(e.cause.find("array"), std::string::npos);
  AssignFails("$.a", R"("str")");
  AssignFails("$.a.b", R"({"a":5})");
  AssignFails("$.a.b.c", R"({"a":{"b":"x"}})");
  AssignFails("$.a[0]", R"({"a":{}})");
  AssignFails("$.a[3]", R"({"a":[1,2,3]})");
  AssignFails("$.a[0]", R"({})");         // cannot create an array
  AssignFails("$.a.b[0]", R"({"z":1})");  // nor an array under a created object
  AssignFails("$[0]", "{}");
  Error range = AssignFails("$.a[3]", R"({"a":[1,2,3]})");
  EXPECT_NE(range.cause.find("out of range"), std::string::npos) << range.cause;
}

TEST(JsonPathAssignTest, ValueCanComeFromTheSameDocument) {
  Value doc = J(R"({"a":{"b":1}})");
  Value copy = doc.at("a");
  ASSERT_TRUE(Path::CompileReference("$.a.c").value().Assign(doc, std::move(copy)).ok());
  EXPECT_EQ(Serialize(doc), R"({"a":{"b":1,"c":{"b":1}}})");
}

// --- Value semantics of Path ----------------------------------------------------------------

TEST(JsonPathValueTest, CopiesAndMovesEvaluateTheSame) {
  Path p = MustCompile("$.store.book[?(@.price < 10)].title");
  Path copy = p;
  Path moved = std::move(copy);
  Path assigned = MustCompile("$");
  assigned = moved;
  Value doc = J(kStore);
  EXPECT_EQ(*p.Select(doc), *assigned.Select(doc));
  EXPECT_EQ(assigned.text(), "$.store.book[?(@.price < 10)].title");
}

}  // namespace
}  // namespace autoretrain::json
