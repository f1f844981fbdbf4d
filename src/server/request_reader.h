// RequestReader: reads the members of a JSON 1.0 request object with AWS's checks. A member of
// the wrong JSON type is a SerializationException (as AWS's front end reports it); a member
// that breaks a constraint of the service model (required, length, range, enum) is collected,
// and Finish reports them all in AWS's ValidationException form:
//
//   "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member
//    must not be null; Value '...' at 'roleArn' failed to satisfy constraint: Member must have
//    length less than or equal to 256"
//
// Lengths are counted in characters (Unicode code points), as the service model counts them.
//
// Thread-safety: one reader per request, on one thread.
#ifndef AUTORETRAIN_SERVER_REQUEST_READER_H_
#define AUTORETRAIN_SERVER_REQUEST_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::server {

class RequestReader {
 public:
  explicit RequestReader(const json::Object& input) : input_(input) {}

  // A string member of `min`..`max` characters; nullopt when absent (a violation when
  // `required`) or invalid.
  std::optional<std::string> String(std::string_view member, bool required, size_t min, size_t max);
  // A string member that must be one of `allowed`.
  std::optional<std::string> Enum(std::string_view member, bool required,
                                  const std::vector<std::string_view>& allowed);
  // An integer member in [min, max].
  std::optional<int64_t> Integer(std::string_view member, int64_t min, int64_t max);
  // A boolean member.
  std::optional<bool> Boolean(std::string_view member);
  // Any member, unchecked (nullptr when absent or null).
  const json::Value* Raw(std::string_view member) const;
  // Records a violation of a constraint of `member` whose value is `shown` (already quoted,
  // or "null").
  void Violation(std::string_view member, std::string_view shown, std::string_view constraint);
  // Records that `member` has the wrong JSON type (takes precedence over violations).
  void WrongType(std::string_view member, std::string_view expected);

  // OK when every member read so far was valid; else the SerializationException of the first
  // wrong type, or the ValidationException listing every violation.
  Status Finish() const;

 private:
  const json::Object& input_;
  std::optional<Error> wrong_type_;
  std::vector<std::string> violations_;
};

// The number of Unicode code points in UTF-8 `text` (bytes that do not start a sequence are
// counted as one each).
size_t CharacterCount(std::string_view text);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_REQUEST_READER_H_
