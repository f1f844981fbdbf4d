// Fuzz target: json::Parse on any bytes, and on what parses, the printing rules: Serialize's
// text parses back and prints the same, SerializedSize and FitsInBytes agree with it, and
// SerializePretty's text parses back to the same value.
#include "autoretrain/json/json.h"
#include "fuzz_util.h"

namespace json = autoretrain::json;
using autoretrain::Result;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<json::Value> value = json::Parse(autoretrain::fuzz::AsText(data, size));
  if (!value.ok()) {
    Check(!value.error().cause.empty(), "a parse error says what was wrong");
    return 0;
  }
  const std::string compact = json::Serialize(*value);
  Check(json::SerializedSize(*value) == compact.size(), "SerializedSize == Serialize().size()");
  Check(json::FitsInBytes(*value, compact.size()), "FitsInBytes(its own size)");
  Check(!json::FitsInBytes(*value, compact.size() - 1), "!FitsInBytes(its own size - 1)");
  Result<json::Value> again = json::Parse(compact);
  Check(again.ok(), "Serialize's output parses");
  Check(json::Serialize(*again) == compact, "Serialize(Parse(Serialize(v))) == Serialize(v)");
  Result<json::Value> pretty = json::Parse(json::SerializePretty(*value));
  Check(pretty.ok(), "SerializePretty's output parses");
  Check(json::Serialize(*pretty) == compact, "SerializePretty keeps the value");
  return 0;
}
