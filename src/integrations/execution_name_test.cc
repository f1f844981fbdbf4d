#include "integrations/execution_name.h"

#include <gtest/gtest.h>

namespace autoretrain::integrations {
namespace {

TEST(ExecutionNameTest, AcceptsWhatAwsAccepts) {
  for (std::string_view name :
       {"a", "retraining-2026-11-26", "run_1.2", "0b6e5b3c-6a2b-4a8e-9a6f-0c2f9a1e8d7b",
        "ünïcödé-名前", "(parens)+plus=equals@at!bang'quote"}) {
    EXPECT_EQ(ExecutionNameProblem(name), std::nullopt) << name;
  }
  EXPECT_EQ(ExecutionNameProblem(std::string(80, 'x')), std::nullopt);
  std::string accented = std::string(40, 'x');
  for (int i = 0; i < 40; ++i) accented += "\xc3\xa9";      // é
  EXPECT_EQ(ExecutionNameProblem(accented), std::nullopt);  // 80 characters, 120 bytes
  EXPECT_TRUE(ExecutionNameProblem(accented + "x").has_value());
}

TEST(ExecutionNameTest, RejectsWhatAwsRejects) {
  EXPECT_EQ(ExecutionNameProblem(""), "the name is empty");
  EXPECT_EQ(ExecutionNameProblem(std::string(81, 'x')), "the name is longer than 80 characters");
  for (std::string_view name : {"a b", "a\tb", "a\nb",
                                "a\xc2\xa0"
                                "b",
                                "a\xe3\x80\x80"
                                "b"}) {
    EXPECT_EQ(ExecutionNameProblem(name), "the name contains whitespace") << name;
  }
  for (std::string_view name : {std::string_view("a\0b", 3), std::string_view("a\x1f"),
                                std::string_view("a\x7f"), std::string_view("a\xc2\x85")}) {
    EXPECT_TRUE(ExecutionNameProblem(name).has_value()) << name;
  }
  for (char c : std::string("<>{}[]?*\"#%\\^|~`$&,;:/")) {
    std::string name = std::string("run") + c + "1";
    std::optional<std::string> problem = ExecutionNameProblem(name);
    ASSERT_TRUE(problem.has_value()) << name;
    EXPECT_NE(problem->find(std::string("'") + c + "'"), std::string::npos) << *problem;
  }
  EXPECT_EQ(ExecutionNameProblem("a\xff"), "the name is not valid UTF-8");
  EXPECT_EQ(ExecutionNameProblem("a\xc0\xaf"), "the name is not valid UTF-8");  // overlong '/'
}

}  // namespace
}  // namespace autoretrain::integrations
