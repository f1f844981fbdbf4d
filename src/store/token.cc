#include "store/token.h"

#include <charconv>
#include <cstdint>

namespace autoretrain::store {
namespace {

constexpr char kHex[] = "0123456789abcdef";

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

Error Invalid(std::string_view token) {
  return Error{"InvalidToken", "Invalid Token: '" + std::string(token.substr(0, 64)) + "'"};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

// Layout before hex encoding: "<query hash>" then, per field, ":<length>:<bytes>".
std::string EncodeToken(std::string_view query, const std::vector<std::string>& fields) {
  std::string plain = std::to_string(Fnv1a(query));
  for (const auto& field : fields) plain += ":" + std::to_string(field.size()) + ":" + field;
  std::string token;
  token.reserve(plain.size() * 2);
  for (unsigned char c : plain) {
    token += kHex[c >> 4];
    token += kHex[c & 15];
  }
  return token;
}

Result<std::vector<std::string>> DecodeToken(std::string_view token, std::string_view query,
                                             size_t count) {
  if (token.size() % 2 != 0) return Invalid(token);
  std::string plain;
  for (size_t i = 0; i < token.size(); i += 2) {
    int high = HexValue(token[i]), low = HexValue(token[i + 1]);
    if (high < 0 || low < 0) return Invalid(token);
    plain += static_cast<char>(high * 16 + low);
  }
  std::string_view rest = plain;
  const std::string hash = std::to_string(Fnv1a(query));
  if (!rest.starts_with(hash)) return Invalid(token);
  rest.remove_prefix(hash.size());
  std::vector<std::string> fields;
  while (!rest.empty()) {
    size_t length = 0;
    if (rest[0] != ':') return Invalid(token);
    auto [end, ec] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), length);
    if (ec != std::errc() || end == rest.data() + rest.size() || *end != ':') {
      return Invalid(token);
    }
    rest.remove_prefix(end + 1 - rest.data());
    if (length > rest.size()) return Invalid(token);
    fields.emplace_back(rest.substr(0, length));
    rest.remove_prefix(length);
  }
  if (fields.size() != count) return Invalid(token);
  return fields;
}

Result<int64_t> TokenInt(std::string_view token, const std::string& field) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size()) return Invalid(token);
  return value;
}

}  // namespace autoretrain::store
