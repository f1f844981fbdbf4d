#include "jsonata/builtins.h"

#include <unordered_map>

namespace autoretrain::jsonata {
namespace {

struct Registry {
  std::vector<Builtin> functions;
  std::unordered_map<std::string_view, const Builtin*> by_name;

  Registry() {
    RegisterStringFunctions(functions);
    RegisterNumericFunctions(functions);
    RegisterCollectionFunctions(functions);
    RegisterHigherOrderFunctions(functions);
    RegisterPictureFunctions(functions);
    for (Builtin& b : functions) {
      b.signature = ParseSignature(b.signature_text, 0);
      auto f = std::make_shared<FunctionData>();
      f->kind = FunctionData::Kind::kBuiltin;
      f->builtin = &b;
      f->arity = b.arity;
      b.value = Value::Function(std::move(f));
      by_name[b.name] = &b;
    }
  }
};

const Registry& GetRegistry() {
  static const Registry* registry = new Registry();
  return *registry;
}

}  // namespace

const Builtin* FindBuiltin(std::string_view name) {
  const Registry& r = GetRegistry();
  auto it = r.by_name.find(name);
  return it == r.by_name.end() ? nullptr : it->second;
}

}  // namespace autoretrain::jsonata
