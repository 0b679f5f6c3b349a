#include "render/dockerfile.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <regex>

#include "core/embedded.h"
#include "core/error.h"
#include "core/json.h"
#include "core/shell_quote.h"
#include "render/placeholders.h"

namespace cxtm::render {
namespace {

// Requirements go into a shell command line: only the characters a pinned name can have.
const std::regex kRequirement(
    R"([A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9._,-]+\])?==[A-Za-z0-9.!+_-]+)");

// Replaces each "{{ name }}" in text; a name without a value is a bug in the template.
std::string substitute(std::string_view text, std::string_view template_name,
                       const std::map<std::string, std::string, std::less<>>& values) {
  return substitute_placeholders(text, template_name, [&](const std::string& name) {
    const auto value = values.find(name);
    if (value == values.end()) {
      throw Error(ExitCode::usage,
                  fmt::format("{}: unknown placeholder '{{{{ {} }}}}'", template_name, name));
    }
    return value->second;
  });
}

}  // namespace

std::string render_dockerfile(const DockerfileInput& input) {
  if (input.source == instrument::PackageSource::index) {
    throw Error(ExitCode::usage,
                "source index installs from the package index and needs no image; a Dockerfile "
                "is for source prebuilt or wheelhouse");
  }
  if (const auto problem = instrument::image_folder_problem(input.path)) {
    throw Error(ExitCode::usage, fmt::format("the image folder '{}' {}", input.path, *problem));
  }
  std::string requirements;
  for (size_t i = 0; i < input.requirements.size(); ++i) {
    const std::string& requirement = input.requirements[i];
    if (!std::regex_match(requirement, kRequirement)) {
      throw Error(ExitCode::usage,
                  fmt::format("'{}' is not a pinned requirement (name==version)", requirement));
    }
    requirements +=
        fmt::format("      {}{}", requirement, i + 1 < input.requirements.size() ? " \\\n" : "");
  }
  std::string pip_options;
  const auto option = [&](std::string_view flag, const std::string& value) {
    if (value.empty()) return;
    // A line break would end the RUN instruction; no URL or host name has one, or a space.
    if (std::any_of(value.begin(), value.end(),
                    [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
      throw Error(ExitCode::usage, fmt::format("{} has a space or control character", flag));
    }
    pip_options += fmt::format(" {} {}", flag, shell_quote(value));
  };
  option("--index-url", input.index_url);
  option("--extra-index-url", input.extra_index_url);
  option("--trusted-host", input.trusted_host);

  const std::string name = input.source == instrument::PackageSource::prebuilt
                               ? "instrumentation/Dockerfile.prebuilt"
                               : "instrumentation/Dockerfile.wheelhouse";
  const auto found = embedded::files().find(name);
  if (found == embedded::files().end()) {
    throw Error(ExitCode::usage, fmt::format("templates/{} is missing from this build", name));
  }
  std::string path = input.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return substitute(found->second, name,
                    {{"sdk_version", input.sdk_version},
                     {"contrib_version", input.contrib_version},
                     {"pip_options", pip_options},
                     {"requirements", requirements},
                     {"path", path},
                     {"path_json", Json(path).dump()}});
}

}  // namespace cxtm::render
