// Redaction of signatures, tokens and secrets from printable text.
#include "autoretrain/aws/redact.h"

#include <cctype>
#include <string>

#include "aws/canonical.h"

namespace autoretrain::aws {
namespace {

using internal::Lower;

bool IsValueEnd(char c, bool header_form) {
  if (header_form) return c == '\n' || c == '\r';
  return c == '&' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '"' ||
         c == '\'' || c == ';' || c == '>' || c == '<';
}

// Replaces the value after every `name` followed by `separator` in `text` (matching names
// case-insensitively via `lower`, a lowercase copy kept in step).
void RedactAfter(std::string* text, std::string* lower, std::string_view name, char separator) {
  const bool header_form = separator == ':';
  size_t pos = 0;
  while ((pos = lower->find(name, pos)) != std::string::npos) {
    size_t at = pos + name.size();
    // A longer name containing this one ("xsignature=") is not this one.
    bool word_start = pos == 0 || !(std::isalnum(static_cast<unsigned char>((*lower)[pos - 1])) ||
                                    (*lower)[pos - 1] == '-' || (*lower)[pos - 1] == '_');
    while (at < lower->size() && (*lower)[at] == ' ') ++at;
    if (!word_start || at >= lower->size() || (*lower)[at] != separator) {
      pos += name.size();
      continue;
    }
    ++at;
    while (at < lower->size() && (*lower)[at] == ' ') ++at;
    size_t end = at;
    while (end < lower->size() && !IsValueEnd((*lower)[end], header_form)) ++end;
    if (end > at) {
      text->replace(at, end - at, kRedacted);
      lower->replace(at, end - at, Lower(kRedacted));
    }
    pos = at + kRedacted.size();
  }
}

}  // namespace

bool IsSecretHeader(std::string_view name) {
  std::string lower = Lower(name);
  return lower == "authorization" || lower == "x-amz-security-token" ||
         lower == "proxy-authorization" || lower == "cookie" || lower == "x-aws-ec2-metadata-token";
}

Headers RedactHeaders(const Headers& headers) {
  Headers out = headers;
  for (auto& [name, value] : out) {
    if (IsSecretHeader(name)) value = std::string(kRedacted);
  }
  return out;
}

std::string RedactSecrets(std::string_view input) {
  std::string text(input);
  std::string lower = Lower(text);
  for (std::string_view name :
       {"x-amz-signature", "x-amz-security-token", "signature", "aws_secret_access_key",
        "aws_session_token", "secretaccesskey", "sessiontoken"}) {
    RedactAfter(&text, &lower, name, '=');
  }
  for (std::string_view name : {"authorization", "x-amz-security-token", "proxy-authorization",
                                "x-aws-ec2-metadata-token"}) {
    RedactAfter(&text, &lower, name, ':');
  }
  return text;
}

}  // namespace autoretrain::aws
