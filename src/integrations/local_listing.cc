#include "integrations/local_listing.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace autoretrain::integrations {
namespace {

namespace fs = std::filesystem;

// The prefix of the temporary files LocalObjectStore writes before renaming them into place.
constexpr std::string_view kTempPrefix = ".autoretrain-tmp-";

}  // namespace

std::string QuotedMd5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  out += '"';
  return out;
}

TimePoint ModifiedTime(const struct stat& st) {
  auto since_epoch = std::chrono::seconds(st.st_mtim.tv_sec) +
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::nanoseconds(st.st_mtim.tv_nsec));
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch));
}

ObjectInfo InfoOf(std::string_view data, const struct stat& st) {
  ObjectInfo info;
  info.size = data.size();
  info.etag = QuotedMd5(data);
  info.last_modified = ModifiedTime(st);
  return info;
}

Result<ObjectListing> ListLocalBucket(const std::string& dir, std::string_view bucket,
                                      const ListObjectsRequest& request) {
  if (request.max_keys < 1 || request.max_keys > 1000) {
    return Error{"InvalidArgument", "ListObjectsV2 of bucket '" + std::string(bucket) +
                                        "': MaxKeys must be between 1 and 1000, got " +
                                        std::to_string(request.max_keys)};
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    if (errno == EACCES) {
      return Error{"AccessDenied", "Access Denied: cannot list bucket '" + std::string(bucket) +
                                       "' (" + dir + ": " + std::strerror(errno) + ")"};
    }
    return Error{"NoSuchBucket", "The specified bucket does not exist: '" + std::string(bucket) +
                                     "' (no directory " + dir + ")"};
  }
  const std::string& after =
      request.continuation_token.empty() ? request.start_after : request.continuation_token;
  std::vector<std::string> keys;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    return Error{"AccessDenied", "Access Denied: cannot list bucket '" + std::string(bucket) +
                                     "' (" + dir + ": " + ec.message() + ")"};
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return Error{"InternalError", "cannot list " + dir + ": " + ec.message()};
    }
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (name.starts_with(kTempPrefix)) continue;
    std::string key = it->path().lexically_relative(dir).generic_string();
    if (!key.starts_with(request.prefix)) continue;
    if (!after.empty() && key <= after) continue;
    keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  ObjectListing listing;
  for (const std::string& key : keys) {
    if (listing.objects.size() == static_cast<size_t>(request.max_keys)) {
      listing.is_truncated = true;
      listing.next_continuation_token = listing.objects.back().key;
      break;
    }
    std::string path = dir + "/" + key;
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;  // removed since it was listed
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    struct stat file_stat {};
    if (::stat(path.c_str(), &file_stat) != 0) continue;
    listing.objects.push_back(ListedObject{key, InfoOf(data, file_stat)});
  }
  return listing;
}

}  // namespace autoretrain::integrations
