#include "integrations/s3_tasks.h"

#include <map>

namespace autoretrain::integrations {
namespace {

constexpr std::string_view kPrefix = "arn:aws:states:::aws-sdk:s3:";

Error Runtime(const engine::TaskRequest& request, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(request.state_name) + "'. " +
                                     std::string(message)};
}

// Parameter `field` of `params` as a string; nullopt (absent) is allowed unless `required`.
Result<std::optional<std::string>> StringParameter(const engine::TaskRequest& request,
                                                   const json::Object& params,
                                                   std::string_view field, bool required) {
  const json::Value* value = params.if_contains(field);
  if (value == nullptr) {
    if (!required) return std::optional<std::string>();
    return Runtime(request, "The field '" + std::string(field) + "' is required by the resource '" +
                                std::string(request.resource) +
                                "' but missing from the Parameters.");
  }
  if (!value->is_string()) {
    return Runtime(request, "The value for the field '" + std::string(field) +
                                "' must be a STRING, got " + std::string(json::TypeName(*value)) +
                                ".");
  }
  return std::optional<std::string>(std::string(value->get_string()));
}

// The first invalid UTF-8 byte's offset, or npos.
size_t InvalidUtf8At(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// The fields S3's HeadObject and GetObject responses share.
void AddInfo(const ObjectInfo& info, std::string* body, json::Object* out) {
  out->emplace("AcceptRanges", "bytes");
  if (body != nullptr) out->emplace("Body", std::move(*body));
  out->emplace("ContentLength", static_cast<int64_t>(info.size));
  if (!info.content_type.empty()) out->emplace("ContentType", info.content_type);
  if (!info.etag.empty()) out->emplace("ETag", info.etag);
  if (info.last_modified != TimePoint{}) {
    out->emplace("LastModified", FormatIso8601(info.last_modified));
  }
  out->emplace("Metadata", json::Object{});
}

int HttpStatusOf(std::string_view code) {
  static const std::map<std::string_view, int> kStatus = {
      {"AccessDenied", 403},     {"NoSuchKey", 404},          {"NoSuchBucket", 404},
      {"InternalError", 500},    {"ServiceUnavailable", 503}, {"SlowDown", 503},
      {"PermanentRedirect", 301}};
  auto it = kStatus.find(code);
  return it == kStatus.end() ? 400 : it->second;
}

}  // namespace

bool IsS3TaskResource(std::string_view resource) { return resource.starts_with(kPrefix); }

Error S3TaskError(const Error& store_error) {
  const std::string& code = store_error.error;
  if (code.starts_with("Http") || code == "NoCredentials" || code == "CredentialsError" ||
      code == "ConfigError") {
    return store_error;  // the store could not be reached: the named transport error
  }
  if (code == "NoSuchKey" || code == "NoSuchBucket") {
    return Error{"S3." + code + "Exception",
                 store_error.cause + " (Service: S3, Status Code: 404, Error Code: " + code + ")"};
  }
  return Error{"S3.S3Exception", store_error.cause + " (Service: S3, Status Code: " +
                                     std::to_string(HttpStatusOf(code)) + ", Error Code: " + code +
                                     ")"};
}

Result<json::Value> InvokeS3Task(ObjectStore* store, const engine::TaskRequest& request) {
  std::string_view api = request.resource.substr(kPrefix.size());
  if (api.find('.') != std::string_view::npos) {
    return Runtime(request, "The resource '" + std::string(request.resource) +
                                "' uses an integration pattern; S3 AWS SDK integrations "
                                "support only request-response (no suffix).");
  }
  if (api != "getObject" && api != "putObject" && api != "headObject" && api != "listObjectsV2") {
    return Runtime(request, "The resource '" + std::string(request.resource) +
                                "' is not supported by autoretrain. Supported S3 calls: "
                                "aws-sdk:s3:getObject, putObject, headObject, listObjectsV2.");
  }
  if (store == nullptr) {
    return Runtime(request, "No object store is configured for this runtime, so '" +
                                std::string(request.resource) + "' cannot run.");
  }
  if (request.parameters == nullptr || !request.parameters->is_object()) {
    return Runtime(request, "The Parameters of the aws-sdk:s3:" + std::string(api) +
                                " integration must be an object.");
  }
  const json::Object& params = request.parameters->get_object();
  auto bucket = StringParameter(request, params, "Bucket", true);
  if (!bucket.ok()) return bucket.take_error();
  json::Object out;
  if (api == "listObjectsV2") {
    ListObjectsRequest list;
    for (auto [field, target] : {std::pair{"Prefix", &list.prefix},
                                 {"ContinuationToken", &list.continuation_token},
                                 {"StartAfter", &list.start_after}}) {
      auto value = StringParameter(request, params, field, false);
      if (!value.ok()) return value.take_error();
      if (*value) *target = **value;
    }
    if (const json::Value* max = params.if_contains("MaxKeys")) {
      if (!max->is_int64() || max->get_int64() < 1 || max->get_int64() > 1000) {
        return Runtime(request,
                       "The value for the field 'MaxKeys' must be an integer from 1 "
                       "to 1000.");
      }
      list.max_keys = static_cast<int>(max->get_int64());
    }
    Result<ObjectListing> listing = store->ListObjectsV2(**bucket, list);
    if (!listing.ok()) return S3TaskError(listing.error());
    json::Array contents;
    for (const ListedObject& object : listing->objects) {
      json::Object entry;
      entry.emplace("ETag", object.info.etag);
      entry.emplace("Key", object.key);
      if (object.info.last_modified != TimePoint{}) {
        entry.emplace("LastModified", FormatIso8601(object.info.last_modified));
      }
      entry.emplace("Size", static_cast<int64_t>(object.info.size));
      entry.emplace("StorageClass", "STANDARD");
      contents.push_back(std::move(entry));
    }
    out.emplace("Contents", std::move(contents));
    if (!list.continuation_token.empty()) out.emplace("ContinuationToken", list.continuation_token);
    out.emplace("IsTruncated", listing->is_truncated);
    out.emplace("KeyCount", static_cast<int64_t>(listing->objects.size()));
    out.emplace("MaxKeys", list.max_keys);
    out.emplace("Name", **bucket);
    if (listing->is_truncated) {
      out.emplace("NextContinuationToken", listing->next_continuation_token);
    }
    out.emplace("Prefix", list.prefix);
    if (!list.start_after.empty()) out.emplace("StartAfter", list.start_after);
    return json::Value(std::move(out));
  }
  auto key = StringParameter(request, params, "Key", true);
  if (!key.ok()) return key.take_error();
  if (api == "putObject") {
    std::string body;
    if (const json::Value* value = params.if_contains("Body")) {
      body = value->is_string() ? std::string(value->get_string()) : json::Serialize(*value);
    }
    Result<ObjectInfo> put = store->PutObject(**bucket, **key, body);
    if (!put.ok()) return S3TaskError(put.error());
    if (!put->etag.empty()) out.emplace("ETag", put->etag);
    return json::Value(std::move(out));
  }
  if (api == "headObject") {
    Result<ObjectInfo> info = store->HeadObject(**bucket, **key);
    if (!info.ok()) return S3TaskError(info.error());
    AddInfo(*info, nullptr, &out);
    return json::Value(std::move(out));
  }
  Result<ObjectData> object = store->GetObjectWithInfo(**bucket, **key, kS3TaskMaxBodyBytes);
  if (!object.ok()) {
    if (object.error().error == "EntityTooLarge") {
      return Error{"States.DataLimitExceeded",
                   "s3://" + **bucket + "/" + **key + " is larger than " +
                       std::to_string(kS3TaskMaxBodyBytes) +
                       " bytes, the largest task result Step Functions allows; pass its "
                       "location on instead of its Body"};
    }
    return S3TaskError(object.error());
  }
  if (size_t bad = InvalidUtf8At(object->body); bad != std::string_view::npos) {
    return Error{"S3.S3Exception", "s3://" + **bucket + "/" + **key +
                                       " is not UTF-8 text (invalid byte at offset " +
                                       std::to_string(bad) +
                                       "); getObject returns Body as a string, so only text "
                                       "objects can be read this way"};
  }
  AddInfo(object->info, &object->body, &out);
  return json::Value(std::move(out));
}

}  // namespace autoretrain::integrations
