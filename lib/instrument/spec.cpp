#include "instrument/spec.h"

#include "core/digest.h"

namespace cxtm::instrument {
namespace {

// Part of what the hash covers besides the fields: raise it when the transform writes a
// different Deployment for the same spec, so that instrumented Deployments read as outdated
// and get upgraded instead of staying "current" with the old layout.
constexpr std::string_view kLayout = "cxtm-o11y.io/python-layout=2\n";

Json resources_json(const ResourceAmounts& amounts) {
  return Json{{"cpu", amounts.cpu}, {"memory", amounts.memory}};
}

Json folder_json(const ImageFolder& folder) {
  return Json{{"image", folder.image}, {"path", folder.path}};
}

}  // namespace

std::string_view to_string(PackageSource source) {
  switch (source) {
    case PackageSource::index:
      return "index";
    case PackageSource::wheelhouse:
      return "wheelhouse";
    case PackageSource::prebuilt:
      return "prebuilt";
  }
  return "index";
}

std::optional<std::string> image_folder_problem(std::string_view path) {
  if (!path.starts_with('/')) return "is not an absolute path";
  if (path.find_first_not_of('/') == std::string_view::npos) return "is the image's root";
  if (path.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") !=
      std::string_view::npos) {
    return "may only have letters, digits and '._-/'";
  }
  if (path.find("/../") != std::string_view::npos || path.ends_with("/..")) {
    return "contains '..'";
  }
  return std::nullopt;
}

std::string_view to_string(Injector injector) {
  return injector == Injector::operator_ ? "operator" : "init-container";
}

std::optional<Injector> parse_injector(std::string_view name) {
  for (Injector injector : {Injector::init_container, Injector::operator_}) {
    if (to_string(injector) == name) return injector;
  }
  return std::nullopt;
}

std::optional<PackageSource> parse_package_source(std::string_view name) {
  for (PackageSource source :
       {PackageSource::index, PackageSource::wheelhouse, PackageSource::prebuilt}) {
    if (to_string(source) == name) return source;
  }
  return std::nullopt;
}

Json InstrumentationSpec::to_json() const {
  if (injector == Injector::operator_) {
    // The Operator installs its own packages: the installer's settings change nothing.
    return Json{{"serviceName", service_name},           {"container", container},
                {"otlpEndpoint", otlp_endpoint},         {"environment", environment},
                {"serviceNamespace", service_namespace}, {"injector", to_string(injector)},
                {"operatorImage", operator_image}};
  }
  Json json{
      {"serviceName", service_name},
      {"container", container},
      {"otlpEndpoint", otlp_endpoint},
      {"environment", environment},
      {"serviceNamespace", service_namespace},
      {"packages", packages.to_json()},
      {"extras", extras},
      {"exclude", exclude},
      {"initImage", init_image},
      {"indexUrl", index_url},
      {"extraIndexUrl", extra_index_url},
      {"trustedHost", trusted_host},
      {"initResources",
       {{"requests", resources_json(init_requests)}, {"limits", resources_json(init_limits)}}}};
  if (source != PackageSource::index) {
    json["packageSource"] = to_string(source);
    json["wheelhouse"] = folder_json(wheelhouse);
    json["prebuilt"] = folder_json(prebuilt);
  }
  return json;
}

std::string InstrumentationSpec::hash() const {
  // to_json() has a fixed key order and dump() no whitespace, so equal specs give equal text;
  // ASCII escaping with replacement keeps odd bytes from throwing.
  const std::string canonical =
      to_json().dump(-1, ' ', true, nlohmann::detail::error_handler_t::replace);
  return sha256_hex(std::string(kLayout) + canonical);
}

}  // namespace cxtm::instrument
