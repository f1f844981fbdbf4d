// Compile must never crash, hang or throw, whatever JSON (or not-JSON) it is given.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "asl_test_util.h"
#include "autoretrain/asl/parser.h"

namespace autoretrain::asl {
namespace {

using testing::ReadSeed;

// Compiles and checks the result is well-formed: a machine, or at least one diagnostic with a
// code and a message.
void CheckCompiles(std::string_view text) {
  CompileResult result = CompileText(text);
  if (auto* diagnostics = std::get_if<std::vector<Diagnostic>>(&result)) {
    ASSERT_FALSE(diagnostics->empty());
    for (const Diagnostic& d : *diagnostics) {
      EXPECT_FALSE(d.code.empty());
      EXPECT_FALSE(d.message.empty());
    }
  } else {
    EXPECT_NE(std::get<std::shared_ptr<const StateMachine>>(result), nullptr);
  }
}

TEST(RobustnessTest, ByteMutationsOfTheSeed) {
  const std::string seed = ReadSeed();
  ASSERT_FALSE(seed.empty());
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\":,.$*?@ 0123456789-eE+truefalsnl\\\x01\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string text = seed;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.erase(pos, 1 + rng() % 8);
          break;
        default:
          text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    CheckCompiles(text);
  }
}

// Replaces random values inside the parsed seed with values of other types.
void MutateValue(json::Value& v, std::mt19937& rng, int depth) {
  static const char* kReplacements[] = {"null",
                                        "true",
                                        "0",
                                        "-1",
                                        "1.5",
                                        "\"\"",
                                        "\"$\"",
                                        "\"$.a[\"",
                                        "\"States.ALL\"",
                                        "[]",
                                        "{}",
                                        "[1,\"x\"]",
                                        "{\"Type\":\"Pass\"}",
                                        "\"arn:aws:states:::lambda:invoke\"",
                                        "{\"Variable\":\"$.x\",\"And\":[]}",
                                        "\"NoRetrainingNeeded\"",
                                        "{\"a.$\":7}"};
  if (v.is_object()) {
    for (auto& [key, child] : v.get_object()) {
      if (rng() % 6 == 0) {
        child = json::Parse(kReplacements[rng() % std::size(kReplacements)]).value();
      } else if (depth < 8) {
        MutateValue(child, rng, depth + 1);
      }
    }
  } else if (v.is_array()) {
    for (auto& child : v.get_array()) {
      if (rng() % 4 == 0) {
        child = json::Parse(kReplacements[rng() % std::size(kReplacements)]).value();
      } else if (depth < 8) {
        MutateValue(child, rng, depth + 1);
      }
    }
  }
}

TEST(RobustnessTest, StructuralMutationsOfTheSeed) {
  Result<json::Value> seed = json::Parse(ReadSeed());
  ASSERT_TRUE(seed.ok());
  std::mt19937 rng(777);
  for (int i = 0; i < 2000; ++i) {
    json::Value v = *seed;
    MutateValue(v, rng, 0);
    CompileResult result = Compile(v);
    if (auto* diagnostics = std::get_if<std::vector<Diagnostic>>(&result)) {
      EXPECT_FALSE(diagnostics->empty());
    }
  }
}

TEST(RobustnessTest, Garbage) {
  std::mt19937 rng(4242);
  for (int i = 0; i < 2000; ++i) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    CheckCompiles(text);
  }
  for (const char* text :
       {"", "{", "}", "[[[[", "{\"StartAt\":", "\"", "nul", "{\"States\":{\"A\":null}}",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Choice\",\"Choices\":[{}]}}}",
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"arn:\"}}}"}) {
    CheckCompiles(text);
  }
}

TEST(RobustnessTest, DeepNesting) {
  // Deep arrays in a Pass Result and deep Not chains in a Choice.
  std::string deep = std::string(400, '[') + std::string(400, ']');
  CheckCompiles(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":)" + deep +
                R"(,"End":true}}})");
  std::string rule = R"({"Variable":"$.a","IsNull":true})";
  for (int i = 0; i < 200; ++i) rule = R"({"Not":)" + rule + "}";
  rule.insert(rule.size() - 1, R"(,"Next":"B")");
  CheckCompiles(R"({"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[)" + rule +
                R"(]},"B":{"Type":"Succeed"}}})");
  std::string too_deep = std::string(100000, '[') + std::string(100000, ']');
  CheckCompiles(too_deep);
}

}  // namespace
}  // namespace autoretrain::asl
