#include "jsonata/error.h"

#include <unordered_map>

namespace autoretrain::jsonata {

std::string StandardMessage(const std::string& code, const std::string& token) {
  static const std::unordered_map<std::string, std::string> kMessages = {
      {"S0101", "String literal must be terminated by a matching quote"},
      {"S0102", "Number out of range: {}"},
      {"S0103", "Unsupported escape sequence: \\{}"},
      {"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
      {"S0105", "Quoted property name must be terminated with a backquote (`)"},
      {"S0106", "Comment has no closing tag"},
      {"S0201", "Syntax error: {}"},
      {"S0202", "Expected {}"},
      {"S0203", "Expected {} before end of expression"},
      {"S0204", "Unknown operator: {}"},
      {"S0205", "Unexpected token: {}"},
      {"S0206", "Unknown expression type: {}"},
      {"S0207", "Unexpected end of expression"},
      {"S0208", "Parameter {} of function definition must be a variable name (start with $)"},
      {"S0209", "A predicate cannot follow a grouping expression in a step"},
      {"S0210", "Each step can only have one grouping expression"},
      {"S0211", "The symbol {} cannot be used as a unary operator"},
      {"S0212", "The left side of := must be a variable name (start with $)"},
      {"S0213", "The literal value {} cannot be used as a step within a path expression"},
      {"S0214", "The right side of {} must be a variable name (start with $)"},
      {"S0215", "A context variable binding must precede any predicates on a step"},
      {"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
      {"S0217", "The object representing the 'parent' cannot be derived from this expression"},
      {"S0301", "Empty regular expressions are not allowed"},
      {"S0302", "No terminating / in regular expression"},
      {"S0402", "Choice groups containing parameterized types are not supported"},
      {"S0401", "Type parameters can only be applied to functions and arrays"},
      {"S0500", "Attempted to evaluate an expression containing syntax error(s)"},
      {"T0410", "Argument {} of function does not match function signature"},
      {"T0411", "Context value is not a compatible type with argument {} of function"},
      {"T0412", "Argument {} of function must be an array of the required type"},
      {"D1001", "Number out of range: {}"},
      {"D1002", "Cannot negate a non-numeric value: {}"},
      {"T1003", "Key in object structure must evaluate to a string; got: {}"},
      {"D1004", "Regular expression matches zero length string"},
      {"T1005", "Attempted to invoke a non-function. Did you mean ${}?"},
      {"T1006", "Attempted to invoke a non-function"},
      {"T1007", "Attempted to partially apply a non-function. Did you mean ${}?"},
      {"T1008", "Attempted to partially apply a non-function"},
      {"D1009", "Multiple key definitions evaluate to same key: {}"},
      {"D1010", "Attempted to access the Javascript object prototype"},
      {"T1010",
       "The matcher function argument passed to function {} does not return the correct object "
       "structure"},
      {"T2001", "The left side of the {} operator must evaluate to a number"},
      {"T2002", "The right side of the {} operator must evaluate to a number"},
      {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
      {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
      {"D2005", "The left side of := must be a variable name (start with $)"},
      {"T2006", "The right side of the function application operator ~> must be a function"},
      {"T2007", "Type mismatch when comparing values {} in order-by clause"},
      {"T2008",
       "The expressions within an order-by clause must evaluate to numeric or string values"},
      {"T2009", "The values {} either side of operator must be of the same data type"},
      {"T2010",
       "The expressions either side of operator {} must evaluate to numeric or string values"},
      {"T2011", "The insert/update clause of the transform expression must evaluate to an object"},
      {"T2012",
       "The delete clause of the transform expression must evaluate to a string or array of "
       "strings"},
      {"T2013",
       "The transform expression clones the input object using the $clone() function.  This has "
       "been overridden in the current scope by a non-function."},
      {"D2014",
       "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  "
       "Attempted to allocate {}."},
      {"D3001", "Attempting to invoke string function on Infinity or NaN"},
      {"D3010", "Second argument of replace function cannot be an empty string"},
      {"D3011", "Fourth argument of replace function must evaluate to a positive number"},
      {"D3012", "Attempted to replace a matched string with a non-string value"},
      {"D3020", "Third argument of split function must evaluate to a positive number"},
      {"D3030", "Unable to cast value to a number: {}"},
      {"D3040", "Third argument of match function must evaluate to a positive number"},
      {"D3050",
       "The second argument of reduce function must be a function with at least two arguments"},
      {"D3060", "The sqrt function cannot be applied to a negative number: {}"},
      {"D3061",
       "The power function has resulted in a value that cannot be represented as a JSON number"},
      {"D3070",
       "The single argument form of the sort function can only be applied to an array of strings "
       "or an array of numbers.  Use the second argument to specify a comparison function"},
      {"D3080", "The picture string must only contain a maximum of two sub-pictures"},
      {"D3100", "The radix of the formatBase function must be between 2 and 36"},
      {"D3110", "Unable to parse ISO 8601 timestamp"},
      {"D3120", "Syntax error in expression passed to function eval: {}"},
      {"D3121", "Dynamic error evaluating the expression passed to function eval: {}"},
      {"D3137", "{}"},
      {"D3138",
       "The $single() function expected exactly 1 matching result.  Instead it matched more."},
      {"D3139",
       "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
      {"D3140", "Malformed URL passed to ${}(): {}"},
      {"D3141", "{}"},
      {"U1001",
       "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
       "tail-recursive."},
  };
  auto it = kMessages.find(code);
  if (it == kMessages.end()) return "";
  std::string text = it->second;
  size_t at = text.find("{}");
  if (at != std::string::npos) text.replace(at, 2, token);
  return text;
}

void Throw(const std::string& code, int position, std::string token, std::string message) {
  if (message.empty()) message = StandardMessage(code, token);
  throw JsonataError{code, position, std::move(token), std::move(message)};
}

}  // namespace autoretrain::jsonata
