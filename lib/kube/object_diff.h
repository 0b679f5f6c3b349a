#pragma once
// What a change to an object would do, shown as a unified YAML diff without the fields the
// API server owns, and with Secret values masked.

#include <optional>
#include <string>

#include "core/json.h"

namespace cxtm::kube {

// The object without server-owned metadata (uid, resourceVersion, generation,
// creationTimestamp, managedFields, selfLink) and status. Secret data values become "***".
Json comparable(const Json& object);

// A unified diff ("--- live/<name>", "+++ proposed/<name>", @@ hunks) of the comparable YAML of
// before (nullopt: the object does not exist) and after; "" when they are equal.
std::string object_diff(const std::string& name, const std::optional<Json>& before,
                        const std::optional<Json>& after);

// Unified diff of two texts with three lines of context; "" when equal.
std::string unified_diff(const std::string& before_name, const std::string& after_name,
                         const std::string& before, const std::string& after);

}  // namespace cxtm::kube
