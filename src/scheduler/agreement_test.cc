// Agreement with an independent implementation of AWS cron semantics (the npm package
// aws-cron-parser): tests/scheduler_agreement/cases.json holds randomized valid cron
// expressions and the next fire times (UTC) the package computes; NextFireTimes must agree on
// every one. tests/scheduler_agreement/disagreements.json holds the cases where the package
// departs from AWS's documentation; there autoretrain must give the documented answer.
//
// aws-cron-parser knows only UTC, so for time zones a property is checked instead: every fire
// time, on the zone's wall clock, matches the expression's fields (by a matcher here that
// shares nothing with the implementation's search), and fire times strictly increase.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "autoretrain/scheduler/schedule.h"
#include "scheduler/scheduler_test_util.h"

namespace autoretrain::scheduler {
namespace {

using testing::At;
using testing::Zone;

// --- a minimal JSON reader (the case files hold objects, arrays and strings) ------------------

struct Json {
  enum Kind { kNull, kString, kArray, kObject, kOther } kind = kNull;
  std::string str;
  std::vector<Json> items;
  std::map<std::string, Json> fields;
  const Json& operator[](const std::string& k) const {
    static const Json null;
    auto it = fields.find(k);
    return it == fields.end() ? null : it->second;
  }
};

class JsonReader {
 public:
  explicit JsonReader(const std::string& text) : s_(text) {}
  Json Read() {
    Skip();
    Json j;
    if (Peek('{')) {
      j.kind = Json::kObject;
      ++i_;
      Skip();
      if (Peek('}')) return ++i_, j;
      while (true) {
        Skip();
        std::string key = ReadString();
        Skip();
        Expect(':');
        j.fields[key] = Read();
        Skip();
        if (Peek(',')) {
          ++i_;
          continue;
        }
        Expect('}');
        return j;
      }
    }
    if (Peek('[')) {
      j.kind = Json::kArray;
      ++i_;
      Skip();
      if (Peek(']')) return ++i_, j;
      while (true) {
        j.items.push_back(Read());
        Skip();
        if (Peek(',')) {
          ++i_;
          continue;
        }
        Expect(']');
        return j;
      }
    }
    if (Peek('"')) {
      j.kind = Json::kString;
      j.str = ReadString();
      return j;
    }
    j.kind = Json::kOther;  // numbers, true, false, null: not used by the case files
    while (i_ < s_.size() && std::string(",]} \n\r\t").find(s_[i_]) == std::string::npos) ++i_;
    return j;
  }
  bool ok() const { return ok_; }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void Expect(char c) {
    if (!Peek(c))
      ok_ = false, i_ = s_.size();
    else
      ++i_;
  }
  std::string ReadString() {
    std::string out;
    Expect('"');
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;  // \" and \\ only
      out += s_[i_++];
    }
    Expect('"');
    return out;
  }
  const std::string& s_;
  size_t i_ = 0;
  bool ok_ = true;
};

std::filesystem::path Dir() {
  return std::filesystem::path(AUTORETRAIN_SOURCE_DIR) / "tests" / "scheduler_agreement";
}

Json Load(const std::string& name) {
  std::ifstream in(Dir() / name);
  EXPECT_TRUE(in.good()) << (Dir() / name);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  JsonReader r(text);
  Json j = r.Read();
  EXPECT_TRUE(r.ok()) << name << " is not valid JSON";
  return j;
}

std::vector<std::string> Next(const std::string& expr, const TimeZone& zone,
                              const std::string& after, int n) {
  auto e = ParseScheduleExpression(expr);
  EXPECT_TRUE(e.ok()) << expr << ": " << (e.ok() ? "" : e.error().cause);
  std::vector<std::string> out;
  if (!e.ok()) return out;
  for (TimePoint t : NextFireTimes(*e, zone, At(after), n)) out.push_back(FormatIso8601(t));
  return out;
}

std::vector<std::string> Strings(const Json& array) {
  std::vector<std::string> out;
  for (const Json& j : array.items) out.push_back(j.str);
  return out;
}

TEST(AgreementTest, AwsCronParserCases) {
  const Json cases = Load("cases.json");
  ASSERT_GE(cases.items.size(), 1000u);
  const TimeZone utc = Zone("UTC");
  int disagreed = 0;
  for (const Json& c : cases.items) {
    const std::string expr = c["expression"].str, after = c["after"].str;
    const std::vector<std::string> want = Strings(c["next"]);
    const std::vector<std::string> got =
        Next(expr, utc, after, static_cast<int>(want.size() < 5 ? 6 : want.size()));
    // aws-cron-parser lists fewer than 5 only when the schedule ends (years).
    std::vector<std::string> cut(got.begin(), got.begin() + std::min(got.size(), size_t{5}));
    if (cut != want) {
      ++disagreed;
      ADD_FAILURE() << expr << " after " << after
                    << "\n  aws-cron-parser: " << ::testing::PrintToString(want)
                    << "\n  autoretrain:     " << ::testing::PrintToString(cut);
    }
  }
  EXPECT_EQ(disagreed, 0) << "of " << cases.items.size() << " cases";
}

TEST(AgreementTest, KnownAwsCronParserDisagreementsFollowAwsDocumentation) {
  const Json known = Load("disagreements.json");
  ASSERT_FALSE(known.items.empty());
  const TimeZone utc = Zone("UTC");
  for (const Json& k : known.items) {
    const std::string expr = k["expression"].str, after = k["after"].str;
    const std::vector<std::string> doc = Strings(k["aws_documentation"]);
    // The package's answer (aws_cron_parser) is skipped: it contradicts the documentation.
    EXPECT_EQ(Next(expr, utc, after, static_cast<int>(doc.size())), doc)
        << expr << " after " << after << ": " << k["aws_doc_fact"].str;
  }
}

// --- time zones: a field-by-field matcher -----------------------------------------------------

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

int Value(const std::string& tok, const std::vector<std::string>& names, int first) {
  for (size_t i = 0; i < names.size(); ++i)
    if (Upper(tok) == names[i]) return first + static_cast<int>(i);
  return std::stoi(tok);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep)
      out.push_back(cur), cur.clear();
    else
      cur += c;
  }
  out.push_back(cur);
  return out;
}

