// The HTTP task: arn:aws:states:::http:invoke, Step Functions' task for calling HTTPS APIs,
// as a ServiceIntegration over the aws layer's HttpClient (libcurl). Parameters as AWS
// defines them: ApiEndpoint, Method, Authentication.ConnectionArn, Headers, QueryParameters,
// RequestBody, Transform {RequestBodyEncoding NONE|URL_ENCODED, RequestEncodingOptions
// {ArrayFormat INDICES|REPEAT|COMMAS|BRACKETS}}. The result is {Headers, ResponseBody (parsed
// when the answer is JSON), StatusCode, StatusText}. A non-2xx answer fails the task with
// "States.Http.StatusCode.<code>" (the cause is that same object as JSON text); a failure to
// get an answer (timeout, refused, reset, malformed) with "States.Http.Socket", the cause
// naming which (HttpTimeout, HttpConnectionRefused, ...). No automatic retries, as on AWS:
// a Retry in the definition handles them.
//
// Connections stand for EventBridge connections: the project maps each connection ARN to its
// authorization (API key, basic, OAuth client credentials) and its invocation parameters;
// secrets are read from environment variables named in the configuration at each call and
// never written to an error, a log or a result.
//
// Thread-safety: Invoke may be called concurrently (OAuth tokens are cached under a lock).
#ifndef AUTORETRAIN_AWS_HTTP_TASK_H_
#define AUTORETRAIN_AWS_HTTP_TASK_H_

#include <memory>
#include <string>
#include <vector>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/http_client.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/integrations/service_integration.h"

namespace autoretrain::aws {

enum class ConnectionAuth { kApiKey, kBasic, kOAuthClientCredentials };

// A key and its value: literal (`value`) or, for secrets, read from the environment variable
// `value_env` at each call (exactly one of the two is set).
struct ConnectionParameter {
  std::string key;
  std::string value;
  std::string value_env;
};

// One connection ("integrations.http.connections[]").
struct HttpConnection {
  // arn:<partition>:events:<region>:<account>:connection/<name>[/<id>], as in the definitions'
  // Authentication.ConnectionArn.
  std::string arn;
  ConnectionAuth auth = ConnectionAuth::kApiKey;
  // kApiKey: header `api_key_name` with the value of env `api_key_value_env`.
  std::string api_key_name, api_key_value_env;
  // kBasic: Authorization: Basic base64(username:password), password from env `password_env`.
  std::string username, password_env;
  // kOAuthClientCredentials: a token from `authorization_endpoint` (grant_type
  // client_credentials; the client id and secret as HTTP Basic authorization, as EventBridge
  // sends them; plus the oauth_* parameters), sent as "Authorization: Bearer <token>" and
  // cached until 60 s before its expires_in (fetched again after a 401).
  std::string authorization_endpoint, oauth_method = "POST", client_id, client_secret_env;
  std::vector<ConnectionParameter> oauth_headers, oauth_query, oauth_body;
  // Invocation parameters added to every request (EventBridge's InvocationHttpParameters);
  // on a clash with the task's own, the connection's win, as on AWS.
  std::vector<ConnectionParameter> headers, query, body;
};

struct HttpTaskOptions {
  std::vector<HttpConnection> connections;
  // Where the secrets' environment variables are read (must not be null).
  std::shared_ptr<const Environment> env;
  // For the User-Agent ("Amazon|StepFunctions|HttpInvoke|<region>").
  AccountContext account;
  // 60 s per call, no automatic retry (AWS's HTTP task makes one attempt).
  HttpClientOptions http = [] {
    HttpClientOptions o;
    o.total_timeout = std::chrono::milliseconds(60000);
    o.retry.max_attempts = 1;
    return o;
  }();
  // Allow http:// endpoints (AWS accepts https only). On by default for local projects that
  // call services on the same machine; the project may turn it off.
  bool allow_plain_http = true;
};

// The integration. Fails with ConfigError for a connection ARN that is malformed or
// declared twice, or a connection missing what its auth type needs (the message names the
// connection and the field, never a secret value), or a null env.
Result<std::unique_ptr<integrations::ServiceIntegration>> MakeHttpTaskIntegration(
    HttpTaskOptions options);

// The array styles of Transform.RequestEncodingOptions.ArrayFormat.
enum class ArrayFormat { kIndices, kRepeat, kCommas, kBrackets };

// `body` (an object) URL-encoded as the HTTP task's URL_ENCODED transform does: keys and values
// percent-encoded, nested objects as key[sub]=v, arrays per `format` ({"a":["x","y"]}:
// INDICES a[0]=x&a[1]=y, REPEAT a=x&a=y, COMMAS a=x,y, BRACKETS a[]=x&a[]=y; brackets are
// percent-encoded), numbers and booleans as their JSON text, null as an empty value.
std::string UrlEncodeBody(const json::Object& body, ArrayFormat format);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_HTTP_TASK_H_
