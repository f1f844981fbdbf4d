// How the S3 backend turns S3's answers into the ObjectStore's named errors: an error response
// (status and XML <Code>/<Message>/<RequestId>) becomes Error{name, cause} where the name is
// S3's code, except that every 403 is "AccessDenied" (InvalidAccessKeyId, SignatureDoesNotMatch,
// RequestTimeTooSkewed... stay in the cause) and a bodyless 404 (HEAD) is "NoSuchKey"; the
// cause says which operation on which object at which endpoint failed, with which access key,
// and what to check. Transport and credential failures keep their names (HttpTimeout,
// NoCredentials, ...) with the S3 operation added to the cause.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_AWS_S3_ERRORS_H_
#define AUTORETRAIN_AWS_S3_ERRORS_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/aws/http_client.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// One S3 request, for messages.
struct S3Call {
  std::string operation;  // "GetObject", "HeadObject", "PutObject", "ListObjectsV2"
  std::string bucket;
  std::string key;       // empty for bucket operations
  std::string endpoint;  // the endpoint URL
  std::string access_key_id;
  std::string credentials_source;

  // "GetObject s3://bucket/key at http://127.0.0.1:4568".
  std::string Describe() const;
};

// The named error for an S3 error response (any status outside 2xx).
Error S3ResponseError(const S3Call& call, const HttpResponse& response);

// A failed Send (HttpTimeout, HttpConnectionRefused, ...) or credentials lookup
// (NoCredentials, CredentialsError): the same name, the S3 operation prepended to the cause.
Error S3CallFailed(const S3Call& call, const Error& error);

// An HTTP date as S3 sends Last-Modified ("Wed, 12 Oct 2009 17:50:00 GMT", RFC 7231's
// IMF-fixdate); nullopt for anything else.
std::optional<TimePoint> ParseHttpDate(std::string_view text);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_S3_ERRORS_H_
