// DynamoDB attribute values in their JSON form ({"S": "a"}, {"N": "1"}, {"B": "<base64>"},
// {"BOOL": true}, {"NULL": true}, {"SS"|"NS"|"BS": [...]}, {"L": [...]}, {"M": {...}}):
// validation with DynamoDB's messages (numbers normalized in place), equality and ordering
// with DynamoDB's typing, key bytes, and item sizes as DynamoDB counts them.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_VALUE_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_VALUE_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations::dynamo {

// DynamoDB's item size limit (400 KB).
inline constexpr size_t kMaxItemBytes = 400 * 1024;

// Checks one attribute value (recursively) and normalizes its numbers ("1.50" -> "1.5").
// Fails with SerializationException for a value of the wrong JSON shape and
// ValidationException with DynamoDB's message otherwise.
Status ValidateValue(json::Value& value);
// Checks every attribute of an item (an object of attribute values).
Status ValidateItem(json::Value& item);

// The type name of a valid value: "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M".
std::string_view TypeOf(const json::Value& value);

// DynamoDB's equality: same type and value (numbers numerically, sets as sets, lists and maps
// element-wise).
bool ValuesEqual(const json::Value& a, const json::Value& b);
// Ordering for the comparison operators: both S (UTF-8 bytes), both N (numerically) or both B
// (bytes); nullopt for other types (the comparison is false).
std::optional<int> CompareValues(const json::Value& a, const json::Value& b);

// The bytes a key attribute of a valid value is stored under (see store/dynamo_tables.h).
std::string KeyBytes(const json::Value& value);

// Base64 decoding (the B type); nullopt when `text` is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);

// Bytes DynamoDB counts for an item: attribute name lengths plus value sizes.
size_t ItemSize(const json::Object& item);

// "S" -> {"S": "..."} and similar small constructors.
json::Value NumberValue(std::string text);

}  // namespace autoretrain::integrations::dynamo

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_VALUE_H_
