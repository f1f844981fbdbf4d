// ToYaml: JSON values as YAML block style. Scalars are written in their JSON form (YAML's
// double-quoted style reads JSON strings back unchanged), except multi-line strings that a
// literal block (|) keeps byte for byte, so definitions stay readable in the template.
#include <cctype>
#include <string>
#include <string_view>

#include "autoretrain/deploy/cloudformation.h"

namespace autoretrain::deploy {
namespace {

// Words YAML 1.1 readers take for booleans or null: such keys are quoted.
bool Yaml11Keyword(std::string_view key) {
  static constexpr std::string_view kWords[] = {
      "y",  "Y",    "yes",  "Yes",  "YES",   "n",     "N",     "no", "No",
      "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
      "ON", "off",  "Off",  "OFF",  "null",  "Null",  "NULL"};
  for (std::string_view word : kWords) {
    if (key == word) return true;
  }
  return false;
}

bool PlainKey(std::string_view key) {
  if (Yaml11Keyword(key)) return false;
  if (key.empty() || !(std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) {
    return false;
  }
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string Key(std::string_view key) {
  return PlainKey(key) ? std::string(key) : json::Serialize(json::Value(json::String(key)));
}

// Whether a literal block reproduces `text` exactly: several lines, no carriage returns, tabs
// or other control characters, no whitespace-only line (the block would read it as empty), and
// a first non-empty line that does not start with a space (it sets the block's indentation).
bool LiteralBlockFits(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return false;
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty()) {
      if (line.find_first_not_of(' ') == std::string_view::npos) return false;
      if (first && line[0] == ' ') return false;
      first = false;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

void WriteLiteralBlock(std::string_view text, int indent, std::string* out) {
  size_t trailing = 0;
  while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
  *out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
  std::string pad(indent, ' ');
  std::string_view body = text.substr(0, text.size() - trailing);
  size_t start = 0;
  while (true) {
    size_t end = body.find('\n', start);
    std::string_view line =
        body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    *out += "\n";
    if (!line.empty()) *out += pad + std::string(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  for (size_t i = 1; i < trailing; ++i) *out += "\n";
  *out += "\n";
}

bool Nested(const json::Value& v) {
  return (v.is_object() && !v.get_object().empty()) || (v.is_array() && !v.get_array().empty());
}

void Write(const json::Value& value, int indent, std::string* out);

// A scalar (or an empty collection) after "key: " or "- ", with its line end.
void WriteScalar(const json::Value& value, int indent, std::string* out) {
  if (value.is_string() && LiteralBlockFits(value.get_string())) {
    WriteLiteralBlock(value.get_string(), indent, out);
    return;
  }
  *out += json::Serialize(value) + "\n";
}

void WriteObject(const json::Object& object, int indent, std::string* out, bool first_inline) {
  std::string pad(indent, ' ');
  bool first = true;
  for (const auto& kv : object) {
    if (!(first && first_inline)) *out += pad;
    first = false;
    *out += Key(kv.key()) + ":";
    if (Nested(kv.value())) {
      *out += "\n";
      Write(kv.value(), indent + 2, out);
    } else {
      *out += " ";
      WriteScalar(kv.value(), indent + 2, out);
    }
  }
}

void Write(const json::Value& value, int indent, std::string* out) {
  std::string pad(indent, ' ');
  if (value.is_object() && !value.get_object().empty()) {
    WriteObject(value.get_object(), indent, out, false);
  } else if (value.is_array() && !value.get_array().empty()) {
    for (const json::Value& item : value.get_array()) {
      *out += pad + "- ";
      if (item.is_object() && !item.get_object().empty()) {
        WriteObject(item.get_object(), indent + 2, out, /*first_inline=*/true);
      } else if (Nested(item)) {
        *out += "\n";
        Write(item, indent + 2, out);
      } else {
        WriteScalar(item, indent + 2, out);
      }
    }
  } else {
    *out += pad;
    WriteScalar(value, indent + 2, out);
  }
}

}  // namespace

std::string ToYaml(const json::Value& value) {
  std::string out;
  Write(value, 0, &out);
  return out;
}

}  // namespace autoretrain::deploy
