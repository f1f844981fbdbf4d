#include "engine/jsonata_io.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/variables.h"

namespace autoretrain::engine {

namespace {

using Args = std::vector<std::optional<json::Value>>;
using FnResult = Result<std::optional<json::Value>>;

// The error code Step Functions functions report through JSONata (wrapped afterwards into
// States.QueryEvaluationError by asl::JsonataTemplate).
constexpr char kQueryEvaluationErrorCode[] = "States.QueryEvaluationError";

Error FunctionError(const std::string& function, const std::string& message) {
  return Error{kQueryEvaluationErrorCode, "$" + function + ": " + message};
}

std::optional<int64_t> Integral(const std::optional<json::Value>& v) {
  if (!v || !v->is_number()) return std::nullopt;
  const double d = json::AsDouble(*v);
  if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15) return std::nullopt;
  return static_cast<int64_t>(d);
}

// $partition(array, size): the array cut into arrays of `size` items (the last may be shorter).
FnResult Partition(const Args& args) {
  if (args.size() != 2 || !args[0] || !args[0]->is_array()) {
    return FunctionError("partition", "the first argument must be an array");
  }
  std::optional<int64_t> size = Integral(args[1]);
  if (!size || *size <= 0) {
    return FunctionError("partition", "the second argument must be a positive integer");
  }
  json::Array out;
  json::Array chunk;
  for (const json::Value& item : args[0]->get_array()) {
    chunk.push_back(item);
    if (static_cast<int64_t>(chunk.size()) == *size) out.push_back(std::exchange(chunk, {}));
  }
  if (!chunk.empty()) out.push_back(std::move(chunk));
  return std::optional<json::Value>(json::Value(std::move(out)));
}

// $range(start, end, step): start, start+step, ... up to and including end.
FnResult Range(const Args& args) {
  if (args.size() != 3 || !args[0] || !args[1] || !args[2] || !args[0]->is_number() ||
      !args[1]->is_number() || !args[2]->is_number()) {
    return FunctionError("range", "start, end and step must be numbers");
  }
  const double start = json::AsDouble(*args[0]);
  const double end = json::AsDouble(*args[1]);
  const double step = json::AsDouble(*args[2]);
  if (step == 0 || !std::isfinite(step)) {
    return FunctionError("range", "the step must be a non-zero number");
  }
  constexpr double kMaxItems = 1000000;
  const double count = std::floor((end - start) / step) + 1;
  if (count > kMaxItems) {
    return FunctionError("range", "the range would have more than 1000000 items");
  }
  json::Array out;
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) {
    const double v = start + static_cast<double>(i) * step;
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
      out.push_back(json::Value(static_cast<int64_t>(v)));
    } else {
      out.push_back(json::Value(v));
    }
  }
  return std::optional<json::Value>(json::Value(std::move(out)));
}

// $hash(data, algorithm): the hex digest of the string (other values: their JSON text).
FnResult Hash(const Args& args) {
  if (args.size() != 2 || !args[0] || !args[1] || !args[1]->is_string()) {
    return FunctionError("hash", "expects the data and an algorithm name");
  }
  const std::string algorithm(args[1]->get_string());
  const EVP_MD* md = algorithm == "MD5"       ? EVP_md5()
                     : algorithm == "SHA-1"   ? EVP_sha1()
                     : algorithm == "SHA-256" ? EVP_sha256()
                     : algorithm == "SHA-384" ? EVP_sha384()
                     : algorithm == "SHA-512" ? EVP_sha512()
                                              : nullptr;
  if (md == nullptr) {
    return FunctionError("hash", "unsupported algorithm '" + algorithm +
                                     "'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512");
  }
  const std::string data =
      args[0]->is_string() ? std::string(args[0]->get_string()) : json::Serialize(*args[0]);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) {
    return FunctionError("hash", "the digest could not be computed");
  }
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", digest[i]);
    hex += buf;
  }
  return std::optional<json::Value>(json::Value(hex));
}

// $random([seed]): a number in [0, 1); the same seed gives the same number.
FnResult Random(const Args& args) {
  std::mt19937_64 engine;
  if (!args.empty() && args[0]) {
    std::optional<int64_t> seed = Integral(args[0]);
    if (!seed) return FunctionError("random", "the seed must be an integer");
    engine.seed(static_cast<uint64_t>(*seed));
  } else {
    std::random_device device;
    engine.seed((static_cast<uint64_t>(device()) << 32) ^ device());
  }
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  return std::optional<json::Value>(json::Value(dist(engine)));
}

