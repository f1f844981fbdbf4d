// Canonical headers, canonical request, credential scope, string to sign; X-Amz-Date format.
#include "aws/canonical.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>

namespace autoretrain::aws {

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string FormatAmzDate(TimePoint time) {
  std::time_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

bool ParseAmzDate(std::string_view text, TimePoint* time) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return false;
  int fields[6];
  const int offsets[6] = {0, 4, 6, 9, 11, 13};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  for (int f = 0; f < 6; ++f) {
    int value = 0;
    for (int i = 0; i < widths[f]; ++i) {
      char c = text[offsets[f] + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    fields[f] = value;
  }
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 || fields[3] > 23 ||
      fields[4] > 59 || fields[5] > 60) {
    return false;
  }
  std::tm tm{};
  tm.tm_year = fields[0] - 1900;
  tm.tm_mon = fields[1] - 1;
  tm.tm_mday = fields[2];
  tm.tm_hour = fields[3];
  tm.tm_min = fields[4];
  tm.tm_sec = fields[5];
  std::time_t seconds = timegm(&tm);
  *time = TimePoint(std::chrono::seconds(seconds));
  return true;
}

namespace internal {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsUnsignedHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" ||
         lower_name == "x-amzn-trace-id" || lower_name == "expect" || lower_name == "connection" ||
         lower_name == "transfer-encoding" || lower_name == "keep-alive" ||
         lower_name == "proxy-authorization" || lower_name == "te" || lower_name == "upgrade";
}

HeaderViews ViewsOf(const Headers& headers) {
  HeaderViews views;
  views.reserve(headers.size());
  for (const auto& [name, value] : headers) views.emplace_back(name, value);
  return views;
}

CanonicalHeaders BuildCanonicalHeaders(const HeaderViews& headers,
                                       const std::vector<std::string>& only) {
  std::map<std::string, std::string> joined;
  for (const auto& [name, value] : headers) {
    std::string lower = Lower(name);
    if (only.empty()) {
      if (IsUnsignedHeader(lower)) continue;
    } else if (std::find(only.begin(), only.end(), lower) == only.end()) {
      continue;
    }
    auto [it, inserted] = joined.try_emplace(std::move(lower));
    if (!inserted) it->second += ',';
    it->second += CanonicalHeaderValue(value);
  }
  CanonicalHeaders out;
  if (!only.empty()) {
    // The signer's list, in its order, as the client declared it.
    for (const std::string& name : only) {
      auto it = joined.find(name);
      if (it == joined.end()) {
        out.missing.push_back(name);
        out.block += name + ":\n";
      } else {
        out.block += name + ":" + it->second + "\n";
      }
      if (!out.signed_headers.empty()) out.signed_headers += ';';
      out.signed_headers += name;
    }
    return out;
  }
  for (const auto& [name, value] : joined) {
    out.block += name;
    out.block += ':';
    out.block += value;
    out.block += '\n';
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri,
                             std::string_view canonical_query, const CanonicalHeaders& headers,
                             std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + headers.block.size() +
              headers.signed_headers.size() + payload_hash.size() + 8);
  out.append(method);
  out += '\n';
  out.append(canonical_uri);
  out += '\n';
  out.append(canonical_query);
  out += '\n';
  out += headers.block;
  out += '\n';
  out += headers.signed_headers;
  out += '\n';
  out.append(payload_hash);
  return out;
}

std::string CredentialScope(std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string out(date);
  out += '/';
  out.append(region);
  out += '/';
  out.append(service);
  out += "/aws4_request";
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out += '\n';
  out.append(amz_date);
  out += '\n';
  out.append(scope);
  out += '\n';
  out += Sha256Hex(canonical_request);
  return out;
}

}  // namespace internal
}  // namespace autoretrain::aws
