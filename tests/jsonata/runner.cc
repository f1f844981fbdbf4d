// The JSONata reference test suite (jsonata-js test/test-suite, read in place from
// ../shared/conformance/jsonata) run against autoretrain::jsonata: one GoogleTest test per case,
// named <group>_<case>[_<i>] (dashes in group names become underscores).
//
// A case compiles `expr` (or the `expr-file` beside it), evaluates it against `data` or the
// named `dataset` (null = undefined input) with its `bindings`, `timelimit` and `depth`, and
// checks the one expectation: `result` (deep equality, numbers as doubles, object key order
// ignored, as the reference runner's deep-equal does), `undefinedResult`, or the error `code`.
//
// Cases listed in tests/jsonata/known_failures.txt ("group/caseNNN[i]: reason") are skipped
// with their reason; a listed case that passes fails, so the list stays honest.
//
// `jsonata_conformance_test --pass-table` prints the per-group pass table (markdown) used in
// docs/jsonata.md instead of running the tests.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "autoretrain/json/json.h"
#include "autoretrain/jsonata/jsonata.h"

namespace autoretrain::jsonata {
namespace {

namespace fs = std::filesystem;

fs::path SuiteDir() {
  if (const char* env = std::getenv("AUTORETRAIN_JSONATA_SUITE")) return env;
  return fs::path(AUTORETRAIN_SOURCE_DIR) / ".." / "shared" / "conformance" / "jsonata";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small JSON reader for the case files, because json::Parse (rightly, for payloads) rejects
// lone surrogates in \u escapes, which some cases feed to functions that must reject them
// (D3140): here they are kept as their 3-byte (WTF-8) encoding. Numbers are read with strtod
// (correctly rounded, as json::Parse reads them). Returns nullopt on malformed input.
class PreciseJsonReader {
 public:
  explicit PreciseJsonReader(std::string_view s) : s_(s) {}
  std::optional<json::Value> Read() {
    std::optional<json::Value> v = Value();
    Skip();
    if (!v || p_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void Skip() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t'))
      ++p_;
  }
  static void Utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }
  bool Hex4(size_t at, unsigned* v) {
    if (at + 4 > s_.size()) return false;
    *v = 0;
    for (size_t i = at; i < at + 4; ++i) {
      char c = s_[i];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      *v = *v * 16 + static_cast<unsigned>(d);
    }
    return true;
  }
  std::optional<std::string> String() {
    if (p_ >= s_.size() || s_[p_] != '"') return std::nullopt;
    ++p_;
    std::string out;
    while (p_ < s_.size() && s_[p_] != '"') {
      char c = s_[p_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ >= s_.size()) return std::nullopt;
      char e = s_[p_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          unsigned cp;
          if (!Hex4(p_, &cp)) return std::nullopt;
          p_ += 4;
          if (cp >= 0xd800 && cp < 0xdc00) {
            unsigned lo;
            if (p_ + 1 < s_.size() && s_[p_] == '\\' && s_[p_ + 1] == 'u' && Hex4(p_ + 2, &lo) &&
                lo >= 0xdc00 && lo < 0xe000) {
              p_ += 6;
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
          }
          Utf8(out, cp);
          break;
        }
        default:
          out += e;
      }
    }
    if (p_ >= s_.size()) return std::nullopt;
    ++p_;
    return out;
  }
  std::optional<json::Value> Value() {
    Skip();
    if (p_ >= s_.size()) return std::nullopt;
    char c = s_[p_];
    if (c == '{') {
      ++p_;
      json::Object o;
      Skip();
      if (p_ < s_.size() && s_[p_] == '}') {
        ++p_;
        return json::Value(std::move(o));
      }
      for (;;) {
        Skip();
        std::optional<std::string> k = String();
        if (!k) return std::nullopt;
        Skip();
        if (p_ >= s_.size() || s_[p_] != ':') return std::nullopt;
        ++p_;
        std::optional<json::Value> v = Value();
        if (!v) return std::nullopt;
        o[*k] = std::move(*v);
        Skip();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < s_.size() && s_[p_] == '}') {
          ++p_;
          return json::Value(std::move(o));
        }
        return std::nullopt;
      }
    }
    if (c == '[') {
      ++p_;
      json::Array a;
      Skip();
      if (p_ < s_.size() && s_[p_] == ']') {
        ++p_;
        return json::Value(std::move(a));
      }
      for (;;) {
        std::optional<json::Value> v = Value();
        if (!v) return std::nullopt;
        a.push_back(std::move(*v));
        Skip();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < s_.size() && s_[p_] == ']') {
          ++p_;
          return json::Value(std::move(a));
        }
        return std::nullopt;
      }
    }
    if (c == '"') {
      std::optional<std::string> str = String();
      if (!str) return std::nullopt;
      return json::Value(json::String(*str));
    }
    for (const char* word : {"true", "false", "null"}) {
      std::string_view w(word);
      if (s_.substr(p_, w.size()) == w) {
        p_ += w.size();
        if (w == "null") return json::Value(nullptr);
        return json::Value(w == "true");
      }
    }
    size_t start = p_;
    bool integer = true;
    while (p_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[p_])) || s_[p_] == '-' ||
                              s_[p_] == '+' || s_[p_] == '.' || s_[p_] == 'e' || s_[p_] == 'E')) {
      if (!std::isdigit(static_cast<unsigned char>(s_[p_])) && s_[p_] != '-') integer = false;
      ++p_;
    }
    if (p_ == start) return std::nullopt;
    std::string text(s_.substr(start, p_ - start));
    if (integer && text.size() < 16)
      return json::Value(static_cast<int64_t>(std::strtoll(text.c_str(), nullptr, 10)));
    return json::Value(std::strtod(text.c_str(), nullptr));
  }

  std::string_view s_;
  size_t p_ = 0;
};

