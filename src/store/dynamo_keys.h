// Helpers shared by the store's DynamoDB files: keys are stored as lowercase hex of their
// bytes (hex digits sort as the bytes do, and TEXT columns then never hold invalid UTF-8),
// and the table-existence check every item operation makes.
//
// Thread-safety: none; called with the Store's mutex held.
#ifndef AUTORETRAIN_STORE_DYNAMO_KEYS_H_
#define AUTORETRAIN_STORE_DYNAMO_KEYS_H_

#include <string>
#include <string_view>

#include "store/database.h"

namespace autoretrain::store {

inline std::string HexKey(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

inline std::string UnhexKey(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

// ResourceNotFoundException "Requested resource not found", as DynamoDB words it.
Error DynamoTableNotFound();

// Whether table `name` exists (a Store* error when SQLite fails).
Result<bool> DynamoTableExists(Database& db, const std::string& name);

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_DYNAMO_KEYS_H_
