// Authentication of API requests with AWS Signature Version 4: the access keys the server
// accepts (read from a credentials file in the AWS shared-credentials format), and the
// Authenticator (api_handler.h) that verifies every request's signature against them with
// aws::SigV4Verifier. A request that is not signed, signed with an unknown key or with a wrong
// signature gets AWS's error (MissingAuthenticationTokenException 403,
// UnrecognizedClientException 400, InvalidSignatureException 400, IncompleteSignatureException
// 400), with AWS's messages; secrets never appear in messages or logs.
//
// Thread-safety: LoadAccessKeys and LoadMetricsToken are pure functions over a file; the
// Authenticator it builds may be called from many threads at once.
#ifndef AUTORETRAIN_SERVER_AUTHENTICATION_H_
#define AUTORETRAIN_SERVER_AUTHENTICATION_H_

#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/server/api_handler.h"

namespace autoretrain::server {

// One access key the server accepts.
struct AccessKey {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" for long-term keys; else requests must carry it
  std::string profile;        // the file's section it came from, for messages
};

// Reads `path` in the AWS shared-credentials format: sections "[NAME]" with
// aws_access_key_id, aws_secret_access_key and optionally aws_session_token ('#' and ';'
// start comments). Every section with a key id is accepted. Fails with
// Error{"InvalidCredentialsFile", cause naming the file, the line and what is wrong} when the
// file cannot be read, a section lacks its secret, a key id appears twice, or no key is
// defined.
Result<std::vector<AccessKey>> LoadAccessKeys(const std::string& path);

// Reads the bearer token GET /metrics accepts instead of a signature (serve
// --metrics-token-file, for Prometheus, which cannot sign): the file's content without the
// surrounding whitespace, 16 to 1024 visible ASCII characters. Fails with
// Error{"InvalidMetricsTokenFile", cause naming the file and what is wrong, never the content}.
Result<std::string> LoadMetricsToken(const std::string& path);

// An Authenticator accepting requests signed (SigV4, Authorization header or presigned query)
// with one of `keys` for service `service` ("states"), any region, within AWS's 5 minutes of
// `clock`'s time. The caller's account is `account`. `clock` must outlive it.
Authenticator SigV4Authenticator(std::vector<AccessKey> keys, std::string service,
                                 std::string account, Clock& clock);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_AUTHENTICATION_H_
