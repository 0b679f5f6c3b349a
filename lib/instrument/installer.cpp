#include "instrument/installer.h"

#include <fmt/core.h>

#include "core/embedded.h"
#include "core/error.h"
#include "instrument/env_merge.h"
#include "instrument/object_edit.h"
#include "instrument/python_runtime.h"
#include "instrument/transform.h"

namespace cxtm::instrument {
namespace {

// The installer's working directory, HOME and TMPDIR: a read-only root filesystem and a user
// without a home directory both work, and the image's working directory (where an app's own
// module could shadow one of pip's) is not first on sys.path.
constexpr std::string_view kTmpPath = "/tmp";

std::string embedded_text(std::string_view name) {
  const auto found = embedded::files().find(name);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage, fmt::format("templates/{} is missing from this build", name));
  }
  return std::string(found->second);
}

Json amounts(const ResourceAmounts& amounts) {
  Json out = Json::object();
  if (!amounts.cpu.empty()) out["cpu"] = amounts.cpu;
  if (!amounts.memory.empty()) out["memory"] = amounts.memory;
  return out;
}

bool is_true(const Json& context, std::string_view key) {
  const Json& value = member(context, key);
  return value.is_boolean() && value.get<bool>();
}

bool has_user(const Json& context) {
  return member(context, "runAsUser").is_number();
}

// The app's securityContext minus what only widens privileges (privileged, added
// capabilities): pip and cp need none of them, and running as the app's user with its
// read-only root filesystem and dropped capabilities keeps the init containers within the
// same policy. A copy container runs another image, whose USER may be root: under
// runAsNonRoot without a runAsUser in the pod or the app container, the kubelet would refuse
// it, so it gets kCopyUser.
Json installer_security_context(const Json& pod, const Json& app_container, bool other_image) {
  Json context = member(app_container, "securityContext");
  if (context.is_object()) {
    context.erase("privileged");
    if (member(context, "capabilities").is_object()) {
      context["capabilities"].erase("add");
      drop_if_empty(context, "capabilities");
    }
  }
  const Json& pod_context = member(pod, "securityContext");
  const bool non_root =
      is_true(context, "runAsNonRoot") ||
      (member(context, "runAsNonRoot").is_null() && is_true(pod_context, "runAsNonRoot"));
  if (other_image && non_root && !has_user(context) && !has_user(pod_context)) {
    if (!context.is_object()) context = Json::object();
    context["runAsUser"] = kCopyUser;
  }
  return context.is_object() ? context : Json(nullptr);
}

// What the API server defaults imagePullPolicy to: Always for :latest or no tag, else
// IfNotPresent. Written out for images that are not the app's, so a read-back compares equal.
std::string default_pull_policy(const std::string& image) {
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  return image_tag(image).empty() ? "Always" : "IfNotPresent";
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
  bool installer = false;  // the installer in the app's image, else a copy out of another image
};

