// The resource_tags table's writes, inside a transaction the caller holds (store_tags.cc), so
// that creating or deleting a resource and its tags is one transaction.
#ifndef AUTORETRAIN_STORE_RESOURCE_TAGS_H_
#define AUTORETRAIN_STORE_RESOURCE_TAGS_H_

#include <string>
#include <vector>

#include "autoretrain/store/store.h"
#include "store/database.h"

namespace autoretrain::store {

// Store::TagResource's writes and limit check (the caller rolls back on an error).
Status WriteResourceTags(Database& db, const std::string& resource_arn,
                         const std::vector<ResourceTag>& tags);
// Removes every tag of `resource_arn`.
Status DeleteAllResourceTags(Database& db, const std::string& resource_arn);

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_RESOURCE_TAGS_H_
