// gitops/guarded_patch: over the Deployment corpus, the patch turns the manifest into exactly
// the transform's output, and it refuses (a failing test op) a manifest that moved under it.

#include <doctest/doctest.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "gitops/guarded_patch.h"
#include "instrument/transform.h"
#include "support/package_sets.h"

namespace test_gitops_guarded_patch {

using cxtm::Json;
using cxtm::gitops::guarded_patch;

namespace {

const std::filesystem::path kCorpus = CXTM_SOURCE_DIR "/test/testdata/deployments";

cxtm::instrument::InstrumentationSpec spec_of(const Json& deployment,
                                              const std::string& container) {
  return {.service_name = deployment["metadata"]["name"],
          .container = container,
          .otlp_endpoint = "http://otel-collector.default.svc:4318",
          .environment = "cxtm-poc",
          .service_namespace = "default",
          .packages = cxtm::testing::small_package_set()};
}

}  // namespace

TEST_SUITE("gitops/guarded_patch") {
  TEST_CASE("every corpus shape: base plus patch is the transform's output, exactly") {
    int shapes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
      const std::string file = entry.path().stem().string();
      CAPTURE(file);
      const Json base =
          cxtm::instrument::strip_for_backup(Json::parse(cxtm::read_file(entry.path())));
      const Json target = cxtm::instrument::instrument_deployment(
                              base, spec_of(base, file == "sidecars" ? "portal" : ""), "0.1.0",
                              cxtm::instrument::Force::yes)
                              .deployment;
      const Json patch = guarded_patch(base, target);
      CHECK(cxtm::same_json(base.patch(patch), target));
      // The guards come first and hold on the base.
      REQUIRE(!patch.empty());
      CHECK(patch.front()["op"] == "test");
      ++shapes;
    }
    CHECK(shapes >= 15);
  }

  TEST_CASE("a named list item it reaches must still be the one it was made for") {
    const Json base = Json::parse(R"({"spec": {"containers": [
        {"name": "app", "env": [{"name": "A", "value": "1"}]},
        {"name": "sidecar"}]}})");
    Json target = base;
    target["spec"]["containers"][0]["env"].push_back({{"name", "B"}, {"value", "2"}});
    target["spec"]["containers"][0]["env"][0]["value"] = "one";
    const Json patch = guarded_patch(base, target);
    CHECK(cxtm::same_json(base.patch(patch), target));

    // Git swapped the containers: the patch would have edited the sidecar.
    Json swapped = base;
    std::swap(swapped["spec"]["containers"][0], swapped["spec"]["containers"][1]);
    CHECK_THROWS(swapped.patch(patch));
    // Git changed the value the patch replaces.
    Json changed = base;
    changed["spec"]["containers"][0]["env"][0]["value"] = "7";
    CHECK_THROWS(changed.patch(patch));
    // Whatever the patch does not touch may change.
    Json elsewhere = base;
    elsewhere["spec"]["replicas"] = 3;
    Json expected = target;
    expected["spec"]["replicas"] = 3;
    CHECK(cxtm::same_json(elsewhere.patch(patch), expected));
  }

  TEST_CASE("the same base and target: an empty patch") {
    const Json base = Json::parse(R"({"a": [1, 2]})");
    CHECK(guarded_patch(base, base).empty());
  }
}

}  // namespace test_gitops_guarded_patch
