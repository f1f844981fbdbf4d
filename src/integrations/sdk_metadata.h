// The AWS SDK metadata that Step Functions' optimized integrations put into task results
// (SdkHttpMetadata, SdkResponseMetadata), and the AWS-style error cause suffix, so local
// results and errors have the shape AWS produces.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_
#define AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations {

// HTTP response headers in wire order: {name, value}.
using HttpHeader = std::pair<std::string_view, std::string_view>;

// {"AllHttpHeaders": {name: [value]} in wire order, "HttpHeaders": {name: value} sorted
// case-insensitively (as the Java SDK's map is), "HttpStatusCode": status}. At most 255
// headers.
json::Object SdkHttpMetadata(std::span<const HttpHeader> headers, int status);

// SdkHttpMetadata for one fixed list of header names, built once. Each call copies it and
// fills in the values: a copy inserts without the duplicate-key lookups that building the
// objects costs, and this runs once per integration call.
class SdkHttpMetadataTemplate {
 public:
  // `names` in wire order, without duplicates.
  SdkHttpMetadataTemplate(std::span<const std::string_view> names, int status);

  // SdkHttpMetadata of the headers pairing the names with `values` (as many, same order).
  json::Object Make(std::span<const std::string_view> values) const;

 private:
  json::Object metadata_;                  // with empty values
  std::vector<uint8_t> sorted_positions_;  // where each header sits in "HttpHeaders"
};

// {"RequestId": request_id}.
json::Object SdkResponseMetadata(std::string_view request_id);

// An HTTP date (RFC 7231 IMF-fixdate): "Mon, 05 Dec 2022 10:08:57 GMT". The view stays valid
// until the next call on the same thread.
std::string_view HttpDate(TimePoint t);

// An X-Ray trace header value as Lambda returns it: "root=1-<epoch hex>-<24 hex>;parent=<16
// hex>;sampled=0".
std::string NewTraceId(TimePoint t);

// The suffix AWS SDK for Java appends to a service error's message: " (Service: SERVICE;
// Status Code: STATUS; Error Code: CODE; Request ID: ID; Proxy: null)".
std::string AwsErrorSuffix(std::string_view service, int status, std::string_view code,
                           std::string_view request_id);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_
