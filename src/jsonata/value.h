// The value model the JSONata evaluator works on (internal).
//
// A Value is undefined, null, a boolean, a number (a JavaScript double), a string, an array,
// an object or a function. Strings, arrays and objects either point into the caller's input
// document (a `const json::Value*`, never copied) or hold shared, reference-counted data built
// during evaluation (ArrayData with JSONata's sequence flags, ObjectData keeping insertion
// order). Copying a Value copies a pointer. ToJson converts a result to a json::Value at the end.
//
// Thread-safety: a Value and the data it points to belong to one evaluation (one thread). The
// input document must not change while an evaluation reads it.
#ifndef AUTORETRAIN_JSONATA_VALUE_H_
#define AUTORETRAIN_JSONATA_VALUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "autoretrain/json/json.h"

namespace autoretrain::jsonata {

class Value;
struct FunctionData;

struct ArrayData;
struct ObjectData;

class Value {
 public:
  enum class Kind : uint8_t {
    kUndefined,
    kNull,
    kBool,
    kNumber,
    kString,
    kArray,
    kObject,
    kFunction
  };

  Value() = default;
  static Value Null() { return Value(Kind::kNull); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.bool_ = b;
    return v;
  }
  static Value Number(double d) {
    Value v(Kind::kNumber);
    v.number_ = d;
    return v;
  }
  static Value String(std::string s);
  static Value Array(std::shared_ptr<ArrayData> a) {
    Value v(Kind::kArray);
    v.data_ = std::move(a);
    return v;
  }
  static Value Object(std::shared_ptr<ObjectData> o) {
    Value v(Kind::kObject);
    v.data_ = std::move(o);
    return v;
  }
  static Value Function(std::shared_ptr<FunctionData> f) {
    Value v(Kind::kFunction);
    v.data_ = std::move(f);
    return v;
  }
  // Points into `json` (which must outlive the value); scalars are read at once.
  static Value FromJson(const json::Value* json);
  // A fresh empty sequence.
  static std::shared_ptr<ArrayData> NewSequence();

  Kind kind() const { return kind_; }
  bool undefined() const { return kind_ == Kind::kUndefined; }
  bool defined() const { return kind_ != Kind::kUndefined; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_function() const { return kind_ == Kind::kFunction; }

  bool boolean() const { return bool_; }
  double number() const { return number_; }
  std::string_view str() const;

  // Arrays. `array_data` is null for arrays of the input document (no flags set).
  size_t size() const;
  Value at(size_t i) const;
  ArrayData* array_data() const {
    return from_json_ || kind_ != Kind::kArray ? nullptr : static_cast<ArrayData*>(data_.get());
  }
  bool is_sequence() const;
  const json::Array* json_array() const { return json_ ? &json_->get_array() : nullptr; }

  // Objects: the value under `key` (undefined when missing), the entries in order.
  Value get(std::string_view key) const;
  size_t object_size() const;
  template <class F>
  void ForEachEntry(F&& f) const;
  ObjectData* object_data() const {
    return from_json_ || kind_ != Kind::kObject ? nullptr : static_cast<ObjectData*>(data_.get());
  }

  FunctionData* function() const { return static_cast<FunctionData*>(data_.get()); }
  const std::shared_ptr<void>& shared() const { return data_; }
  const json::Value* json() const { return from_json_ ? json_ : nullptr; }

 private:
  explicit Value(Kind k) : kind_(k) {}
  static Value Borrowed(Kind k, const json::Value* j) {
    Value v(k);
    v.json_ = j;
    v.from_json_ = true;
    return v;
  }
  Kind kind_ = Kind::kUndefined;
  bool bool_ = false;
  bool from_json_ = false;  // a string, array or object of the input document (json_)
  union {
    double number_ = 0;
    const json::Value* json_;
  };
  std::shared_ptr<void> data_;
};

// An array built during evaluation, with the flags JSONata keeps on its arrays. Destroyed
// safely however deep the values it holds: by recursion for 64 levels, then without
// (TearDown in value.cc).
struct ArrayData {
  // Room for two items inside the ArrayData itself: most sequences an evaluation builds (a
  // wrapped value, a step over one or two items) then cost one allocation, not two.
  using Items = boost::container::small_vector<Value, 2>;
  ~ArrayData();
  Items items;
  bool sequence = false;        // a result sequence (flattened, singleton unwrapped)
  bool keep_singleton = false;  // `[]` seen in the path: keep a one-item sequence an array
  bool tuple_stream = false;    // items are tuples (objects of bindings, '@' the context)
  bool outer_wrapper = false;   // the input array wrapped as a one-item sequence
  bool cons = false;            // made by an array constructor: not flattened by paths
};

// An object built during evaluation: keys in insertion order, with an index once it grows.
// Destroyed as ArrayData.
struct ObjectData {
  ~ObjectData();
  std::vector<std::pair<std::string, Value>> entries;
  std::unordered_map<std::string_view, size_t> index;  // built when entries.size() > kIndexAt

