// The --project option the commands that work on a project share.
//
// Thread-safety: call from the main thread only.
#ifndef AUTORETRAIN_CLI_PROJECT_OPTION_H_
#define AUTORETRAIN_CLI_PROJECT_OPTION_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

// Adds "--project DIR" (default: $AUTORETRAIN_PROJECT, else the current directory) to `cmd`,
// parsing into *project (which must outlive `cmd`).
inline CLI::Option* AddProjectOption(CLI::App* cmd, std::string* project) {
  return cmd
      ->add_option("--project", *project,
                   "Project directory (default: $AUTORETRAIN_PROJECT, else the current directory)")
      ->envname("AUTORETRAIN_PROJECT")
      ->type_name("DIR");
}

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_PROJECT_OPTION_H_
