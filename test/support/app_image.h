#pragma once
// "App images" for tests that run the machine's python3 as an app container would: virtualenvs
// whose site-packages hold the app's distributions (METADATA only), with or without pip, and
// the shared volume the installer fills. Installs use real pip with --no-index from small but
// valid wheels of every locked distribution (test/tools/make_wheels.py): no package index is
// contacted.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "instrument/spec.h"
#include "kube/process.h"
#include "support/temp_dir.h"

namespace cxtm::testing::python {

using Env = std::map<std::string, std::string>;

// pip reads no configuration file of this machine (a find-links there could offer real wheels).
inline const Env kHermetic = {{"PIP_CONFIG_FILE", "/dev/null"}};

Env with(Env env, const Env& more);
kube::ProcessResult run(const std::vector<std::string>& argv, const Env& env = kHermetic);
// Its stdout without the whitespace around it; the test stops when it did not exit 0.
std::string checked_output(const std::vector<std::string>& argv, const Env& env = kHermetic);

// The app container as the pod spec has it: an image, no PYTHONPATH.
Json app_container();

instrument::InstrumentationSpec shipped_spec(
    instrument::PackageSource source = instrument::PackageSource::index);

// Wheels of every distribution of the shipped lock, made once.
const std::filesystem::path& wheels();

// An image with Python, the app's distributions and maybe pip, and a volume to install into.
class AppImage {
 public:
  explicit AppImage(bool with_pip = true);

  // A distribution the app has installed.
  AppImage& has(const std::string& name, const std::string& version);

  std::string python() const;
  std::filesystem::path volume() const { return dir_.path() / "volume"; }
  std::filesystem::path sitecustomize_dir() const { return volume() / "cxtm-o11y"; }
  const std::filesystem::path& root() const { return dir_.path(); }

  // The plan the tool writes for spec, pointed at this image's volume and the test wheels.
  Json plan(const instrument::InstrumentationSpec& spec = shipped_spec(),
            const Json& container = app_container()) const;

  // The init container's command, run in this image.
  kube::ProcessResult install(const Json& plan, bool dry_run = false,
                              const Env& env = kHermetic) const;

  // The installer's choices (--dry-run), for a plan that must not fail.
  Json decide(const Json& plan) const;

  std::vector<std::string> volume_distributions() const;

 private:
  std::filesystem::path venv() const { return dir_.path() / "venv"; }

  TempDir dir_;
  std::filesystem::path site_;
};

// The prebuilt image's folder, built as Dockerfile.prebuilt does (every locked distribution
// installed with --no-deps, by a Python with pip: a venv's, which no distribution manages),
// made once.
const std::filesystem::path& prebuilt_folder();

}  // namespace cxtm::testing::python