std::optional<json::Value> ParseJson(const std::string& text) {
  return PreciseJsonReader(text).Read();
}

struct Case {
  std::string group;
  std::string id;    // group/caseNNN or group/caseNNN[i]
  std::string name;  // GoogleTest name
  fs::path file;
  json::Value spec;
};

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  fs::path groups = SuiteDir() / "groups";
  if (!fs::is_directory(groups)) return cases;
  std::vector<fs::path> group_dirs;
  for (const auto& d : fs::directory_iterator(groups)) {
    if (d.is_directory()) group_dirs.push_back(d.path());
  }
  std::sort(group_dirs.begin(), group_dirs.end());
  for (const fs::path& dir : group_dirs) {
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().extension() == ".json") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    std::string group = dir.filename().string();
    std::string gname = group;
    for (char& c : gname) {
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    }
    for (const fs::path& f : files) {
      std::optional<json::Value> parsed = ParseJson(ReadFile(f));
      std::string stem = f.stem().string();
      std::string sname = stem;
      for (char& c : sname) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      if (!parsed) {
        cases.push_back({group, group + "/" + stem, gname + "_" + sname, f, json::Value()});
        continue;
      }
      if (parsed->is_array()) {
        const json::Array& arr = parsed->get_array();
        for (size_t i = 0; i < arr.size(); ++i) {
          cases.push_back({group, group + "/" + stem + "[" + std::to_string(i) + "]",
                           gname + "_" + sname + "_" + std::to_string(i), f, arr[i]});
        }
      } else {
        cases.push_back({group, group + "/" + stem, gname + "_" + sname, f, *parsed});
      }
    }
  }
  return cases;
}

const std::vector<Case>& AllCases() {
  static const std::vector<Case> cases = LoadCases();
  return cases;
}

// known_failures.txt: "group/case: reason" per line; '#' starts a comment.
const std::map<std::string, std::string>& KnownFailures() {
  static const std::map<std::string, std::string> known = [] {
    std::map<std::string, std::string> m;
    std::istringstream in(
        ReadFile(fs::path(AUTORETRAIN_SOURCE_DIR) / "tests" / "jsonata" / "known_failures.txt"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      size_t colon = line.find(": ");
      if (colon == std::string::npos) continue;
      m[line.substr(0, colon)] = line.substr(colon + 2);
    }
    return m;
  }();
  return known;
}

bool DeepEqual(const json::Value& a, const json::Value& b) {
  if (a.is_number() && b.is_number()) return json::AsDouble(a) == json::AsDouble(b);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case boost::json::kind::array: {
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!DeepEqual(x[i], y[i])) return false;
      }
      return true;
    }
    case boost::json::kind::object: {
      const auto& x = a.get_object();
      const auto& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& kv : x) {
        auto it = y.find(kv.key());
        if (it == y.end() || !DeepEqual(kv.value(), it->value())) return false;
      }
      return true;
    }
    default:
      return a == b;
  }
}

