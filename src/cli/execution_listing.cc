#include "cli/execution_listing.h"

#include <algorithm>
#include <map>

#include "autoretrain/json/json.h"

namespace autoretrain::cli {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Url(std::string_view bytes) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : bytes) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) out += kAlphabet[(bits >> (count -= 6)) & 63];
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 63];
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const char* pos = std::char_traits<char>::find(kAlphabet, 64, c);
    if (pos == nullptr) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(pos - kAlphabet);
    count += 6;
    if (count >= 8) out += static_cast<char>((bits >> (count -= 8)) & 0xff);
  }
  return out;
}

Error InvalidToken() { return Error{"InvalidToken", "Invalid Token: the next token is not valid"}; }

// Where each state machine's listing continues: ARN -> its store token ("" for its first page).
// State machines left out have no more executions.
using Cursors = std::map<std::string, std::string>;

Result<Cursors> DecodeCursors(const std::string& token,
                              const std::vector<store::StateMachineRecord>& machines) {
  Cursors cursors;
  if (token.empty()) {
    for (const auto& machine : machines) cursors[machine.arn] = "";
    return cursors;
  }
  std::optional<std::string> text = FromBase64Url(token);
  if (!text) return InvalidToken();
  Result<json::Value> parsed = json::Parse(*text);
  if (!parsed.ok() || !parsed->is_object()) return InvalidToken();
  for (const auto& [key, cursor] : parsed->as_object()) {
    const std::string_view name = key;  // clang 14 cannot capture a structured binding
    auto machine = std::find_if(machines.begin(), machines.end(),
                                [&](const auto& m) { return m.name == name; });
    if (machine == machines.end() || !cursor.is_string()) return InvalidToken();
    cursors[machine->arn] = std::string(cursor.as_string());
  }
  return cursors;
}

std::string EncodeCursors(const Cursors& cursors,
                          const std::vector<store::StateMachineRecord>& machines) {
  json::Object object;
  for (const auto& machine : machines) {
    auto it = cursors.find(machine.arn);
    if (it != cursors.end()) object[machine.name] = it->second;
  }
  return Base64Url(json::Serialize(object));
}

}  // namespace

Result<store::Page<store::ExecutionRecord>> ListAllExecutions(
    store::Store& store, const std::vector<store::StateMachineRecord>& machines,
    std::optional<engine::ExecutionStatus> status, const store::PageRequest& request) {
  const int size = request.max_results == 0 ? store::kDefaultMaxResults : request.max_results;
  if (size < 0 || size > store::kMaxMaxResults) {
    return Error{"ValidationException", "maxResults must be between 1 and 1000"};
  }
  Result<Cursors> cursors = DecodeCursors(request.next_token, machines);
  if (!cursors.ok()) return cursors.take_error();

  // One page of each machine; the merged page is a k-way merge of their heads.
  struct Source {
    std::string arn;
    store::Page<store::ExecutionRecord> page;
    size_t taken = 0;
  };
  std::vector<Source> sources;
  for (const auto& [arn, token] : *cursors) {
    auto page = store.ListExecutions(arn, status, {size, token});
    if (!page.ok()) return page.take_error();
    sources.push_back(Source{arn, std::move(*page)});
  }
  store::Page<store::ExecutionRecord> merged;
  while (static_cast<int>(merged.items.size()) < size) {
    Source* newest = nullptr;
    for (Source& source : sources) {
      if (source.taken == source.page.items.size()) continue;
      if (newest == nullptr || source.page.items[source.taken].start_date >
                                   newest->page.items[newest->taken].start_date) {
        newest = &source;
      }
    }
    if (newest == nullptr) break;
    merged.items.push_back(newest->page.items[newest->taken++]);
  }

  Cursors next;
  for (const Source& source : sources) {
    const std::string& token = (*cursors)[source.arn];
    if (source.taken == 0) {
      if (!source.page.items.empty()) next[source.arn] = token;
    } else if (source.taken == source.page.items.size()) {
      if (!source.page.next_token.empty()) next[source.arn] = source.page.next_token;
    } else {
      // Part of this page was used: the store's token after exactly that many.
      auto used = store.ListExecutions(source.arn, status, {static_cast<int>(source.taken), token});
      if (!used.ok()) return used.take_error();
      next[source.arn] = used->next_token;
    }
  }
  if (!next.empty()) merged.next_token = EncodeCursors(next, machines);
  return merged;
}

}  // namespace autoretrain::cli
