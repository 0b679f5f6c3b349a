// `instrument --output-dir` and `rollback --output-dir` end to end: the built binary writes
// kustomize patches, and the real `kubectl kustomize` builds them over the Deployment corpus into
// exactly what `instrument` writes to a cluster; taking them out gives back Git's manifests.

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <filesystem>
#include <set>

#include "actions/services.h"
#include "config/config.h"
#include "core/atomic_file.h"
#include "core/yaml_emit.h"
#include "core/yaml_json.h"
#include "instrument/transform.h"
#include "support/cli_runner.h"
#include "support/cluster_cli.h"
#include "support/kubectl_runner.h"
#include "support/temp_dir.h"

namespace test_integration_gitops {

using cxtm::Json;
using cxtm::read_file;
using cxtm::testing::ClusterCli;
using cxtm::testing::corpus_deployment;
using cxtm::testing::kErrorPrefix;
using cxtm::testing::line_count;
using cxtm::testing::same_json;
using cxtm::testing::TempDir;

namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = CXTM_SOURCE_DIR "/test/testdata/deployments";
// Shapes that need --force (the app's own OTEL_* values differ from ours) or name their app
// container (test_instrument_corpus.cpp's table).
const std::set<std::string> kForced = {"cxtm-scheduler-poc", "otel-conflicting"};
const std::map<std::string, std::string> kContainers = {{"sidecars", "portal"}};
const std::string kNoKubectl = "/nonexistent/kubectl";

// Each corpus shape as it would sit in Git: no status, no server metadata, no namespace (the
// kustomization or Argo CD sets it), named after its file (two shapes share a name).
std::map<std::string, Json> git_manifests() {
  std::map<std::string, Json> manifests;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    const std::string file = entry.path().stem().string();
    Json deployment = cxtm::instrument::strip_for_backup(corpus_deployment(file));
    deployment["metadata"]["name"] = file;
    deployment["metadata"].erase("namespace");
    manifests[file] = std::move(deployment);
  }
  return manifests;
}

std::string services_for(const std::map<std::string, Json>& manifests) {
  std::string services;
  for (const auto& [file, manifest] : manifests) {
    // service.name as the corpus has it, so the app's own OTEL_SERVICE_NAME agrees.
    services += fmt::format(
        "  {0}:\n    deployment: {0}\n    selector: app={0}\n"
        "    otel_service_name: {1}\n",
        file, corpus_deployment(file)["metadata"]["name"].get<std::string>());
    if (kContainers.contains(file)) {
      services += fmt::format("    container: {}\n", kContainers.at(file));
    }
  }
  return services;
}

// A Git repository: base/ with the manifests, overlay/ with the team's kustomization.
struct Repository {
  explicit Repository(const std::map<std::string, Json>& manifests) {
    fs::create_directories(dir.path() / "base");
    fs::create_directories(dir.path() / "overlay");
    std::vector<Json> documents;
    for (const auto& [file, manifest] : manifests) documents.push_back(manifest);
    dir.write("base/deployments.yaml", cxtm::to_yaml_stream(documents));
    dir.write("base/kustomization.yaml", "resources:\n- deployments.yaml\n");
    dir.write("overlay/kustomization.yaml", kOverlay);
  }
  fs::path base_file() const { return dir.path() / "base/deployments.yaml"; }
  fs::path overlay() const { return dir.path() / "overlay"; }

  static constexpr const char* kOverlay =
      "# prod: every Deployment with two replicas\n"
      "apiVersion: kustomize.config.k8s.io/v1beta1\n"
      "kind: Kustomization\n"
      "resources:\n"
      "  - ../base\n"
      "commonAnnotations:\n"
      "  team: cxtm   # who to call\n";
  TempDir dir;
};

// kubectl before 1.21 (Debian's is 1.20) embeds kustomize 2.0.3, which cannot read a
// kustomization's `patches` list: what the tool writes, and what Argo CD's and Flux's kustomize
// read. The cases that build with it say they were skipped, and why.
bool skipped_for_old_kustomize() {
  const int minor = cxtm::testing::test_kubectl_minor();
  if (minor == 0 || minor >= 21) return false;  // 0: it did not say; the build then shows
  MESSAGE("skipped: kubectl 1." << minor
                                << " embeds kustomize 2.0.3, which cannot read `patches`; "
                                   "set CXTM_TEST_KUBECTL to a kubectl 1.21 or later");
  return true;
}