// Runs one case; returns "" when it passes, otherwise what went wrong.
std::string RunCase(const Case& c) {
  if (!c.spec.is_object()) return "case file is not valid JSON";
  const json::Object& spec = c.spec.get_object();
  std::string expr;
  if (const json::Value* e = spec.if_contains("expr")) {
    expr = std::string(e->as_string());
  } else if (const json::Value* ef = spec.if_contains("expr-file")) {
    expr = ReadFile(c.file.parent_path() / std::string(ef->as_string()));
  } else {
    return "case has neither expr nor expr-file";
  }
  std::optional<json::Value> input;
  if (const json::Value* d = spec.if_contains("data")) {
    input = *d;
  } else if (const json::Value* ds = spec.if_contains("dataset"); ds && ds->is_string()) {
    static std::map<std::string, json::Value> datasets;
    std::string name(ds->as_string());
    auto it = datasets.find(name);
    if (it == datasets.end()) {
      std::optional<json::Value> parsed =
          ParseJson(ReadFile(SuiteDir() / "datasets" / (name + ".json")));
      if (!parsed) return "dataset " + name + " is not valid JSON";
      it = datasets.emplace(name, *parsed).first;
    }
    input = it->second;
  }
  Bindings bindings;
  if (const json::Value* b = spec.if_contains("bindings"); b && b->is_object()) {
    for (const auto& kv : b->get_object()) bindings.SetValue(std::string(kv.key()), kv.value());
  }
  EvaluateOptions options;
  const json::Value* timelimit = spec.if_contains("timelimit");
  const json::Value* depth = spec.if_contains("depth");
  if (timelimit && depth) {
    options.time_limit =
        std::chrono::milliseconds(static_cast<int64_t>(json::AsDouble(*timelimit)));
    options.max_depth = static_cast<int>(json::AsDouble(*depth));
  }
  const json::Value* code = spec.if_contains("code");
  if (const json::Value* err = spec.if_contains("error"); !code && err && err->is_object()) {
    code = err->get_object().if_contains("code");
  }
  ErrorDetails details;
  Result<Expression> compiled = Compile(expr, &details);
  Result<std::optional<json::Value>> result =
      compiled.ok() ? compiled->Evaluate(input ? &*input : nullptr, bindings, options, &details)
                    : Result<std::optional<json::Value>>(compiled.error());
  if (code) {
    std::string want(code->as_string());
    if (result.ok()) {
      return "expected error " + want + ", got " +
             (result->has_value() ? json::Serialize(**result) : std::string("undefined"));
    }
    if (result.error().error != want) {
      return "expected error " + want + ", got " + result.error().error + ": " +
             result.error().cause;
    }
    return "";
  }
  if (!result.ok()) return "unexpected error " + result.error().error + ": " + result.error().cause;
  if (const json::Value* u = spec.if_contains("undefinedResult");
      u && u->is_bool() && u->as_bool()) {
    if (result->has_value()) return "expected undefined, got " + json::Serialize(**result);
    return "";
  }
  if (const json::Value* want = spec.if_contains("result")) {
    if (!result->has_value()) return "expected " + json::Serialize(*want) + ", got undefined";
    if (!DeepEqual(**result, *want)) {
      return "expected " + json::Serialize(*want) + ", got " + json::Serialize(**result);
    }
    return "";
  }
  return "case has no expectation";
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.id; }

class JsonataSuite : public ::testing::TestWithParam<Case> {};

TEST_P(JsonataSuite, Case) {
  const Case& c = GetParam();
  std::string failure = RunCase(c);
  auto known = KnownFailures().find(c.id);
  if (known != KnownFailures().end()) {
    if (failure.empty()) {
      FAIL() << c.id << " is listed in tests/jsonata/known_failures.txt (" << known->second
             << ") but now passes: remove it from the list";
    }
    GTEST_SKIP() << "known failure: " << known->second << " (" << failure << ")";
  }
  EXPECT_EQ(failure, "") << c.id << ": " << failure;
}

INSTANTIATE_TEST_SUITE_P(Reference, JsonataSuite, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(JsonataSuiteFiles, SuiteIsPresent) {
  ASSERT_TRUE(fs::is_directory(SuiteDir() / "groups"))
      << "The JSONata reference suite is missing at " << SuiteDir()
      << ": clone the shared conformance data next to the repository (../shared) or set "
         "AUTORETRAIN_JSONATA_SUITE";
  EXPECT_EQ(AllCases().size(), 1686u);
}

TEST(JsonataSuiteFiles, KnownFailuresNameRealCases) {
  std::set<std::string> ids;
  for (const Case& c : AllCases()) ids.insert(c.id);
  for (const auto& [id, reason] : KnownFailures()) {
    EXPECT_TRUE(ids.count(id)) << "tests/jsonata/known_failures.txt lists " << id
                               << ", which is not a case of the suite";
  }
}

int PrintPassTable() {
  std::map<std::string, std::array<int, 3>> groups;  // cases, passed, known failures
  int total = 0, passed = 0, known = 0;
  for (const Case& c : AllCases()) {
    auto& g = groups[c.group];
    ++g[0];
    ++total;
    bool ok = RunCase(c).empty();
    if (ok) {
      ++g[1];
      ++passed;
    }
    if (KnownFailures().count(c.id)) {
      ++g[2];
      ++known;
    }
  }
  std::cout << "| group | cases | passed | known failures |\n|---|---:|---:|---:|\n";
  for (const auto& [name, g] : groups) {
    std::cout << "| " << name << " | " << g[0] << " | " << g[1] << " | " << g[2] << " |\n";
  }
  std::cout << "| **total** | " << total << " | " << passed << " | " << known << " |\n";
  return 0;
}

}  // namespace
}  // namespace autoretrain::jsonata

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--pass-table") return autoretrain::jsonata::PrintPassTable();
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
