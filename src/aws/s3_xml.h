// The little XML S3 answers with: error documents (<Error><Code>...</Code>...</Error>) and
// ListObjectsV2 results (<ListBucketResult> with <Contents> entries). Not a general XML parser:
// it finds elements by name in documents S3 (or an S3-compatible store) produced, which have no
// attributes that matter, no CDATA and no nesting of an element inside one of the same name.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_AWS_S3_XML_H_
#define AUTORETRAIN_AWS_S3_XML_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace autoretrain::aws {

// The decoded text of the first element `name` in `xml` (<name>text</name>, or "" for
// <name/>), or nullopt when there is none. Entities (&amp; &lt; &gt; &quot; &apos; &#NN;
// &#xNN;) are decoded.
std::optional<std::string> XmlText(std::string_view xml, std::string_view name);

// The raw inner XML of every element `name` in `xml`, in document order.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view name);

// `text` with the five XML entities and numeric character references decoded.
std::string XmlDecode(std::string_view text);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_S3_XML_H_
