#include "autoretrain/integrations/object_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>

#include "integrations/local_listing.h"

namespace autoretrain::integrations {
namespace {

// S3's own limit on key length, in bytes.
constexpr size_t kMaxKeyBytes = 1024;

std::string S3Uri(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

// Bucket names map to one directory: no separators, no dot segments, nothing hidden.
Status ValidateBucket(std::string_view bucket) {
  if (bucket.empty() || bucket == "." || bucket == ".." || bucket.front() == '.' ||
      bucket.find('/') != std::string_view::npos || bucket.find('\0') != std::string_view::npos) {
    return Error{"InvalidBucketName",
                 "The specified bucket is not valid: '" + std::string(bucket) + "'"};
  }
  return OkStatus();
}

// Keys map to a relative path inside the bucket directory; anything that could name a path
// outside it (or a different file than the key says) is refused.
Status ValidateKey(std::string_view bucket, std::string_view key) {
  auto invalid = [&](std::string_view why) -> Status {
    return Error{"InvalidObjectName",
                 "Object key '" + std::string(key) + "' in bucket '" + std::string(bucket) +
                     "' is not allowed by the local object store: " + std::string(why)};
  };
  if (key.empty()) return invalid("the key is empty");
  if (key.size() > kMaxKeyBytes) return invalid("the key is longer than 1024 bytes");
  if (key.front() == '/') return invalid("it starts with '/'");
  if (key.find('\0') != std::string_view::npos) return invalid("it contains a NUL byte");
  size_t start = 0;
  while (true) {
    size_t slash = key.find('/', start);
    std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty()) return invalid("it has an empty path segment ('//' or a trailing '/')");
    if (segment == "." || segment == "..") return invalid("it has a '.' or '..' path segment");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return OkStatus();
}

Error AccessDenied(std::string_view bucket, std::string_view key, const std::string& path,
                   int err) {
  return Error{"AccessDenied", "Access Denied: cannot read or write " + S3Uri(bucket, key) + " (" +
                                   path + ": " + std::strerror(err) + ")"};
}

Error NoSuchKey(std::string_view bucket, std::string_view key, const std::string& path) {
  return Error{"NoSuchKey", "The specified key does not exist: " + S3Uri(bucket, key) +
                                " (no file " + path + ")"};
}

class LocalObjectStore final : public ObjectStore {
 public:
  explicit LocalObjectStore(std::string root) : root_(std::move(root)) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  }

  Result<std::string> GetObject(std::string_view bucket, std::string_view key,
                                size_t max_bytes) override {
    return Read(bucket, key, max_bytes, nullptr);
  }

  Result<ObjectData> GetObjectWithInfo(std::string_view bucket, std::string_view key,
                                       size_t max_bytes) override {
    struct stat st {};
    Result<std::string> body = Read(bucket, key, max_bytes, &st);
    if (!body.ok()) return body.take_error();
    ObjectData object;
    object.info = InfoOf(*body, st);
    object.body = std::move(body).value();
    return object;
  }

  Result<ObjectInfo> HeadObject(std::string_view bucket, std::string_view key) override {
    // The ETag is the MD5 of the bytes, so they are read (up to S3's 5 TiB object limit).
    Result<ObjectData> object = GetObjectWithInfo(bucket, key, SIZE_MAX);
    if (!object.ok()) return object.take_error();
    return std::move(object->info);
  }

  Result<ObjectListing> ListObjectsV2(std::string_view bucket,
                                      const ListObjectsRequest& request) override {
    if (Status valid = ValidateBucket(bucket); !valid.ok()) return valid.take_error();
    return ListLocalBucket(root_ + "/" + std::string(bucket), bucket, request);
  }

  Result<ObjectInfo> PutObject(std::string_view bucket, std::string_view key,
                               std::string_view data) override {
    Result<std::string> dir = BucketDir(bucket, key);
    if (!dir.ok()) return dir.take_error();
    std::string path = *dir + "/" + std::string(key);
    // Parent directories inside the bucket, one segment at a time.
    for (size_t slash = key.find('/'); slash != std::string_view::npos;
         slash = key.find('/', slash + 1)) {
      std::string parent = *dir + "/" + std::string(key.substr(0, slash));
      if (::mkdir(parent.c_str(), 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (::stat(parent.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
        return Error{"InvalidObjectName",
                     "cannot store " + S3Uri(bucket, key) + ": '" +
                         std::string(key.substr(0, slash)) +
                         "' is an object, and the local store keeps keys as files, so it cannot "
                         "also be a prefix"};
      }
      int err = errno;
      if (err == EACCES || err == EPERM || err == EROFS) {
        return AccessDenied(bucket, key, parent, err);
      }
      return Error{"InternalError", "cannot create " + parent + ": " + std::strerror(err)};
    }
    if (Status written = WriteAtomically(path, bucket, key, data); !written.ok()) {
      return written.take_error();
    }
    ObjectInfo info;
    info.size = data.size();
    info.etag = QuotedMd5(data);
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) info.last_modified = ModifiedTime(st);
    return info;
  }

 private:
  // GetObject; fills *st (when given) with the file's status.
  Result<std::string> Read(std::string_view bucket, std::string_view key, size_t max_bytes,
                           struct stat* st) {
    if (Status valid = ValidateBucket(bucket); !valid.ok()) return valid.take_error();
    if (Status valid = ValidateKey(bucket, key); !valid.ok()) return valid.take_error();
    std::string path;
    path.reserve(root_.size() + bucket.size() + key.size() + 2);
    path.append(root_).append("/").append(bucket).append("/").append(key);
    // Open first and look at the bucket only when that fails: one system call on the hot path.
    // O_NONBLOCK: opening a FIFO placed at the key must not hang; regular files ignore it.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR || err == ENAMETOOLONG) {
        if (Result<std::string> dir = BucketDir(bucket, key); !dir.ok()) return dir.take_error();
        return NoSuchKey(bucket, key, path);
      }
      if (err == EACCES || err == EPERM) return AccessDenied(bucket, key, path, err);
      return Error{"InternalError", "cannot open " + path + ": " + std::strerror(err)};
    }
    Result<std::string> data = ReadAll(fd, bucket, key, path, max_bytes, st);
    ::close(fd);
    return data;
  }

  // The bucket's directory after validating bucket and key; NoSuchBucket when it is missing.
  Result<std::string> BucketDir(std::string_view bucket, std::string_view key) const {
    if (Status valid = ValidateBucket(bucket); !valid.ok()) return valid.take_error();
    if (Status valid = ValidateKey(bucket, key); !valid.ok()) return valid.take_error();
    std::string dir = root_ + "/" + std::string(bucket);
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      if (errno == EACCES) return AccessDenied(bucket, key, dir, errno);
      return Error{"NoSuchBucket", "The specified bucket does not exist: '" + std::string(bucket) +
                                       "' (no directory " + dir + ")"};
    }
    if (!S_ISDIR(st.st_mode)) {
      return Error{"NoSuchBucket", "The specified bucket does not exist: '" + std::string(bucket) +
                                       "' (" + dir + " is not a directory)"};
    }
    return dir;
  }

