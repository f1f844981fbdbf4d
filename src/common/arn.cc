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

std::string ActivityArn(const AccountContext& ctx, std::string_view name) {
  return MakeArn(ctx, "states", {"activity:", name});
}

std::string LambdaFunctionArn(const AccountContext& ctx, std::string_view name) {
  return MakeArn(ctx, "lambda", {"function:", name});
}

std::string SnsTopicArn(const AccountContext& ctx, std::string_view name) {
  return MakeArn(ctx, "sns", {name});
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

std::optional<std::string> ExecutionArnOf(std::string_view state_machine_arn,
                                          std::string_view execution_name) {
  constexpr std::string_view kMarker = ":stateMachine:";
  std::optional<ParsedArn> arn = ParseArn(state_machine_arn);
  const size_t at = state_machine_arn.find(kMarker);
  if (!arn || arn->service != "states" || !arn->resource.starts_with("stateMachine:") ||
      at == std::string_view::npos) {
    return std::nullopt;
  }
  std::string out(state_machine_arn.substr(0, at));
  out.append(":execution:").append(state_machine_arn.substr(at + kMarker.size()));
  out.append(":").append(execution_name);
  return out;
}

namespace {

// Formats 128 bits as a lowercase UUID (8-4-4-4-12) with the given version nibble and the
// RFC 4122 variant. By hand: this runs once per execution and per Lambda request id, and
// snprintf showed up in profiles.
std::string FormatUuid(uint64_t hi, uint64_t lo, uint64_t version) {
  hi = (hi & 0xffffffffffff0fffULL) | (version << 12);
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
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

// 64-bit FNV-1a from a given offset basis: stable across runs, builds and machines.
uint64_t Fnv1a64(std::string_view data, uint64_t basis) {
  uint64_t hash = basis;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string NewExecutionName() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  return FormatUuid(hi, lo, 4);
}

std::string DeterministicExecutionName(std::string_view seed) {
  // Two FNV-1a passes with different bases give 128 bits; collisions need ~2^64 names.
  return FormatUuid(Fnv1a64(seed, 0xcbf29ce484222325ULL), Fnv1a64(seed, 0x84222325cbf29ce4ULL), 8);
}

}  // namespace autoretrain
