#include "actions/gitops.h"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <system_error>

#include "actions/instrument.h"
#include "actions/services.h"
#include "core/atomic_file.h"
#include "core/bounded_input.h"
#include "core/error.h"
#include "core/yaml_emit.h"
#include "core/yaml_json.h"
#include "gitops/guarded_patch.h"
#include "gitops/kustomization.h"
#include "instrument/operator_injection.h"
#include "instrument/owned.h"
#include "kube/object_diff.h"

namespace cxtm::actions {
namespace {

namespace fs = std::filesystem;

// The directory's kustomization as it is and as the run leaves it.
struct Kustomization {
  fs::path path;
  std::string before;  // "" when there is none yet
  std::string after;
};

// from_file as the kustomization lists it, when it lies inside dir.
std::optional<std::string> resource_path(const fs::path& dir, const std::string& from_file) {
  if (from_file.empty()) return std::nullopt;
  std::error_code error;
  const auto relative =
      fs::relative(fs::weakly_canonical(from_file, error), fs::weakly_canonical(dir, error), error);
  if (error || relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative.generic_string();
}

Kustomization open_kustomization(const fs::path& dir, const std::string& from_file) {
  for (const auto name : gitops::kKustomizationNames) {
    const fs::path path = dir / name;
    if (fs::exists(path)) {
      const std::string text = read_input(path.string(), max_input_bytes());
      return {path, text, text};
    }
  }
  std::vector<std::string> resources;
  if (auto resource = resource_path(dir, from_file)) resources.push_back(std::move(*resource));
  return {dir / gitops::kKustomizationNames[0], "", gitops::new_kustomization(resources)};
}

std::string patch_path(const config::ServiceSettings& service) {
  return fmt::format("{}/{}.yaml", kPatchFolder, service.name);
}

std::string existing_text(const fs::path& path) {
  return fs::exists(path) ? read_input(path.string(), max_input_bytes()) : "";
}

// The namespace's Instrumentation as the kustomization lists it (with the Operator).
std::string instrumentation_path(const std::string& namespace_) {
  return fmt::format("{}/instrumentation-{}.yaml", kPatchFolder, namespace_);
}

std::string instrumentation_file_text(const Json& instrumentation) {
  return fmt::format(
      "# cxtm-o11y {}: the OpenTelemetry Operator's Instrumentation for the services of namespace "
      "{}\n# that `cxtm-o11y instrument --via operator --output-dir` put in Git; removed with "
      "the last of them.\n{}",
      CXTM_VERSION, string_member(instrumentation["metadata"], "namespace"),
      to_yaml(instrumentation));
}

// Whether a patch file of the tool asks the Operator to inject (its inject annotation).
bool asks_operator_in_file(const fs::path& file) {
  const std::string text = existing_text(file);
  return text.find("instrumentation.opentelemetry.io/inject-python") != std::string::npos ||
         text.find("instrumentation.opentelemetry.io~1inject-python") != std::string::npos;
}

std::string patch_file_text(const config::ServiceSettings& service, const kube::ObjectRef& ref,
                            const Json& patch) {
  return fmt::format(
      "# cxtm-o11y {0}: zero-code OpenTelemetry for {4} {1} (service {2}).\n"
      "# Written by `cxtm-o11y instrument {2} --output-dir`, removed by `cxtm-o11y rollback {2} "
      "--output-dir`.\n"
      "# The tests come first: kustomize stops on them when the Deployment in Git is no longer "
      "the one\n"
      "# this patch was made for; run the instrument command again then.\n"
      "{3}",
      CXTM_VERSION, ref.name, service.name, to_yaml(patch), ref.kind);
}

// The workloads (Deployments, StatefulSets, DaemonSets; also in Lists) a manifest file holds.
std::vector<Json> workloads_in(const std::string& file) {
  std::vector<Json> found;
  const auto add = [&](const Json& object) {
    const std::string kind = string_member(object, "kind");
    if (std::find(config::kWorkloadKinds.begin(), config::kWorkloadKinds.end(), kind) !=
        config::kWorkloadKinds.end()) {
      found.push_back(object);
    }
  };
  for (const auto& document : parse_yaml_documents(read_input(file, max_input_bytes()), file)) {
    if (string_member(document, "kind") == "List") {
      for (const auto& item : array_member(document, "items")) add(item);
    } else {
      add(document);
    }
  }
  return found;
}

// The workload the patch applies to: Git's, which never carries the tool's change (the patch
// does); a live one that does is taken back to what it was without it.
Json git_base(Context& context, const config::ServiceSettings& service,
              const GitOutputOptions& options, const std::vector<Json>& from_file) {
  const auto ref = workload_ref(context.config, service);
  if (options.from_file.empty()) {
    const auto live = context.kube.get(ref);
    if (!live) {
      throw Error(ExitCode::not_found, ref.describe() + " not found");
    }
    const Json stripped = instrument::strip_for_backup(*live);
    return instrument::instrumented_by_us(stripped)
               ? instrument::undo_instrumentation(stripped).deployment
               : stripped;
  }
  for (const auto& workload : from_file) {
    const Json& metadata = object_member(workload, "metadata");
    const std::string namespace_ = string_member(metadata, "namespace");
    if (string_member(workload, "kind") != ref.kind ||
        string_member(metadata, "name") != ref.name) {
      continue;
    }
    if (!namespace_.empty() && namespace_ != ref.namespace_) continue;
    if (instrument::instrumented_by_us(workload)) {
      throw Error(ExitCode::usage,
                  fmt::format("{}: {} {} carries cxtm-o11y's change already; point "
                              "--from-file at the manifest the patch applies to",
                              options.from_file, ref.kind, ref.name));
    }
    return workload;
  }
  throw Error(ExitCode::not_found,
              fmt::format("{}: no {} {} (namespace {} or none)", options.from_file, ref.kind,
                          ref.name, ref.namespace_));
}

std::string file_diff(const fs::path& path, const std::string& before, const std::string& after) {
  return kube::unified_diff(path.string(), path.string(), before, after);
}

// A deleted file's diff header, without its lines (the patch is long, and all of it goes).
std::string deleted_file(const fs::path& path, const std::string& text) {
  if (text.empty()) return "";
  return fmt::format("--- {}\n+++ /dev/null\n@@ deleted: {} lines @@\n", path.string(),
                     std::count(text.begin(), text.end(), '\n'));
}

// Writes the patch files first and the kustomization last, so that it never lists a file
// that is not there.
void write_files(const std::vector<std::pair<fs::path, std::string>>& patches,
                 const Kustomization& kustomization) {
  for (const auto& [path, text] : patches) {
    fs::create_directories(path.parent_path());
    write_file_atomic(path, text);
  }
  if (kustomization.after != kustomization.before) {
    write_file_atomic(kustomization.path, kustomization.after);
  }
}

}  // namespace

std::vector<ServiceResult> instrument_in_git(
    Context& context, const std::vector<const config::ServiceSettings*>& services,
    const GitOutputOptions& options) {
  const auto from_file =
      options.from_file.empty() ? std::vector<Json>{} : workloads_in(options.from_file);
  if (options.from_file.empty())
    read_in_bulk(context.config, context.kube, services, BulkRead::deployments);
  Kustomization kustomization = open_kustomization(options.output_dir, options.from_file);
  std::vector<std::pair<fs::path, std::string>> patches;
  std::vector<ServiceResult> results;
  for (const auto* service : services) {
    const auto ref = workload_ref(context.config, *service);
    ServiceResult& result = results.emplace_back(
        ServiceResult{.service = service->name, .deployment = ref.namespaced_name()});
    try {
      const Json base = git_base(context, *service, options, from_file);
      const auto spec = spec_for_workload(context.config, *service, base, options.injector);
      auto transformed = instrument::instrument_deployment(base, spec, CXTM_VERSION, options.force);
      result.warnings = std::move(transformed.warnings);
      result.notes = std::move(transformed.notes);
      result.patch = gitops::guarded_patch(base, transformed.deployment);

      const fs::path file = options.output_dir / patch_path(*service);
      const std::string text = patch_file_text(*service, ref, result.patch);
      const std::string before_text = existing_text(file);
      const std::string kustomization_before = kustomization.after;
      kustomization.after = gitops::with_patch_entry(
          kustomization.after, {.path = patch_path(*service), .kind = ref.kind, .name = ref.name},
          kustomization.path.string());
      result.files = {file.string(), kustomization.path.string()};
      // With the Operator, the namespace's Instrumentation goes to Git beside the patches.
      std::string instrumentation_diff;
      if (spec.injector == instrument::Injector::operator_) {
        const std::string listed = instrumentation_path(ref.namespace_);
        const fs::path instrumentation_file = options.output_dir / listed;
        const std::string wanted =
            instrumentation_file_text(instrument::instrumentation_resource(spec, ref.namespace_));
        const bool written_already =
            std::any_of(patches.begin(), patches.end(),
                        [&](const auto& entry) { return entry.first == instrumentation_file; });
        const std::string there = existing_text(instrumentation_file);
        if (!written_already && there != wanted) {
          instrumentation_diff = file_diff(instrumentation_file, there, wanted);
          if (!options.dry_run) patches.emplace_back(instrumentation_file, wanted);
        }
        kustomization.after =
            gitops::with_resource_entry(kustomization.after, listed, kustomization.path.string());
        result.files.push_back(instrumentation_file.string());
      }
      if (text == before_text && kustomization.after == kustomization_before &&
          instrumentation_diff.empty()) {
        result.outcome = ServiceOutcome::unchanged;
        result.message =
            fmt::format("its patch in {} is up to date (no change)", options.output_dir.string());
        continue;
      }
      result.diff = file_diff(file, before_text, text) + instrumentation_diff +
                    file_diff(kustomization.path, kustomization_before, kustomization.after);
      if (options.dry_run) {
        result.outcome = ServiceOutcome::would_change;
        result.message = "dry run: nothing was written";
        continue;
      }
      patches.emplace_back(file, text);
      if (kustomization.before.empty() &&
          resource_path(options.output_dir, options.from_file).value_or("").empty()) {
        result.notes.push_back(fmt::format(
            "{} is new and lists no resources: add the manifest of {} {} under resources: for "
            "the patch to apply",
            kustomization.path.string(), ref.kind, ref.name));
      }
      result.outcome =
          before_text.empty() ? ServiceOutcome::instrumented : ServiceOutcome::upgraded;
      result.message =
          fmt::format("patch written to {}; commit it for Argo CD or Flux to sync", file.string());
    } catch (const Error& error) {
      result.outcome = ServiceOutcome::failed;
      result.code = error.code();
      result.message = error.what();
    }
  }
  if (!options.dry_run) {
    fs::create_directories(options.output_dir);
    write_files(patches, kustomization);
  }
  return results;
}

std::vector<ServiceResult> rollback_in_git(
    const config::Config& config, const std::vector<const config::ServiceSettings*>& services,
    const GitOutputOptions& options) {
  Kustomization kustomization = open_kustomization(options.output_dir, "");
  if (kustomization.before.empty()) kustomization.after.clear();  // none to edit, none to make
  std::vector<fs::path> removed;
  std::vector<ServiceResult> results;
  for (const auto* service : services) {
    const auto ref = workload_ref(config, *service);
    ServiceResult& result = results.emplace_back(
        ServiceResult{.service = service->name, .deployment = ref.namespaced_name()});
    try {
      const fs::path file = options.output_dir / patch_path(*service);
      const std::string before_text = existing_text(file);
      const std::string kustomization_before = kustomization.after;
      if (!kustomization.before.empty()) {
        kustomization.after = gitops::without_patch_entry(kustomization.after, patch_path(*service),
                                                          kustomization.path.string());
      }
      if (before_text.empty() && kustomization.after == kustomization_before) {
        result.outcome = ServiceOutcome::unchanged;
        result.message =
            fmt::format("no patch of it in {} (no change)", options.output_dir.string());
        continue;
      }
      result.files = {file.string(), kustomization.path.string()};
      result.diff = deleted_file(file, before_text) +
                    file_diff(kustomization.path, kustomization_before, kustomization.after);
      if (options.dry_run) {
        result.outcome = ServiceOutcome::would_change;
        result.message = "dry run: nothing was written";
        continue;
      }
      removed.push_back(file);
      result.outcome = ServiceOutcome::rolled_back;
      result.message = fmt::format("patch removed from {}; commit it for Argo CD or Flux to sync",
                                   options.output_dir.string());
    } catch (const Error& error) {
      result.outcome = ServiceOutcome::failed;
      result.code = error.code();
      result.message = error.what();
    }
  }
  // A namespace's Instrumentation goes with the last patch in the directory that asks for it.
  if (!kustomization.before.empty()) {
    for (size_t i = 0; i < services.size(); ++i) {
      const auto ref = workload_ref(config, *services[i]);
      const std::string listed = instrumentation_path(ref.namespace_);
      if (!gitops::has_resource_entry(kustomization.after, listed, kustomization.path.string())) {
        continue;
      }
      bool still_asked = false;
      // Held here: a range over a member of a temporary would dangle.
      const auto documents = parse_yaml_documents(kustomization.after, kustomization.path.string());
      for (const auto& patch : array_member(documents.front(), "patches")) {
        const std::string path = string_member(patch, "path");
        if (path.starts_with(std::string(kPatchFolder) + "/") &&
            asks_operator_in_file(options.output_dir / path)) {
          still_asked = true;
        }
      }
      if (still_asked) continue;
      const fs::path file = options.output_dir / listed;
      const std::string before = kustomization.after;
      kustomization.after =
          gitops::without_resource_entry(kustomization.after, listed, kustomization.path.string());
      ServiceResult& result = results[i];
      result.diff += deleted_file(file, existing_text(file)) +
                     file_diff(kustomization.path, before, kustomization.after);
      result.notes.push_back(
          fmt::format("{}: the Instrumentation of namespace {} removed too: "
                      "no patch here asks the Operator any more",
                      file.string(), ref.namespace_));
      if (!options.dry_run) removed.push_back(file);
    }
  }
  if (options.dry_run) return results;
  // The kustomization first, so that it never lists a file that is gone.
  if (kustomization.after != kustomization.before) {
    write_file_atomic(kustomization.path, kustomization.after);
  }
  for (const auto& file : removed) fs::remove(file);
  std::error_code ignored;
  if (fs::is_empty(options.output_dir / kPatchFolder, ignored)) {
    fs::remove(options.output_dir / kPatchFolder, ignored);
  }
  return results;
}

}  // namespace cxtm::actions