  static Result<std::string> ReadAll(int fd, std::string_view bucket, std::string_view key,
                                     const std::string& path, size_t max_bytes,
                                     struct stat* st_out) {
    struct stat st;
    const bool stated = ::fstat(fd, &st) == 0;
    if (stated && st_out != nullptr) *st_out = st;
    if (stated && !S_ISREG(st.st_mode)) {
      // S3 has no directories: a key naming one is a prefix, not an object. Devices, FIFOs
      // and sockets are not objects either.
      return NoSuchKey(bucket, key, path);
    }
    std::string data;
    char buffer[64 * 1024];
    while (true) {
      // Never read more than max_bytes + 1: enough to know the object is too large.
      size_t limit = max_bytes == SIZE_MAX ? SIZE_MAX : max_bytes + 1;
      size_t want = std::min(sizeof buffer, limit - data.size());
      ssize_t n = ::read(fd, buffer, want);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        if (err == EACCES || err == EPERM) return AccessDenied(bucket, key, path, err);
        if (err == EISDIR) return NoSuchKey(bucket, key, path);
        return Error{"InternalError", "cannot read " + path + ": " + std::strerror(err)};
      }
      if (n == 0) return data;
      data.append(buffer, static_cast<size_t>(n));
      if (data.size() > max_bytes) {
        return Error{"EntityTooLarge", S3Uri(bucket, key) + " is larger than the " +
                                           std::to_string(max_bytes) + " bytes allowed"};
      }
      // A short read that ends where fstat said the file ends has reached its end: spare the
      // read that would only return 0.
      if (stated && static_cast<size_t>(n) < want &&
          data.size() == static_cast<size_t>(st.st_size)) {
        return data;
      }
    }
  }

  // Writes a temporary file beside the target and renames it over the target, so readers see
  // either the old object or the new one, never a partial write.
  static Status WriteAtomically(const std::string& path, std::string_view bucket,
                                std::string_view key, std::string_view data) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    size_t slash = path.rfind('/');
    std::string temp = path.substr(0, slash + 1) + ".autoretrain-tmp-" + std::to_string(rng());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      if (err == EACCES || err == EPERM || err == EROFS) {
        return AccessDenied(bucket, key, path, err);
      }
      return Error{"InternalError", "cannot create " + temp + ": " + std::strerror(err)};
    }
    size_t written = 0;
    while (written < data.size()) {
      ssize_t n = ::write(fd, data.data() + written, data.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        return Error{"InternalError", "cannot write " + temp + ": " + std::strerror(err)};
      }
      written += static_cast<size_t>(n);
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(temp.c_str());
      if (err == EISDIR) {
        return Error{"InvalidObjectName", "cannot store " + S3Uri(bucket, key) +
                                              ": it is already a prefix of other objects"};
      }
      if (err == EACCES || err == EPERM) return AccessDenied(bucket, key, path, err);
      return Error{"InternalError",
                   "cannot rename " + temp + " to " + path + ": " + std::strerror(err)};
    }
    return OkStatus();
  }

  std::string root_;
};

}  // namespace

std::unique_ptr<ObjectStore> MakeLocalObjectStore(std::string root) {
  return std::make_unique<LocalObjectStore>(std::move(root));
}

}  // namespace autoretrain::integrations
