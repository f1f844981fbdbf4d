// The persistence behind the local DynamoDB table store: tables (name and the description
// DescribeTable returns, as JSON text) and their items (JSON text) by key, in the project's
// SQLite database (tables dynamo_tables and dynamo_items, schema migration 5). The DynamoDB
// semantics (typed attribute values, expressions, the operations) live in the integrations
// layer (integrations/local_dynamodb.h); this layer only stores and orders bytes.
//
// Keys are opaque byte strings the caller encodes so that byte order is the key order
// DynamoDB sorts by (the integrations layer encodes numbers so that they sort numerically).
// A table without a sort key uses an empty range key.
//
// Errors use DynamoDB's names: ResourceNotFoundException ("Requested resource not found")
// for a table that does not exist, ResourceInUseException for a second table of a name; and
// the Store* names of store.h for SQLite failures.
//
// Thread-safety: plain values; the Store methods that use them (store.h, dynamo_*.cc) may be
// called from any thread.
#ifndef AUTORETRAIN_STORE_DYNAMO_TABLES_H_
#define AUTORETRAIN_STORE_DYNAMO_TABLES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "autoretrain/common/result.h"

namespace autoretrain::store {

// A table's primary key, encoded by the caller (see above).
struct DynamoKey {
  std::string hash;
  std::string range;  // empty for a table without a sort key

  friend bool operator==(const DynamoKey&, const DynamoKey&) = default;
};

struct DynamoItemRow {
  DynamoKey key;
  std::string item;  // JSON text of the item
};

// Which items ReadDynamoItems returns, in key order (hash, then range).
struct DynamoItemRange {
  std::optional<std::string> hash;  // only this partition (Query); nullopt: all (Scan)
  std::optional<std::string> low;   // range keys >= low (> low when !low_inclusive)
  bool low_inclusive = true;
  std::optional<std::string> high;  // range keys <= high (< high when !high_inclusive)
  bool high_inclusive = true;
  bool forward = true;             // false: descending (Query only; needs `hash`)
  std::optional<DynamoKey> after;  // only keys strictly after this one in the direction
  int64_t limit = 1000;            // at most this many rows
};

// What a conditional write decided after seeing the current item.
struct DynamoWrite {
  enum class Kind { kNone, kPut, kDelete };
  Kind kind = Kind::kNone;
  std::string item;  // JSON text, for kPut
};

// Called inside the write transaction with the current item (JSON text) or nullopt; returns
// the write to make, or an error that aborts the transaction unchanged.
using DynamoDecide = std::function<Result<DynamoWrite>(const std::optional<std::string>& current)>;

struct DynamoTableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;  // bytes of the stored JSON texts (an estimate of TableSizeBytes)
};

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_DYNAMO_TABLES_H_
