// FieldChecker: typed access to the fields of a JSON configuration that records a problem
// (naming the field path and what was expected) instead of failing, so a configuration with
// several mistakes is reported in one go. Used by project_config.cc.
//
// Thread-safety: none; one checker per parse.
#ifndef AUTORETRAIN_RETRAIN_PROJECT_FIELDS_H_
#define AUTORETRAIN_RETRAIN_PROJECT_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/json/json.h"

namespace autoretrain::retrain {

// " (did you mean 'x'?)" when one of `candidates` is close to `word` (a small edit distance or
// a different case), otherwise "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

class FieldChecker {
 public:
  // Records "<path>: <message>" (or just the message for the root, path "").
  void Problem(const std::string& path, const std::string& message);

  // `value` as an object, or null after recording "expected <what>, got <type>".
  const json::Object* ExpectObject(const json::Value& value, const std::string& path,
                                   const std::string& what);
  // Records each key of `obj` not in `allowed`, with a hint when a known key is close.
  void RejectUnknown(const json::Object& obj, const std::string& path,
                     std::initializer_list<std::string_view> allowed);
  // obj[key] as a string; nullopt when absent or (after recording a problem) not a string.
  std::optional<std::string> OptionalString(const json::Object& obj, const std::string& path,
                                            std::string_view key);
  // As OptionalString, but absence is a problem too.
  std::optional<std::string> RequiredString(const json::Object& obj, const std::string& path,
                                            std::string_view key);
  // obj[key] as a boolean; nullopt when absent or (recorded) not true or false.
  std::optional<bool> OptionalBool(const json::Object& obj, const std::string& path,
                                   std::string_view key);
  // obj[key] as an integer in [min, max]; nullopt when absent or (recorded) invalid.
  std::optional<int64_t> OptionalInteger(const json::Object& obj, const std::string& path,
                                         std::string_view key, int64_t min, int64_t max);

  // The hint DidYouMean gives for `word` among the keys of `known`.
  template <class V, class Less>
  std::string Hint(std::string_view word, const std::map<std::string, V, Less>& known) const {
    std::vector<std::string> names;
    for (const auto& entry : known) names.push_back(entry.first);
    return DidYouMean(word, names);
  }

  // True when a problem was recorded at `path` or below it.
  bool HasProblemUnder(std::string_view path) const;
  std::vector<std::string> TakeProblems() { return std::move(problems_); }

 private:
  std::vector<std::string> problems_;
};

// "a.b" from "a" and "b"; "b" when `path` is empty.
std::string JoinPath(const std::string& path, std::string_view key);

// `s` in single quotes, for messages.
std::string Quote(std::string_view s);

// AWS fields (project_aws_fields.cc).
// Whether `s` has the shape of an AWS region ("us-east-1", "us-gov-west-1").
bool IsAwsRegion(std::string_view s);
// obj[key] when it is a region; nullopt when absent or (recorded) not one.
std::optional<std::string> OptionalRegion(FieldChecker& fields, const json::Object& obj,
                                          const std::string& path, std::string_view key);
// obj[key] when it is an http(s) endpoint URL without path, query or fragment, trailing
// slashes removed; nullopt when absent or (recorded) not one.
std::optional<std::string> OptionalEndpointUrl(FieldChecker& fields, const json::Object& obj,
                                               const std::string& path, std::string_view key);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_PROJECT_FIELDS_H_
