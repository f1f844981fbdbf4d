// The AWS SDK metadata that Step Functions' optimized integrations put into task results
// (SdkHttpMetadata, SdkResponseMetadata), and the AWS-style error cause suffix, so local
// results and errors have the shape AWS produces.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_
#define AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// {"AllHttpHeaders": {name: [value]} in wire order, "HttpHeaders": {name: value} sorted
// case-insensitively (as the Java SDK's map is), "HttpStatusCode": status}.
json::Object SdkHttpMetadata(const HttpHeaders& headers, int status);

// {"RequestId": request_id}.
json::Object SdkResponseMetadata(std::string_view request_id);

// An HTTP date (RFC 7231 IMF-fixdate): "Mon, 05 Dec 2022 10:08:57 GMT".
std::string HttpDate(TimePoint t);

// An X-Ray trace header value as Lambda returns it: "root=1-<epoch hex>-<24 hex>;parent=<16
// hex>;sampled=0".
std::string NewTraceId(TimePoint t);

// The suffix AWS SDK for Java appends to a service error's message: " (Service: SERVICE;
// Status Code: STATUS; Error Code: CODE; Request ID: ID; Proxy: null)".
std::string AwsErrorSuffix(std::string_view service, int status, std::string_view code,
                           std::string_view request_id);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_SDK_METADATA_H_
