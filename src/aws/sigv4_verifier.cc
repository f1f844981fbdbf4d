// Server-side SigV4 verification with AWS's error types and messages.
#include "autoretrain/aws/sigv4_verifier.h"

#include <ctime>
#include <string>

#include "autoretrain/aws/sigv4.h"
#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using internal::Lower;

constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details.";
constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";

Error Fail(std::string_view type, std::string message) {
  return Error{std::string(type), std::move(message)};
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The first value of header `lower_name`, or nullopt.
std::optional<std::string_view> FindHeader(const ReceivedRequest& request,
                                           std::string_view lower_name) {
  for (const auto& [name, value] : request.headers) {
    if (name.size() == lower_name.size() && Lower(name) == lower_name) return Trim(value);
  }
  return std::nullopt;
}

// The decoded value of query parameter `name`, or nullopt.
std::optional<std::string> FindParam(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view piece = query.substr(pos, amp - pos);
    pos = amp + 1;
    size_t eq = piece.find('=');
    if (UriDecode(piece.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string() : UriDecode(piece.substr(eq + 1));
    }
  }
  return std::nullopt;
}

// The Authorization header with its Signature value replaced, for messages.
std::string RedactAuthorization(std::string_view header) {
  std::string out(header);
  size_t pos = out.find("Signature=");
  if (pos == std::string::npos) return out;
  pos += 10;
  size_t end = out.find_first_of(", ", pos);
  if (end == std::string::npos) end = out.size();
  out.replace(pos, end - pos, "REDACTED");
  return out;
}

std::vector<std::string> SplitSignedHeaders(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t semi = text.find(';', pos);
    if (semi == std::string_view::npos) semi = text.size();
    if (semi > pos) out.push_back(Lower(text.substr(pos, semi - pos)));
    pos = semi + 1;
  }
  return out;
}

// RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
bool ParseHttpDate(std::string_view text, TimePoint* time) {
  std::string copy(text);
  std::tm tm{};
  const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return false;
  *time = TimePoint(std::chrono::seconds(timegm(&tm)));
  return true;
}

// What the Authorization header or the presigned query says.
struct Claim {
  std::string credential;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;  // as sent (X-Amz-Date, or the Date header's time reformatted)
  TimePoint time{};
  std::optional<int64_t> expires;  // presigned only
  std::optional<std::string> session_token;
  bool presigned = false;
};

