// The S3 task integrations of the AWS SDK family, run against the project's ObjectStore (the
// local directory or S3): arn:aws:states:::aws-sdk:s3:getObject, :putObject, :headObject and
// :listObjectsV2, with AWS's PascalCase parameters and results shaped as the SDK's responses
// (Body as a string). Errors are named as Step Functions names AWS SDK errors:
// S3.NoSuchKeyException, S3.NoSuchBucketException, S3.S3Exception (with the S3 error code and
// HTTP status in the cause) and, for failures to reach the store, the transport error itself
// (HttpTimeout, HttpConnectionRefused, ...). See docs/aws.md.
//
// Thread-safety: as thread-safe as the ObjectStore (all backends allow concurrent calls).
#ifndef AUTORETRAIN_INTEGRATIONS_S3_TASKS_H_
#define AUTORETRAIN_INTEGRATIONS_S3_TASKS_H_

#include <string_view>

#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/object_store.h"

namespace autoretrain::integrations {

// The largest object getObject returns: Step Functions' payload limit (256 KiB).
inline constexpr size_t kS3TaskMaxBodyBytes = 256 * 1024;

// Whether `resource` is an S3 AWS SDK integration ("arn:aws:states:::aws-sdk:s3:...").
bool IsS3TaskResource(std::string_view resource);

// Runs the S3 API call `api` ("getObject", "putObject", "headObject", "listObjectsV2") with
// the task's Parameters on `store` (null: no object store, which fails with States.Runtime).
// On success returns the SDK-shaped response; fails with the errors above, or States.Runtime
// for missing or mistyped parameters and an unsupported API or integration pattern.
Result<json::Value> InvokeS3Task(ObjectStore* store, const engine::TaskRequest& request);

// The task error for an ObjectStore error (see above).
Error S3TaskError(const Error& store_error);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_S3_TASKS_H_
