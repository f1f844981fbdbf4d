#include "jsonata/value.h"

#include "jsonata/error.h"

#include <pthread.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace autoretrain::jsonata {
namespace {

bool IsContainer(const Value& v) { return v.array_data() != nullptr || v.object_data() != nullptr; }

// Destroys `values` and everything only they hold without recursion: a container whose last
// reference is about to go gives its items to the work list first, so its own destructor finds
// it empty. (Plain destruction nests one destructor per level: a value built 200,000 levels
// deep overflowed the stack.)
void TearDown(std::vector<Value> work) {
  while (!work.empty()) {
    Value v = std::move(work.back());
    work.pop_back();
    if (v.shared().use_count() != 1) continue;  // someone else still holds it
    if (ArrayData* array = v.array_data()) {
      for (Value& item : array->items) {
        if (IsContainer(item)) work.push_back(std::move(item));
      }
      array->items.clear();
    } else if (ObjectData* object = v.object_data()) {
      for (auto& entry : object->entries) {
        if (IsContainer(entry.second)) work.push_back(std::move(entry.second));
      }
      object->index.clear();
      object->entries.clear();
    }
  }
}

// Containers destroyed by plain recursion on this thread right now. Up to kRecursiveTearDown
// levels the destructors just let their members go (no work list to allocate); deeper ones
// switch to TearDown, which needs no stack however deep the rest goes.
thread_local int recursive_teardowns = 0;
constexpr int kRecursiveTearDown = 64;

// Destroys `members` by plain recursion when the depth allows it. Returns false otherwise.
template <class Members>
bool TearDownRecursively(Members& members) {
  if (recursive_teardowns >= kRecursiveTearDown) return false;
  ++recursive_teardowns;
  members.clear();
  --recursive_teardowns;
  return true;
}

}  // namespace

ArrayData::~ArrayData() {
  if (TearDownRecursively(items)) return;
  std::vector<Value> containers;
  for (Value& item : items) {
    if (IsContainer(item)) containers.push_back(std::move(item));
  }
  if (!containers.empty()) TearDown(std::move(containers));
}

ObjectData::~ObjectData() {
  index.clear();
  if (TearDownRecursively(entries)) return;
  std::vector<Value> containers;
  for (auto& entry : entries) {
    if (IsContainer(entry.second)) containers.push_back(std::move(entry.second));
  }
  if (!containers.empty()) TearDown(std::move(containers));
}

namespace {

// The lowest address of the calling thread's stack (0 when unknown). Read once per thread:
// for the main thread glibc reads /proc/self/maps, far too slow for every evaluation.
uintptr_t StackLow() {
  thread_local uintptr_t low = [] {
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return uintptr_t{0};
    void* addr = nullptr;
    size_t size = 0;
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
    return reinterpret_cast<uintptr_t>(addr);
  }();
  return low;
}

}  // namespace

size_t StackRemaining(uintptr_t here) {
  uintptr_t low = StackLow();
  return low != 0 && here > low ? here - low : 0;
}

void CheckValueStack() {
  const size_t left = StackRemaining(reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
  if (left != 0 && left < kStackMargin) {
    throw JsonataError{"U1001", -1, "",
                       "Stack overflow error: a value nests too deeply to be compared, copied, "
                       "printed or searched on the evaluating thread's stack"};
  }
}

const Value* ObjectData::Find(std::string_view key) const {
  if (!index.empty()) {
    auto it = index.find(key);
    return it == index.end() ? nullptr : &entries[it->second].second;
  }
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

void ObjectData::Reindex() {
  index.clear();
  if (entries.size() <= kIndexAt) return;
  index.reserve(entries.size() * 2);
  for (size_t i = 0; i < entries.size(); ++i) index[entries[i].first] = i;
}

void ObjectData::Set(std::string_view key, Value value) {
  if (Value* existing = const_cast<Value*>(Find(key))) {
    *existing = std::move(value);
    return;
  }
  Append(key, std::move(value));
}

void ObjectData::Append(std::string_view key, Value value) {
  size_t capacity = entries.capacity();
  entries.emplace_back(std::string(key), std::move(value));
  if (entries.size() > kIndexAt) {
    // Keys are string_views into entries: a reallocation moves short strings (SSO).
    if (index.empty() || entries.capacity() != capacity) {
      Reindex();
    } else {
      index[entries.back().first] = entries.size() - 1;
    }
  }
}

void ObjectData::Erase(std::string_view key) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].first == key) {
      entries.erase(entries.begin() + i);
      Reindex();
      return;
    }
  }
}

Value Value::String(std::string s) {
  Value v(Kind::kString);
  v.data_ = std::make_shared<std::string>(std::move(s));
  return v;
}

size_t Value::object_size() const {
  if (from_json_) return json_->get_object().size();
  return static_cast<ObjectData*>(data_.get())->entries.size();
}

