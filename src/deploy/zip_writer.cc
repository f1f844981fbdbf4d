// A zip writer for stored (uncompressed) entries: local file headers, the central directory and
// its end record, each entry with its CRC-32 and Unix mode (the "made by" system is Unix, the
// mode in the high half of the external attributes), which is what Lambda's unzip reads.
#include <array>
#include <limits>

#include "autoretrain/deploy/lambda_package.h"

namespace autoretrain::deploy {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentral = 0x06054b50;
constexpr uint16_t kVersionNeeded = 20;                    // 2.0: the oldest readers
constexpr uint16_t kVersionMadeBy = (3 << 8) | 20;         // Unix, 2.0
constexpr uint16_t kUtf8Names = 1 << 11;                   // general purpose flag bit 11
constexpr uint16_t kDosTime = 0, kDosDate = (1 << 5) | 1;  // 1980-01-01 00:00: reproducible

std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

void U16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xff));
  out->push_back(static_cast<char>(v >> 8));
}
void U32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = MakeTable();
  uint32_t c = 0xffffffffu;
  for (unsigned char byte : data) c = table[(c ^ byte) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

Result<std::string> MakeZip(const std::vector<ZipEntry>& entries) {
  constexpr uint64_t kMax = std::numeric_limits<uint32_t>::max();
  if (entries.size() > 0xffff) {
    return Error{"ZipTooLarge", std::to_string(entries.size()) +
                                    " entries; a zip without Zip64 holds at most 65535"};
  }
  std::string out;
  std::string central;
  for (const ZipEntry& entry : entries) {
    if (entry.data.size() >= kMax || out.size() >= kMax || entry.name.size() > 0xffff) {
      return Error{"ZipTooLarge", entry.name +
                                      ": the archive would pass 4 GiB, the limit of a "
                                      "zip without Zip64"};
    }
    uint32_t crc = Crc32(entry.data);
    uint32_t size = static_cast<uint32_t>(entry.data.size());
    uint32_t offset = static_cast<uint32_t>(out.size());
    U32(&out, kLocalHeader);
    U16(&out, kVersionNeeded);
    U16(&out, kUtf8Names);
    U16(&out, 0);  // stored
    U16(&out, kDosTime);
    U16(&out, kDosDate);
    U32(&out, crc);
    U32(&out, size);
    U32(&out, size);
    U16(&out, static_cast<uint16_t>(entry.name.size()));
    U16(&out, 0);  // no extra field
    out += entry.name;
    out += entry.data;

    U32(&central, kCentralHeader);
    U16(&central, kVersionMadeBy);
    U16(&central, kVersionNeeded);
    U16(&central, kUtf8Names);
    U16(&central, 0);
    U16(&central, kDosTime);
    U16(&central, kDosDate);
    U32(&central, crc);
    U32(&central, size);
    U32(&central, size);
    U16(&central, static_cast<uint16_t>(entry.name.size()));
    U16(&central, 0);                                         // extra
    U16(&central, 0);                                         // comment
    U16(&central, 0);                                         // disk
    U16(&central, 0);                                         // internal attributes
    U32(&central, (0100000u | (entry.mode & 07777u)) << 16);  // a regular file with its mode
    U32(&central, offset);
    central += entry.name;
  }
  if (out.size() + central.size() >= kMax) {
    return Error{"ZipTooLarge", "the archive would pass 4 GiB, the limit of a zip without Zip64"};
  }
  uint32_t central_offset = static_cast<uint32_t>(out.size());
  out += central;
  U32(&out, kEndOfCentral);
  U16(&out, 0);
  U16(&out, 0);
  U16(&out, static_cast<uint16_t>(entries.size()));
  U16(&out, static_cast<uint16_t>(entries.size()));
  U32(&out, static_cast<uint32_t>(central.size()));
  U32(&out, central_offset);
  U16(&out, 0);  // no comment
  return out;
}

}  // namespace autoretrain::deploy
