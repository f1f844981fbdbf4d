// ObjectStore: the S3-shaped interface through which autoretrain reads decision files and
// writes artifacts. This layer's backend maps s3://BUCKET/KEY to ROOT/BUCKET/KEY on disk; the
// S3 backend (issue [aws]) implements the same interface.
//
// Errors use S3's error codes as `error` names, so Retry/Catch written for AWS keep working:
// "NoSuchBucket", "NoSuchKey", "AccessDenied", "EntityTooLarge", "InvalidObjectName",
// "InvalidBucketName" (and "InternalError" for unexpected I/O failures).
//
// Thread-safety: implementations allow concurrent calls.
#ifndef AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_
#define AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_

#include <memory>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"

namespace autoretrain::integrations {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // The object's bytes. Fails with NoSuchBucket/NoSuchKey/AccessDenied, or EntityTooLarge when
  // it is larger than `max_bytes` (the read stops there; nothing large is loaded).
  virtual Result<std::string> GetObject(std::string_view bucket, std::string_view key,
                                        size_t max_bytes) = 0;
  // Writes the object, replacing any previous one atomically. Fails with NoSuchBucket when the
  // bucket does not exist, AccessDenied when it cannot be written.
  virtual Status PutObject(std::string_view bucket, std::string_view key,
                           std::string_view data) = 0;
};

// A directory of buckets: each subdirectory of `root` is a bucket, each file below it an
// object whose key is its relative path. Keys containing "..", empty segments, or a leading
// "/" are rejected with InvalidObjectName so nothing outside the bucket can be reached.
std::unique_ptr<ObjectStore> MakeLocalObjectStore(std::string root);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_
