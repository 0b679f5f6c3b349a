#include "kube/object_ref.h"

#include <fmt/core.h>

#include "core/text.h"

namespace cxtm::kube {

std::string ObjectRef::describe() const {
  return namespace_.empty() ? fmt::format("{} {}", kind, name)
                            : fmt::format("{} {}", kind, namespaced_name());
}

std::string ObjectRef::namespaced_name() const {
  return namespace_.empty() ? name : fmt::format("{}/{}", namespace_, name);
}

std::string ObjectRef::kind_name() const {
  return fmt::format("{}/{}", kind, name);
}

std::string ObjectRef::resource_name() const {
  const auto slash = api_version.find('/');
  return slash == std::string::npos
             ? short_name()
             : fmt::format("{}.{}/{}", to_lower(kind), api_version.substr(0, slash), name);
}

std::string ObjectRef::short_name() const {
  return fmt::format("{}/{}", to_lower(kind), name);
}

std::string ObjectRef::kubectl_name() const {
  const auto slash = api_version.find('/');
  return slash == std::string::npos
             ? short_name()
             : fmt::format("{}.{}.{}/{}", to_lower(kind), api_version.substr(slash + 1),
                           api_version.substr(0, slash), name);
}

ObjectRef ObjectRef::of(const Json& object) {
  const Json& metadata = object.at("metadata");
  return ObjectRef{.api_version = object.value("apiVersion", ""),
                   .kind = object.value("kind", ""),
                   .namespace_ = metadata.value("namespace", ""),
                   .name = metadata.value("name", "")};
}

}  // namespace cxtm::kube