// Whether `v` is in a plain field (values, ranges, steps, names, '*').
bool InField(const std::string& field, int v, int lo, int hi,
             const std::vector<std::string>& names = {}) {
  for (const std::string& part : Split(field, ',')) {
    const auto slash = Split(part, '/');
    const int step = slash.size() > 1 ? std::stoi(slash[1]) : 1;
    int a = lo, b = hi;
    if (slash[0] != "*") {
      const auto dash = Split(slash[0], '-');
      a = Value(dash[0], names, lo);
      b = dash.size() > 1 ? Value(dash[1], names, lo) : (slash.size() > 1 ? hi : a);
    }
    if (v >= a && v <= b && (v - a) % step == 0) return true;
  }
  return false;
}

const std::vector<std::string> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const std::vector<std::string> kDays = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct Local {
  int year, month, day, hour, minute, second;
  int weekday;  // 1 = SUN
  int last;     // days in the month
};

Local ToLocal(int64_t local_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{local_seconds}};
  const sys_days d = floor<days>(t);
  const year_month_day ymd{d};
  const hh_mm_ss hms{t - d};
  const year_month_day_last end{ymd.year(), month_day_last{ymd.month()}};
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(hms.hours().count()),
          static_cast<int>(hms.minutes().count()),
          static_cast<int>(hms.seconds().count()),
          static_cast<int>(weekday{d}.c_encoding()) + 1,
          static_cast<int>(static_cast<unsigned>(end.day()))};
}