namespace {

[[noreturn]] void ThrowNestedBeyondJson() {
  throw JsonataError{"U1001", -1, "",
                     "Stack overflow error: the result nests deeper than " +
                         std::to_string(json::kMaxDepth) + " levels, more than JSON may here"};
}

json::Value ToJsonAt(const Value& v, int depth) {
  switch (v.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return v.boolean();
    case Value::Kind::kNumber: {
      double d = v.number();
      if (!std::isfinite(d)) return nullptr;
      if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
        return static_cast<int64_t>(d);
      }
      return d;
    }
    case Value::Kind::kString:
      if (v.json()) return *v.json();
      return json::String(v.str());
    case Value::Kind::kFunction:
      return json::String("");
    case Value::Kind::kArray: {
      if (v.json()) return *v.json();
      if (depth >= json::kMaxDepth) ThrowNestedBeyondJson();
      json::Array out;
      size_t n = v.size();
      out.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        Value item = v.at(i);
        if (item.defined()) out.push_back(ToJsonAt(item, depth + 1));
      }
      return out;
    }
    case Value::Kind::kObject: {
      if (v.json()) return *v.json();
      if (depth >= json::kMaxDepth) ThrowNestedBeyondJson();
      json::Object out(v.object_size());
      v.ForEachEntry([&](std::string_view k, const Value& item) {
        if (item.defined()) out.emplace(k, ToJsonAt(item, depth + 1));
      });
      return out;
    }
  }
  return nullptr;
}

Value DeepCloneAt(const Value& v) {
  if (v.is_array() || v.is_object()) CheckValueStack();
  if (v.is_array()) {
    auto a = std::make_shared<ArrayData>();
    size_t n = v.size();
    a->items.reserve(n);
    for (size_t i = 0; i < n; ++i) a->items.push_back(DeepCloneAt(v.at(i)));
    return Value::Array(std::move(a));
  }
  if (v.is_object()) {
    auto o = std::make_shared<ObjectData>();
    o->entries.reserve(v.object_size());
    // An object's keys are unique (a JSON object's too, as parsed).
    v.ForEachEntry([&](std::string_view k, const Value& item) { o->Append(k, DeepCloneAt(item)); });
    return Value::Object(std::move(o));
  }
  // Strings are never modified: the clone shares them.
  return v;
}

bool DeepEqualAt(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.boolean() == b.boolean();
    case Value::Kind::kNumber:
      return a.number() == b.number();
    case Value::Kind::kString:
      return a.str() == b.str();
    case Value::Kind::kFunction:
      return a.shared() == b.shared();
    case Value::Kind::kArray: {
      if (a.json() && a.json() == b.json()) return true;
      CheckValueStack();
      size_t n = a.size();
      if (n != b.size()) return false;
      for (size_t i = 0; i < n; ++i) {
        if (!DeepEqualAt(a.at(i), b.at(i))) return false;
      }
      return true;
    }
    case Value::Kind::kObject: {
      if (a.json() && a.json() == b.json()) return true;
      CheckValueStack();
      if (a.object_size() != b.object_size()) return false;
      bool equal = true;
      a.ForEachEntry([&](std::string_view k, const Value& item) {
        if (equal && !DeepEqualAt(item, b.get(k))) equal = false;
      });
      return equal;
    }
  }
  return false;
}

}  // namespace

json::Value ToJson(const Value& v) { return ToJsonAt(v, 0); }

Value DeepClone(const Value& v) { return DeepCloneAt(v); }

bool DeepEqual(const Value& a, const Value& b) { return DeepEqualAt(a, b); }

std::string NumberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  // Integers below 2^53 print as their digits (zero goes the general way: -0 prints "0").
  if (d != 0 && d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
    return std::to_string(static_cast<int64_t>(d));
  }
  return json::Serialize(json::Value(d));
}

namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  out += json::Serialize(json::Value(json::String(s)));
}

void StringifyTo(std::string& out, const Value& v, bool pretty, int depth) {
  auto newline = [&](int d) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<size_t>(d) * 2, ' ');
  };
  switch (v.kind()) {
    case Value::Kind::kUndefined:
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.boolean() ? "true" : "false";
      return;
    case Value::Kind::kNumber: {
      double d = v.number();
      if (!std::isfinite(d)) {
        throw JsonataError{"D1001", -1, "", "Number out of range: " + NumberToString(d)};
      }
      if (d == std::trunc(d)) {
        out += NumberToString(d);
        return;
      }
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      out += NumberToString(std::strtod(buf, nullptr));
      return;
    }
    case Value::Kind::kString:
      AppendQuoted(out, v.str());
      return;
    case Value::Kind::kFunction:
      out += "\"\"";
      return;
    case Value::Kind::kArray: {
      CheckValueStack();
      size_t n = v.size();
      if (n == 0) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        Value item = v.at(i);
        StringifyTo(out, item, pretty, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::kObject: {
      CheckValueStack();
      bool first = true;
      out += '{';
      v.ForEachEntry([&](std::string_view k, const Value& item) {
        if (item.undefined()) return;
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        AppendQuoted(out, k);
        out += pretty ? ": " : ":";
        StringifyTo(out, item, pretty, depth + 1);
      });
      if (!first) newline(depth);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string Stringify(const Value& v, bool pretty) {
  std::string out;
  StringifyTo(out, v, pretty, 0);
  return out;
}

std::u32string ToCodePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f;
      len = 3;
    } else if ((c >> 3) == 30) {
      cp = c & 0x07;
      len = 4;
    } else {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    if (i + len > s.size()) {
      out.push_back(0xfffd);
      break;
    }
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string FromCodePoints(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xc0) != 0x80) n += (c >= 0xf0) ? 2 : 1;
  }
  return n;
}

}  // namespace autoretrain::jsonata
