// Page tokens: the opaque nextToken strings of ListStateMachines, ListExecutions and
// GetExecutionHistory. A token carries the key of the next row to return (keyset pagination:
// no OFFSET, stable while rows are added) and a hash of the query it belongs to, so a token
// used with another state machine, execution, filter or direction is rejected.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_STORE_TOKEN_H_
#define AUTORETRAIN_STORE_TOKEN_H_

#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"

namespace autoretrain::store {

// A token for the query described by `query` whose next page starts at `fields`.
std::string EncodeToken(std::string_view query, const std::vector<std::string>& fields);

// The fields of `token`. InvalidToken when it is not a token of `query` with `count` fields.
Result<std::vector<std::string>> DecodeToken(std::string_view token, std::string_view query,
                                             size_t count);

// Parses a decimal int64 field of a decoded token; InvalidToken when it is not one.
Result<int64_t> TokenInt(std::string_view token, const std::string& field);

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_TOKEN_H_
