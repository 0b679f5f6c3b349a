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
// capabilities): pip needs none of them, and running as the app's user with its read-only
// root filesystem and dropped capabilities keeps the init container within the same policy.
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

}  // namespace

Json installer_command(const InstrumentationSpec& spec) {
  // python3, not python: Debian's and Ubuntu's system Python and distroless images only have
  // python3; official python images and virtualenvs have both.
  Json command = {
      "python3",  "-m",      "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
      "--target", kMountPath};
  const auto option = [&](std::string_view flag, const std::string& value) {
    if (value.empty()) return;
    command.push_back(flag);
    command.push_back(value);
  };
  option("--index-url", spec.index_url);
  option("--extra-index-url", spec.extra_index_url);
  option("--trusted-host", spec.trusted_host);
  for (const auto& package : spec.packages) command.push_back(package);
  return command;
}

Json installer_container(const InstrumentationSpec& spec, const Json& app_container,
                         const std::string& where) {
  const std::string image =
      spec.init_image.empty() ? string_member(app_container, "image") : spec.init_image;
  if (image.empty()) {
    throw Error(ExitCode::usage,
                fmt::format("{}: the container has no image to run the installer with; set the "
                            "service's instrumentation.init_image",
                            where));
  }
  // Keys in sorted order, as kubectl prints them, so a read-back compares equal; the defaulted
  // terminationMessage fields are written for the same reason.
  Json container = Json::object();
  container["command"] = installer_command(spec);
  container["env"] = Json::array({
      {{"name", "HOME"}, {"value", kPipTmpPath}},
      {{"name", "PIP_NO_CACHE_DIR"}, {"value", "1"}},
      {{"name", "TMPDIR"}, {"value", kPipTmpPath}},
  });
  container["image"] = image;
  if (const std::string policy = string_member(app_container, "imagePullPolicy"); !policy.empty()) {
    container["imagePullPolicy"] = policy;
  }
  container["name"] = kInitContainerName;
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
  container["volumeMounts"] = Json::array({
      {{"mountPath", kMountPath}, {"name", kVolumeName}},
      {{"mountPath", kPipTmpPath}, {"name", kPipTmpVolumeName}},
  });
  // Not the image's working directory: `python -m` puts it first on sys.path, and an app's
  // own module named like one of pip's imports would break pip.
  container["workingDir"] = kPipTmpPath;
  return container;
}

Json installer_volumes() {
  return Json::array({
      {{"emptyDir", Json::object()}, {"name", kVolumeName}},
      {{"emptyDir", Json::object()}, {"name", kPipTmpVolumeName}},
  });
}

}  // namespace cxtm::instrument
