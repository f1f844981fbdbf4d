#include "intrinsic_functions.h"

#include "autoretrain/asl/payload_template.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace autoretrain::asl {

namespace {

using Args = std::vector<json::Value>;

Error Failure(const Intrinsic& call, const std::string& what) {
  return Error{"States.IntrinsicFailure", "Invalid arguments in " + call.name + ": " + what};
}

// "the first argument", "the second argument", ...
std::string Nth(size_t i) {
  static constexpr const char* kNames[] = {"first", "second", "third", "fourth", "fifth"};
  std::string n = i < 5 ? kNames[i] : std::to_string(i + 1) + "th";
  return "the " + n + " argument";
}

std::string Describe(const json::Value& v) {
  std::string s = json::Serialize(v);
  if (s.size() > 100) s = s.substr(0, 100) + "...";
  return std::string(json::TypeName(v)) + " " + s;
}

size_t CountChars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

Result<std::string_view> StringArg(const Intrinsic& call, const Args& args, size_t i) {
  if (!args[i].is_string()) {
    return Failure(call, Nth(i) + " must be a string, not " + Describe(args[i]));
  }
  return std::string_view(args[i].get_string());
}

Result<const json::Array*> ArrayArg(const Intrinsic& call, const Args& args, size_t i) {
  if (!args[i].is_array()) {
    return Failure(call, Nth(i) + " must be an array, not " + Describe(args[i]));
  }
  return &args[i].get_array();
}

// An integer argument; a number with a fraction is rounded to the nearest integer, as AWS does.
Result<int64_t> IntegerArg(const Intrinsic& call, const Args& args, size_t i) {
  const json::Value& v = args[i];
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) < 9e15) {
    return static_cast<int64_t>(std::llround(v.get_double()));
  }
  return Failure(call, Nth(i) + " must be an integer, not " + Describe(v));
}

Result<json::Value> Format(const Intrinsic& call, const Args& args) {
  std::vector<std::string> pieces;
  const IntrinsicArg& tmpl = call.args[0];
  if (tmpl.kind == IntrinsicArg::Kind::kLiteral && tmpl.is_string_literal) {
    pieces = tmpl.format;
  } else {
    Result<std::string_view> s = StringArg(call, args, 0);
    if (!s.ok()) return s.take_error();
    std::string_view text = *s;
    size_t from = 0;
    while (true) {
      size_t at = text.find("{}", from);
      if (at == std::string_view::npos) break;
      pieces.emplace_back(text.substr(from, at - from));
      from = at + 2;
    }
    pieces.emplace_back(text.substr(from));
  }
  if (pieces.size() != args.size()) {
    return Failure(call, "the format string has " + std::to_string(pieces.size() - 1) +
                             " placeholder(s) '{}' but " + std::to_string(args.size() - 1) +
                             " value(s) follow it");
  }
  std::string out = pieces[0];
  for (size_t i = 1; i < args.size(); ++i) {
    const json::Value& v = args[i];
    out += v.is_string() ? std::string(v.get_string()) : json::Serialize(v);
    out += pieces[i];
  }
  return json::Value(out);
}

Result<json::Value> StringToJson(const Intrinsic& call, const Args& args) {
  Result<std::string_view> s = StringArg(call, args, 0);
  if (!s.ok()) return s.take_error();
  Result<json::Value> v = json::Parse(*s);
  if (!v.ok()) return Failure(call, "the string is not valid JSON: " + v.error().cause);
  return v;
}

Result<json::Value> ArrayPartition(const Intrinsic& call, const Args& args) {
  Result<const json::Array*> a = ArrayArg(call, args, 0);
  if (!a.ok()) return a.take_error();
  Result<int64_t> size = IntegerArg(call, args, 1);
  if (!size.ok()) return size.take_error();
  if (*size <= 0) {
    return Failure(call, "the chunk size must be a positive integer, not " + std::to_string(*size));
  }
  json::Array out;
  const json::Array& items = **a;
  for (size_t i = 0; i < items.size(); i += static_cast<size_t>(*size)) {
    json::Array chunk;
    for (size_t j = i; j < items.size() && j < i + static_cast<size_t>(*size); ++j) {
      chunk.push_back(items[j]);
    }
    out.push_back(json::Value(std::move(chunk)));
  }
  return json::Value(std::move(out));
}

Result<json::Value> ArrayRange(const Intrinsic& call, const Args& args) {
  int64_t v[3];
  for (size_t i = 0; i < 3; ++i) {
    Result<int64_t> n = IntegerArg(call, args, i);
    if (!n.ok()) return n.take_error();
    v[i] = *n;
  }
  const int64_t start = v[0], end = v[1], step = v[2];
  if (step == 0) return Failure(call, "the step (the third argument) must not be 0");
  json::Array out;
  int64_t span = 0;
  if (__builtin_sub_overflow(end, start, &span)) {
    return Failure(
        call, "the range would have more than " + std::to_string(kMaxArrayRangeItems) + " items");
  }
  if ((span >= 0) == (step > 0) || span == 0) {
    const int64_t count = span / step + 1;
    if (count > kMaxArrayRangeItems) {
      return Failure(call, "the range would have " + std::to_string(count) + " items; at most " +
                               std::to_string(kMaxArrayRangeItems) + " are allowed");
    }
    for (int64_t i = 0; i < count; ++i) out.push_back(start + i * step);
  }
  return json::Value(std::move(out));
}

