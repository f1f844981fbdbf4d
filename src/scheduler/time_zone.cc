#include "autoretrain/scheduler/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>

#include "scheduler/civil.h"

namespace autoretrain::scheduler {

struct TimeZone::Data {
  std::vector<int64_t> transitions;  // ascending UTC seconds
  std::vector<int64_t> offsets;      // offset in effect from transitions[i] on
  int64_t initial_offset = 0;        // before the first transition
  bool has_footer = false;
  PosixTzRule footer;
};

namespace {

Error ZoneError(std::string_view name, const std::string& why) {
  return Error{"InvalidTimeZone", "time zone '" + std::string(name) + "': " + why};
}

// --- POSIX TZ rule -------------------------------------------------------------------------

class TzText {
 public:
  explicit TzText(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  bool Name() {
    if (eat('<')) {
      const size_t start = i_;
      while (!done() && peek() != '>') ++i_;
      return eat('>') && i_ - start >= 4;
    }
    const size_t start = i_;
    while (!done() && std::isalpha(static_cast<unsigned char>(peek()))) ++i_;
    return i_ - start >= 3;
  }
  bool Number(int max_digits, int64_t* out) {
    int digits = 0;
    int64_t v = 0;
    while (!done() && std::isdigit(static_cast<unsigned char>(peek())) && digits < max_digits) {
      v = v * 10 + (s_[i_++] - '0');
      ++digits;
    }
    *out = v;
    return digits > 0;
  }
  // [+-]hh[:mm[:ss]] as seconds (sign as written).
  bool Time(int64_t* out) {
    int64_t sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    int64_t h = 0, m = 0, sec = 0;
    if (!Number(3, &h)) return false;
    if (eat(':')) {
      if (!Number(2, &m)) return false;
      if (eat(':') && !Number(2, &sec)) return false;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool DateRule(PosixTzRule::Date* d) {
    int64_t a = 0, b = 0, c = 0;
    if (eat('J')) {
      if (!Number(3, &a) || a < 1 || a > 365) return false;
      *d = {PosixTzRule::Date::kJulianNoLeap, static_cast<int>(a), 0, 0};
      return true;
    }
    if (eat('M')) {
      if (!Number(2, &a) || !eat('.') || !Number(1, &b) || !eat('.') || !Number(1, &c)) {
        return false;
      }
      if (a < 1 || a > 12 || b < 1 || b > 5 || c > 6) return false;
      *d = {PosixTzRule::Date::kMonthWeekDay, static_cast<int>(c), static_cast<int>(a),
            static_cast<int>(b)};
      return true;
    }
    if (!Number(3, &a) || a > 365) return false;
    *d = {PosixTzRule::Date::kZeroBasedDay, static_cast<int>(a), 0, 0};
    return true;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// Local midnight (days since the epoch) of the rule date in `year`.
int64_t RuleDay(const PosixTzRule::Date& d, int64_t year) {
  const int64_t jan1 = civil::DaysFromCivil(year, 1, 1);
  switch (d.kind) {
    case PosixTzRule::Date::kJulianNoLeap:
      return jan1 + d.day - 1 + (civil::IsLeap(year) && d.day >= 60 ? 1 : 0);
    case PosixTzRule::Date::kZeroBasedDay:
      return jan1 + d.day;
    case PosixTzRule::Date::kMonthWeekDay: {
      const int64_t first = civil::DaysFromCivil(year, d.month, 1);
      int64_t day = first + (d.day - civil::WeekdayFromDays(first) + 7) % 7 + 7 * (d.week - 1);
      const int64_t last = first + civil::DaysInMonth(year, d.month) - 1;
      while (day > last) day -= 7;
      return day;
    }
  }
  return jan1;
}

int64_t FooterOffset(const PosixTzRule& r, int64_t utc) {
  if (!r.has_dst) return r.std_offset;
  const int64_t year = civil::CivilFromDays(civil::FloorDiv(utc + r.std_offset, 86400)).year;
  const int64_t start = RuleDay(r.start, year) * 86400 + r.start_time - r.std_offset;
  const int64_t end = RuleDay(r.end, year) * 86400 + r.end_time - r.dst_offset;
  const bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
  return dst ? r.dst_offset : r.std_offset;
}

// --- TZif ----------------------------------------------------------------------------------

int64_t ReadBE(const std::string& b, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(b[pos + i]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') {
    return false;
  }
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
           c == '+';
  });
}

}  // namespace

bool ParsePosixTz(std::string_view text, PosixTzRule* out) {
  TzText t(text);
  PosixTzRule r;
  int64_t off = 0;
  if (!t.Name() || !t.Time(&off)) return false;
  r.std_offset = -off;
  if (!t.done()) {
    if (!t.Name()) return false;
    r.has_dst = true;
    r.dst_offset = r.std_offset + 3600;
    if (t.peek() != ',' && !t.done()) {
      if (!t.Time(&off)) return false;
      r.dst_offset = -off;
    }
    if (t.done()) {  // no rule: the US rules, as POSIX suggests
      r.start = {PosixTzRule::Date::kMonthWeekDay, 0, 3, 2};
      r.end = {PosixTzRule::Date::kMonthWeekDay, 0, 11, 1};
    } else {
      if (!t.eat(',') || !t.DateRule(&r.start)) return false;
      if (t.eat('/') && !t.Time(&r.start_time)) return false;
      if (!t.eat(',') || !t.DateRule(&r.end)) return false;
      if (t.eat('/') && !t.Time(&r.end_time)) return false;
    }
  }
  if (!t.done()) return false;
  *out = r;
  return true;
}

TimeZone::TimeZone() : name_("UTC"), data_(std::make_shared<Data>()) {}

Result<TimeZone> TimeZone::FromPosix(std::string name, std::string_view rule) {
  auto data = std::make_shared<Data>();
  if (!ParsePosixTz(rule, &data->footer)) return ZoneError(name, "not a POSIX TZ rule");
  data->has_footer = true;
  data->initial_offset = data->footer.std_offset;
  TimeZone tz;
  tz.name_ = std::move(name);
  tz.data_ = std::move(data);
  return tz;
}

Result<TimeZone> TimeZone::Load(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC") {
    TimeZone tz;
    tz.name_ = std::string(name);
    return tz;
  }
  if (!ValidName(name)) return ZoneError(name, "not an IANA time zone name");
  // right/... counts leap seconds (not POSIX time); posixrules is not a zone of its own.
  if (name.rfind("right/", 0) == 0 || name == "posixrules") {
    return ZoneError(name, "not an IANA time zone name");
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path =
      std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + std::string(name);
  // Zones are immutable and few: each file is read once per process and its data shared by
  // every schedule in that zone (100,000 schedules would otherwise hold 100,000 copies).
  static std::mutex cache_mu;
  static std::map<std::string, std::shared_ptr<const Data>, std::less<>> cache;
  std::lock_guard lock(cache_mu);
  TimeZone tz;
  tz.name_ = std::string(name);
  if (auto cached = cache.find(path); cached != cache.end()) {
    tz.data_ = cached->second;
    return tz;
  }
  Result<std::shared_ptr<const Data>> data = ReadTzif(name, path);
  if (!data.ok()) return data.take_error();
  tz.data_ = cache.emplace(path, std::move(data).value()).first->second;
  return tz;
}

Result<std::shared_ptr<const TimeZone::Data>> TimeZone::ReadTzif(std::string_view name,
                                                                 const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ZoneError(name, "unknown time zone (not in the tz database " + path + ")");
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto bad = ZoneError(name, "unknown time zone (" + path + " is not a TZif file)");
  if (b.size() < 44 || b.compare(0, 4, "TZif") != 0) return bad;

  struct Counts {
    int64_t isut, isstd, leap, time, type, chars;
  };
  auto counts = [&](size_t at) {
    return Counts{ReadBE(b, at + 20, 4), ReadBE(b, at + 24, 4), ReadBE(b, at + 28, 4),
                  ReadBE(b, at + 32, 4), ReadBE(b, at + 36, 4), ReadBE(b, at + 40, 4)};
  };
  Counts c = counts(0);
  size_t pos = 44;
  int tbytes = 4;
  if (b[4] >= '2') {  // skip the 32-bit block; use the 64-bit one
    pos += c.time * 5 + c.type * 6 + c.chars + c.leap * 8 + c.isstd + c.isut;
    if (b.size() < pos + 44 || b.compare(pos, 4, "TZif") != 0) return bad;
    c = counts(pos);
    pos += 44;
    tbytes = 8;
  }
  const size_t need =
      pos + c.time * (tbytes + 1) + c.type * 6 + c.chars + c.leap * (tbytes + 4) + c.isstd + c.isut;
  if (c.type < 1 || c.time < 0 || b.size() < need) return bad;
  auto data = std::make_shared<Data>();
  std::vector<int64_t> type_offsets(c.type);
  const size_t types_at = pos + c.time * (tbytes + 1);
  for (int64_t i = 0; i < c.type; ++i) type_offsets[i] = ReadBE(b, types_at + i * 6, 4);
  for (int64_t i = 0; i < c.time; ++i) {
    const int idx = static_cast<unsigned char>(b[pos + c.time * tbytes + i]);
    if (idx >= c.type) return bad;
    data->transitions.push_back(ReadBE(b, pos + i * tbytes, tbytes));
    data->offsets.push_back(type_offsets[idx]);
  }
  data->initial_offset = type_offsets[0];
  if (tbytes == 8 && b.size() > need + 1 && b[need] == '\n') {
    const size_t end = b.find('\n', need + 1);
    if (end != std::string::npos && end > need + 1) {
      data->has_footer =
          ParsePosixTz(std::string_view(b).substr(need + 1, end - need - 1), &data->footer);
    }
  }
  return std::shared_ptr<const Data>(std::move(data));
}

int64_t TimeZone::OffsetAt(int64_t utc) const {
  const Data& d = *data_;
  if (d.transitions.empty()) return d.has_footer ? FooterOffset(d.footer, utc) : d.initial_offset;
  if (utc < d.transitions.front()) return d.initial_offset;
  if (utc >= d.transitions.back() && d.has_footer) return FooterOffset(d.footer, utc);
  const auto it = std::upper_bound(d.transitions.begin(), d.transitions.end(), utc);
  return d.offsets[static_cast<size_t>(it - d.transitions.begin()) - 1];
}

std::vector<int64_t> TimeZone::LocalToUtc(int64_t local) const {
  // Offsets in force a day either side bracket every transition near `local` (zones do not
  // change offset twice within two days).
  const int64_t before = OffsetAt(local - 86400);
  const int64_t after = OffsetAt(local + 86400);
  std::vector<int64_t> out;
  for (int64_t off : {before, after}) {
    const int64_t utc = local - off;
    if (OffsetAt(utc) == off && std::find(out.begin(), out.end(), utc) == out.end()) {
      out.push_back(utc);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace autoretrain::scheduler
