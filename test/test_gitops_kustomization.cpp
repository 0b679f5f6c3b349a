// gitops/kustomization: the tool's patch entries go in and out of a team's kustomization as
// text, leaving every comment and line of theirs as it was.

#include <doctest/doctest.h>

#include "core/error.h"
#include "core/yaml_json.h"
#include "gitops/kustomization.h"

namespace test_gitops_kustomization {

using cxtm::Error;
using cxtm::ExitCode;
using cxtm::Json;
using cxtm::gitops::has_patch_entry;
using cxtm::gitops::new_kustomization;
using cxtm::gitops::PatchEntry;
using cxtm::gitops::with_patch_entry;
using cxtm::gitops::without_patch_entry;

namespace {

const PatchEntry kScheduler{
    .path = "cxtm-o11y/scheduler.yaml", .kind = "Deployment", .name = "cxtm-scheduler"};
const PatchEntry kNotifications{
    .path = "cxtm-o11y/notifications.yaml", .kind = "Deployment", .name = "cxtm-notifications"};

const std::string kTeams =
    "# prod overlay\n"
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "resources:\n"
    "  - ../base   # the base\n"
    "patches:\n"
    "  - path: replicas.yaml   # keep\n"
    "    target: {kind: Deployment, name: cxtm-scheduler}\n"
    "# images follow\n"
    "images:\n"
    "  - name: x\n"
    "    newTag: \"1\"\n";

Json parsed(const std::string& text) {
  return cxtm::parse_yaml_documents(text, "kustomization.yaml").front();
}

ExitCode code_of(const std::function<void()>& edit) {
  try {
    edit();
  } catch (const Error& error) {
    return error.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_SUITE("gitops/kustomization") {
  TEST_CASE("an entry goes in after the team's, in their indentation, and comes out again") {
    const std::string added = with_patch_entry(kTeams, kScheduler, "kustomization.yaml");
    CHECK(added.find("# prod overlay\n") == 0);
    CHECK(added.find("  - path: replicas.yaml   # keep\n") != std::string::npos);
    CHECK(added.find("  - path: cxtm-o11y/scheduler.yaml\n    target:\n") != std::string::npos);
    CHECK(added.find("cxtm-o11y/scheduler.yaml") < added.find("# images follow"));
    const Json patches = parsed(added)["patches"];
    REQUIRE(patches.size() == 2);
    CHECK(patches[1] == kScheduler.to_json());
    CHECK(has_patch_entry(added, kScheduler.path, "k"));
    CHECK_FALSE(has_patch_entry(kTeams, kScheduler.path, "k"));

    const std::string both = with_patch_entry(added, kNotifications, "kustomization.yaml");
    CHECK(parsed(both)["patches"].size() == 3);
    // The same entries again: the same text.
    CHECK(with_patch_entry(both, kScheduler, "kustomization.yaml") == both);
    CHECK(with_patch_entry(both, kNotifications, "kustomization.yaml") == both);
    // Out again in any order: the team's text, byte for byte.
    CHECK(without_patch_entry(without_patch_entry(both, kScheduler.path, "k"), kNotifications.path,
                              "k") == kTeams);
  }

  TEST_CASE("adding an entry that is there replaces it, removing one that is not changes nothing") {
    const std::string once = with_patch_entry(kTeams, kScheduler, "k");
    PatchEntry renamed = kScheduler;
    renamed.name = "cxtm-scheduler-v2";
    const std::string twice = with_patch_entry(once, renamed, "k");
    const Json patches = parsed(twice)["patches"];
    REQUIRE(patches.size() == 2);
    CHECK(patches[1]["target"]["name"] == "cxtm-scheduler-v2");
    CHECK(without_patch_entry(kTeams, kScheduler.path, "k") == kTeams);
  }

  TEST_CASE("no patches yet: the list is added, and taken away with the last entry") {
    const std::string bare = new_kustomization({"deployment.yaml"});
    CHECK(parsed(bare)["resources"] == Json::array({"deployment.yaml"}));
    const std::string added = with_patch_entry(bare, kScheduler, "k");
    CHECK(parsed(added)["patches"] == Json::array({kScheduler.to_json()}));
    CHECK(without_patch_entry(added, kScheduler.path, "k") == bare);

    const std::string empty_flow = "resources: []\npatches: []\n";
    CHECK(parsed(with_patch_entry(empty_flow, kScheduler, "k"))["patches"].size() == 1);
  }

  TEST_CASE("what it cannot edit as text is refused, naming the file") {
    const std::string flow = "patches: [{path: a.yaml}]\n";
    CHECK(code_of([&] { with_patch_entry(flow, kScheduler, "overlay/kustomization.yaml"); }) ==
          ExitCode::usage);
    try {
      with_patch_entry(flow, kScheduler, "overlay/kustomization.yaml");
    } catch (const Error& error) {
      CHECK(std::string(error.what()).starts_with("overlay/kustomization.yaml:1: patches:"));
    }
    // The team rewrote our entry with its target first: remove it by hand.
    const std::string reordered =
        "patches:\n"
        "- target: {kind: Deployment, name: cxtm-scheduler}\n"
        "  path: cxtm-o11y/scheduler.yaml\n";
    CHECK(code_of([&] { without_patch_entry(reordered, kScheduler.path, "k"); }) ==
          ExitCode::usage);
    CHECK(code_of([&] { with_patch_entry("- a\n- b\n", kScheduler, "k"); }) == ExitCode::usage);
    CHECK(code_of([&] { with_patch_entry("patches: 3\n", kScheduler, "k"); }) == ExitCode::usage);
  }
}

}  // namespace test_gitops_kustomization