Result<json::Value> ArrayGetItem(const Intrinsic& call, const Args& args) {
  Result<const json::Array*> a = ArrayArg(call, args, 0);
  if (!a.ok()) return a.take_error();
  Result<int64_t> index = IntegerArg(call, args, 1);
  if (!index.ok()) return index.take_error();
  if (*index < 0 || static_cast<uint64_t>(*index) >= (*a)->size()) {
    return Failure(call, "the index " + std::to_string(*index) +
                             " is out of bounds of an array of " + std::to_string((*a)->size()) +
                             " item(s)");
  }
  return (**a)[static_cast<size_t>(*index)];
}

Result<json::Value> ArrayUnique(const Intrinsic& call, const Args& args) {
  Result<const json::Array*> a = ArrayArg(call, args, 0);
  if (!a.ok()) return a.take_error();
  json::Array out;
  for (const json::Value& item : **a) {
    bool seen = false;
    for (const json::Value& kept : out) seen = seen || kept == item;
    if (!seen) out.push_back(item);
  }
  return json::Value(std::move(out));
}

constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Result<std::string_view> LimitedString(const Intrinsic& call, const Args& args, size_t i) {
  Result<std::string_view> s = StringArg(call, args, i);
  if (!s.ok()) return s;
  if (CountChars(*s) > kMaxIntrinsicStringChars) {
    return Failure(call, Nth(i) + " has " + std::to_string(CountChars(*s)) +
                             " characters; at most " + std::to_string(kMaxIntrinsicStringChars) +
                             " are allowed");
  }
  return s;
}

Result<json::Value> Base64Encode(const Intrinsic& call, const Args& args) {
  Result<std::string_view> s = LimitedString(call, args, 0);
  if (!s.ok()) return s.take_error();
  std::string out;
  const std::string_view in = *s;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Chars[(acc >> bits) & 0x3F];
    }
  }
  if (bits > 0) out += kBase64Chars[(acc << (6 - bits)) & 0x3F];
  while (out.size() % 4 != 0) out += '=';
  return json::Value(out);
}

Result<json::Value> Base64Decode(const Intrinsic& call, const Args& args) {
  Result<std::string_view> s = LimitedString(call, args, 0);
  if (!s.ok()) return s.take_error();
  std::string_view in = *s;
  const Error invalid = Failure(call, "the string is not valid base64");
  if (in.size() % 4 != 0) return invalid;
  size_t padding = 0;
  while (padding < 2 && padding < in.size() && in[in.size() - 1 - padding] == '=') ++padding;
  in.remove_suffix(padding);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    size_t v = kBase64Chars.find(c);
    if (v == std::string_view::npos) return invalid;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return json::Value(out);
}

Result<json::Value> Hash(const Intrinsic& call, const Args& args) {
  Result<std::string_view> data = LimitedString(call, args, 0);
  if (!data.ok()) return data.take_error();
  Result<std::string_view> algorithm = StringArg(call, args, 1);
  if (!algorithm.ok()) return algorithm.take_error();
  const EVP_MD* md = nullptr;
  if (*algorithm == "MD5") {
    md = EVP_md5();
  } else if (*algorithm == "SHA-1") {
    md = EVP_sha1();
  } else if (*algorithm == "SHA-256") {
    md = EVP_sha256();
  } else if (*algorithm == "SHA-384") {
    md = EVP_sha384();
  } else if (*algorithm == "SHA-512") {
    md = EVP_sha512();
  } else {
    return Failure(call,
                   "the hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, "
                   "SHA-512, not '" +
                       std::string(*algorithm) + "'");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data->data(), data->size(), digest, &length, md, nullptr) != 1) {
    return Failure(call, "the hash could not be computed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return json::Value(out);
}

Result<json::Value> JsonMerge(const Intrinsic& call, const Args& args) {
  for (size_t i = 0; i < 2; ++i) {
    if (!args[i].is_object()) {
      return Failure(call, Nth(i) + " must be an object, not " + Describe(args[i]));
    }
  }
  if (!args[2].is_bool()) {
    return Failure(call, "the third argument must be the boolean false, not " + Describe(args[2]));
  }
  if (args[2].get_bool()) {
    return Failure(call, "deep merging (true) is not supported; the third argument must be false");
  }
  json::Object out = args[0].get_object();
  for (const auto& [key, value] : args[1].get_object()) out.insert_or_assign(key, value);
  return json::Value(std::move(out));
}

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

Result<json::Value> MathRandom(const Intrinsic& call, const Args& args) {
  Result<int64_t> start = IntegerArg(call, args, 0);
  if (!start.ok()) return start.take_error();
  Result<int64_t> end = IntegerArg(call, args, 1);
  if (!end.ok()) return end.take_error();
  if (*start >= *end) {
    return Failure(call, "the start (" + std::to_string(*start) + ") must be less than the end (" +
                             std::to_string(*end) + ")");
  }
  std::uniform_int_distribution<int64_t> dist(*start, *end - 1);
  if (args.size() == 3) {
    Result<int64_t> seed = IntegerArg(call, args, 2);
    if (!seed.ok()) return seed.take_error();
    std::mt19937_64 seeded(static_cast<uint64_t>(*seed));
    return json::Value(dist(seeded));
  }
  return json::Value(dist(ThreadRandom()));
}

Result<json::Value> MathAdd(const Intrinsic& call, const Args& args) {
  int64_t sum = 0;
  for (size_t i = 0; i < 2; ++i) {
    Result<int64_t> n = IntegerArg(call, args, i);
    if (!n.ok()) return n.take_error();
    if (*n < INT32_MIN || *n > INT32_MAX) {
      return Failure(
          call, Nth(i) + " must be between -2147483648 and 2147483647, not " + std::to_string(*n));
    }
    sum += *n;
  }
  return json::Value(sum);
}

Result<json::Value> StringSplit(const Intrinsic& call, const Args& args) {
  Result<std::string_view> s = StringArg(call, args, 0);
  if (!s.ok()) return s.take_error();
  Result<std::string_view> delimiters = StringArg(call, args, 1);
  if (!delimiters.ok()) return delimiters.take_error();
  // Every character of the second argument separates; empty pieces are dropped.
  json::Array out;
  std::string_view text = *s;
  size_t from = 0;
  while (from <= text.size()) {
    size_t at =
        delimiters->empty() ? std::string_view::npos : text.find_first_of(*delimiters, from);
    if (at == std::string_view::npos) at = text.size();
    if (at > from) out.emplace_back(text.substr(from, at - from));
    from = at + 1;
  }
  return json::Value(std::move(out));
}

Result<json::Value> Uuid() {
  std::mt19937_64& rng = ThreadRandom();
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                  // version 4
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    out += kHex[(word >> shift) & 0xF];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return json::Value(out);
}

}  // namespace

