// Redaction of secrets from text that may be printed or returned in errors: the Authorization
// header's value, session tokens (X-Amz-Security-Token), presigned signatures
// (X-Amz-Signature) and secret access keys in query strings, header lists and free text.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_AWS_REDACT_H_
#define AUTORETRAIN_AWS_REDACT_H_

#include <string>
#include <string_view>

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::aws {

inline constexpr std::string_view kRedacted = "REDACTED";

// True for header names whose values are secret (authorization, x-amz-security-token,
// proxy-authorization, cookie; case-insensitive).
bool IsSecretHeader(std::string_view name);

// `headers` with every secret value replaced by "REDACTED".
Headers RedactHeaders(const Headers& headers);

// `text` with secret values replaced by "REDACTED": in query or key=value form (up to '&',
// whitespace, ',', ';' or a quote) the values of X-Amz-Signature, X-Amz-Security-Token,
// Signature (inside an Authorization value), aws_secret_access_key, aws_session_token,
// SecretAccessKey and SessionToken; in header form ("Name: value", up to the end of the line)
// the values of Authorization, X-Amz-Security-Token, Proxy-Authorization and
// X-aws-ec2-metadata-token. Names match case-insensitively; access key ids are not secret and
// stay. Never fails.
std::string RedactSecrets(std::string_view text);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_REDACT_H_
