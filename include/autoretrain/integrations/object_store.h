// ObjectStore: the S3-shaped interface through which autoretrain reads decision files and
// writes artifacts. This layer's backend maps s3://BUCKET/KEY to ROOT/BUCKET/KEY on disk; the
// S3 backend (aws::S3ObjectStore, include/autoretrain/aws/s3_object_store.h) implements the
// same interface.
//
// Errors use S3's error codes as `error` names, so Retry/Catch written for AWS keep working:
// "NoSuchBucket", "NoSuchKey", "AccessDenied", "EntityTooLarge", "InvalidObjectName",
// "InvalidBucketName" (and "InternalError" for unexpected I/O failures). The S3 backend adds
// the transport errors of the aws layer's HTTP client (HttpTimeout, HttpConnectionRefused, ...)
// and credential errors (NoCredentials, CredentialsError); see docs/aws.md.
//
// Thread-safety: implementations allow concurrent calls.
#ifndef AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_
#define AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"

namespace autoretrain::integrations {

// What S3's HeadObject reports about an object.
struct ObjectInfo {
  uint64_t size = 0;
  // The entity tag with its quotes, as S3 sends it: "\"<hex MD5 of the bytes>\"" for objects
  // written in one piece (the local backend computes exactly that).
  std::string etag;
  TimePoint last_modified{};  // zero when the store did not say
  std::string content_type;   // "" when the store keeps none (the local backend)
};

struct ObjectData {
  std::string body;
  ObjectInfo info;
};

// ListObjectsV2's request: keys starting with `prefix`, in ascending byte order, after
// `continuation_token` (from a previous truncated listing) or else after `start_after`, at most
// `max_keys` (1 to 1000) of them.
struct ListObjectsRequest {
  std::string prefix;
  std::string continuation_token;
  std::string start_after;
  int max_keys = 1000;
};

struct ListedObject {
  std::string key;
  ObjectInfo info;  // content_type is never set in listings
};

struct ObjectListing {
  std::vector<ListedObject> objects;
  bool is_truncated = false;
  std::string next_continuation_token;  // set when is_truncated
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // The object's bytes. Fails with NoSuchBucket/NoSuchKey/AccessDenied, or EntityTooLarge when
  // it is larger than `max_bytes` (the read stops there; nothing large is loaded).
  virtual Result<std::string> GetObject(std::string_view bucket, std::string_view key,
                                        size_t max_bytes) = 0;
  // GetObject with the object's metadata (size, ETag, LastModified, Content-Type). Fails as
  // GetObject.
  virtual Result<ObjectData> GetObjectWithInfo(std::string_view bucket, std::string_view key,
                                               size_t max_bytes) = 0;
  // The object's metadata without its bytes. Fails with NoSuchBucket/NoSuchKey/AccessDenied.
  virtual Result<ObjectInfo> HeadObject(std::string_view bucket, std::string_view key) = 0;
  // Writes the object, replacing any previous one atomically; returns what was stored (size,
  // ETag). Fails with NoSuchBucket when the bucket does not exist, AccessDenied when it cannot
  // be written.
  virtual Result<ObjectInfo> PutObject(std::string_view bucket, std::string_view key,
                                       std::string_view data) = 0;
  // One page of the bucket's keys (see ListObjectsRequest). Fails with NoSuchBucket,
  // AccessDenied, or InvalidArgument for max_keys outside 1-1000.
  virtual Result<ObjectListing> ListObjectsV2(std::string_view bucket,
                                              const ListObjectsRequest& request) = 0;
};

// A directory of buckets: each subdirectory of `root` is a bucket, each file below it an
// object whose key is its relative path. Keys containing "..", empty segments, or a leading
// "/" are rejected with InvalidObjectName so nothing outside the bucket can be reached.
std::unique_ptr<ObjectStore> MakeLocalObjectStore(std::string root);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_OBJECT_STORE_H_
