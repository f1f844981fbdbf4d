#include "autoretrain/retrain/decision.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

#include "autoretrain/retrain/csv.h"
#include "retrain/decision_fields.h"

namespace autoretrain::retrain {
namespace {

constexpr std::string_view kExpected =
    "expected a header row and a second row whose first column is YES or NO";
// Longest value quoted back in an InvalidDecisionValue message, in bytes.
constexpr size_t kMaxQuotedBytes = 100;

struct CodePoint {
  uint32_t value;
  size_t length;  // 0: malformed
};

// Decodes the code point at text[pos] strictly, as Python's bytes.decode("utf-8") does (no
// overlongs, surrogates or values past U+10FFFF). Length 0 when the bytes there are malformed.
CodePoint DecodeAt(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 0;
  if (length == 0 || pos + length > text.size()) return {0, 0};
  uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return {0, 0};
  }
  return {cp, length};
}

// The offset of the first byte that is not strict UTF-8, or nullopt when `text` is valid.
std::optional<size_t> FirstInvalidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t length = DecodeAt(text, pos).length;
    if (length == 0) return pos;
    pos += length;
  }
  return std::nullopt;
}

// The characters Python's str.strip() removes (str.isspace()).
bool IsPythonSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// value.strip().upper() as the seed computes it, as far as it can matter for YES/NO: ASCII
// letters are upper-cased, and U+017F LATIN SMALL LETTER LONG S, whose Python upper() is 'S'.
// Other characters are kept: no other upper() result can make the value exactly YES or NO
// (ß, ŉ, ẙ and the st ligatures upper-case to two characters, one of them not in YES/NO).
std::string StripUpper(std::string_view value) {
  // The file was validated, so every code point decodes. First find the stripped range.
  size_t first = value.size(), last = 0;
  for (size_t pos = 0; pos < value.size();) {
    CodePoint cp = DecodeAt(value, pos);
    if (!IsPythonSpace(cp.value)) {
      first = std::min(first, pos);
      last = pos + cp.length;
    }
    pos += cp.length;
  }
  std::string out;
  for (size_t pos = first; pos < last;) {
    CodePoint cp = DecodeAt(value, pos);
    if (cp.value >= 'a' && cp.value <= 'z') {
      out.push_back(static_cast<char>(cp.value - 'a' + 'A'));
    } else if (cp.value == 0x17F) {
      out.push_back('S');
    } else {
      out.append(value.substr(pos, cp.length));
    }
    pos += cp.length;
  }
  return out;
}

// `value` in double quotes with JSON escapes, cut at kMaxQuotedBytes on a character boundary.
std::string Quote(std::string_view value) {
  bool cut = value.size() > kMaxQuotedBytes;
  if (cut) {
    size_t end = kMaxQuotedBytes;
    while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
    value = value.substr(0, end);
  }
  return json::Serialize(json::Value(json::String(value))) + (cut ? "..." : "");
}

std::string RowCount(size_t rows) { return std::to_string(rows) + (rows == 1 ? " row" : " rows"); }

Error NoDataRow(const std::string& where, const std::vector<CsvRow>& rows, size_t bytes) {
  std::string found = "found " + RowCount(rows.size());
  if (bytes == 0) found = "the file is empty";
  if (rows.size() >= 2) found += "; row 2 is blank";
  std::string message = where + " has no data row: " + std::string(kExpected) + " (" + found + ")";
  if (rows.size() == 1 && !rows[0].empty()) {
    std::string only = StripUpper(rows[0][0]);
    if (only == "YES" || only == "NO") {
      message += "; its only row is " + Quote(rows[0][0]) + ": is the header row missing?";
    }
  }
  return Error{"DecisionFileEmpty", message};
}

}  // namespace

