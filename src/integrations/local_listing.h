// Helpers of the local-directory object store (object_store.cc): ListObjectsV2 over a bucket
// directory, and the metadata S3 would report for a file (MD5 ETag, modification time).
//
// Thread-safety: plain functions; concurrent listings of one bucket are safe (a file written
// meanwhile may or may not be listed).
#ifndef AUTORETRAIN_INTEGRATIONS_LOCAL_LISTING_H_
#define AUTORETRAIN_INTEGRATIONS_LOCAL_LISTING_H_

#include <sys/stat.h>

#include <string>
#include <string_view>

#include "autoretrain/integrations/object_store.h"

namespace autoretrain::integrations {

// The objects of the bucket directory `dir` (every regular file below it, its key the relative
// path), as ListObjectsV2 returns them: ascending byte order of keys, filtered by prefix,
// starting after the continuation token (the last key of the previous page) or start_after,
// at most max_keys. Temporary files of writes in progress are skipped. Fails with NoSuchBucket
// when `dir` is not a directory, AccessDenied when it cannot be read, InvalidArgument for
// max_keys outside 1-1000.
Result<ObjectListing> ListLocalBucket(const std::string& dir, std::string_view bucket,
                                      const ListObjectsRequest& request);

// "\"<lower-case hex MD5 of data>\"", the ETag S3 gives an object written in one piece.
std::string QuotedMd5(std::string_view data);

// The modification time of a file, in milliseconds.
TimePoint ModifiedTime(const struct stat& st);

// Size, ETag and modification time of a file whose bytes are `data`.
ObjectInfo InfoOf(std::string_view data, const struct stat& st);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_LOCAL_LISTING_H_
