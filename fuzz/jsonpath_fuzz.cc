// Fuzz target: JSONPath. Input: the path on the first line, a JSON document after it (a fixed
// document when the rest is not JSON). Compiles the path both as a full path and as a reference
// path; evaluates what compiles; checks that Find agrees with Select, that a reference path is
// definite, and that what Assign wrote is found there afterwards.
#include "autoretrain/json/jsonpath.h"
#include "fuzz_util.h"

namespace json = autoretrain::json;
using autoretrain::Result;
using autoretrain::fuzz::Check;

namespace {

const json::Value& Document(std::string_view text) {
  static const json::Value fallback = *json::Parse(
      R"({"a":{"b":[1,2,{"c":"x"}],"d":null},"list":[{"n":1,"s":"p"},{"n":2.5,"s":"q"}],)"
      R"("e":true,"f":"text","g":[[0,1],[2,3]],"h":{}})");
  static thread_local json::Value parsed;
  Result<json::Value> value = json::Parse(text);
  if (!value.ok()) return fallback;
  parsed = std::move(value).value();
  return parsed;
}

void CheckFull(const json::Path& path, const json::Value& document) {
  std::optional<json::Value> selected = path.Select(document);
  Check(path.is_definite() || (selected && selected->is_array()),
        "an indefinite path selects an array");
  if (const json::Value* found = path.Find(document)) {
    Check(path.is_definite(), "Find succeeds only for definite paths");
    Check(selected && *selected == *found, "Find and Select agree");
  }
}

void CheckReference(const json::Path& path, const json::Value& document) {
  Check(path.is_definite(), "a reference path is definite");
  json::Value copy = document;
  const json::Value written = json::Array{"written", 42};
  if (!path.Assign(copy, written).ok()) return;
  const json::Value* found = path.Find(copy);
  Check(found != nullptr && *found == written, "a path finds what Assign wrote");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [text, rest] = autoretrain::fuzz::SplitFirstLine(autoretrain::fuzz::AsText(data, size));
  const json::Value& document = Document(rest);
  if (Result<json::Path> full = json::Path::Compile(text); full.ok()) {
    CheckFull(*full, document);
  } else {
    Check(!full.error().cause.empty(), "a compile error says what is wrong");
  }
  if (Result<json::Path> reference = json::Path::CompileReference(text); reference.ok()) {
    CheckReference(*reference, document);
  }
  return 0;
}
