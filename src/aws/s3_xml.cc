#include "aws/s3_xml.h"

#include <cstdint>
#include <cstdlib>

namespace autoretrain::aws {
namespace {

// Appends code point `cp` as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Finds the next element `name` at or after `from`: on success sets the inner range
// [*inner_begin, *inner_end) and returns the position after the element; npos when none.
size_t NextElement(std::string_view xml, std::string_view name, size_t from, size_t* inner_begin,
                   size_t* inner_end) {
  const std::string open = "<" + std::string(name);
  while (true) {
    size_t start = xml.find(open, from);
    if (start == std::string_view::npos) return std::string_view::npos;
    size_t after_name = start + open.size();
    if (after_name >= xml.size()) return std::string_view::npos;
    char next = xml[after_name];
    if (next != '>' && next != '/' && next != ' ' && next != '\t' && next != '\n' && next != '\r') {
      from = after_name;  // a longer name with the same beginning: <Keys> when looking for <Key>
      continue;
    }
    size_t tag_end = xml.find('>', after_name);
    if (tag_end == std::string_view::npos) return std::string_view::npos;
    if (xml[tag_end - 1] == '/') {  // <name/>
      *inner_begin = *inner_end = tag_end + 1;
      return tag_end + 1;
    }
    const std::string close = "</" + std::string(name) + ">";
    size_t close_at = xml.find(close, tag_end + 1);
    if (close_at == std::string_view::npos) return std::string_view::npos;
    *inner_begin = tag_end + 1;
    *inner_end = close_at;
    return close_at + close.size();
  }
}

}  // namespace

std::string XmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i];
      continue;
    }
    std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::string digits(entity.substr(hex ? 2 : 1));
      char* end = nullptr;
      unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0' || cp > 0x10FFFF) {
        out += text[i];
        continue;
      }
      AppendUtf8(static_cast<uint32_t>(cp), &out);
    } else {
      out += text[i];
      continue;
    }
    i = semi;
  }
  return out;
}

std::optional<std::string> XmlText(std::string_view xml, std::string_view name) {
  size_t begin = 0, end = 0;
  if (NextElement(xml, name, 0, &begin, &end) == std::string_view::npos) return std::nullopt;
  return XmlDecode(xml.substr(begin, end - begin));
}

std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> elements;
  size_t from = 0, begin = 0, end = 0;
  while ((from = NextElement(xml, name, from, &begin, &end)) != std::string_view::npos) {
    elements.push_back(xml.substr(begin, end - begin));
  }
  return elements;
}

}  // namespace autoretrain::aws
