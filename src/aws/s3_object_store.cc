#include "autoretrain/aws/s3_object_store.h"

#include <charconv>
#include <cstdint>

#include "autoretrain/aws/credentials.h"
#include "aws/s3_errors.h"
#include "aws/s3_xml.h"
#include "aws/service_connection.h"

namespace autoretrain::aws {
namespace {

using integrations::ObjectData;
using integrations::ObjectInfo;

std::optional<uint64_t> ParseSize(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// The object's total size from "Content-Range: bytes 0-99/1234"; nullopt when unknown ("*").
std::optional<uint64_t> TotalFromContentRange(std::string_view content_range) {
  size_t slash = content_range.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return ParseSize(content_range.substr(slash + 1));
}

ObjectInfo InfoFromHeaders(const HttpResponse& response) {
  ObjectInfo info;
  info.etag = response.Header("ETag");
  info.content_type = response.Header("Content-Type");
  if (auto modified = ParseHttpDate(response.Header("Last-Modified"))) {
    info.last_modified = *modified;
  }
  if (auto size = ParseSize(response.Header("Content-Length"))) info.size = *size;
  return info;
}

// Buckets and keys S3 could not address as one object.
Status ValidateNames(std::string_view operation, std::string_view bucket, std::string_view key,
                     bool key_required) {
  if (bucket.empty() || bucket.find('/') != std::string_view::npos) {
    return Error{"InvalidBucketName", std::string(operation) + ": the bucket name '" +
                                          std::string(bucket) +
                                          "' is not valid (empty or containing '/')"};
  }
  if (key_required && key.empty()) {
    return Error{"InvalidObjectName", std::string(operation) + " in bucket '" +
                                          std::string(bucket) + "': the object key is empty"};
  }
  if (key.size() > 1024) {
    return Error{"KeyTooLongError", std::string(operation) + " in bucket '" + std::string(bucket) +
                                        "': the object key is longer than S3's 1024 bytes"};
  }
  return OkStatus();
}

}  // namespace

struct S3ObjectStore::Prepared {
  S3Call call;
  Credentials credentials;
};

S3ObjectStore::S3ObjectStore(Endpoint endpoint, CredentialsSource credentials,
                             HttpClientOptions http, std::function<TimePoint()> now)
    : endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      http_(std::move(http)),
      now_(now ? std::move(now) : std::function<TimePoint()>(SystemNow)) {}

Result<S3ObjectStore::Prepared> S3ObjectStore::Prepare(std::string_view operation,
                                                       std::string_view bucket,
                                                       std::string_view key) {
  Prepared prepared;
  prepared.call.operation = operation;
  prepared.call.bucket = bucket;
  prepared.call.key = key;
  prepared.call.endpoint = endpoint_.url;
  Result<Credentials> credentials = credentials_();
  if (!credentials.ok()) return S3CallFailed(prepared.call, credentials.error());
  prepared.credentials = std::move(credentials).value();
  prepared.call.access_key_id = prepared.credentials.access_key_id;
  prepared.call.credentials_source = prepared.credentials.source;
  return prepared;
}

Result<HttpResponse> S3ObjectStore::Send(const Prepared& prepared, HttpRequest request) {
  SigningOptions options = SigningOptionsFor("s3", endpoint_.signing_region, now_());
  Result<HttpResponse> response =
      http_.SendSigned(std::move(request), prepared.credentials, options, now_);
  if (!response.ok()) return S3CallFailed(prepared.call, response.error());
  return response;
}

Result<std::string> S3ObjectStore::GetObject(std::string_view bucket, std::string_view key,
                                             size_t max_bytes) {
  Result<ObjectData> object = GetObjectWithInfo(bucket, key, max_bytes);
  if (!object.ok()) return object.take_error();
  return std::move(object->body);
}

Result<ObjectData> S3ObjectStore::GetObjectWithInfo(std::string_view bucket, std::string_view key,
                                                    size_t max_bytes) {
  if (Status valid = ValidateNames("GetObject", bucket, key, true); !valid.ok()) {
    return valid.take_error();
  }
  Result<Prepared> prepared = Prepare("GetObject", bucket, key);
  if (!prepared.ok()) return prepared.take_error();
  HttpRequest request;
  request.method = "GET";
  request.url = S3ObjectUrl(endpoint_, bucket, key);
  // One byte more than allowed is enough to know the object is too large.
  const bool ranged = max_bytes < SIZE_MAX / 2;
  HttpRequest plain = request;
  if (ranged) request.headers.emplace_back("Range", "bytes=0-" + std::to_string(max_bytes));
  Result<HttpResponse> response = Send(*prepared, std::move(request));
  if (!response.ok()) return response.take_error();
  if (ranged && response->status == 416) {
    // S3 refuses any range of an empty object (InvalidRange): read it whole.
    response = Send(*prepared, std::move(plain));
    if (!response.ok()) return response.take_error();
  }
  if (!IsHttpSuccess(response->status)) return S3ResponseError(prepared->call, *response);
  ObjectData object;
  object.info = InfoFromHeaders(*response);
  object.info.size = response->body.size();
  if (response->status == 206) {
    if (auto total = TotalFromContentRange(response->Header("Content-Range"))) {
      object.info.size = *total;
    }
  }
  if (object.info.size > max_bytes || response->body.size() > max_bytes) {
    return Error{"EntityTooLarge", "s3://" + std::string(bucket) + "/" + std::string(key) + " at " +
                                       endpoint_.url + " is " + std::to_string(object.info.size) +
                                       " bytes, larger than the " + std::to_string(max_bytes) +
                                       " bytes allowed"};
  }
  object.body = std::move(response->body);
  return object;
}

Result<ObjectInfo> S3ObjectStore::HeadObject(std::string_view bucket, std::string_view key) {
  if (Status valid = ValidateNames("HeadObject", bucket, key, true); !valid.ok()) {
    return valid.take_error();
  }
  Result<Prepared> prepared = Prepare("HeadObject", bucket, key);
  if (!prepared.ok()) return prepared.take_error();
  HttpRequest request;
  request.method = "HEAD";
  request.url = S3ObjectUrl(endpoint_, bucket, key);
  Result<HttpResponse> response = Send(*prepared, std::move(request));
  if (!response.ok()) return response.take_error();
  if (!IsHttpSuccess(response->status)) return S3ResponseError(prepared->call, *response);
  return InfoFromHeaders(*response);
}

Result<ObjectInfo> S3ObjectStore::PutObject(std::string_view bucket, std::string_view key,
                                            std::string_view data) {
  if (Status valid = ValidateNames("PutObject", bucket, key, true); !valid.ok()) {
    return valid.take_error();
  }
  Result<Prepared> prepared = Prepare("PutObject", bucket, key);
  if (!prepared.ok()) return prepared.take_error();
  HttpRequest request;
  request.method = "PUT";
  request.url = S3ObjectUrl(endpoint_, bucket, key);
  request.body = data;
  Result<HttpResponse> response = Send(*prepared, std::move(request));
  if (!response.ok()) return response.take_error();
  if (!IsHttpSuccess(response->status)) return S3ResponseError(prepared->call, *response);
  ObjectInfo info;
  info.size = data.size();
  info.etag = response->Header("ETag");
  return info;
}

Result<integrations::ObjectListing> S3ObjectStore::ListObjectsV2(
    std::string_view bucket, const integrations::ListObjectsRequest& request) {
  if (Status valid = ValidateNames("ListObjectsV2", bucket, "", false); !valid.ok()) {
    return valid.take_error();
  }
  if (request.max_keys < 1 || request.max_keys > 1000) {
    return Error{"InvalidArgument", "ListObjectsV2 of bucket '" + std::string(bucket) +
                                        "': MaxKeys must be between 1 and 1000, got " +
                                        std::to_string(request.max_keys)};
  }
  Result<Prepared> prepared = Prepare("ListObjectsV2", bucket, "");
  if (!prepared.ok()) return prepared.take_error();
  std::string query = "list-type=2&max-keys=" + std::to_string(request.max_keys);
  if (!request.prefix.empty()) query += "&prefix=" + UriEncode(request.prefix, false);
  if (!request.continuation_token.empty()) {
    query += "&continuation-token=" + UriEncode(request.continuation_token, false);
  }
  if (!request.start_after.empty()) {
    query += "&start-after=" + UriEncode(request.start_after, false);
  }
  HttpRequest http_request;
  http_request.method = "GET";
  http_request.url = S3ObjectUrl(endpoint_, bucket, "") + "?" + query;
  Result<HttpResponse> response = Send(*prepared, std::move(http_request));
  if (!response.ok()) return response.take_error();
  if (!IsHttpSuccess(response->status)) return S3ResponseError(prepared->call, *response);
  integrations::ObjectListing listing;
  for (std::string_view contents : XmlElements(response->body, "Contents")) {
    integrations::ListedObject object;
    std::optional<std::string> key = XmlText(contents, "Key");
    if (!key) {
      return Error{"MalformedResponse", prepared->call.Describe() +
                                            " returned a <Contents> entry without <Key>; is the "
                                            "endpoint an S3-compatible store?"};
    }
    object.key = std::move(*key);
    object.info.etag = XmlText(contents, "ETag").value_or("");
    if (auto size = ParseSize(XmlText(contents, "Size").value_or(""))) object.info.size = *size;
    TimePoint modified;
    if (ParseIso8601(XmlText(contents, "LastModified").value_or(""), &modified)) {
      object.info.last_modified = modified;
    }
    listing.objects.push_back(std::move(object));
  }
  listing.is_truncated = XmlText(response->body, "IsTruncated").value_or("") == "true";
  listing.next_continuation_token = XmlText(response->body, "NextContinuationToken").value_or("");
  return listing;
}

Result<std::unique_ptr<integrations::ObjectStore>> MakeS3ObjectStore(
    const S3StoreOptions& options, std::shared_ptr<const Environment> env) {
  EndpointOptions endpoint;
  endpoint.url = options.endpoint_url;
  endpoint.force_path_style = options.path_style;
  Result<ServiceConnection> connection = ConnectService(
      S3Service(), options.region, options.fallback_region, endpoint, std::move(env));
  if (!connection.ok()) return connection.take_error();
  return std::unique_ptr<integrations::ObjectStore>(std::make_unique<S3ObjectStore>(
      std::move(connection->endpoint), std::move(connection->credentials), options.http));
}

}  // namespace autoretrain::aws
