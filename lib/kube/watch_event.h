#pragma once
// The events of a Kubernetes watch (`GET ...?watch=1`), one JSON object per line: ADDED,
// MODIFIED, DELETED with the object, BOOKMARK with only a resourceVersion, ERROR with a Status
// (410 Expired: the resourceVersion is too old, list again). Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace cxtm::kube {

struct WatchEvent {
  enum class Type { added, modified, deleted, bookmark, error };
  Type type = Type::added;
  Json object;

  // The object's metadata.resourceVersion ("" when it has none).
  std::string resource_version() const;
  // For an ERROR event: the Status code (410 for Expired); 0 otherwise.
  int error_code() const;
};

// One line of a watch; nullopt when it is not an event (blank, not JSON, an unknown type).
std::optional<WatchEvent> parse_watch_event(std::string_view line);

// Splits a byte stream into lines as chunks arrive: complete lines out, the rest kept.
class LineBuffer {
 public:
  // The lines chunk completes, without their '\n'.
  std::vector<std::string> append(std::string_view chunk);

 private:
  std::string partial_;
};

// Whether labels (an object of strings, or null) satisfy an equality selector ("a=b,c==d");
// nullopt when the selector uses anything else (!=, in, notin, exists), which only the API
// server evaluates here.
std::optional<bool> matches_equality_selector(std::string_view selector, const Json& labels);

}  // namespace cxtm::kube