Json init_container(const InitParts& parts, const InstrumentationSpec& spec, const Json& pod,
                    const Json& app_container) {
  // Keys in sorted order, as kubectl prints them, so a read-back compares equal; the defaulted
  // terminationMessage fields are written for the same reason.
  Json container = Json::object();
  container["command"] = parts.command;
  if (parts.installer) {
    container["env"] = Json::array({
        {{"name", "HOME"}, {"value", kTmpPath}},
        {{"name", "PIP_NO_CACHE_DIR"}, {"value", "1"}},
        {{"name", "TMPDIR"}, {"value", kTmpPath}},
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
  if (Json context = installer_security_context(pod, app_container, !parts.installer);
      !context.is_null()) {
    container["securityContext"] = std::move(context);
  }
  container["terminationMessagePath"] = "/dev/termination-log";
  container["terminationMessagePolicy"] = "File";
  container["volumeMounts"] = parts.mounts;
  if (parts.installer) container["workingDir"] = kTmpPath;
  return container;
}

Error no_image(const std::string& where, std::string_view setting) {
  return Error(
      ExitCode::usage,
      fmt::format("{}: no image to run the installer with; set the service's {}", where, setting));
}

// The app container's PYTHONPATH entries as the pod spec sets them (without $(VAR)
// references, which only the kubelet can expand), and whether it sets one at all.
struct PodPythonPath {
  bool set = false;
  Json entries = Json::array();
};

PodPythonPath pod_pythonpath(const Json& app_container) {
  PodPythonPath out;
  const Json& env = member(app_container, "env");
  const size_t index = find_named(env, kEnvPythonPath);
  if (index == npos) return out;
  out.set = true;
  const std::string value = unwrap_pythonpath(string_member(env[index], "value"));
  size_t start = 0;
  while (start <= value.size()) {
    const size_t end = std::min(value.find(':', start), value.size());
    const std::string entry = value.substr(start, end - start);
    if (!entry.empty() && entry.find("$(") == std::string::npos) out.entries.push_back(entry);
    start = end + 1;
  }
  return out;
}

}  // namespace

Json installer_plan(const InstrumentationSpec& spec, const Json& app_container) {
  Json plan = spec.packages.to_json();
  plan["source"] = to_string(spec.source);
  plan["target"] = kMountPath;
  plan["sitecustomize_dir"] = kSitecustomizeDir;
  Json pip_args = Json::array();
  const auto option = [&](std::string_view flag, std::string_view value) {
    if (value.empty()) return;
    pip_args.push_back(flag);
    pip_args.push_back(value);
  };
  if (spec.source == PackageSource::wheelhouse) {
    pip_args.push_back("--no-index");
    option("--find-links", kWheelhouseMountPath);
  } else if (spec.source == PackageSource::index) {
    option("--index-url", spec.index_url);
    option("--extra-index-url", spec.extra_index_url);
    option("--trusted-host", spec.trusted_host);
  } else {
    plan["staging"] = kPrebuiltMountPath;
  }
  plan["pip_args"] = std::move(pip_args);
  plan["extras"] = spec.extras;
  plan["exclude"] = spec.exclude;
  const PodPythonPath python_path = pod_pythonpath(app_container);
  plan["app_pythonpath"] = python_path.entries;
  plan["merge_image_pythonpath"] = !python_path.set;
  return plan;
}

Json installer_command(const InstrumentationSpec& spec, const Json& app_container) {
  // The app's own interpreter when its command names one; else python3, not python: Debian's
  // and Ubuntu's system Python and distroless images only have python3; official python
  // images and virtualenvs have both. Another image than the app's has its own python3.
  // The plan indented, one value per line, and the sitecustomize as it is: the Deployment shows
  // them as text blocks, and a --dry-run diff of an upgrade shows which lines change.
  const std::string python = spec.init_image.empty() ? app_interpreter(app_container) : "python3";
  return Json{python, "-c", embedded_text("instrumentation/installer.py"),
              installer_plan(spec, app_container).dump(1) + "\n",
              embedded_text("instrumentation/sitecustomize.py")};
}

Json installer_containers(const InstrumentationSpec& spec, const Json& pod,
                          const Json& app_container, const std::string& where) {
  const std::string image =
      spec.init_image.empty() ? string_member(app_container, "image") : spec.init_image;
  if (image.empty()) throw no_image(where, "instrumentation.init_image");
  Json containers = Json::array();
  Json mounts = Json::array({mount(kMountPath, kVolumeName), mount(kTmpPath, kPipTmpVolumeName)});
  const auto copy_out = [&](std::string_view name, const ImageFolder& folder,
                            std::string_view setting, std::string_view path,
                            std::string_view volume) {
    if (folder.image.empty()) throw no_image(where, setting);
    containers.push_back(init_container({.name = std::string(name),
                                         .image = folder.image,
                                         .pull_policy = default_pull_policy(folder.image),
                                         .command = copy_command(folder.path, path),
                                         .mounts = Json::array({mount(path, volume)})},
                                        spec, pod, app_container));
    mounts.push_back(mount(path, volume, true));
  };
  if (spec.source == PackageSource::wheelhouse) {
    copy_out(kWheelhouseContainerName, spec.wheelhouse, "instrumentation.wheelhouse.image",
             kWheelhouseMountPath, kWheelhouseVolumeName);
  } else if (spec.source == PackageSource::prebuilt) {
    copy_out(kPrebuiltContainerName, spec.prebuilt, "instrumentation.prebuilt.image",
             kPrebuiltMountPath, kPrebuiltVolumeName);
  }
  containers.push_back(
      init_container({.name = std::string(kInitContainerName),
                      .image = image,
                      .pull_policy = string_member(app_container, "imagePullPolicy"),
                      .command = installer_command(spec, app_container),
                      .mounts = std::move(mounts),
                      .installer = true},
                     spec, pod, app_container));
  return containers;
}

Json installer_volumes(const InstrumentationSpec& spec) {
  Json volumes = Json::array({{{"emptyDir", Json::object()}, {"name", kVolumeName}},
                              {{"emptyDir", Json::object()}, {"name", kPipTmpVolumeName}}});
  if (spec.source == PackageSource::wheelhouse) {
    volumes.push_back({{"emptyDir", Json::object()}, {"name", kWheelhouseVolumeName}});
  } else if (spec.source == PackageSource::prebuilt) {
    volumes.push_back({{"emptyDir", Json::object()}, {"name", kPrebuiltVolumeName}});
  }
  return volumes;
}

}  // namespace cxtm::instrument
