// instrument/change_origin: who wrote the tool's change, from managedFields, and which GitOps
// controller manages a Deployment, from its marks.

#include <doctest/doctest.h>

#include "instrument/change_origin.h"

namespace test_instrument_change_origin {

using cxtm::Json;
using cxtm::instrument::change_origin;
using cxtm::instrument::ChangeVia;
using cxtm::instrument::gitops_controller;

namespace {

Json owner(const std::string& manager, const std::string& annotation) {
  return {
      {"manager", manager},
      {"operation", manager == "cxtm-o11y" ? "Update" : "Apply"},
      {"fieldsV1", {{"f:metadata", {{"f:annotations", {{"f:" + annotation, Json::object()}}}}}}}};
}

}  // namespace

TEST_SUITE("instrument/change_origin") {
  TEST_CASE("the manager that owns the spec-hash annotation tells who wrote the change") {
    const Json deployment = Json::object();
    const std::string hash = "cxtm-o11y.io/spec-hash";
    CHECK(change_origin(deployment, Json::array()).via == ChangeVia::tool);
    CHECK(change_origin(deployment, Json::array({owner("cxtm-o11y", hash)})).via ==
          ChangeVia::tool);
    // The tool's writes before it named itself.
    CHECK(change_origin(deployment, Json::array({owner("kubectl-replace", hash)})).via ==
          ChangeVia::tool);

    const auto flux = change_origin(
        deployment, Json::array({owner("cxtm-o11y", hash), owner("kustomize-controller", hash)}));
    CHECK(flux.via == ChangeVia::git);
    CHECK(flux.writer == "Flux");
    CHECK(change_origin(deployment, Json::array({owner("argocd-controller", hash)})).writer ==
          "Argo CD");
    CHECK(
        change_origin(deployment, Json::array({owner("kubectl-client-side-apply", hash)})).writer ==
        "kubectl apply");
    CHECK(change_origin(deployment, Json::array({owner("team-pipeline", hash)})).writer ==
          "team-pipeline");
    // Another manager owning another annotation says nothing.
    CHECK(change_origin(deployment, Json::array({owner("kustomize-controller", "team")})).via ==
          ChangeVia::tool);
    CHECK(change_origin(deployment, Json("garbage")).via == ChangeVia::tool);
  }

  TEST_CASE("kubectl apply run by Argo CD is named by Argo CD's mark") {
    const Json argo = {
        {"metadata",
         {{"annotations", {{"argocd.argoproj.io/tracking-id", "app:apps/Deployment:d/x"}}}}}};
    CHECK(change_origin(argo,
                        Json::array({owner("kubectl-client-side-apply", "cxtm-o11y.io/spec-hash")}))
              .writer == "Argo CD");
  }

  TEST_CASE("the GitOps controller by its marks") {
    CHECK(gitops_controller(Json::object()) == "");
    CHECK(gitops_controller(
              {{"metadata", {{"labels", {{"kustomize.toolkit.fluxcd.io/name", "a"}}}}}}) == "Flux");
    CHECK(gitops_controller({{"metadata", {{"labels", {{"helm.toolkit.fluxcd.io/name", "a"}}}}}}) ==
          "Flux");
    CHECK(gitops_controller({{"metadata", {{"labels", {{"argocd.argoproj.io/instance", "a"}}}}}}) ==
          "Argo CD");
    CHECK(gitops_controller({{"metadata", {{"labels", {{"app.kubernetes.io/instance", "a"}}}}}}) ==
          "");
  }
}

}  // namespace test_instrument_change_origin
