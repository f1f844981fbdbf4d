#include "jsonata/signature.h"

#include "jsonata/error.h"

namespace autoretrain::jsonata {
namespace {

size_t FindClosing(std::string_view s, size_t start, char open, char close) {
  int depth = 1;
  size_t p = start;
  while (p + 1 < s.size()) {
    ++p;
    if (s[p] == close) {
      if (--depth == 0) break;
    } else if (s[p] == open) {
      ++depth;
    }
  }
  return p;
}

// Matches params[pi..] against symbols[si..]; `full` requires consuming all symbols. Records
// the length each parameter consumed in `spans`. Greedy with backtracking, like a regex.
bool Match(const std::vector<SignatureParam>& params, size_t pi, std::string_view symbols,
           size_t si, bool full, std::vector<size_t>& spans, size_t* end) {
  if (pi == params.size()) {
    if (full && si != symbols.size()) return false;
    if (end) *end = si;
    return true;
  }
  const SignatureParam& p = params[pi];
  auto accepts = [&](size_t i) {
    return i < symbols.size() && p.symbols.find(symbols[i]) != std::string::npos;
  };
  size_t max = 0;
  if (p.quantifier == '+') {
    while (accepts(si + max)) ++max;
  } else {
    max = accepts(si) ? 1 : 0;
  }
  size_t min = p.quantifier == '?' ? 0 : 1;
  for (size_t n = max + 1; n-- > min;) {
    spans[pi] = n;
    if (Match(params, pi + 1, symbols, si + n, full, spans, end)) return true;
    if (n == 0) break;
  }
  return false;
}

}  // namespace

char TypeSymbol(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kFunction:
      return 'f';
    case Value::Kind::kString:
      return 's';
    case Value::Kind::kNumber:
      return 'n';
    case Value::Kind::kBool:
      return 'b';
    case Value::Kind::kNull:
      return 'l';
    case Value::Kind::kArray:
      return 'a';
    case Value::Kind::kObject:
      return 'o';
    case Value::Kind::kUndefined:
      return 'm';
  }
  return 'm';
}

std::shared_ptr<const Signature> ParseSignature(std::string_view text, int position) {
  auto sig = std::make_shared<Signature>();
  sig->text = std::string(text);
  SignatureParam param;
  SignatureParam* prev = nullptr;
  auto next = [&] {
    sig->params.push_back(param);
    param = SignatureParam();
    prev = &sig->params.back();
  };
  for (size_t p = 1; p < text.size(); ++p) {
    char c = text[p];
    if (c == ':') break;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.symbols = std::string(1, c) + "m";
        param.type = c;
        next();
        break;
      case 'a':
        param.symbols = "asnblfom";
        param.type = 'a';
        next();
        break;
      case 'f':
        param.symbols = "f";
        param.type = 'f';
        next();
        break;
      case 'j':
        param.symbols = "asnblom";
        param.type = 'j';
        next();
        break;
      case 'x':
        param.symbols = "asnblfom";
        param.type = 'x';
        next();
        break;
      case '-':
        if (prev) {
          prev->context = true;
          prev->context_symbols = prev->symbols;
          prev->quantifier = '?';
        }
        break;
      case '?':
      case '+':
        if (prev) prev->quantifier = c;
        break;
      case '(': {
        size_t end = FindClosing(text, p, '(', ')');
        std::string choice(text.substr(p + 1, end - p - 1));
        if (choice.find('<') != std::string::npos) {
          Throw("S0402", position + static_cast<int>(p), choice);
        }
        param.symbols = choice + "m";
        param.type = '(';
        p = end;
        next();
        break;
      }
      case '<': {
        if (prev && (prev->type == 'a' || prev->type == 'f')) {
          size_t end = FindClosing(text, p, '<', '>');
          prev->subtype = std::string(text.substr(p + 1, end - p - 1));
          p = end;
        } else {
          Throw("S0401", position + static_cast<int>(p), prev ? std::string(1, prev->type) : "");
        }
        break;
      }
      default:
        break;
    }
  }
  return sig;
}

std::vector<Value> ValidateArguments(const Signature& signature, std::vector<Value> args,
                                     const Value& context, const std::string& function_name,
                                     int position) {
  const auto& params = signature.params;
  // The common call: one argument per parameter, each of a type it accepts, none of them an
  // `a` or `+` parameter, and any missing ones optional without a context default. The match
  // below would give each parameter its argument unchanged and the missing ones undefined.
  bool one_each = args.size() <= params.size();
  for (size_t i = 0; one_each && i < params.size(); ++i) {
    const SignatureParam& p = params[i];
    if (i < args.size()) {
      one_each = p.quantifier != '+' && p.type != 'a' &&
                 p.symbols.find(TypeSymbol(args[i])) != std::string::npos;
    } else {
      one_each = p.quantifier == '?' && !p.context;
    }
  }
  if (one_each) {
    args.resize(params.size());
    return args;
  }
  std::string symbols;
  symbols.reserve(args.size());
  for (const Value& a : args) symbols += TypeSymbol(a);
  std::vector<size_t> spans(params.size());
  if (!Match(params, 0, symbols, 0, true, spans, nullptr)) {
    // Find the first argument that no prefix of the signature accepts.
    size_t good_to = 0;
    for (size_t i = 0; i < params.size(); ++i) {
      std::vector<SignatureParam> partial(params.begin(), params.begin() + i + 1);
      std::vector<size_t> s(partial.size());
      size_t end = 0;
      if (!Match(partial, 0, symbols, 0, false, s, &end)) break;
      good_to = end;
    }
    Throw("T0410", position, function_name,
          "Argument " + std::to_string(good_to + 1) + " of function " + function_name +
              " does not match function signature");
  }
  std::vector<Value> out;
  out.reserve(params.size() + 1);
  size_t arg_index = 0;
  size_t sym_pos = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    const SignatureParam& p = params[i];
    size_t n = spans[i];
    if (n == 0) {
      if (p.context) {
        char t = TypeSymbol(context);
        if (p.context_symbols.find(t) != std::string::npos) {
          out.push_back(context);
        } else {
          Throw("T0411", position, function_name,
                "Context value is not a compatible type with argument " +
                    std::to_string(arg_index + 1) + " of function " + function_name);
        }
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Value());
        ++arg_index;
      }
      continue;
    }
    for (size_t k = 0; k < n; ++k) {
      // As jsonata-js: the symbol comes from the matched text, the value from the argument
      // index (which an empty optional match has already advanced).
      Value arg = arg_index < args.size() ? args[arg_index] : Value();
      char single = symbols[sym_pos + k];
      if (p.type == 'a') {
        if (single == 'm') {
          arg = Value();
        } else {
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' && std::string(1, single) != p.subtype) {
              ok = false;
            } else if (single == 'a' && arg.size() > 0) {
              char item_type = TypeSymbol(arg.at(0));
              if (item_type != p.subtype[0]) {
                ok = false;
              } else {
                for (size_t j = 0, m = arg.size(); j < m && ok; ++j) {
                  if (TypeSymbol(arg.at(j)) != item_type) ok = false;
                }
              }
            }
          }
          if (!ok) {
            Throw("T0412", position, function_name,
                  "Argument " + std::to_string(arg_index + 1) + " of function " + function_name +
                      " must be an array of the required type");
          }
          if (single != 'a') {
            auto a = std::make_shared<ArrayData>();
            a->items.push_back(arg);
            arg = Value::Array(std::move(a));
          }
        }
      }
      out.push_back(std::move(arg));
      ++arg_index;
    }
    sym_pos += n;
  }
  return out;
}

}  // namespace autoretrain::jsonata
