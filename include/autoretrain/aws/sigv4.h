// AWS Signature Version 4 (SigV4) request signing, as AWS specifies it and as its published
// signing test suite checks it: the canonical request (path normalization and double encoding,
// except for S3), canonical query string and headers, string to sign, signing key (HMAC-SHA256
// chain) and signature, placed either in the Authorization header or in the query string
// (presigned URL, X-Amz-Expires). Session tokens (X-Amz-Security-Token) are signed, or added
// after signing for services that want them left out.
//
// Thread-safety: plain functions and values; safe to call from any thread.
#ifndef AUTORETRAIN_AWS_SIGV4_H_
#define AUTORETRAIN_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"

namespace autoretrain::aws {

// HTTP header fields in the order they are sent; names in any case; a name may repeat.
using Headers = std::vector<std::pair<std::string, std::string>>;

// An access key with its secret, and the session token of temporary credentials (empty for
// long-term keys). `expiration` is set for temporary credentials from the container or
// instance metadata endpoints, else zero (never expires).
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  TimePoint expiration{};
  // Where they came from ("environment", "shared-credentials-file:default", ...), for messages.
  std::string source;

  bool expires() const { return expiration != TimePoint{}; }
};

// The parts of an HTTP request that SigV4 covers.
struct SignableRequest {
  std::string method;  // "GET", "POST", ...
  // The path as it goes on the wire, without the query: "/", "/my-bucket/a%20key". Non-S3
  // services encode it once more for the canonical request (AWS's "double encoding").
  std::string path = "/";
  // The raw query string as it goes on the wire, without '?': "a=1&b=x%20y". May be empty.
  std::string query;
  Headers headers;  // must contain Host
  std::string body;
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD". Empty: computed from `body`.
  std::string payload_hash;
};

enum class SignaturePlacement {
  kHeader,  // Authorization header (plus X-Amz-Date, and X-Amz-Security-Token if any)
  kQuery,   // presigned URL: X-Amz-Algorithm ... X-Amz-Signature in the query string
};

struct SigningOptions {
  std::string region;   // "us-east-1"
  std::string service;  // the signing name: "states", "s3", "sns", "dynamodb", ...
  TimePoint time{};     // the signing time (X-Amz-Date), UTC
  SignaturePlacement placement = SignaturePlacement::kHeader;
  // Remove "." and ".." segments and empty segments from the path (every service but S3).
  bool normalize_path = true;
  // Encode the (already encoded) path once more for the canonical request (every service but
  // S3, which signs the path as sent).
  bool double_encode_path = true;
  // Sign without the session token and add X-Amz-Security-Token afterwards (a few services,
  // e.g. IoT, want this; the test suite's "omit_session_token").
  bool omit_session_token = false;
  // Add x-amz-content-sha256 with the payload hash and sign it (S3 requires it).
  bool add_content_sha256_header = false;
  // Validity of a presigned URL (X-Amz-Expires), 1 s to 7 days.
  std::chrono::seconds expires{3600};
};

// The signing options AWS uses for `service` in `region` at `time`: for "s3" (and S3-compatible
// stores) no path normalization, single encoding and x-amz-content-sha256; for every other
// service the defaults above.
SigningOptions SigningOptionsFor(std::string_view service, std::string_view region, TimePoint time);

// Everything a signing produced, intermediate steps included (tests and debugging compare them
// to AWS's; they contain no secret).
struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;         // lowercase hex
  std::string signed_headers;    // "host;x-amz-date"
  std::string credential_scope;  // "20150830/us-east-1/service/aws4_request"
  // Header placement: the fields to add to the request, in this order (X-Amz-Security-Token,
  // X-Amz-Date, x-amz-content-sha256, Authorization), each present only when it applies.
  Headers added_headers;
  // Query placement: the request's query string with the signing parameters appended
  // (X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires, -Security-Token,
  // -Signature); header placement: the request's query unchanged.
  std::string query;
};

// Signs `request` with `credentials`. On success returns the signature and what to add to the
// request. Fails with Error{"SigningError", cause} when the request has no Host header, the
// method is empty, the credentials lack a key or secret, the region or service is empty, or
// `expires` is outside 1 s..7 days.
Result<SignedRequest> Sign(const SignableRequest& request, const Credentials& credentials,
                           const SigningOptions& options);

// Signs in place: adds the fields of SignedRequest::added_headers to `request->headers` (after
// removing any earlier X-Amz-Date, Authorization, X-Amz-Security-Token and
// x-amz-content-sha256), or replaces `request->query` for query placement. Same failures as
// Sign.
Result<SignedRequest> SignInPlace(SignableRequest* request, const Credentials& credentials,
                                  const SigningOptions& options);

// The building blocks, exposed for the verifier and for tests.

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// The 32-byte signing key: HMAC chain over "AWS4"+secret, date (YYYYMMDD), region, service,
// "aws4_request".
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);
// Lowercase hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);
// Whether `a` equals `b`, taking the same time for every `a` of b's length (false at once when
// the lengths differ): for comparing secrets, signatures and tokens.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// AWS's URI encoding: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex); '/'
// is kept when `keep_slash`.
std::string UriEncode(std::string_view text, bool keep_slash);
// Percent-decoding ("%41" -> "A"; a '%' not followed by two hex digits stays as it is; '+'
// stays '+').
std::string UriDecode(std::string_view text);

// The canonical URI of a wire path (see SigningOptions).
std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode);
// The canonical query string: each parameter decoded and re-encoded, sorted by name then value,
// "name=value" joined with '&'; parameters named in `exclude` (exact, case-sensitive) left out.
std::string CanonicalQuery(std::string_view raw_query,
                           const std::vector<std::string_view>& exclude = {});
// A header value as SigV4 signs it: leading and trailing whitespace removed, inner runs of
// spaces, tabs and line breaks collapsed to one space.
std::string CanonicalHeaderValue(std::string_view value);

// "20150830T123600Z" for `time`, and back. ParseAmzDate returns false for anything else.
std::string FormatAmzDate(TimePoint time);
bool ParseAmzDate(std::string_view text, TimePoint* time);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SIGV4_H_
