#include "integrations/sdk_metadata.h"

#include <strings.h>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>

namespace autoretrain::integrations {

json::Object SdkHttpMetadata(const HttpHeaders& headers, int status) {
  json::Object all;
  for (const auto& [name, value] : headers) all[name] = json::Array{json::Value(value)};
  HttpHeaders sorted = headers;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return strcasecmp(a.first.c_str(), b.first.c_str()) < 0;
  });
  json::Object single;
  for (const auto& [name, value] : sorted) single[name] = value;
  json::Object metadata;
  metadata["AllHttpHeaders"] = std::move(all);
  metadata["HttpHeaders"] = std::move(single);
  metadata["HttpStatusCode"] = status;
  return metadata;
}

json::Object SdkResponseMetadata(std::string_view request_id) {
  json::Object metadata;
  metadata["RequestId"] = request_id;
  return metadata;
}

std::string HttpDate(TimePoint t) {
  // Fixed English names: strftime's %a/%b would follow the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string NewTraceId(TimePoint t) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  uint64_t a = rng(), b = rng(), parent = rng();
  char buf[96];
  std::snprintf(buf, sizeof buf, "root=1-%08llx-%08llx%016llx;parent=%016llx;sampled=0",
                static_cast<unsigned long long>(secs) & 0xffffffffULL,
                static_cast<unsigned long long>(a & 0xffffffffULL),
                static_cast<unsigned long long>(b), static_cast<unsigned long long>(parent));
  return buf;
}

std::string AwsErrorSuffix(std::string_view service, int status, std::string_view code,
                           std::string_view request_id) {
  return " (Service: " + std::string(service) + "; Status Code: " + std::to_string(status) +
         "; Error Code: " + std::string(code) + "; Request ID: " + std::string(request_id) +
         "; Proxy: null)";
}

}  // namespace autoretrain::integrations
