// Verification of SigV4-signed requests, for servers that accept AWS clients (the API server):
// the Authorization header form and the presigned query form, checked against access keys the
// server knows, with the error types and messages AWS's JSON-protocol services return
// (MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException, InvalidSignatureException) and AWS's 5-minute clock skew.
//
// Thread-safety: SigV4Verifier is safe to use from many threads at once (its signing-key cache
// is locked); the lookup function it is given must be too.
#ifndef AUTORETRAIN_AWS_SIGV4_VERIFIER_H_
#define AUTORETRAIN_AWS_SIGV4_VERIFIER_H_

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// A request as the server received it; views into the server's own buffers (nothing is kept
// after Verify returns).
struct ReceivedRequest {
  std::string_view method;
  std::string_view path;   // the request target's path as received, still percent-encoded
  std::string_view query;  // the raw query without '?', may be empty
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  // Hex SHA-256 of the body when the server already has it; empty: computed from `body`.
  std::string_view payload_hash;
};

// The secret (and session token, for temporary keys) of an access key id, or nullopt when the
// server does not know the key.
using SecretLookup = std::function<std::optional<Credentials>(std::string_view access_key_id)>;

struct VerifierOptions {
  // The region and signing name clients must scope their credentials to. An empty region
  // accepts any region (a local server that clients reach with whatever region they have).
  std::string region;
  std::string service;  // e.g. "states", "scheduler"
  // AWS allows the request time to be up to 5 minutes off the server's clock either way.
  std::chrono::seconds max_skew{300};
};

// Who signed a request that verified.
struct VerifiedCaller {
  std::string access_key_id;
  bool presigned = false;  // signed in the query string rather than the Authorization header
};

// The error types Verify returns (Error::error), with AWS's messages (Error::cause).
inline constexpr std::string_view kMissingAuthenticationToken =
    "MissingAuthenticationTokenException";
inline constexpr std::string_view kIncompleteSignature = "IncompleteSignatureException";
inline constexpr std::string_view kUnrecognizedClient = "UnrecognizedClientException";
inline constexpr std::string_view kInvalidSignature = "InvalidSignatureException";

// The HTTP status AWS's JSON protocol sends with each of those types: 403 for
// MissingAuthenticationTokenException, 400 for the others (and for unknown types).
int AuthErrorHttpStatus(std::string_view error_type);

class SigV4Verifier {
 public:
  SigV4Verifier(SecretLookup lookup, VerifierOptions options);

  // Checks the request's SigV4 signature at time `now`. On success returns the caller's access
  // key id. On failure returns Error{type, message} with one of the types above:
  // - MissingAuthenticationTokenException "Missing Authentication Token": no Authorization
  //   header and no X-Amz-Algorithm query parameter;
  // - IncompleteSignatureException: a malformed Authorization header or presigned query (the
  //   message names what is missing or malformed; the signature value is never echoed);
  // - UnrecognizedClientException "The security token included in the request is invalid.":
  //   unknown access key id, or a session token that is missing, unexpected or wrong;
  // - InvalidSignatureException: a signature that does not match ("The request signature we
  //   calculated does not match ..."), a credential scoped to another region, service or
  //   date, a request more than max_skew away from `now` ("Signature expired: ..." /
  //   "Signature not yet current: ..."), or a presigned URL past its X-Amz-Expires.
  Result<VerifiedCaller> Verify(const ReceivedRequest& request, TimePoint now) const;

 private:
  // The signing key for `credentials` on `date` (YYYYMMDD) in `region`, cached per access key
  // and date while the secret stays the same.
  std::string SigningKey(const Credentials& credentials, std::string_view date,
                         std::string_view region) const;

  SecretLookup lookup_;
  VerifierOptions options_;
  struct CachedKey {
    std::string secret;
    std::string key;
  };
  mutable std::mutex mutex_;
  mutable std::map<std::string, CachedKey, std::less<>> keys_;  // "akid/date/region" -> key
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SIGV4_VERIFIER_H_
