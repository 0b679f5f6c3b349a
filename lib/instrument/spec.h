#pragma once
// Everything that decides how a Python Deployment is instrumented. Two specs with the same
// hash() produce the same Deployment; the hash is stored on the Deployment so a second run
// can tell "unchanged" from "upgrade".

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "instrument/package_set.h"

namespace cxtm::instrument {

struct ResourceAmounts {
  std::string cpu;
  std::string memory;
};

// Where the init container gets the OpenTelemetry packages from.
enum class PackageSource {
  index,       // pip from a package index: PyPI, or a mirror (index_url, extra_index_url, ...)
  wheelhouse,  // pip --no-index from wheels that a second init container copies out of an image
  prebuilt,    // no pip: the installed packages are copied out of a prebuilt image
};

// "index", "wheelhouse", "prebuilt": the names the config file uses.
std::string_view to_string(PackageSource source);
std::optional<PackageSource> parse_package_source(std::string_view name);

// Who puts the packages into the app's pods.
enum class Injector {
  init_container,  // the tool's installer, an init container in the app's own image
  operator_,       // the OpenTelemetry Operator's webhook, from its prebuilt image
};

// "init-container", "operator": the names the config file and --via use.
std::string_view to_string(Injector injector);
std::optional<Injector> parse_injector(std::string_view name);

// A folder inside a container image.
struct ImageFolder {
  std::string image;
  std::string path;
};

// Why path cannot be an image folder to copy from (not absolute, the root, "..", characters
// other than letters, digits and "._-/"), or nullopt.
std::optional<std::string> image_folder_problem(std::string_view path);

struct InstrumentationSpec {
  std::string service_name;          // OTEL_SERVICE_NAME ("cxtm-scheduler")
  std::string container;             // the app container; empty: the only one
  std::string otlp_endpoint;         // "http://otel-collector.default.svc:4318"
  std::string environment;           // deployment.environment
  std::string service_namespace;     // service.namespace
  PythonPackageSet packages;         // the locked set the installer chooses from
  std::vector<std::string> extras;   // instrumentations installed whatever the app has
  std::vector<std::string> exclude;  // instrumentations never installed
  std::string init_image;            // empty: the app container's own image (the installer's)
  std::string index_url;             // pip --index-url, for mirrors
  std::string extra_index_url;       // pip --extra-index-url
  std::string trusted_host;          // pip --trusted-host
  PackageSource source = PackageSource::index;
  ImageFolder wheelhouse;  // source wheelhouse: the image and folder holding the wheels
  ImageFolder prebuilt;    // source prebuilt: the image and folder holding the installed packages
  ResourceAmounts init_requests;  // the installer's resources (pip needs ~100Mi+)
  ResourceAmounts init_limits;
  Injector injector = Injector::init_container;
  std::string operator_image;  // injector operator: the Operator's Python image

  // Stable sha256 over every field (not over the tool version) and the transform's layout
  // version. The source's own fields are hashed only for wheelhouse and prebuilt; with the
  // Operator injecting, only what the Instrumentation and the annotations carry.
  std::string hash() const;
  Json to_json() const;
};

}  // namespace cxtm::instrument
