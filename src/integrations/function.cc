#include "autoretrain/integrations/function.h"

namespace autoretrain::integrations {

Error FunctionError(std::string_view error_type, std::string_view error_message) {
  json::Object cause;
  cause["errorMessage"] = error_message;
  cause["errorType"] = error_type;
  cause["stackTrace"] = json::Array{};
  return Error{std::string(error_type), json::Serialize(cause)};
}

void FunctionRegistry::Register(std::string name, std::unique_ptr<Function> function) {
  functions_[std::move(name)] = std::move(function);
}

namespace {

// Drops a ":QUALIFIER" ($LATEST, a version or an alias) after a function name. Lambda function
// names never contain ':', so the first colon starts the qualifier.
std::string_view StripQualifier(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(0, colon);
}

// The bare function name inside any FunctionName form Lambda accepts, or the input unchanged
// when it is none of the ARN forms.
std::string_view FunctionNameOf(std::string_view name_or_arn) {
  constexpr std::string_view kFunction = "function:";
  if (name_or_arn.starts_with("arn:")) {
    // arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    std::optional<ParsedArn> arn = ParseArn(name_or_arn);
    if (!arn || arn->service != "lambda" ||
        !std::string_view(arn->resource).starts_with(kFunction)) {
      return {};
    }
    size_t offset = name_or_arn.size() - arn->resource.size() + kFunction.size();
    return StripQualifier(name_or_arn.substr(offset));
  }
  // ACCOUNT:function:NAME[:QUALIFIER]
  size_t colon = name_or_arn.find(':');
  if (colon != std::string_view::npos && name_or_arn.substr(colon + 1).starts_with(kFunction)) {
    return StripQualifier(name_or_arn.substr(colon + 1 + kFunction.size()));
  }
  return StripQualifier(name_or_arn);
}

}  // namespace

Function* FunctionRegistry::Find(std::string_view name_or_arn) const {
  std::string_view name = FunctionNameOf(name_or_arn);
  if (name.empty()) return nullptr;
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second.get();
}

}  // namespace autoretrain::integrations