// $uuid(): a random version 4 UUID.
FnResult Uuid(const Args&) {
  std::random_device device;
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    const uint32_t r = device();
    for (int j = 0; j < 4; ++j) b[i + j] = static_cast<unsigned char>(r >> (8 * j));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string out;
  char buf[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::snprintf(buf, sizeof(buf), "%02x", b[i]);
    out += buf;
  }
  return std::optional<json::Value>(json::Value(out));
}

// $parse(text): the JSON value `text` holds.
FnResult Parse(const Args& args) {
  if (args.size() != 1 || !args[0] || !args[0]->is_string()) {
    return FunctionError("parse", "the argument must be a string holding JSON");
  }
  Result<json::Value> v = json::Parse(std::string(args[0]->get_string()));
  if (!v.ok()) return FunctionError("parse", "the string is not valid JSON: " + v.error().cause);
  return std::optional<json::Value>(std::move(v).value());
}

// Step Functions removes $eval (use $parse).
FnResult Eval(const Args&) {
  return FunctionError("eval", "$eval is not available in Step Functions; use $parse");
}

jsonata::Bindings BuildFunctions() {
  jsonata::Bindings b;
  (void)b.SetFunction("partition", Partition);
  (void)b.SetFunction("range", Range);
  (void)b.SetFunction("hash", Hash);
  (void)b.SetFunction("random", Random);
  (void)b.SetFunction("uuid", Uuid);
  (void)b.SetFunction("parse", Parse);
  (void)b.SetFunction("eval", Eval);
  return b;
}

}  // namespace

const jsonata::Bindings& StepFunctionsFunctions() {
  static const jsonata::Bindings* functions = new jsonata::Bindings(BuildFunctions());
  return *functions;
}

jsonata::Bindings StatesBindings(ContextObject& context, const json::Value& input,
                                 const json::Value* result, const json::Value* error_output) {
  jsonata::Bindings b = StepFunctionsFunctions();
  if (const Variables* variables = context.variables()) {
    json::Object visible;
    variables->CollectVisible(&visible);
    for (auto& [name, value] : visible) b.SetValue(std::string(name), std::move(value));
  }
  json::Object states;
  states["input"] = input;
  states["context"] = context.Get();
  if (result != nullptr) states["result"] = *result;
  if (error_output != nullptr) states["errorOutput"] = *error_output;
  b.SetValue("states", json::Value(std::move(states)));
  return b;
}

Result<json::Value> EvaluateOutput(const std::optional<asl::JsonataTemplate>& output,
                                   const jsonata::Bindings& bindings,
                                   const jsonata::EvaluateOptions& options,
                                   json::Value&& fallback) {
  if (!output) return std::move(fallback);
  return output->Evaluate(bindings, options);
}

Status EvaluateOutputInPlace(const std::optional<asl::JsonataTemplate>& output,
                             const jsonata::Bindings& bindings,
                             const jsonata::EvaluateOptions& options, json::Value& input) {
  if (!output) return OkStatus();
  Result<json::Value> value = output->Evaluate(bindings, options);
  if (!value.ok()) return value.take_error();
  input = std::move(value).value();
  return OkStatus();
}

Status EvaluateJsonataAssign(const std::optional<asl::JsonataTemplate>& assign,
                             const jsonata::Bindings& bindings,
                             const jsonata::EvaluateOptions& options,
                             std::optional<json::Object>* assigned) {
  assigned->reset();
  if (!assign) return OkStatus();
  Result<json::Value> values = assign->Evaluate(bindings, options);
  if (!values.ok()) return values.take_error();
  if (values->is_object()) *assigned = std::move(values->get_object());
  return OkStatus();
}

Result<int64_t> EvaluateSeconds(const asl::JsonataTemplate& tmpl, const jsonata::Bindings& bindings,
                                const jsonata::EvaluateOptions& options, const char* field,
                                int64_t min_value) {
  Result<json::Value> v = tmpl.Evaluate(bindings, options);
  if (!v.ok()) return v.take_error();
  std::optional<int64_t> n = Integral(std::optional<json::Value>(*v));
  if (!n || *n < min_value) {
    return Error{asl::kQueryEvaluationError,
                 std::string("The value of the field '") + field + "' must be " +
                     (min_value > 0 ? "a positive integer" : "a non-negative integer") +
                     ", but the JSONata expression gave " + json::Serialize(*v)};
  }
  return *n;
}

}  // namespace autoretrain::engine
