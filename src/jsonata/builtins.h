// The standard function library registry (internal): FindBuiltin and the functions' C++
// implementations, grouped by theme in functions_*.cc.
//
// Thread-safety: the registry is built once (thread-safe static) and immutable afterwards.
#ifndef AUTORETRAIN_JSONATA_BUILTINS_H_
#define AUTORETRAIN_JSONATA_BUILTINS_H_

#include <vector>

#include "jsonata/evaluator.h"

namespace autoretrain::jsonata {

// Each functions_*.cc file appends its functions (name, signature, arity, implementation).
void RegisterStringFunctions(std::vector<Builtin>& out);
void RegisterNumericFunctions(std::vector<Builtin>& out);
void RegisterCollectionFunctions(std::vector<Builtin>& out);
void RegisterHigherOrderFunctions(std::vector<Builtin>& out);
void RegisterPictureFunctions(std::vector<Builtin>& out);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_BUILTINS_H_
