// A small memo of analysed picture strings, one per thread (internal).
//
// Expressions nearly always pass the same literal picture on every call ($fromMillis(t,
// "[Y0001]-[M01]-[D01]"), $formatNumber(x, "#,##0.00")), and analysing a picture costs more
// than formatting with it. PictureMemo keeps the last few analyses by their key; a full memo
// overwrites its entries in turn, so it never grows past kCapacity.
//
// Thread-safety: none; use one instance per thread (thread_local).
#ifndef AUTORETRAIN_JSONATA_PICTURE_MEMO_H_
#define AUTORETRAIN_JSONATA_PICTURE_MEMO_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace autoretrain::jsonata::picture {

template <class Key, class T>
class PictureMemo {
 public:
  // The analysis stored under `key`, or null. The pointer stays valid until the next Insert.
  template <class K>
  const T* Find(const K& key) const {
    for (const auto& [k, v] : entries_) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  // Stores `value` under `key` (a new key: Find has just missed) and returns it.
  const T& Insert(Key key, T value) {
    if (entries_.size() < kCapacity) {
      entries_.emplace_back(std::move(key), std::move(value));
      return entries_.back().second;
    }
    auto& slot = entries_[next_victim_];
    next_victim_ = (next_victim_ + 1) % kCapacity;
    slot = {std::move(key), std::move(value)};
    return slot.second;
  }

 private:
  static constexpr size_t kCapacity = 16;
  std::vector<std::pair<Key, T>> entries_;
  size_t next_victim_ = 0;
};

}  // namespace autoretrain::jsonata::picture

#endif  // AUTORETRAIN_JSONATA_PICTURE_MEMO_H_
