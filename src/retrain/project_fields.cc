#include "retrain/project_fields.h"

#include <algorithm>
#include <cctype>

namespace autoretrain::retrain {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Levenshtein distance between short identifiers.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string lower = Lower(word);
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    size_t d = EditDistance(lower, Lower(candidate));
    if (d < best_distance) {
      best = &candidate;
      best_distance = d;
    }
  }
  return best == nullptr ? "" : " (did you mean '" + *best + "'?)";
}

std::string JoinPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

void FieldChecker::Problem(const std::string& path, const std::string& message) {
  problems_.push_back(path.empty() ? message : path + ": " + message);
}

const json::Object* FieldChecker::ExpectObject(const json::Value& value, const std::string& path,
                                               const std::string& what) {
  if (value.is_object()) return &value.as_object();
  Problem(path, "expected " + what + ", got " + std::string(json::TypeName(value)));
  return nullptr;
}

void FieldChecker::RejectUnknown(const json::Object& obj, const std::string& path,
                                 std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& entry : obj) {
    std::string_view key = entry.key();
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    Problem(JoinPath(path, key), "unknown field" + DidYouMean(key, names));
  }
}

std::optional<std::string> FieldChecker::OptionalString(const json::Object& obj,
                                                        const std::string& path,
                                                        std::string_view key) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Problem(JoinPath(path, key), "expected a string, got " + std::string(json::TypeName(*v)));
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::string> FieldChecker::RequiredString(const json::Object& obj,
                                                        const std::string& path,
                                                        std::string_view key) {
  if (!obj.contains(key)) {
    Problem(JoinPath(path, key), "missing (expected a string)");
    return std::nullopt;
  }
  return OptionalString(obj, path, key);
}

std::optional<bool> FieldChecker::OptionalBool(const json::Object& obj, const std::string& path,
                                               std::string_view key) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Problem(JoinPath(path, key), "expected true or false, got " + std::string(json::TypeName(*v)));
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<int64_t> FieldChecker::OptionalInteger(const json::Object& obj,
                                                     const std::string& path, std::string_view key,
                                                     int64_t min, int64_t max) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  std::optional<int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(max)) {
    n = static_cast<int64_t>(v->as_uint64());
  }
  if (!n || *n < min || *n > max) {
    Problem(JoinPath(path, key),
            "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                ", got " +
                (v->is_number() ? json::Serialize(*v) : std::string(json::TypeName(*v))));
    return std::nullopt;
  }
  return n;
}

bool FieldChecker::HasProblemUnder(std::string_view path) const {
  return std::any_of(problems_.begin(), problems_.end(), [&](const std::string& p) {
    return p.compare(0, path.size(), path) == 0 &&
           (p.size() == path.size() || p[path.size()] == '.' || p[path.size()] == ':');
  });
}

}  // namespace autoretrain::retrain
