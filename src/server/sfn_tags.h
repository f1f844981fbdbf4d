// Reading and checking the tags of Step Functions requests (TagResource, and the "tags" of
// CreateStateMachine and CreateActivity) with AWS's constraints: a key of 1-128 characters, a
// value of 0-256, both of Unicode letters, digits, white space and _ . : / = + - @ only, keys
// not starting with the reserved "aws:", and at most 50 tags per resource.
//
// Thread-safety: pure functions.
#ifndef AUTORETRAIN_SERVER_SFN_TAGS_H_
#define AUTORETRAIN_SERVER_SFN_TAGS_H_

#include <string>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/store/store.h"
#include "server/request_reader.h"

namespace autoretrain::server {

// Reads the list member "tags" of {key, value} objects. A wrong JSON type or a broken constraint
// is recorded in `reader` (reported by its Finish); a missing member is a violation only when
// `required`. Returns the valid tags read (empty when absent).
std::vector<store::ResourceTag> ReadTags(RequestReader& reader, bool required);

// TooManyTags naming `resource` when `tags` hold more distinct keys than a resource may have;
// OK otherwise. For tags given when a resource is created.
Status CheckNewResourceTags(const std::string& resource,
                            const std::vector<store::ResourceTag>& tags);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_SFN_TAGS_H_
