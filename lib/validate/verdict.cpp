#include "validate/verdict.h"

#include "instrument/object_edit.h"

namespace cxtm::validate {

const Json* container_status(const Json& pod, std::string_view list, std::string_view name) {
  const Json& statuses = member(member(pod, "status"), list);
  const size_t at = instrument::find_named(statuses, name);
  return at == instrument::npos ? nullptr : &statuses[at];
}

}  // namespace cxtm::validate