Result<Claim> ParseAuthorizationHeader(const ReceivedRequest& request, std::string_view header) {
  Claim claim;
  std::string_view rest = header;
  size_t space = rest.find(' ');
  std::string_view algorithm = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  bool have_credential = false, have_signed = false, have_signature = false;
  if (algorithm == internal::kAlgorithm) {
    // Parameters are separated by commas and/or whitespace, as AWS reads them.
    size_t pos = 0;
    while (pos <= rest.size()) {
      size_t comma = rest.find_first_of(", \t", pos);
      if (comma == std::string_view::npos) comma = rest.size();
      std::string_view part = Trim(rest.substr(pos, comma - pos));
      pos = comma + 1;
      if (part.empty()) continue;
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        return Fail(kIncompleteSignature,
                    "'" + std::string(part) +
                        "' not a valid key=value pair (missing equal-sign) in Authorization "
                        "header: '" +
                        RedactAuthorization(header) + "'.");
      }
      std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
      if (key == "Credential") {
        claim.credential = std::string(value);
        have_credential = true;
      } else if (key == "SignedHeaders") {
        claim.signed_headers = std::string(value);
        have_signed = true;
      } else if (key == "Signature") {
        claim.signature = std::string(value);
        have_signature = true;
      }
    }
  }
  std::optional<std::string_view> amz_date = FindHeader(request, "x-amz-date");
  std::optional<std::string_view> http_date = FindHeader(request, "date");
  std::string missing;
  if (!have_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!have_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!have_signed) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!amz_date && !http_date) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. ";
  }
  if (!missing.empty()) {
    return Fail(kIncompleteSignature, missing + "Authorization=" + RedactAuthorization(header));
  }
  if (amz_date) {
    claim.amz_date = std::string(*amz_date);
    if (!ParseAmzDate(claim.amz_date, &claim.time)) {
      return Fail(kIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" +
                                            claim.amz_date +
                                            "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }
  } else {
    if (!ParseHttpDate(*http_date, &claim.time)) {
      return Fail(
          kIncompleteSignature,
          "The Date header must be an HTTP date (\"Sun, 06 Nov 1994 08:49:37 GMT\"); got '" +
              std::string(*http_date) + "'. Send X-Amz-Date instead.");
    }
    claim.amz_date = FormatAmzDate(claim.time);
  }
  if (auto token = FindHeader(request, "x-amz-security-token")) {
    claim.session_token = std::string(*token);
  }
  return claim;
}

Result<Claim> ParsePresignedQuery(const ReceivedRequest& request) {
  Claim claim;
  claim.presigned = true;
  auto algorithm = FindParam(request.query, "X-Amz-Algorithm");
  auto credential = FindParam(request.query, "X-Amz-Credential");
  auto signature = FindParam(request.query, "X-Amz-Signature");
  auto date = FindParam(request.query, "X-Amz-Date");
  auto signed_headers = FindParam(request.query, "X-Amz-SignedHeaders");
  if (!algorithm || !credential || !signature || !date || !signed_headers) {
    return Fail(kIncompleteSignature,
                "AWS query-string parameters must include 'X-Amz-Algorithm', "
                "'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', "
                "'X-Amz-Expires'. Re-examine the query-string parameters.");
  }
  if (*algorithm != internal::kAlgorithm) {
    return Fail(kIncompleteSignature,
                "Unsupported AWS 'algorithm': '" + *algorithm + "'. Use 'AWS4-HMAC-SHA256'.");
  }
  claim.credential = *credential;
  claim.signature = *signature;
  claim.amz_date = *date;
  claim.signed_headers = *signed_headers;
  if (!ParseAmzDate(claim.amz_date, &claim.time)) {
    return Fail(kIncompleteSignature, "X-Amz-Date must be in ISO-8601 'basic format'. Got '" +
                                          claim.amz_date +
                                          "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  auto expires = FindParam(request.query, "X-Amz-Expires");
  if (expires) {
    char* end = nullptr;
    long long value = std::strtoll(expires->c_str(), &end, 10);
    if (expires->empty() || *end != '\0' || value < 1 || value > 604800) {
      return Fail(kIncompleteSignature,
                  "X-Amz-Expires must be a whole number of seconds from 1 to 604800; got '" +
                      *expires + "'.");
    }
    claim.expires = value;
  }
  claim.session_token = FindParam(request.query, "X-Amz-Security-Token");
  return claim;
}

std::string Minutes(std::chrono::seconds skew) {
  return std::to_string(skew.count() / 60) + " min.";
}

}  // namespace

int AuthErrorHttpStatus(std::string_view error_type) {
  return error_type == kMissingAuthenticationToken ? 403 : 400;
}

SigV4Verifier::SigV4Verifier(SecretLookup lookup, VerifierOptions options)
    : lookup_(std::move(lookup)), options_(std::move(options)) {}

std::string SigV4Verifier::SigningKey(const Credentials& credentials, std::string_view date,
                                      std::string_view region) const {
  std::string cache_key =
      credentials.access_key_id + "/" + std::string(date) + "/" + std::string(region);
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(cache_key);
    if (it != keys_.end() && it->second.secret == credentials.secret_access_key) {
      return it->second.key;
    }
  }
  std::string key = DeriveSigningKey(credentials.secret_access_key, date, region, options_.service);
  std::lock_guard lock(mutex_);
  if (keys_.size() >= 4096) keys_.clear();  // bounded: old dates and keys fall out together
  keys_[cache_key] = CachedKey{credentials.secret_access_key, key};
  return key;
}

Result<VerifiedCaller> SigV4Verifier::Verify(const ReceivedRequest& request, TimePoint now) const {
  std::optional<std::string_view> authorization = FindHeader(request, "authorization");
  Result<Claim> parsed = Error{};
  if (authorization) {
    parsed = ParseAuthorizationHeader(request, *authorization);
  } else if (FindParam(request.query, "X-Amz-Algorithm")) {
    parsed = ParsePresignedQuery(request);
  } else {
    return Fail(kMissingAuthenticationToken, "Missing Authentication Token");
  }
  if (!parsed.ok()) return parsed.take_error();
  const Claim& claim = *parsed;

  // Credential: AKID/YYYYMMDD/REGION/SERVICE/aws4_request
  std::vector<std::string_view> scope;
  std::string_view credential = claim.credential;
  size_t pos = 0;
  while (pos <= credential.size()) {
    size_t slash = credential.find('/', pos);
    if (slash == std::string_view::npos) slash = credential.size();
    scope.push_back(credential.substr(pos, slash - pos));
    pos = slash + 1;
  }
  if (scope.size() != 5 || scope[0].empty()) {
    return Fail(kIncompleteSignature,
                "Credential is mal-formed: expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/"
                "aws4_request\", got '" +
                    claim.credential + "'.");
  }
  const std::string_view access_key_id = scope[0], date = scope[1], region = scope[2],
                         service = scope[3], terminator = scope[4];

  std::vector<std::string> signed_headers = SplitSignedHeaders(claim.signed_headers);
  if (std::find(signed_headers.begin(), signed_headers.end(), "host") == signed_headers.end()) {
    return Fail(kIncompleteSignature,
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  std::optional<Credentials> known = lookup_(access_key_id);
  if (!known) return Fail(kUnrecognizedClient, std::string(kInvalidToken));
  if (!known->session_token.empty() || claim.session_token) {
    if (!claim.session_token || !ConstantTimeEquals(*claim.session_token, known->session_token)) {
      return Fail(kUnrecognizedClient, std::string(kInvalidToken));
    }
  }

  if (terminator != "aws4_request") {
    return Fail(kInvalidSignature,
                "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                    std::string(terminator) + "'. ");
  }
  if (!options_.region.empty() && region != options_.region) {
    return Fail(kInvalidSignature, "Credential should be scoped to a valid region, not '" +
                                       std::string(region) + "'. ");
  }
  if (service != options_.service) {
    return Fail(kInvalidSignature,
                "Credential should be scoped to correct service: '" + options_.service + "'. ");
  }
  if (date != std::string_view(claim.amz_date).substr(0, 8)) {
    return Fail(kInvalidSignature,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    std::string(date) + "' != '" + claim.amz_date.substr(0, 8) + "', from '" +
                    claim.amz_date + "'.");
  }

  // Time: AWS's window is the request time +- max_skew; a presigned URL also ends at
  // X-Amz-Date + X-Amz-Expires.
  const auto skew = options_.max_skew;
  if (claim.time + skew < now && !claim.presigned) {
    return Fail(kInvalidSignature, "Signature expired: " + claim.amz_date +
                                       " is now earlier than " + FormatAmzDate(now - skew) + " (" +
                                       FormatAmzDate(now) + " - " + Minutes(skew) + ")");
  }
  if (claim.time > now + skew) {
    return Fail(kInvalidSignature, "Signature not yet current: " + claim.amz_date +
                                       " is still later than " + FormatAmzDate(now + skew) + " (" +
                                       FormatAmzDate(now) + " + " + Minutes(skew) + ")");
  }
  if (claim.presigned) {
    TimePoint end = claim.time + std::chrono::seconds(claim.expires.value_or(900));
    if (end < now) {
      return Fail(kInvalidSignature, "Signature expired: " + FormatAmzDate(end) +
                                         " is now earlier than " + FormatAmzDate(now) +
                                         " (the presigned request was valid for " +
                                         std::to_string(claim.expires.value_or(900)) + " s from " +
                                         claim.amz_date + ")");
    }
  }

  // Payload: S3-style x-amz-content-sha256 may say UNSIGNED-PAYLOAD; otherwise the body's hash.
  std::string payload_hash =
      request.payload_hash.empty() ? Sha256Hex(request.body) : std::string(request.payload_hash);
  if (!claim.presigned) {
    if (auto declared = FindHeader(request, "x-amz-content-sha256")) {
      if (*declared == "UNSIGNED-PAYLOAD") {
        payload_hash = "UNSIGNED-PAYLOAD";
      } else if (Lower(*declared) != payload_hash) {
        return Fail(kInvalidSignature,
                    "The provided 'x-amz-content-sha256' header does not match what was "
                    "computed from the request body.");
      }
    }
  } else if (options_.service == "s3") {
    payload_hash = "UNSIGNED-PAYLOAD";
  }

  const bool s3 = options_.service == "s3";
  internal::CanonicalHeaders headers =
      internal::BuildCanonicalHeaders(request.headers, signed_headers);
  std::string canonical_query = claim.presigned ? CanonicalQuery(request.query, {"X-Amz-Signature"})
                                                : CanonicalQuery(request.query);
  std::string canonical_request = internal::CanonicalRequest(
      request.method, CanonicalUri(request.path, !s3, !s3), canonical_query, headers, payload_hash);
  std::string scope_text = internal::CredentialScope(date, region, service);
  std::string string_to_sign =
      internal::StringToSign(claim.amz_date, scope_text, canonical_request);
  std::string expected = HmacSha256Hex(SigningKey(*known, date, region), string_to_sign);
  if (!ConstantTimeEquals(expected, Lower(claim.signature))) {
    return Fail(kInvalidSignature, std::string(kSignatureMismatch));
  }
  return VerifiedCaller{std::string(access_key_id), claim.presigned};
}

}  // namespace autoretrain::aws
