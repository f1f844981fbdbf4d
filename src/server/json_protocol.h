// AWS's JSON 1.0 protocol (the one Step Functions speaks): a request is `POST /` with
// `X-Amz-Target: <Prefix>.<Operation>` and a JSON object body; a success is HTTP 200 with a
// JSON object; an error is an HTTP 4xx/5xx with {"__type": "<namespace>#<Type>", "message"}.
// The namespaces are the ones AWS's Step Functions front end writes (coral's validate and
// service namespaces for protocol errors, the service model's for the modeled errors); AWS
// SDKs and the AWS CLI take the part after '#' as the error code.
//
// Thread-safety: pure functions.
#ifndef AUTORETRAIN_SERVER_JSON_PROTOCOL_H_
#define AUTORETRAIN_SERVER_JSON_PROTOCOL_H_

#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/server/http.h"

namespace autoretrain::server {

// Error names (Error::error) of the protocol itself.
inline constexpr char kSerializationException[] = "SerializationException";
inline constexpr char kUnknownOperationException[] = "UnknownOperationException";
inline constexpr char kValidationException[] = "ValidationException";
inline constexpr char kInternalFailure[] = "InternalFailure";

// One call: the operation named by X-Amz-Target and the request object.
struct JsonCall {
  std::string operation;
  json::Object input;
};

// Reads a JSON 1.0 request for the service whose target prefix is `prefix` (e.g.
// "AWSStepFunctions"). Fails with UnknownOperationException when X-Amz-Target is missing or
// has another prefix, SerializationException when the body is not a JSON object (an empty body
// is the empty object, as AWS accepts it).
Result<JsonCall> ParseJsonCall(const HttpRequest& request, std::string_view prefix);

// The HTTP 200 response carrying `output`.
HttpResponse JsonResponse(const json::Value& output);

// The error response for `error` (Error::error the short type name, Error::cause the
// message). Modeled errors and protocol errors get status 400 (or `status` when non-zero, for
// the HTTP-level rejections); store failures and unknown names are an InternalFailure (500)
// whose message keeps the original name and cause.
HttpResponse JsonErrorResponse(const Error& error, int status = 0);

// The namespaced __type AWS writes for the short type `type`, e.g. "ValidationException" ->
// "com.amazon.coral.validate#ValidationException".
std::string NamespacedType(std::string_view type);

// True when `type` is a name the Step Functions service model declares (or a protocol error),
// i.e. one a client maps to its own exception class.
bool IsKnownErrorType(std::string_view type);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_JSON_PROTOCOL_H_
