// Store: resource tags (TagResource, UntagResource, ListTagsForResource) in table
// resource_tags, keyed by resource ARN and tag key.
#include "autoretrain/store/store.h"
#include "store/database.h"
#include "store/resource_tags.h"

namespace autoretrain::store {
namespace {

// How many tags `resource_arn` has.
Result<int64_t> CountTags(Database& db, const std::string& resource_arn) {
  auto stmt = db.Prepare("SELECT count(*) FROM resource_tags WHERE resource_arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, resource_arn);
  if (int rc = stmt->Step(); rc != SQLITE_ROW) return db.Fail(rc, "counting resource tags");
  return stmt->Int(0);
}

}  // namespace

Status WriteResourceTags(Database& db, const std::string& resource_arn,
                         const std::vector<ResourceTag>& tags) {
  auto stmt = db.Prepare(
      "INSERT INTO resource_tags (resource_arn, key, value) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value");
  if (!stmt.ok()) return stmt.take_error();
  for (const ResourceTag& tag : tags) {
    stmt->Bind(1, resource_arn).Bind(2, tag.key).Bind(3, tag.value);
    STORE_RETURN_IF_ERROR(db.Run(*stmt, "tagging a resource"));
    stmt->Reset();
  }
  auto count = CountTags(db, resource_arn);
  if (!count.ok()) return count.take_error();
  if (*count > static_cast<int64_t>(kMaxTagsPerResource)) {
    return Error{"TooManyTags", "Too many tags: resource '" + resource_arn + "' would have " +
                                    std::to_string(*count) + " tags; the limit is " +
                                    std::to_string(kMaxTagsPerResource) +
                                    " per resource. Remove tags (UntagResource) first"};
  }
  return OkStatus();
}

Status DeleteAllResourceTags(Database& db, const std::string& resource_arn) {
  auto stmt = db.Prepare("DELETE FROM resource_tags WHERE resource_arn = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, resource_arn);
  return db.Run(*stmt, "deleting a resource's tags");
}

Status Store::TagResource(const std::string& resource_arn, const std::vector<ResourceTag>& tags) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  // On an error the transaction's destructor rolls the new tags back.
  STORE_RETURN_IF_ERROR(WriteResourceTags(*db_, resource_arn, tags));
  return tx.Commit();
}

Status Store::UntagResource(const std::string& resource_arn, const std::vector<std::string>& keys) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto stmt = db_->Prepare("DELETE FROM resource_tags WHERE resource_arn = ?1 AND key = ?2");
  if (!stmt.ok()) return stmt.take_error();
  for (const std::string& key : keys) {
    stmt->Bind(1, resource_arn).Bind(2, key);
    STORE_RETURN_IF_ERROR(db_->Run(*stmt, "untagging a resource"));
    stmt->Reset();
  }
  return tx.Commit();
}

Result<std::vector<ResourceTag>> Store::ListResourceTags(const std::string& resource_arn) {
  std::lock_guard lock(mu_);
  auto stmt =
      db_->Prepare("SELECT key, value FROM resource_tags WHERE resource_arn = ?1 ORDER BY key");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, resource_arn);
  std::vector<ResourceTag> tags;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) tags.push_back({stmt->Text(0), stmt->Text(1)});
  if (rc != SQLITE_DONE) return db_->Fail(rc, "listing resource tags");
  return tags;
}

Status Store::DeleteResourceTags(const std::string& resource_arn) {
  std::lock_guard lock(mu_);
  return DeleteAllResourceTags(*db_, resource_arn);
}

}  // namespace autoretrain::store