namespace {

// ReadDecision of s3://bucket/key. The location's text is only built for error messages.
Result<Decision> ReadDecisionAt(integrations::ObjectStore& store, std::string_view bucket,
                                std::string_view key, size_t max_bytes) {
  auto where = [&] { return "s3://" + std::string(bucket) + "/" + std::string(key); };
  Result<std::string> body = store.GetObject(bucket, key, max_bytes);
  if (!body.ok()) {
    if (body.error().error == "EntityTooLarge") {
      return Error{"DecisionFileTooLarge",
                   where() + " is larger than " + std::to_string(max_bytes) +
                       " bytes: a decision file is a small CSV (" + std::string(kExpected) +
                       "); check that the monitoring job wrote the right file"};
    }
    return body.take_error();
  }
  std::string_view text = *body;
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (std::optional<size_t> offset = FirstInvalidUtf8(text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*offset]));
    return Error{"MalformedDecisionFile", where() + " is not UTF-8 text: invalid byte " + byte +
                                              " at offset " + std::to_string(*offset) +
                                              "; expected a UTF-8 CSV file"};
  }
  if (size_t first = text.find_first_not_of(" \t\r\n");
      first != std::string_view::npos && text[first] == '{') {
    return DecisionFromJson(text, where());
  }
  Result<std::vector<CsvRow>> rows = ParseCsv(text);
  if (!rows.ok()) {
    return Error{"MalformedDecisionFile", where() + " is not valid CSV: " + rows.error().cause};
  }
  if (rows->size() < 2 || (*rows)[1].empty()) return NoDataRow(where(), *rows, text.size());
  const std::string& value = (*rows)[1][0];
  std::string decision = StripUpper(value);
  if (decision == "YES" || decision == "NO") {
    Result<DecisionFields> fields = FieldsFromCsv((*rows)[0], (*rows)[1], where() + " row 2");
    if (!fields.ok()) return fields.take_error();
    return Decision{std::move(decision), std::move(fields).value()};
  }
  return Error{"InvalidDecisionValue",
               where() + " row 2, column 1 is " + Quote(value) +
                   (decision.empty() ? " (empty)" : "") +
                   ": expected YES or NO (case and surrounding whitespace are ignored)"};
}

}  // namespace

Result<Decision> ReadDecision(integrations::ObjectStore& store, const DecisionConfig& config) {
  return ReadDecisionAt(store, config.bucket, config.key, config.max_bytes);
}

namespace {

class DecisionFunction final : public integrations::Function {
 public:
  DecisionFunction(integrations::ObjectStore& store, DecisionConfig config, Clock& clock)
      : store_(store), config_(std::move(config)), clock_(clock) {}

  Result<json::Value> Invoke(const json::Value& event) override {
    std::string_view bucket = config_.bucket, key = config_.key;
    if (event.is_object()) {
      for (auto [field, target] : {std::pair{"bucket", &bucket}, {"key", &key}}) {
        const json::Value* value = event.get_object().if_contains(field);
        if (value == nullptr) continue;
        if (!value->is_string()) {
          return integrations::FunctionError("InvalidDecisionRequest",
                                             std::string("the event field \"") + field +
                                                 "\" must be a string, got " +
                                                 std::string(json::TypeName(*value)));
        }
        *target = value->get_string();
      }
    }
    Result<Decision> decision = ReadDecisionAt(store_, bucket, key, config_.max_bytes);
    if (!decision.ok()) {
      return integrations::FunctionError(decision.error().error, decision.error().cause);
    }
    json::Object result(1);
    result.emplace("retraining_required", decision->value);
    AddFields(decision->fields, result);
    if (config_.max_age_hours) {
      const std::optional<TimePoint>& at = decision->fields.monitored_at;
      if (!at) {
        return integrations::FunctionError(
            "MissingMonitoredAt",
            "s3://" + std::string(bucket) + "/" + std::string(key) +
                " has no monitored_at, so its age cannot be checked against max_age_hours (" +
                std::to_string(*config_.max_age_hours) +
                "): add a monitored_at column (ISO 8601) or remove max_age_hours");
      }
      const auto age = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now() - *at);
      const bool stale = age > std::chrono::hours(*config_.max_age_hours);
      result["stale"] = stale;
      result["age_seconds"] = static_cast<int64_t>(age.count());
      if (stale) {
        result["reported_decision"] = decision->value;
        result["retraining_required"] = "NO";
      }
    }
    return json::Value(std::move(result));
  }

 private:
  integrations::ObjectStore& store_;
  const DecisionConfig config_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<integrations::Function> MakeDecisionFunction(integrations::ObjectStore& store,
                                                             DecisionConfig config, Clock* clock) {
  static SystemClock system_clock;
  return std::make_unique<DecisionFunction>(store, std::move(config),
                                            clock != nullptr ? *clock : system_clock);
}

}  // namespace autoretrain::retrain
