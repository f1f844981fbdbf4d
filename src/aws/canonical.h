// Internal pieces of SigV4 shared by the signer and the verifier: canonical headers and the
// canonical request, the credential scope and the string to sign.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_AWS_CANONICAL_H_
#define AUTORETRAIN_AWS_CANONICAL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::aws::internal {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Lowercase copy of `text` (ASCII).
std::string Lower(std::string_view text);

// True for header names the signer never signs (hop-by-hop fields, User-Agent, tracing, the
// Authorization header itself); `lower_name` is lowercase.
bool IsUnsignedHeader(std::string_view lower_name);

// The canonical header block and the signed-header list of `headers`: every header but the
// unsigned ones, "name:value\n" per lowercase name in sorted order, repeated names' values
// joined with ','. When `only` (lowercase names) is non-empty, exactly those names in that
// order (a verifier rebuilding what a client declared); `missing` receives those the headers
// lack (they appear with an empty value, so the signature cannot match).
struct CanonicalHeaders {
  std::string block;
  std::string signed_headers;
  std::vector<std::string> missing;
};
using HeaderViews = std::vector<std::pair<std::string_view, std::string_view>>;
CanonicalHeaders BuildCanonicalHeaders(const HeaderViews& headers,
                                       const std::vector<std::string>& only = {});
HeaderViews ViewsOf(const Headers& headers);

// METHOD \n URI \n QUERY \n HEADERS \n SIGNED_HEADERS \n PAYLOAD_HASH
std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, const CanonicalHeaders& headers,
                             std::string_view payload_hash);

// "20150830/us-east-1/service/aws4_request"
std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service);

// "AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256 of canonical request>"
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

}  // namespace autoretrain::aws::internal

#endif  // AUTORETRAIN_AWS_CANONICAL_H_
