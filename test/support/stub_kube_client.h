#pragma once
// A KubeClient that answers every call as an empty cluster would and does nothing: tests derive
// from it and override the calls they script or count (the decorators' inner client).

#include <optional>
#include <string>
#include <vector>

#include "kube/kube_client.h"

namespace cxtm::testing {

class StubKubeClient : public kube::KubeClient {
 public:
  std::optional<Json> get(const kube::ObjectRef&) override { return std::nullopt; }
  std::vector<Json> list(std::string_view, std::string_view, std::string_view) override {
    return {};
  }
  std::vector<Json> get_named(std::string_view, std::string_view,
                              const std::vector<std::string>&) override {
    return {};
  }
  Json apply(const Json& object, kube::DryRun, std::string_view) override { return object; }
  Json replace(const Json& object) override { return object; }
  bool remove(const kube::ObjectRef&) override { return true; }
  std::string logs(std::string_view, std::string_view, std::string_view, int, bool) override {
    return "";
  }
  std::string log_head(std::string_view, std::string_view, std::string_view, int) override {
    return "";
  }
  std::vector<bool> can_i(const std::vector<kube::AccessQuery>& queries) override {
    return std::vector<bool>(queries.size(), true);
  }
  void limit_request_time(Duration) override {}
  bool serves(std::string_view, std::string_view) override { return false; }
};

}  // namespace cxtm::testing
