// Validation of execution names as AWS StartExecution applies it.
//
// Thread-safety: a pure function.
#ifndef AUTORETRAIN_INTEGRATIONS_EXECUTION_NAME_H_
#define AUTORETRAIN_INTEGRATIONS_EXECUTION_NAME_H_

#include <optional>
#include <string>
#include <string_view>

namespace autoretrain::integrations {

// What is wrong with `name` as an execution name, or nullopt when it is valid. AWS's rules:
// 1 to 80 characters; no whitespace; none of < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /;
// no control characters (U+0000-U+001F, U+007F-U+009F); valid UTF-8.
std::optional<std::string> ExecutionNameProblem(std::string_view name);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_EXECUTION_NAME_H_