Result<json::Value> EvaluateIntrinsic(const Intrinsic& call, const json::PathRoots& roots) {
  Args args;
  args.reserve(call.args.size());
  for (const IntrinsicArg& a : call.args) {
    switch (a.kind) {
      case IntrinsicArg::Kind::kLiteral:
        args.push_back(a.literal);
        break;
      case IntrinsicArg::Kind::kPath: {
        const json::Value* root = roots.For(*a.path);
        if (root == nullptr) {
          return UnassignedVariableError(*a.path, "an argument of " + call.name);
        }
        std::optional<json::Value> v = a.path->Select(*root);
        if (!v) {
          return Error{"States.Runtime", "The JSONPath '" + a.path->text() +
                                             "' specified as an argument of " + call.name +
                                             " could not be found in the input '" +
                                             json::Serialize(roots.input) + "'"};
        }
        args.push_back(std::move(*v));
        break;
      }
      case IntrinsicArg::Kind::kCall: {
        Result<json::Value> v = EvaluateIntrinsic(a.call[0], roots);
        if (!v.ok()) return v.take_error();
        args.push_back(std::move(v).value());
        break;
      }
    }
  }
  switch (call.function) {
    case IntrinsicFunction::kFormat:
      return Format(call, args);
    case IntrinsicFunction::kStringToJson:
      return StringToJson(call, args);
    case IntrinsicFunction::kJsonToString:
      return json::Value(json::Serialize(args[0]));
    case IntrinsicFunction::kArray:
      return json::Value(json::Array(args.begin(), args.end()));
    case IntrinsicFunction::kArrayPartition:
      return ArrayPartition(call, args);
    case IntrinsicFunction::kArrayContains: {
      Result<const json::Array*> a = ArrayArg(call, args, 0);
      if (!a.ok()) return a.take_error();
      for (const json::Value& item : **a) {
        if (item == args[1]) return json::Value(true);
      }
      return json::Value(false);
    }
    case IntrinsicFunction::kArrayRange:
      return ArrayRange(call, args);
    case IntrinsicFunction::kArrayGetItem:
      return ArrayGetItem(call, args);
    case IntrinsicFunction::kArrayLength: {
      Result<const json::Array*> a = ArrayArg(call, args, 0);
      if (!a.ok()) return a.take_error();
      return json::Value(static_cast<int64_t>((*a)->size()));
    }
    case IntrinsicFunction::kArrayUnique:
      return ArrayUnique(call, args);
    case IntrinsicFunction::kBase64Encode:
      return Base64Encode(call, args);
    case IntrinsicFunction::kBase64Decode:
      return Base64Decode(call, args);
    case IntrinsicFunction::kHash:
      return Hash(call, args);
    case IntrinsicFunction::kJsonMerge:
      return JsonMerge(call, args);
    case IntrinsicFunction::kMathRandom:
      return MathRandom(call, args);
    case IntrinsicFunction::kMathAdd:
      return MathAdd(call, args);
    case IntrinsicFunction::kStringSplit:
      return StringSplit(call, args);
    case IntrinsicFunction::kUuid:
      return Uuid();
  }
  return Failure(call, "unknown function");
}

}  // namespace autoretrain::asl
