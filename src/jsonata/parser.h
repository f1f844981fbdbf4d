// The JSONata parser (internal): tokenizer, Pratt parser and the rewrite into the evaluated
// tree (paths, stages, ancestor slots, tail calls), following jsonata-js's grammar.
//
// Thread-safety: stateless; each call builds its own tree.
#ifndef AUTORETRAIN_JSONATA_PARSER_H_
#define AUTORETRAIN_JSONATA_PARSER_H_

#include <string_view>

#include "jsonata/ast.h"

namespace autoretrain::jsonata {

// Parses `text` into a tree ready for evaluation. On a syntax error throws JsonataError with
// an S0xxx code, the position and the token.
NodePtr ParseExpression(std::string_view text);

}  // namespace autoretrain::jsonata

#endif  // AUTORETRAIN_JSONATA_PARSER_H_
