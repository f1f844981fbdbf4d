// Fuzz target: project configuration (autoretrain.json, docs/project.md). The input is the
// file's text, validated against the starter project's folder (so that the definition files
// it names exist). A configuration is accepted or rejected as InvalidProjectConfig with one
// problem per line, each naming the file.
#include "autoretrain/retrain/project.h"
#include "fuzz_util.h"

namespace retrain = autoretrain::retrain;
using autoretrain::Result;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<retrain::ProjectConfig> config =
      retrain::ParseProjectConfig(autoretrain::fuzz::AsText(data, size), FUZZ_PROJECT_DIR);
  if (config.ok()) return 0;
  Check(config.error().error == "InvalidProjectConfig", "a bad file is InvalidProjectConfig");
  Check(config.error().cause.starts_with("autoretrain.json: "), "a problem names the file");
  return 0;
}