// `kubectl kustomize dir`'s Deployments by name.
std::map<std::string, Json> built(const ClusterCli& cluster, const fs::path& dir) {
  const auto build = cluster.kubectl({"kustomize", dir.string()});
  INFO(build.out, build.err);
  REQUIRE(build.exit_code == 0);
  std::map<std::string, Json> deployments;
  for (auto& document : cxtm::parse_yaml_documents(build.out, "kustomize output")) {
    const std::string name = cxtm::string_member(cxtm::member(document, "metadata"), "name");
    REQUIRE(!name.empty());
    deployments[name] = std::move(document);
  }
  return deployments;
}

std::vector<std::string> with(std::vector<std::string> arguments,
                              const std::vector<std::string>& more) {
  arguments.insert(arguments.end(), more.begin(), more.end());
  return arguments;
}

}  // namespace

TEST_SUITE("integration/gitops") {
  TEST_CASE(
      "every corpus shape: kustomize with the patches builds instrument's Deployment, "
      "without them, Git's") {
    if (skipped_for_old_kustomize()) return;
    const auto manifests = git_manifests();
    REQUIRE(manifests.size() >= 15);
    ClusterCli cluster(services_for(manifests));
    Repository repo(manifests);
    std::vector<std::string> plain, forced;
    for (const auto& [file, manifest] : manifests)
      (kForced.contains(file) ? forced : plain).push_back(file);

    const std::vector<std::string> to_git = {"--output-dir", repo.overlay().string(), "--from-file",
                                             repo.base_file().string()};
    // No cluster: the kubectl it would run does not exist.
    const auto first = cluster.run(with(with({"instrument"}, plain), to_git), kNoKubectl);
    INFO(first.out, first.err);
    REQUIRE(first.exit_code == 0);
    const auto second =
        cluster.run(with(with({"instrument", "--force"}, forced), to_git), kNoKubectl);
    INFO(second.out, second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(cluster.server.write_count() == 0);

    // The team's kustomization keeps its lines; ours follow.
    const std::string kustomization = read_file(repo.overlay() / "kustomization.yaml");
    CHECK(kustomization.starts_with(Repository::kOverlay));

    const auto config = cxtm::config::load_config(cluster.config());
    const auto after = built(cluster, repo.overlay());
    REQUIRE(after.size() == manifests.size());
    for (const auto& [name, manifest] : manifests) {
      const std::string& file = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(file);
      const auto* service = config.find_service(file);
      REQUIRE(service != nullptr);
      Json expected =
          cxtm::instrument::instrument_deployment(
              manifest, cxtm::actions::spec_for(config, *service), CXTM_VERSION,
              kForced.contains(file) ? cxtm::instrument::Force::yes : cxtm::instrument::Force::no)
              .deployment;
      expected["metadata"]["annotations"]["team"] = "cxtm";
      expected["spec"]["template"]["metadata"]["annotations"]["team"] = "cxtm";
      CHECK(same_json(after.at(file), expected));
    }

    // Again: nothing to write.
    const auto again = cluster.run(with(with({"instrument"}, plain), to_git), kNoKubectl);
    CHECK(again.exit_code == 0);
    INFO(again.out, again.err);
    CHECK(again.out.find("instrumented") == std::string::npos);
    CHECK(again.out.find("up to date (no change)") != std::string::npos);
    CHECK(read_file(repo.overlay() / "kustomization.yaml") == kustomization);

    // Out again: Git's manifests and the team's kustomization, byte for byte.
    const auto rollback =
        cluster.run({"rollback", "--all", "--output-dir", repo.overlay().string()}, kNoKubectl);
    INFO(rollback.out, rollback.err);
    REQUIRE(rollback.exit_code == 0);
    CHECK(read_file(repo.overlay() / "kustomization.yaml") == Repository::kOverlay);
    CHECK_FALSE(fs::exists(repo.overlay() / "cxtm-o11y"));
    const auto restored = built(cluster, repo.overlay());
    for (const auto& [name, manifest] : manifests) {
      const std::string& file = name;  // CAPTURE cannot name a structured binding (clang 14)
      CAPTURE(file);
      Json expected = manifest;
      expected["metadata"]["annotations"]["team"] = "cxtm";
      expected["spec"]["template"]["metadata"]["annotations"]["team"] = "cxtm";
      CHECK(same_json(restored.at(file), expected));
    }
  }

  TEST_CASE(
      "a Deployment that moved in Git under its patch stops kustomize instead of "
      "instrumenting the wrong container") {
    if (skipped_for_old_kustomize()) return;
    auto manifests = git_manifests();
    ClusterCli cluster(services_for(manifests));
    const std::map<std::string, Json> one = {{"sidecars", manifests.at("sidecars")}};
    Repository repo(one);
    const auto written =
        cluster.run({"instrument", "sidecars", "--output-dir", repo.overlay().string(),
                     "--from-file", repo.base_file().string()},
                    kNoKubectl);
    REQUIRE(written.exit_code == 0);
    // Someone reorders the containers in Git.
    Json moved = one.at("sidecars");
    auto& containers = moved["spec"]["template"]["spec"]["containers"];
    REQUIRE(containers.size() >= 2);
    std::swap(containers[0], containers[1]);
    repo.dir.write("base/deployments.yaml", cxtm::to_yaml(moved));
    const auto build = cluster.kubectl({"kustomize", repo.overlay().string()});
    CHECK(build.exit_code != 0);
    CHECK(build.err.find("test") != std::string::npos);
    // Instrumenting again from the moved manifest mends it.
    const auto again =
        cluster.run({"instrument", "sidecars", "--output-dir", repo.overlay().string(),
                     "--from-file", repo.base_file().string()},
                    kNoKubectl);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("sidecars (default/sidecars): patch written") != std::string::npos);
    CHECK(built(cluster, repo.overlay()).size() == 1);
  }

  TEST_CASE(
      "from the live Deployment: the patch over it builds instrument's Deployment, and the "
      "cluster is not written") {
    if (skipped_for_old_kustomize()) return;
    ClusterCli cluster;
    const Json live = cluster.seed("probes-resources", "cxtm-scheduler");
    const int writes = cluster.server.write_count();
    const Json git = cxtm::instrument::strip_for_backup(live);
    Repository repo({{"cxtm-scheduler", git}});
    const auto result = cluster.run(
        {"instrument", "scheduler", "--output-dir", repo.overlay().string(), "-o", "json"});
    INFO(result.out, result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(cluster.server.write_count() == writes);
    const Json report = Json::parse(result.out);
    CHECK(report["services"][0]["outcome"] == "instrumented");
    CHECK(report["services"][0]["files"].size() == 2);
    CHECK(report["services"][0]["patch"].front()["op"] == "test");

    const auto config = cxtm::config::load_config(cluster.config());
    Json expected =
        cxtm::instrument::instrument_deployment(
            git, cxtm::actions::spec_for(config, *config.find_service("scheduler")), CXTM_VERSION)
            .deployment;
    expected["metadata"]["annotations"]["team"] = "cxtm";
    expected["spec"]["template"]["metadata"]["annotations"]["team"] = "cxtm";
    const Json synced = built(cluster, repo.overlay()).at("cxtm-scheduler");
    CHECK(same_json(synced, expected));

    // Flux syncs it (server-side apply as kustomize-controller, its labels on the object):
    // status tells the change came from Git, and a live rollback warns that a sync puts it back.
    Json applied = synced;
    applied["metadata"]["labels"]["kustomize.toolkit.fluxcd.io/name"] = "cxtm";
    const auto apply = cluster.kubectl({"apply", "--server-side", "--force-conflicts",
                                        "--field-manager=kustomize-controller", "-f", "-"},
                                       applied.dump());
    INFO(apply.err);
    REQUIRE(apply.exit_code == 0);
    const auto status = cluster.run({"status", "scheduler", "-o", "json"});
    INFO(status.out, status.err);
    REQUIRE(status.exit_code == 0);
    const Json reported = Json::parse(status.out)["services"][0];
    CHECK(reported["state"] == "instrumented");
    CHECK(reported["via"] == "git");
    CHECK(reported["writer"] == "Flux");
    CHECK(reported["gitops"] == "Flux");
    const auto table = cluster.run({"status", "scheduler"});
    CHECK(table.out.find("instrumented (Git: Flux)") != std::string::npos);
    const auto rollback = cluster.run({"rollback", "scheduler", "--dry-run"});
    CHECK(rollback.exit_code == 0);
    CHECK(rollback.out.find("is managed by Flux: when the change came from Git, its next sync "
                            "puts it back") != std::string::npos);
  }

  TEST_CASE(
      "a live instrument is the tool's in status, on a Deployment Argo CD manages it warns "
      "that the next sync reverts it") {
    ClusterCli cluster;
    cluster.seed("minimal", "cxtm-scheduler");
    const auto annotated = cluster.kubectl(
        {"annotate", "deployment/cxtm-scheduler",
         "argocd.argoproj.io/tracking-id=cxtm:apps/Deployment:default/cxtm-scheduler"});
    INFO(annotated.err);
    REQUIRE(annotated.exit_code == 0);
    const auto result = cluster.run(cxtm::testing::fast({"instrument", "scheduler"}));
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(result.out.find("is managed by Argo CD: its next sync takes this change out again") !=
          std::string::npos);
    const Json reported =
        Json::parse(cluster.run({"status", "scheduler", "-o", "json"}).out)["services"][0];
    CHECK(reported["via"] == "cxtm-o11y");
    CHECK(reported["writer"] == "");
    CHECK(reported["gitops"] == "Argo CD");
    // The tool's replace is recorded as the tool's.
    bool ours = false;
    const Json instrumented = cluster.deployment("cxtm-scheduler");
    for (const auto& entry : instrumented["metadata"]["managedFields"]) {
      if (entry["manager"] == "cxtm-o11y" && entry["operation"] == "Update") ours = true;
    }
    CHECK(ours);
    const auto table = cluster.run({"status", "scheduler"});
    CHECK(table.out.find("gitops: managed by Argo CD") != std::string::npos);
  }

  TEST_CASE("bad input: one error line, a distinct code, nothing written") {
    ClusterCli cluster;
    Json minimal = cxtm::instrument::strip_for_backup(corpus_deployment("minimal"));
    minimal["metadata"]["name"] = "cxtm-scheduler";
    Repository repo({{"cxtm-scheduler", minimal}});
    const std::string overlay = repo.overlay().string();

    const auto no_dir = cluster.run(
        {"instrument", "scheduler", "--from-file", repo.base_file().string()}, kNoKubectl);
    CHECK(no_dir.exit_code == 2);
    CHECK(no_dir.err.starts_with(kErrorPrefix + "--from-file needs --output-dir"));

    const auto missing = cluster.run({"instrument", "notifications", "--output-dir", overlay,
                                      "--from-file", repo.base_file().string()},
                                     kNoKubectl);
    CHECK(missing.exit_code == 4);
    CHECK(missing.err.find(repo.base_file().string() + ": no Deployment cxtm-notifications") !=
          std::string::npos);

    repo.dir.write("overlay/kustomization.yaml",
                   "resources: [../base]\npatches: [{path: x.yaml}]\n");
    const auto flow = cluster.run({"instrument", "scheduler", "--output-dir", overlay,
                                   "--from-file", repo.base_file().string()},
                                  kNoKubectl);
    CHECK(flow.exit_code == 2);
    CHECK(line_count(flow.err) == 1);
    CHECK(flow.err.find("patches: written in flow style") != std::string::npos);
    CHECK(read_file(repo.overlay() / "kustomization.yaml") ==
          "resources: [../base]\npatches: [{path: x.yaml}]\n");
    CHECK_FALSE(fs::exists(repo.overlay() / "cxtm-o11y"));

    const auto both =
        cluster.run({"rollback", "scheduler", "--exact", "--output-dir", overlay}, kNoKubectl);
    CHECK(both.exit_code == 2);

    // A patch file without a kustomization: the file goes, no kustomization is made.
    TempDir bare;
    bare.write("cxtm-o11y/scheduler.yaml", "[]\n");
    const auto lone =
        cluster.run({"rollback", "scheduler", "--output-dir", bare.path().string()}, kNoKubectl);
    CHECK(lone.exit_code == 0);
    CHECK_FALSE(fs::exists(bare.path() / "cxtm-o11y"));
    CHECK_FALSE(fs::exists(bare.path() / "kustomization.yaml"));
  }

  TEST_CASE(
      "--via operator: the Instrumentation goes to Git with the first patch, out with the "
      "last") {
    if (skipped_for_old_kustomize()) return;
    auto manifests = git_manifests();
    ClusterCli cluster(services_for(manifests));
    const std::map<std::string, Json> two = {{"minimal", manifests.at("minimal")},
                                             {"sidecars", manifests.at("sidecars")}};
    Repository repo(two);
    const std::vector<std::string> to_git = {"--output-dir", repo.overlay().string(),
                                             "--from-file",  repo.base_file().string(),
                                             "--via",        "operator"};
    const auto written =
        cluster.run(with({"instrument", "minimal", "sidecars"}, to_git), kNoKubectl);
    INFO(written.out, written.err);
    REQUIRE(written.exit_code == 0);
    CHECK(fs::exists(repo.overlay() / "cxtm-o11y/instrumentation-default.yaml"));
    const auto config = cxtm::config::load_config(cluster.config());
    const auto after = built(cluster, repo.overlay());
    REQUIRE(after.contains("cxtm-o11y"));
    CHECK(after.at("cxtm-o11y")["kind"] == "Instrumentation");
    CHECK(after.at("cxtm-o11y")["spec"]["exporter"]["endpoint"] == config.otlp_http_endpoint());
    for (const std::string file : {"minimal", "sidecars"}) {
      CAPTURE(file);
      auto spec = cxtm::actions::spec_for(config, *config.find_service(file));
      spec.injector = cxtm::instrument::Injector::operator_;
      Json expected =
          cxtm::instrument::instrument_deployment(manifests.at(file), spec, CXTM_VERSION)
              .deployment;
      expected["metadata"]["annotations"]["team"] = "cxtm";
      expected["spec"]["template"]["metadata"]["annotations"]["team"] = "cxtm";
      CHECK(same_json(after.at(file), expected));
    }
    // Again: up to date, the Instrumentation's file too.
    const auto again = cluster.run(with({"instrument", "minimal", "sidecars"}, to_git), kNoKubectl);
    INFO(again.out, again.err);
    CHECK(again.out.find("up to date (no change)") != std::string::npos);
    CHECK(again.out.find("instrumented") == std::string::npos);

    // One out: the other still asks the Operator, the Instrumentation stays.
    const auto first_out =
        cluster.run({"rollback", "minimal", "--output-dir", repo.overlay().string()}, kNoKubectl);
    INFO(first_out.out, first_out.err);
    REQUIRE(first_out.exit_code == 0);
    CHECK(fs::exists(repo.overlay() / "cxtm-o11y/instrumentation-default.yaml"));
    CHECK(built(cluster, repo.overlay()).contains("cxtm-o11y"));
    // The last out: the Instrumentation with it, the team's kustomization byte for byte.
    const auto last_out =
        cluster.run({"rollback", "sidecars", "--output-dir", repo.overlay().string()}, kNoKubectl);
    INFO(last_out.out, last_out.err);
    REQUIRE(last_out.exit_code == 0);
    CHECK(last_out.out.find("the Instrumentation of namespace default removed too") !=
          std::string::npos);
    CHECK(read_file(repo.overlay() / "kustomization.yaml") == Repository::kOverlay);
    CHECK_FALSE(fs::exists(repo.overlay() / "cxtm-o11y"));
    CHECK_FALSE(built(cluster, repo.overlay()).contains("cxtm-o11y"));
  }
}

}  // namespace test_integration_gitops
