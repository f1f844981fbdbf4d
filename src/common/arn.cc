#include "autoretrain/common/arn.h"

#include <random>
#include <vector>

namespace autoretrain {

std::string StateMachineArn(const AccountContext& ctx, std::string_view name) {
  return "arn:" + ctx.partition + ":states:" + ctx.region + ":" + ctx.account + ":stateMachine:" +
         std::string(name);
}

std::string ExecutionArn(const AccountContext& ctx, std::string_view state_machine_name,
                         std::string_view execution_name) {
  return "arn:" + ctx.partition + ":states:" + ctx.region + ":" + ctx.account + ":execution:" +
         std::string(state_machine_name) + ":" + std::string(execution_name);
}

std::string LambdaFunctionArn(const AccountContext& ctx, std::string_view name) {
  return "arn:" + ctx.partition + ":lambda:" + ctx.region + ":" + ctx.account + ":function:" +
         std::string(name);
}

std::optional<ParsedArn> ParseArn(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts[0] != "arn") return std::nullopt;
  ParsedArn arn;
  arn.partition = parts[1];
  arn.service = parts[2];
  arn.region = parts[3];
  arn.account = parts[4];
  arn.resource = text.substr(start);
  return arn;
}

std::string NewExecutionName() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  // Formatted by hand: this runs once per execution and per Lambda request id, and snprintf
  // showed up in profiles.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int pos = 0;
  auto put = [&](uint64_t bits, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out[pos++] = kHex[(bits >> (4 * i)) & 0xf];
  };
  put(hi >> 32, 8);
  ++pos;
  put(hi >> 16, 4);
  ++pos;
  put(hi, 4);
  ++pos;
  put(lo >> 48, 4);
  ++pos;
  put(lo, 12);
  return out;
}

}  // namespace autoretrain
