#include "autoretrain/aws/remote_selection.h"

namespace autoretrain::aws {

bool RemoteSelection::Matches(std::string_view name) const {
  if (all) return true;
  for (const std::string& pattern : patterns) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (name.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))) return true;
    } else if (pattern == name) {
      return true;
    }
  }
  return false;
}

bool RemoteSelection::MatchesAny(std::initializer_list<std::string_view> names) const {
  for (std::string_view name : names) {
    if (!name.empty() && Matches(name)) return true;
  }
  return false;
}

}  // namespace autoretrain::aws
