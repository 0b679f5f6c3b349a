#include "support/app_image.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "config/python_packages.h"
#include "core/text.h"
#include "instrument/installer.h"

namespace cxtm::testing::python {
namespace {

namespace fs = std::filesystem;
using instrument::InstrumentationSpec;
using instrument::PackageSource;
using kube::ProcessResult;

}  // namespace

Env with(Env env, const Env& more) {
  for (const auto& [name, value] : more) env[name] = value;
  return env;
}

ProcessResult run(const std::vector<std::string>& argv, const Env& env) {
  return kube::run_process({.argv = argv, .env_overrides = env});
}

std::string checked_output(const std::vector<std::string>& argv, const Env& env) {
  const auto result = run(argv, env);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return std::string(trim(result.out));
}

Json app_container() {
  return Json{{"name", "app"}, {"image", "registry.example.com/app:1.0"}};
}

InstrumentationSpec shipped_spec(PackageSource source) {
  return InstrumentationSpec{.service_name = "app",
                             .otlp_endpoint = "http://otel-collector.default.svc:4318",
                             .packages = config::python_packages(),
                             .source = source};
}

const fs::path& wheels() {
  static TempDir dir;
  static const bool made = [] {
    std::vector<std::string> argv = {"python3", CXTM_SOURCE_DIR "/test/tools/make_wheels.py",
                                     dir.path().string()};
    for (const auto& pin : config::python_packages().pinned()) argv.push_back(pin);
    checked_output(argv);
    return true;
  }();
  (void)made;
  return dir.path();
}

AppImage::AppImage(bool with_pip) {
  checked_output({"python3", "-m", "venv", "--without-pip", venv().string()});
  site_ =
      checked_output({python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"});
  if (with_pip) {
    // The machine's pip, as the image's own.
    const fs::path pip =
        checked_output({"python3", "-c", "import os, pip; print(os.path.dirname(pip.__file__))"});
    fs::create_directory_symlink(pip, site_ / "pip");
    for (const auto& entry : fs::directory_iterator(pip.parent_path())) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("pip-") && name.ends_with(".dist-info")) {
        fs::create_directory_symlink(entry.path(), site_ / name);
      }
    }
  }
  fs::create_directory(volume());
}

AppImage& AppImage::has(const std::string& name, const std::string& version) {
  const fs::path info = site_ / (name + "-" + version + ".dist-info");
  fs::create_directory(info);
  std::ofstream(info / "METADATA")
      << "Metadata-Version: 2.1\nName: " << name << "\nVersion: " << version << "\n";
  return *this;
}

std::string AppImage::python() const {
  return (venv() / "bin" / "python3").string();
}

Json AppImage::plan(const InstrumentationSpec& spec, const Json& container) const {
  Json plan = instrument::installer_plan(spec, container);
  plan["target"] = volume().string();
  plan["sitecustomize_dir"] = sitecustomize_dir().string();
  if (spec.source != PackageSource::prebuilt) {
    plan["pip_args"] = Json{"--no-index", "--find-links", wheels().string()};
  }
  return plan;
}

ProcessResult AppImage::install(const Json& plan, bool dry_run, const Env& env) const {
  const Json command = instrument::installer_command(shipped_spec(), app_container());
  std::vector<std::string> argv = {python(), "-c", command[2].get<std::string>(), plan.dump(),
                                   command[4].get<std::string>()};
  if (dry_run) argv.push_back("--dry-run");
  return run(argv, env);
}

Json AppImage::decide(const Json& plan) const {
  const auto result = install(plan, true);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return Json::parse(result.out);
}

std::vector<std::string> AppImage::volume_distributions() const {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(volume())) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".dist-info")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

const fs::path& prebuilt_folder() {
  static TempDir dir;
  static const bool made = [] {
    const AppImage builder;
    std::vector<std::string> argv = {builder.python(),
                                     "-m",
                                     "pip",
                                     "install",
                                     "--no-deps",
                                     "--no-index",
                                     "--find-links",
                                     wheels().string(),
                                     "--target",
                                     dir.path().string(),
                                     "--quiet"};
    for (const auto& pin : config::python_packages().pinned()) argv.push_back(pin);
    checked_output(argv);
    return true;
  }();
  (void)made;
  return dir.path();
}

}  // namespace cxtm::testing::python
