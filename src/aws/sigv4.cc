// SigV4 signing: header and query (presigned) placement.
#include "autoretrain/aws/sigv4.h"

#include <algorithm>
#include <string>

#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using internal::Lower;

Error SigningError(std::string cause) { return Error{"SigningError", std::move(cause)}; }

bool HasHeader(const Headers& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return Lower(h.first) == lower_name; });
}

void RemoveHeaders(Headers* headers, const std::vector<std::string_view>& lower_names) {
  std::erase_if(*headers, [&](const auto& h) {
    std::string lower = Lower(h.first);
    return std::find(lower_names.begin(), lower_names.end(), lower) != lower_names.end();
  });
}

void AppendParam(std::string* query, std::string_view name, std::string_view value) {
  if (!query->empty()) *query += '&';
  query->append(name);
  *query += '=';
  *query += UriEncode(value, false);
}

}  // namespace

SigningOptions SigningOptionsFor(std::string_view service, std::string_view region,
                                 TimePoint time) {
  SigningOptions options;
  options.service = std::string(service);
  options.region = std::string(region);
  options.time = time;
  if (service == "s3") {
    options.normalize_path = false;
    options.double_encode_path = false;
    options.add_content_sha256_header = true;
  }
  return options;
}

Result<SignedRequest> Sign(const SignableRequest& request, const Credentials& credentials,
                           const SigningOptions& options) {
  if (request.method.empty()) return SigningError("cannot sign a request without a method");
  if (!HasHeader(request.headers, "host")) {
    return SigningError(
        "cannot sign a request without a Host header: add Host with the "
        "endpoint's host name (and port if not the default)");
  }
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return SigningError("cannot sign: the credentials" +
                        (credentials.source.empty() ? "" : " from " + credentials.source) +
                        " have no access key id or no secret access key");
  }
  if (options.region.empty() || options.service.empty()) {
    return SigningError("cannot sign: the signing region and service must be set (region '" +
                        options.region + "', service '" + options.service + "')");
  }
  bool query_placement = options.placement == SignaturePlacement::kQuery;
  if (query_placement && (options.expires.count() < 1 || options.expires.count() > 7 * 24 * 3600)) {
    return SigningError("a presigned URL's expiry must be 1 to 604800 seconds, not " +
                        std::to_string(options.expires.count()));
  }

  const std::string amz_date = FormatAmzDate(options.time);
  const std::string date = amz_date.substr(0, 8);
  SignedRequest out;
  out.credential_scope = internal::CredentialScope(date, options.region, options.service);
  const std::string payload_hash =
      request.payload_hash.empty() ? Sha256Hex(request.body) : request.payload_hash;
  const bool sign_token = !credentials.session_token.empty() && !options.omit_session_token;

  Headers headers = request.headers;
  std::string query = request.query;
  std::string canonical_query;
  if (query_placement) {
    RemoveHeaders(&headers, {"authorization"});
    auto canonical = internal::BuildCanonicalHeaders(internal::ViewsOf(headers));
    out.signed_headers = canonical.signed_headers;
    AppendParam(&query, "X-Amz-Algorithm", internal::kAlgorithm);
    AppendParam(&query, "X-Amz-Credential", credentials.access_key_id + "/" + out.credential_scope);
    AppendParam(&query, "X-Amz-Date", amz_date);
    AppendParam(&query, "X-Amz-SignedHeaders", out.signed_headers);
    AppendParam(&query, "X-Amz-Expires", std::to_string(options.expires.count()));
    if (sign_token) AppendParam(&query, "X-Amz-Security-Token", credentials.session_token);
    out.canonical_request = internal::CanonicalRequest(
        request.method,
        CanonicalUri(request.path, options.normalize_path, options.double_encode_path),
        CanonicalQuery(query), canonical, payload_hash);
  } else {
    RemoveHeaders(&headers, {"authorization", "x-amz-date", "x-amz-security-token"});
    if (!credentials.session_token.empty()) {
      out.added_headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    }
    out.added_headers.emplace_back("X-Amz-Date", amz_date);
    if (options.add_content_sha256_header) {
      RemoveHeaders(&headers, {"x-amz-content-sha256"});
      out.added_headers.emplace_back("x-amz-content-sha256", payload_hash);
    }
    for (const auto& header : out.added_headers) {
      if (header.first == "X-Amz-Security-Token" && !sign_token) continue;
      headers.push_back(header);
    }
    auto canonical = internal::BuildCanonicalHeaders(internal::ViewsOf(headers));
    out.signed_headers = canonical.signed_headers;
    out.canonical_request = internal::CanonicalRequest(
        request.method,
        CanonicalUri(request.path, options.normalize_path, options.double_encode_path),
        CanonicalQuery(query), canonical, payload_hash);
  }
  out.string_to_sign =
      internal::StringToSign(amz_date, out.credential_scope, out.canonical_request);
  std::string key =
      DeriveSigningKey(credentials.secret_access_key, date, options.region, options.service);
  out.signature = HmacSha256Hex(key, out.string_to_sign);

  if (query_placement) {
    if (!credentials.session_token.empty() && !sign_token) {
      AppendParam(&query, "X-Amz-Security-Token", credentials.session_token);
    }
    AppendParam(&query, "X-Amz-Signature", out.signature);
    out.query = std::move(query);
  } else {
    out.added_headers.emplace_back("Authorization", std::string(internal::kAlgorithm) +
                                                        " Credential=" + credentials.access_key_id +
                                                        "/" + out.credential_scope +
                                                        ", SignedHeaders=" + out.signed_headers +
                                                        ", Signature=" + out.signature);
    out.query = request.query;
  }
  return out;
}

Result<SignedRequest> SignInPlace(SignableRequest* request, const Credentials& credentials,
                                  const SigningOptions& options) {
  Result<SignedRequest> signed_request = Sign(*request, credentials, options);
  if (!signed_request.ok()) return signed_request;
  if (options.placement == SignaturePlacement::kQuery) {
    request->query = signed_request->query;
    return signed_request;
  }
  RemoveHeaders(&request->headers, {"authorization", "x-amz-date", "x-amz-security-token"});
  if (options.add_content_sha256_header) RemoveHeaders(&request->headers, {"x-amz-content-sha256"});
  for (const auto& header : signed_request->added_headers) request->headers.push_back(header);
  return signed_request;
}

}  // namespace autoretrain::aws
