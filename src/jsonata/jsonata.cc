#include "autoretrain/jsonata/jsonata.h"

#include <forward_list>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/name_path.h"
#include "jsonata/parser.h"

namespace autoretrain::jsonata {

struct Bindings::Entry {
  std::string name;
  json::Value value;
  NativeFunction function;
  std::shared_ptr<const Signature> signature;
};

void Bindings::SetValue(std::string name, json::Value value) {
  auto e = std::make_shared<Entry>();
  e->name = std::move(name);
  e->value = std::move(value);
  entries_.push_back(std::move(e));
}

Status Bindings::SetFunction(std::string name, NativeFunction function,
                             std::string_view signature) {
  auto e = std::make_shared<Entry>();
  e->name = std::move(name);
  e->function = std::move(function);
  if (!signature.empty()) {
    try {
      e->signature = ParseSignature(signature, 0);
    } catch (const JsonataError& err) {
      return Error{err.code, "Invalid signature " + std::string(signature) + " for $" + e->name +
                                 ": " + err.message};
    }
  }
  entries_.push_back(std::move(e));
  return OkStatus();
}

namespace {

Error ToError(const JsonataError& e, ErrorDetails* details) {
  if (details) *details = ErrorDetails{e.code, e.position, e.token, e.message};
  std::string cause = e.message.empty() ? StandardMessage(e.code, e.token) : e.message;
  if (e.position >= 0 || !e.token.empty()) {
    cause += " (";
    if (e.position >= 0) cause += "at position " + std::to_string(e.position);
    if (!e.token.empty()) {
      if (e.position >= 0) cause += ", ";
      cause += "token '" + e.token + "'";
    }
    cause += ")";
  }
  return Error{e.code, cause};
}

}  // namespace

Result<Expression> Compile(std::string_view text, ErrorDetails* details) {
  try {
    Expression e;
    e.tree_ = ParseExpression(text);
    return e;
  } catch (const JsonataError& err) {
    return ToError(err, details);
  } catch (const std::exception& err) {
    return ToError(JsonataError{"S0500", -1, "", std::string("Cannot compile: ") + err.what()},
                   details);
  }
}

Result<std::optional<json::Value>> Expression::Evaluate(const json::Value* input,
                                                        const Bindings& bindings,
                                                        const EvaluateOptions& options,
                                                        ErrorDetails* details) const {
  Limits limits;
  limits.max_depth = options.max_depth > 0 ? options.max_depth : kDefaultMaxDepth;
  if (options.time_limit.count() > 0) {
    limits.deadline = std::chrono::steady_clock::now() + options.time_limit;
  }
  try {
    // A name path is walked without the evaluator (in time linear in the input it reads, so
    // without watching the time limit).
    if (tree_->name_path && input && limits.max_depth >= kNamePathDepth) {
      std::optional<json::Value> result;
      if (EvaluateNamePath(*tree_, *input, result)) return result;
    }
    Evaluator ev(limits, options.now_millis);
    // Results of host functions live here while the evaluation points into them.
    std::forward_list<json::Value> owned;
    FramePtr root = ev.NewFrame(nullptr);
    root->vars.reserve(bindings.entries().size() + 1);
    for (const auto& entry : bindings.entries()) {
      if (entry->function) {
        auto f = std::make_shared<FunctionData>();
        f->kind = FunctionData::Kind::kHost;
        f->signature = entry->signature;
        f->arity = entry->signature ? static_cast<int>(entry->signature->params.size()) : 1;
        const Bindings::Entry* e = entry.get();
        f->host = [e, &owned](Evaluator&, std::vector<Value>& args) -> Value {
          std::vector<std::optional<json::Value>> json_args;
          json_args.reserve(args.size());
          for (const Value& a : args) {
            if (a.undefined()) {
              json_args.emplace_back();
            } else {
              json_args.emplace_back(ToJson(a));
            }
          }
          Result<std::optional<json::Value>> r = e->function(json_args);
          if (!r.ok()) {
            const Error& err = r.error();
            Throw(err.error, -1, e->name, err.cause);
          }
          if (!r->has_value()) return Value();
          owned.push_front(std::move(**r));
          return Value::FromJson(&owned.front());
        };
        root->Bind(entry->name, Value::Function(std::move(f)));
      } else {
        root->Bind(entry->name, Value::FromJson(&entry->value));
      }
    }
    Value in = input ? Value::FromJson(input) : Value();
    root->Bind("$", in);
    if (in.is_array()) {
      auto seq = SequenceOf(in);
      seq->outer_wrapper = true;
      in = Value::Array(std::move(seq));
    }
    Value result = ev.Eval(tree_.get(), in, root);
    if (result.undefined()) return std::optional<json::Value>();
    if (result.is_number() && !std::isfinite(result.number())) {
      Throw("D1001", -1, "", "Number out of range: " + NumberToString(result.number()));
    }
    return std::optional<json::Value>(ToJson(result));
  } catch (const JsonataError& err) {
    return ToError(err, details);
  } catch (const std::bad_alloc&) {
    return ToError(JsonataError{"U1002", -1, "", "Out of memory while evaluating the expression"},
                   details);
  } catch (const std::exception& err) {
    return ToError(JsonataError{"U1003", -1, "",
                                std::string("Internal error while evaluating: ") + err.what()},
                   details);
  }
}

}  // namespace autoretrain::jsonata