int WeekdayOf(const Local& l, int day) { return (l.weekday - 1 + (day - l.day) % 7 + 7) % 7 + 1; }
bool IsWeekend(const Local& l, int day) {
  const int w = WeekdayOf(l, day);
  return w == 1 || w == 7;
}

bool DayOfMonthMatches(const std::string& f, const Local& l) {
  if (f == "L") return l.day == l.last;
  if (f == "LW") {
    int d = l.last;
    while (IsWeekend(l, d)) --d;
    return l.day == d;
  }
  if (f.back() == 'W') {
    const int n = std::stoi(f);
    if (n > l.last) return false;
    int best = 0;  // the weekday in the month nearest n (ties cannot occur)
    for (int d = 1; d <= l.last; ++d)
      if (!IsWeekend(l, d) && (best == 0 || std::abs(d - n) < std::abs(best - n))) best = d;
    return l.day == best;
  }
  return InField(f, l.day, 1, 31);
}

bool DayOfWeekMatches(std::string f, const Local& l) {
  f = Upper(f);
  if (f == "L") return l.weekday == 7;
  if (const auto hash = f.find('#'); hash != std::string::npos) {
    const int d = Value(f.substr(0, hash), kDays, 1), n = std::stoi(f.substr(hash + 1));
    return l.weekday == d && (l.day - 1) / 7 + 1 == n;
  }
  if (f.size() > 1 && f.back() == 'L') {
    const int d = Value(f.substr(0, f.size() - 1), kDays, 1);
    return l.weekday == d && l.day + 7 > l.last;
  }
  return InField(f, l.weekday, 1, 7, kDays);
}

bool Matches(const std::string& expr, const Local& l) {
  const auto f = Split(expr.substr(5, expr.size() - 6), ' ');
  if (f.size() != 6 || l.second != 0) return false;
  return InField(f[0], l.minute, 0, 59) && InField(f[1], l.hour, 0, 23) &&
         (f[2] == "?" || DayOfMonthMatches(f[2], l)) && InField(f[3], l.month, 1, 12, kMonths) &&
         (f[4] == "?" || DayOfWeekMatches(f[4], l)) && InField(f[5], l.year, 1970, 2199);
}

TEST(AgreementTest, FireTimesInTimeZonesMatchTheFields) {
  const Json cases = Load("cases.json");
  const Json known = Load("disagreements.json");
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const Json& k : known.items) inputs.emplace_back(k["expression"].str, k["after"].str);
  for (size_t i = 0; i < cases.items.size(); i += 5)  // every fifth: a fixed, varied sample
    inputs.emplace_back(cases.items[i]["expression"].str, cases.items[i]["after"].str);
  const std::vector<std::string> zones = {"America/New_York",    "Europe/Berlin",   "Asia/Kolkata",
                                          "Australia/Lord_Howe", "Pacific/Chatham", "UTC"};
  int checked = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& [expr, after] = inputs[i];
    auto e = ParseScheduleExpression(expr);
    ASSERT_TRUE(e.ok()) << expr;
    // Each input in two zones, rotating, so every zone sees every kind of expression.
    for (size_t k : {i % zones.size(), (i + 3) % zones.size()}) {
      const TimeZone zone = Zone(zones[k]);
      const TimePoint start = At(after);
      TimePoint prev = start;
      for (TimePoint t : NextFireTimes(*e, zone, start, 8)) {
        ++checked;
        EXPECT_GT(t, prev) << expr << " in " << zones[k];
        prev = t;
        const int64_t s =
            std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
        const Local l = ToLocal(s + zone.OffsetAt(s));
        EXPECT_TRUE(Matches(expr, l)) << expr << " in " << zones[k] << " fires at "
                                      << FormatLocal(t, zone) << " (" << FormatIso8601(t) << ")";
      }
    }
  }
  EXPECT_GT(checked, 5000);
}

}  // namespace
}  // namespace autoretrain::scheduler
