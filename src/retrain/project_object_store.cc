// The project's object store (autoretrain.json "object_store"): the local bucket directory or
// S3 through the aws layer. See docs/project.md, "Object store".
#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {

Result<std::unique_ptr<integrations::ObjectStore>> MakeProjectObjectStore(
    const ProjectConfig& config) {
  if (config.object_store.type == ObjectStoreConfig::Type::kLocal) {
    return integrations::MakeLocalObjectStore(config.buckets_dir);
  }
  aws::S3StoreOptions options;
  options.region = config.object_store.region;
  options.fallback_region = config.account.region;
  options.endpoint_url = config.object_store.endpoint_url;
  options.path_style = config.object_store.path_style;
  Result<std::unique_ptr<integrations::ObjectStore>> store =
      aws::MakeS3ObjectStore(options, std::make_shared<aws::SystemEnvironment>());
  if (!store.ok()) {
    const Error& error = store.error();
    return Error{error.error, "cannot set up the S3 object store of " + config.dir +
                                  "/autoretrain.json (object_store): " + error.cause};
  }
  return store;
}

void LocalRuntime::UseObjectStore(std::unique_ptr<integrations::ObjectStore> store) {
  // Register the decision function on the new store before the old one goes away.
  integrations::ObjectStore* previous = store_.release();
  store_ = std::move(store);
  router_.set_object_store(store_.get());
  AddFunction(std::string(kDecisionFunctionName), FunctionConfig{});
  delete previous;
}

}  // namespace autoretrain::retrain