  static constexpr size_t kIndexAt = 8;
  const Value* Find(std::string_view key) const;
  // Sets `key` (keeps its position when it exists, appends otherwise).
  void Set(std::string_view key, Value value);
  // Appends `key`, which the caller knows is not present (Set without the search).
  void Append(std::string_view key, Value value);
  // Removes `key` if present.
  void Erase(std::string_view key);

 private:
  void Reindex();
};

inline Value Value::FromJson(const json::Value* j) {
  switch (j->kind()) {
    case boost::json::kind::null:
      return Null();
    case boost::json::kind::bool_:
      return Bool(j->get_bool());
    case boost::json::kind::int64:
      return Number(static_cast<double>(j->get_int64()));
    case boost::json::kind::uint64:
      return Number(static_cast<double>(j->get_uint64()));
    case boost::json::kind::double_:
      return Number(j->get_double());
    case boost::json::kind::string:
      return Borrowed(Kind::kString, j);
    case boost::json::kind::array:
      return Borrowed(Kind::kArray, j);
    case boost::json::kind::object:
      return Borrowed(Kind::kObject, j);
  }
  return Value();
}

inline std::string_view Value::str() const {
  if (from_json_) {
    const auto& s = json_->get_string();
    return std::string_view(s.data(), s.size());
  }
  return *static_cast<std::string*>(data_.get());
}

inline size_t Value::size() const {
  if (from_json_) return json_->get_array().size();
  return static_cast<ArrayData*>(data_.get())->items.size();
}

inline Value Value::at(size_t i) const {
  if (from_json_) return FromJson(&json_->get_array()[i]);
  return static_cast<ArrayData*>(data_.get())->items[i];
}

inline Value Value::get(std::string_view key) const {
  if (kind_ != Kind::kObject) return Value();
  if (from_json_) {
    const auto& o = json_->get_object();
    auto it = o.find(key);
    return it == o.end() ? Value() : FromJson(&it->value());
  }
  const Value* v = static_cast<ObjectData*>(data_.get())->Find(key);
  return v ? *v : Value();
}

inline std::shared_ptr<ArrayData> Value::NewSequence() {
  auto a = std::make_shared<ArrayData>();
  a->sequence = true;
  return a;
}

inline bool Value::is_sequence() const {
  ArrayData* a = is_array() ? array_data() : nullptr;
  return a && a->sequence;
}

template <class F>
void Value::ForEachEntry(F&& f) const {
  if (from_json_) {
    for (const auto& kv : json_->get_object()) f(std::string_view(kv.key()), FromJson(&kv.value()));
  } else {
    for (const auto& [k, v] : static_cast<ObjectData*>(data_.get())->entries)
      f(std::string_view(k), v);
  }
}

// Converts a result to JSON (functions become "", non-finite numbers null, undefined array
// items dropped). Precondition: `v` is defined. Throws U1001 when it nests deeper than
// json::kMaxDepth, which no JSON of the program could hold.
json::Value ToJson(const Value& v);
// A deep, mutable copy built from ArrayData/ObjectData only (for the transform operator).
// Throws U1001 as CheckValueStack, as DeepEqual and Stringify do.
Value DeepClone(const Value& v);
// JSONata's deep equality (numbers by value, objects ignoring key order).
bool DeepEqual(const Value& a, const Value& b);
// Bytes of stack the calling thread has left below `here` (0 when unknown).
size_t StackRemaining(uintptr_t here);
// The stack an evaluation leaves unused: it fails U1001 before it would go below it.
inline constexpr size_t kStackMargin = 256 * 1024;
// For functions that recurse once per level of a value (comparing, cloning, printing and
// searching with `**`; evaluation can build values of any depth, e.g. a $reduce wrapping its
// accumulator): throws JsonataError U1001 when the calling thread is down to kStackMargin.
void CheckValueStack();

// JavaScript's Number.prototype.toString.
std::string NumberToString(double d);
// $string's JSON text for a value (numbers at 15 significant digits, functions as "").
std::string Stringify(const Value& v, bool pretty);

// UTF-8 helpers: code points of a string, and back.
std::u32string ToCodePoints(std::string_view s);
std::string FromCodePoints(std::u32string_view s);
void AppendUtf8(std::string& out, char32_t c);
// Length of a string in UTF-16 code units (JavaScript's String.length).
size_t Utf16Length(std::string_view s);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_VALUE_H_
