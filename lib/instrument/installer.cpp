#include "instrument/installer.h"

#include <fmt/core.h>

#include "core/error.h"
#include "instrument/object_edit.h"
#include "instrument/transform.h"

namespace cxtm::instrument {
namespace {

// Where pip works: HOME and TMPDIR point here, so a read-only root filesystem and a user
// without a home directory both work.
constexpr std::string_view kPipTmpPath = "/tmp";

Json amounts(const ResourceAmounts& amounts) {
  Json out = Json::object();
  if (!amounts.cpu.empty()) out["cpu"] = amounts.cpu;
  if (!amounts.memory.empty()) out["memory"] = amounts.memory;
  return out;
}

// The app's securityContext minus what only widens privileges (privileged, added
// capabilities): pip and cp need none of them, and running as the app's user with its
// read-only root filesystem and dropped capabilities keeps the init containers within the
// same policy.
Json installer_security_context(const Json& app_container) {
  Json context = member(app_container, "securityContext");
  if (!context.is_object()) return nullptr;
  context.erase("privileged");
  if (context.contains("capabilities") && context["capabilities"].is_object()) {
    context["capabilities"].erase("add");
    drop_if_empty(context, "capabilities");
  }
  return context;
}

// What the API server defaults imagePullPolicy to: Always for :latest or no tag, else
// IfNotPresent. Written out for images that are not the app's, so a read-back compares equal.
std::string default_pull_policy(const std::string& image) {
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  const size_t slash = image.rfind('/');
  const std::string last = image.substr(slash == std::string::npos ? 0 : slash + 1);
  const size_t colon = last.rfind(':');
  if (colon == std::string::npos || last.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

// cp -R <folder>/. <to>: the folder's contents, whatever the image's shell (it needs none).
Json copy_command(std::string folder, std::string_view to) {
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return Json{"cp", "-R", folder + "/.", to};
}

Json mount(std::string_view path, std::string_view volume, bool read_only = false) {
  Json entry = {{"mountPath", path}, {"name", volume}};
  if (read_only) entry["readOnly"] = true;
  return entry;
}

struct InitParts {
  std::string name;
  std::string image;
  std::string pull_policy;  // empty: left to the API server
  Json command;
  Json mounts;
  bool runs_pip = false;
};

Json init_container(const InitParts& parts, const InstrumentationSpec& spec,
                    const Json& app_container) {
  // Keys in sorted order, as kubectl prints them, so a read-back compares equal; the defaulted
  // terminationMessage fields are written for the same reason.
  Json container = Json::object();
  container["command"] = parts.command;
  if (parts.runs_pip) {
    container["env"] = Json::array({
        {{"name", "HOME"}, {"value", kPipTmpPath}},
        {{"name", "PIP_NO_CACHE_DIR"}, {"value", "1"}},
        {{"name", "TMPDIR"}, {"value", kPipTmpPath}},
    });
  }
  container["image"] = parts.image;
  if (!parts.pull_policy.empty()) container["imagePullPolicy"] = parts.pull_policy;
  container["name"] = parts.name;
  Json resources = Json::object();
  if (Json limits = amounts(spec.init_limits); !limits.empty()) resources["limits"] = limits;
  if (Json requests = amounts(spec.init_requests); !requests.empty()) {
    resources["requests"] = requests;
  }
  container["resources"] = resources;
  if (Json context = installer_security_context(app_container); !context.is_null()) {
    container["securityContext"] = std::move(context);
  }
  container["terminationMessagePath"] = "/dev/termination-log";
  container["terminationMessagePolicy"] = "File";
  container["volumeMounts"] = parts.mounts;
  // Not the image's working directory: `python -m` puts it first on sys.path, and an app's
  // own module named like one of pip's imports would break pip.
  if (parts.runs_pip) container["workingDir"] = kPipTmpPath;
  return container;
}

Error no_image(const std::string& where, std::string_view setting) {
  return Error(
      ExitCode::usage,
      fmt::format("{}: no image to run the installer with; set the service's {}", where, setting));
}

}  // namespace

Json installer_command(const InstrumentationSpec& spec) {
  if (spec.source == PackageSource::prebuilt) return copy_command(spec.prebuilt.path, kMountPath);
  // python3, not python: Debian's and Ubuntu's system Python and distroless images only have
  // python3; official python images and virtualenvs have both.
  Json command = {
      "python3",  "-m",      "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
      "--target", kMountPath};
  const auto option = [&](std::string_view flag, std::string_view value) {
    if (value.empty()) return;
    command.push_back(flag);
    command.push_back(value);
  };
  if (spec.source == PackageSource::wheelhouse) {
    command.push_back("--no-index");
    option("--find-links", kWheelhouseMountPath);
  } else {
    option("--index-url", spec.index_url);
    option("--extra-index-url", spec.extra_index_url);
    option("--trusted-host", spec.trusted_host);
  }
  for (const auto& package : spec.packages) command.push_back(package);
  return command;
}

Json installer_containers(const InstrumentationSpec& spec, const Json& app_container,
                          const std::string& where) {
  if (spec.source == PackageSource::prebuilt) {
    if (spec.prebuilt.image.empty()) throw no_image(where, "instrumentation.prebuilt.image");
    return Json::array({init_container({.name = std::string(kInitContainerName),
                                        .image = spec.prebuilt.image,
                                        .pull_policy = default_pull_policy(spec.prebuilt.image),
                                        .command = installer_command(spec),
                                        .mounts = Json::array({mount(kMountPath, kVolumeName)})},
                                       spec, app_container)});
  }
  const std::string image =
      spec.init_image.empty() ? string_member(app_container, "image") : spec.init_image;
  if (image.empty()) throw no_image(where, "instrumentation.init_image");
  Json containers = Json::array();
  Json mounts =
      Json::array({mount(kMountPath, kVolumeName), mount(kPipTmpPath, kPipTmpVolumeName)});
  if (spec.source == PackageSource::wheelhouse) {
    if (spec.wheelhouse.image.empty()) throw no_image(where, "instrumentation.wheelhouse.image");
    containers.push_back(init_container(
        {.name = std::string(kWheelhouseContainerName),
         .image = spec.wheelhouse.image,
         .pull_policy = default_pull_policy(spec.wheelhouse.image),
         .command = copy_command(spec.wheelhouse.path, kWheelhouseMountPath),
         .mounts = Json::array({mount(kWheelhouseMountPath, kWheelhouseVolumeName)})},
        spec, app_container));
    mounts.push_back(mount(kWheelhouseMountPath, kWheelhouseVolumeName, true));
  }
  containers.push_back(
      init_container({.name = std::string(kInitContainerName),
                      .image = image,
                      .pull_policy = string_member(app_container, "imagePullPolicy"),
                      .command = installer_command(spec),
                      .mounts = std::move(mounts),
                      .runs_pip = true},
                     spec, app_container));
  return containers;
}

Json installer_volumes(const InstrumentationSpec& spec) {
  Json volumes = Json::array({{{"emptyDir", Json::object()}, {"name", kVolumeName}}});
  if (spec.source == PackageSource::prebuilt) return volumes;
  volumes.push_back({{"emptyDir", Json::object()}, {"name", kPipTmpVolumeName}});
  if (spec.source == PackageSource::wheelhouse) {
    volumes.push_back({{"emptyDir", Json::object()}, {"name", kWheelhouseVolumeName}});
  }
  return volumes;
}

}  // namespace cxtm::instrument
