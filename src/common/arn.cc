#include "autoretrain/common/arn.h"

#include <array>
#include <initializer_list>
#include <random>

namespace autoretrain {

namespace {

// "arn:PARTITION:SERVICE:REGION:ACCOUNT:" followed by `parts`, built with one allocation:
// execution ARNs are made once per execution.
std::string MakeArn(const AccountContext& ctx, std::string_view service,
                    std::initializer_list<std::string_view> parts) {
  size_t size = 4 + ctx.partition.size() + 1 + service.size() + 1 + ctx.region.size() + 1 +
                ctx.account.size() + 1;
  for (std::string_view part : parts) size += part.size();
  std::string arn;
  arn.reserve(size);
  arn.append("arn:").append(ctx.partition).append(":").append(service).append(":");
  arn.append(ctx.region).append(":").append(ctx.account).append(":");
  for (std::string_view part : parts) arn.append(part);
  return arn;
}

}  // namespace

std::string StateMachineArn(const AccountContext& ctx, std::string_view name) {
  return MakeArn(ctx, "states", {"stateMachine:", name});
}

std::string ExecutionArn(const AccountContext& ctx, std::string_view state_machine_name,
                         std::string_view execution_name) {
  return MakeArn(ctx, "states", {"execution:", state_machine_name, ":", execution_name});
}

std::string LambdaFunctionArn(const AccountContext& ctx, std::string_view name) {
  return MakeArn(ctx, "lambda", {"function:", name});
}

std::optional<ParsedArn> ParseArn(std::string_view text) {
  std::array<std::string_view, 5> parts;
  size_t start = 0;
  for (std::string_view& part : parts) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    part = text.substr(start, colon - start);
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
