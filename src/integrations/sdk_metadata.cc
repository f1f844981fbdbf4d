#include "integrations/sdk_metadata.h"

#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>

namespace autoretrain::integrations {

namespace {

// The positions of `headers` in the order of the SDK's header map: sorted case-insensitively
// by name, stably.
std::vector<uint8_t> SortedHeaderOrder(std::span<const HttpHeader> headers) {
  std::vector<uint8_t> order;
  order.reserve(headers.size());
  // Insertion sort: stable, and header lists are short.
  for (size_t i = 0; i < headers.size(); ++i) {
    std::string name(headers[i].first);
    size_t pos = order.size();
    while (pos > 0 &&
           strcasecmp(name.c_str(), std::string(headers[order[pos - 1]].first).c_str()) < 0) {
      --pos;
    }
    order.insert(order.begin() + static_cast<ptrdiff_t>(pos), static_cast<uint8_t>(i));
  }
  return order;
}

}  // namespace

json::Object SdkHttpMetadata(std::span<const HttpHeader> headers, int status) {
  json::Object all(headers.size());
  for (const auto& [name, value] : headers) {
    json::Array values;
    values.reserve(1);
    values.emplace_back(value);
    all.insert_or_assign(name, std::move(values));
  }
  json::Object single(headers.size());
  for (uint8_t i : SortedHeaderOrder(headers)) {
    single.insert_or_assign(headers[i].first, headers[i].second);
  }
  json::Object metadata(3);
  metadata.emplace("AllHttpHeaders", std::move(all));
  metadata.emplace("HttpHeaders", std::move(single));
  metadata.emplace("HttpStatusCode", status);
  return metadata;
}

SdkHttpMetadataTemplate::SdkHttpMetadataTemplate(std::span<const std::string_view> names,
                                                 int status) {
  std::vector<HttpHeader> headers;
  for (std::string_view name : names) headers.emplace_back(name, "");
  metadata_ = SdkHttpMetadata(headers, status);
  std::vector<uint8_t> order = SortedHeaderOrder(headers);
  sorted_positions_.resize(order.size());
  for (size_t pos = 0; pos < order.size(); ++pos) sorted_positions_[order[pos]] = pos;
}

json::Object SdkHttpMetadataTemplate::Make(std::span<const std::string_view> values) const {
  json::Object metadata = metadata_;
  // Objects keep insertion order, so the i-th header is at a known position in each.
  json::Object& all = metadata.begin()[0].value().get_object();
  json::Object& single = metadata.begin()[1].value().get_object();
  for (size_t i = 0; i < values.size(); ++i) {
    all.begin()[i].value().get_array()[0].get_string().assign(values[i]);
    single.begin()[sorted_positions_[i]].value().get_string().assign(values[i]);
  }
  return metadata;
}

json::Object SdkResponseMetadata(std::string_view request_id) {
  json::Object metadata(1);
  metadata.emplace("RequestId", request_id);
  return metadata;
}

std::string_view HttpDate(TimePoint t) {
  // Fixed English names: strftime's %a/%b would follow the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  // Formatted once per second per thread: calls within the same second (nearly all of them in
  // a busy run) reuse the text.
  thread_local std::time_t cached_secs = 0;
  thread_local char cached[40] = "";
  thread_local int cached_size = 0;
  if (cached_size <= 0 || secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    cached_size = std::snprintf(cached, sizeof cached, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
  }
  // snprintf reports the untruncated length; the text is what fits in the buffer.
  return std::string_view(cached, std::min<size_t>(cached_size, sizeof cached - 1));
}

std::string NewTraceId(TimePoint t) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  uint64_t a = rng(), b = rng(), parent = rng();
  // "root=1-%08x-%08x%016x;parent=%016x;sampled=0", formatted by hand: snprintf showed up in
  // profiles of lambda:invoke.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "root=1-00000000-000000000000000000000000;parent=0000000000000000;sampled=0";
  auto put = [&](size_t pos, uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out[pos++] = kHex[(bits >> (4 * i)) & 0xf];
  };
  put(7, static_cast<uint64_t>(secs) & 0xffffffffULL, 8);
  put(16, a & 0xffffffffULL, 8);
  put(24, b, 16);
  put(48, parent, 16);
  return out;
}

std::string AwsErrorSuffix(std::string_view service, int status, std::string_view code,
                           std::string_view request_id) {
  return " (Service: " + std::string(service) + "; Status Code: " + std::to_string(status) +
         "; Error Code: " + std::string(code) + "; Request ID: " + std::string(request_id) +
         "; Proxy: null)";
}

}  // namespace autoretrain::integrations
