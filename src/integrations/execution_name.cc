#include "integrations/execution_name.h"

#include <cstdint>

namespace autoretrain::integrations {
namespace {

constexpr size_t kMaxNameChars = 80;
constexpr std::string_view kForbidden = "<>{}[]?*\"#%\\^|~`$&,;:/";

// Decodes one UTF-8 code point at text[*pos]; false on malformed input.
bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* out) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(*pos);
  int length = lead < 0x80           ? 1
               : (lead >> 5) == 0x6  ? 2
               : (lead >> 4) == 0xE  ? 3
               : (lead >> 3) == 0x1E ? 4
                                     : 0;
  if (length == 0 || *pos + length > text.size()) return false;
  uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int i = 1; i < length; ++i) {
    unsigned char c = byte(*pos + i);
    if ((c & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return false;
  }
  *pos += length;
  *out = cp;
  return true;
}

bool IsWhitespace(uint32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

}  // namespace

std::optional<std::string> ExecutionNameProblem(std::string_view name) {
  if (name.empty()) return "the name is empty";
  size_t chars = 0;
  for (size_t pos = 0; pos < name.size();) {
    uint32_t cp = 0;
    if (!NextCodePoint(name, &pos, &cp)) return "the name is not valid UTF-8";
    ++chars;
    if (IsWhitespace(cp)) return "the name contains whitespace";
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return "the name contains a control character";
    if (cp < 0x80 && kForbidden.find(static_cast<char>(cp)) != std::string_view::npos) {
      return std::string("the name contains '") + static_cast<char>(cp) +
             "'; brackets, wildcards and the characters \" # % \\ ^ | ~ ` $ & , ; : / are not "
             "allowed";
    }
  }
  if (chars > kMaxNameChars) return "the name is longer than 80 characters";
  return std::nullopt;
}

}  // namespace autoretrain::integrations
